"""What each kind of approvable object does when it is decided.

Domain apps register their kinds in `AppConfig.ready()`; the engine looks them up
here and never imports a domain app (DESIGN §2).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from studio.hours import hours_text

# Hooks receive the object, its Approval row and the deciding user.
Hook = Callable[[models.Model, "models.Model", "models.Model"], None]


@dataclass(frozen=True)
class ProjectHours:
    project_id: int
    code: str
    name: str
    hours: Decimal

    @property
    def text(self) -> str:
        return hours_text(self.hours)


@dataclass(frozen=True)
class Hours:
    """The hours an approval decides (a timesheet's week): its total, and by project."""

    total: Decimal
    projects: tuple[ProjectHours, ...]

    @property
    def text(self) -> str:
        return hours_text(self.total)


def _nothing(obj, approval, user) -> None:
    return None


@dataclass(frozen=True)
class ApprovalKind:
    """One kind of approvable object (brief, deliverable, budget…) and its handlers.

    - on_approve: the last step approved; the object moves on (brief frozen, request accepted…).
    - on_request_changes: the round ended asking for changes (brief back to draft…).
    - on_reject: the approval ended (request declined, timesheet reopened…).
    - on_step_approved: a step before the last approved (deliverable: internal → client review).
    - on_withdraw: the submitter took it back (brief back to draft…).
    - amount_of: the figure step thresholds test (budget total, change in total), or None.
    - brand_of: the brand whose managers decide brand-manager steps, or None.
    - url_of: where a person deciding or following it looks at the object.
    - hours_of: for a page of objects at once (one query), the hours each one decides,
      by pk; objects without hours are left out.
    - may_withdraw: besides the submitter, who may take it back (a time-off request:
      the person whose time off it is, whoever filed it).
    """

    kind: str
    model: type[models.Model]
    on_approve: Hook = _nothing
    on_request_changes: Hook = _nothing
    on_reject: Hook = _nothing
    on_step_approved: Hook = _nothing
    on_withdraw: Hook = _nothing
    amount_of: Callable[[models.Model], Decimal | None] = lambda obj: None
    brand_of: Callable[[models.Model], int | None] = lambda obj: None
    url_of: Callable[[models.Model], str] = lambda obj: ""
    hours_of: Callable[[Sequence[models.Model]], dict[object, Hours]] = lambda objects: {}
    may_withdraw: Callable[[models.Model, models.Model], bool] = lambda obj, user: False


_kinds: dict[str, ApprovalKind] = {}


def register(kind: ApprovalKind) -> None:
    _kinds[kind.kind] = kind


def get(kind: str) -> ApprovalKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise LookupError(f"No approval kind {kind!r} is registered.") from None


def registered() -> dict[str, ApprovalKind]:
    return dict(_kinds)


def attach_hours(approvals: Iterable) -> None:
    """Set `hours` (an `Hours`, or None) on each approval of a page whose targets are
    prefetched: one `hours_of` call, so one query, per kind that has hours."""
    by_kind: dict[str, list] = {}
    for approval in approvals:
        approval.hours = None
        by_kind.setdefault(approval.kind, []).append(approval)
    for kind, rows in by_kind.items():
        try:
            hours_of = get(kind).hours_of
        except LookupError:
            continue
        targets = [approval.target for approval in rows if approval.target is not None]
        found = hours_of(targets) if targets else {}
        for approval in rows:
            if approval.target is not None:
                approval.hours = found.get(approval.target.pk)
