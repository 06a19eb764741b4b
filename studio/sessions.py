"""A signed-in session ends `SESSION_IDLE_TIMEOUT` seconds after its last request and
`SESSION_MAX_AGE` seconds after its login, whichever comes first.

The session holds its login time and when it was last seen. The last-seen time is
written again only once a hundredth of the idle timeout has passed (under five minutes
by default), not on every request, which would write the session each time."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"


def session_stamp_login(sender, request, user, **kwargs):
    """Start the session's clocks at login (`user_logged_in`, connected in StudioConfig):
    the session is new then, since login rotates its key."""
    session = getattr(request, "session", None)
    # A token from /api/auth/token/ is a login without a session.
    if session is not None and SESSION_KEY in session:
        session[LOGIN_AT] = session[SEEN_AT] = timezone.now().timestamp()


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session) -> None:
        now = timezone.now().timestamp()
        # A session from before the limits were kept starts its clocks now.
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.setdefault(SEEN_AT, now)
        if now - login_at > settings.SESSION_MAX_AGE:
            self._end(request, "max age", _("You were logged out because your session was over. Please log in again."))
        elif now - seen_at > settings.SESSION_IDLE_TIMEOUT:
            self._end(request, "idle", _("You were logged out after a while without activity. Please log in again."))
        elif now - seen_at >= settings.SESSION_IDLE_TIMEOUT / 100:
            session[SEEN_AT] = now

    def _end(self, request, reason: str, message: str) -> None:
        username = request.user.get_username()
        logout(request)
        messages.info(request, message)
        logger.info("Session ended (%s): user=%r path=%s", reason, username, request.path)
