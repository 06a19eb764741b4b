"""Failed logins, throttled (django-axes; `AXES_*` in settings, README "Configuration").

One username at one address is locked after `LOGIN_FAILURE_LIMIT` failures, so
guessing a person's password from one place stops while they still log in from
theirs; one address is locked after `LOGIN_ADDRESS_FAILURE_LIMIT` failures over any
usernames (password spraying). Either lock ends by itself `LOGIN_COOLOFF_MINUTES` after
the last failure that counted. The login page and `/api/auth/token/` count alike.

Each attempt is one line in the log, without a traceback: a login, a failure (and
whether it locked), a refusal while locked."""

import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import ngettext

from .access_log import LOGIN_ATTEMPT_LOGGED

logger = logging.getLogger(__name__)


def lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed attempts to log in from here. Logging in is paused for %(minutes)d minute; "
        "please try again then.",
        "Too many failed attempts to log in from here. Logging in is paused for %(minutes)d minutes; "
        "please try again then.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, in the site's layout, saying why and for how long (429)."""
    # Imported here: forms import models, and axes imports this module with the settings.
    from .forms import LoginForm

    username = (credentials or {}).get("username") or ""
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "locked_out": lockout_message(),
        "next": request.POST.get("next", ""),
    }
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(settings.LOGIN_COOLOFF_MINUTES * 60)
    return response


def client_address(request) -> str | None:
    """The address a login came from: behind a proxy (`BEHIND_PROXY`), the one it appended
    to X-Forwarded-For, since earlier entries are whatever the client sent."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if _is_address(forwarded):
            return forwarded
    address = request.META.get("REMOTE_ADDR")
    return address if _is_address(address) else None


def _is_address(text: str | None) -> bool:
    try:
        ipaddress.ip_address(text or "")
    except ValueError:
        return False
    return True


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database records, with a limit of its own for the address alone and one
    log line per attempt."""

    def get_failures(self, request, credentials=None) -> int:
        # AXES_LOCKOUT_PARAMETERS: [username and address, address]. Axes compares one number
        # with LOGIN_FAILURE_LIMIT; the address's failures count in its own, larger, unit.
        account_here, address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(account_here, address * settings.LOGIN_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        refused = bool(request is not None and request.axes_locked_out)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        who = (credentials or {}).get("username")
        _mark_logged(request)
        if refused:
            logger.warning("Login refused, locked out: user=%r address=%s path=%s", who, request.axes_ip_address,
                           request.axes_path_info)
        elif request.axes_locked_out:
            logger.warning("Login failed, now locked out for %d min: user=%r address=%s path=%s failures=%s",
                           settings.LOGIN_COOLOFF_MINUTES, who, request.axes_ip_address, request.axes_path_info,
                           request.axes_failures_since_start)
        else:
            logger.info("Login failed: user=%r address=%s path=%s failures=%s", who, request.axes_ip_address,
                        request.axes_path_info, request.axes_failures_since_start)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        _mark_logged(request)
        logger.info("Login: user=%r address=%s path=%s", user.get_username(), request.axes_ip_address,
                    request.axes_path_info)


def _mark_logged(request) -> None:
    # On Django's request, under DRF's: django.request's own line for the response is dropped.
    setattr(getattr(request, "_request", request), LOGIN_ATTEMPT_LOGGED, True)
