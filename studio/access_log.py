"""A refused access is one line in the log, not a traceback (`LOGGING` in settings).

Django logs every 4xx on `django.request`, and a page's `PermissionDenied` with its
traceback. A refusal is the permission table doing its job, not a fault: who was
refused what is all an operator needs. Errors (5xx) keep their traceback."""

import logging
from http import HTTPStatus

# 401 is the API's refusal of an anonymous caller; 403 and 404 are DESIGN §1's.
REFUSED = frozenset({HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND})
# Set on a request by studio.logins once it has logged the login attempt in it.
LOGIN_ATTEMPT_LOGGED = "login_attempt_logged"
LOGIN_REFUSED = frozenset({HTTPStatus.BAD_REQUEST, HTTPStatus.TOO_MANY_REQUESTS})


class RefusedAccessFilter(logging.Filter):
    """Rewrites `django.request`'s record of a refused request as
    `Forbidden (403): /budgets/ user=creative`, without exception or stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status in LOGIN_REFUSED and getattr(request, LOGIN_ATTEMPT_LOGGED, False):
            # A failed or refused login (400, 429) already has its one line (studio.logins).
            return False
        if status not in REFUSED or request is None:
            return True
        record.msg = "%s (%s): %s user=%s"
        record.args = (HTTPStatus(status).phrase, status, _escaped(request.path), _escaped(_who(request)))
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()


def _escaped(text: str) -> str:
    # As Django escapes the path: a crafted URL cannot forge a line of the log.
    return text.encode("unicode_escape").decode("ascii")
