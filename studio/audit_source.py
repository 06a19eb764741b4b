"""From where a write came, for the audit trail: a page, the API, the Django admin, a
background task, or the system itself (management commands, the demo seed).

The services do not take it as an argument: it is the context they run in, set once at
the door (`AuditSourceMiddleware` for requests, Celery's task signals for tasks) and read
by `audit_record`. A context variable, not a thread-local, so an eager task inside a
request, or the next request on the same thread, never sees a stale value."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from celery.signals import task_postrun, task_prerun
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class AuditSource(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    TASK = "task", _("task")
    SYSTEM = "system", _("system")


API_PREFIX = "/api/"

_current: ContextVar[str] = ContextVar("audit_source", default=AuditSource.SYSTEM)


def current_source() -> str:
    """Where the write being recorded now came from."""
    return _current.get()


@contextmanager
def recorded_as(source: str) -> Iterator[None]:
    """Record the writes of the block as coming from `source`."""
    token = _current.set(source)
    try:
        yield
    finally:
        _current.reset(token)


def source_of_path(path: str) -> str:
    try:
        admin = reverse("admin:index")
    except NoReverseMatch:  # a URL configuration without the admin
        admin = None
    if admin and path.startswith(admin):
        return AuditSource.ADMIN
    if path.startswith(API_PREFIX):
        return AuditSource.API
    return AuditSource.PAGE


class AuditSourceMiddleware:
    """Every write of a request is recorded as coming from its door: the admin, the API
    or a page, told by the path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with recorded_as(source_of_path(request.path_info)):
            return self.get_response(request)


# A task's writes are the task's, also when it runs eagerly inside a request; the token
# per task restores whatever was current before it.
_task_tokens: dict[str, Token] = {}


@task_prerun.connect(dispatch_uid="audit_source_task_prerun")
def _task_started(task_id=None, **kwargs):
    _task_tokens[task_id] = _current.set(AuditSource.TASK)


@task_postrun.connect(dispatch_uid="audit_source_task_postrun")
def _task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (a thread pool): nothing to restore here
            _current.set(AuditSource.SYSTEM)
