"""The version rule for records two people may edit at once (DESIGN §2): a save based
on a stale version is refused with the record as it is now."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class StaleVersion(ValidationError):
    """Someone else saved the record since the caller read it; `current` is how it is now."""

    def __init__(self, current: models.Model):
        super().__init__(
            _("Someone else changed this since you opened it. Here it is as it is now; make your change again."),
            code="stale",
        )
        self.current = current


def lock_version(queryset: models.QuerySet, pk: int, version: int | None) -> models.Model:
    """The row `pk`, locked until the transaction ends, if it is still at `version`
    (None skips the check: a caller that never saw a version, such as a hook)."""
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and current.version != version:
        raise StaleVersion(current)
    return current
