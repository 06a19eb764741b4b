"""The version rule for records two people may edit at once (DESIGN §2): a save based
on a stale version is refused with the record as it is now."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Conflict(ValidationError):
    """A write refused because of the state of the rows it would touch, not because of
    its input: the API answers 409 (`studio.api_errors`), pages show the message.
    `details(view)` adds what the caller needs to start again."""

    def details(self, view) -> dict:
        return {}


class StaleVersion(Conflict):
    """Someone else saved the record since the caller read it; `current` is how it is
    now (None where the caller is better served by reading it again)."""

    default_message = _(
        "Someone else changed this since you opened it. Here it is as it is now; make your change again."
    )

    def __init__(self, current: models.Model | None = None, message: str | None = None):
        super().__init__(message or self.default_message, code="stale")
        self.current = current

    def details(self, view) -> dict:
        """The record as it is now, in the view's own representation (`represent_current`)."""
        represent = getattr(view, "represent_current", None)
        if self.current is None or represent is None:
            return {}
        return {"current": represent(self.current)}


def lock_version(queryset: models.QuerySet, pk: int, version: int | None) -> models.Model:
    """The row `pk`, locked until the transaction ends, if it is still at `version`
    (None skips the check: a caller that never saw a version, such as a hook)."""
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and current.version != version:
        raise StaleVersion(current)
    return current
