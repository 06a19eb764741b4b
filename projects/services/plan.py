"""A project's plan: phases, deliverables with their planned hours by discipline and
assignees, and finish-to-start dependencies between deliverables (DESIGN §2).

Dates may fall outside the project's (flagged, not refused) but never outside the
plan window. Moving a deliverable that others depend on can push them forward on the
working calendar (`projects.scheduling`); `deliverable_move_preview` says what that
would do before anything is saved, and `deliverable_update` does it in one transaction.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from studio import clock
from studio.dates import day_text
from studio.limits import MAX_PLANNED_HOURS, MAX_QUANTITY
from studio.models import Discipline, Talent, User
from studio.permissions import can, require
from studio.services import audit_record
from studio.versions import StaleVersion, lock_version
from studio.workdays import full_clean_in_window, plan_window, window_errors

from .. import scheduling
from ..models import (
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    DeliverableStatus,
    DeliverableType,
    Dependency,
    Phase,
    Project,
    StandardHours,
)

ZERO = Decimal("0")
MAX_HOURS = MAX_PLANNED_HOURS
PHASE_FIELDS = ("name", "start_date", "end_date")
DELIVERABLE_FIELDS = ("name", "deliverable_type", "quantity", "phase", "planned_start", "due_date")
Hours = dict[Discipline, Decimal]


# --- phases ---------------------------------------------------------------------------


def _phase_snapshot(phase: Phase) -> dict:
    return model_to_dict(phase, fields=("name", "order", "start_date", "end_date", "version"))


def _check_phase(phase: Phase) -> None:
    full_clean_in_window(phase, exclude=["project", "order"], start_date=phase.start_date, end_date=phase.end_date)


@transaction.atomic
def phase_add(*, project: Project, user: User, name: str, start_date: dt.date, end_date: dt.date) -> Phase:
    """Add a phase after the project's last one."""
    require(user, "project.change", project)
    last = project.phases.aggregate(last=Max("order"))["last"]
    phase = Phase(project=project, name=name.strip(), start_date=start_date, end_date=end_date,
                  order=(last or 0) + 1)
    _check_phase(phase)
    phase.save()
    audit_record(actor=user, obj=project, action="phase.add", after=_phase_snapshot(phase))
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, user: User, version: int, **changes) -> Phase:
    require(user, "project.change", phase.project)
    unknown = set(changes) - set(PHASE_FIELDS)
    if unknown:
        raise TypeError(f"phase_update cannot change {', '.join(sorted(unknown))}")
    phase = lock_version(Phase.objects.select_related("project"), phase.pk, version)
    before = _phase_snapshot(phase)
    for name, value in changes.items():
        setattr(phase, name, value.strip() if isinstance(value, str) else value)
    _check_phase(phase)
    phase.version += 1
    phase.save()
    audit_record(actor=user, obj=phase.project, action="phase.update", before=before, after=_phase_snapshot(phase))
    return phase


@transaction.atomic
def phase_move(*, phase: Phase, user: User, offset: int) -> list[Phase]:
    """Move a phase `offset` places earlier (negative) or later; the phases are numbered 1…n again."""
    require(user, "project.change", phase.project)
    phases = list(Phase.objects.select_for_update().filter(project_id=phase.project_id).order_by("order", "pk"))
    index = next(n for n, other in enumerate(phases) if other.pk == phase.pk)
    target = max(0, min(len(phases) - 1, index + offset))
    phases.insert(target, phases.pop(index))
    for number, other in enumerate(phases, start=1):
        if other.order != number:
            other.order = number
            other.version += 1
            other.save(update_fields=["order", "version"])
    if target != index:
        audit_record(actor=user, obj=phase.project, action="phase.move",
                     after={"phase": phase.name, "order": target + 1})
    return phases


@transaction.atomic
def phase_remove(*, phase: Phase, user: User, version: int) -> None:
    """Remove a phase that holds no deliverables (cancelled ones included: they keep their history)."""
    require(user, "project.change", phase.project)
    phase = lock_version(Phase.objects.select_related("project"), phase.pk, version)
    if phase.deliverables.exists():
        raise ValidationError(_("Move this phase's deliverables to another phase first."), code="not_empty")
    audit_record(actor=user, obj=phase.project, action="phase.remove", before=_phase_snapshot(phase))
    phase.delete()


# --- deliverables -------------------------------------------------------------------


def estimate_hours(deliverable_type: DeliverableType, quantity: int) -> Hours:
    """Planned hours by discipline from the type's standard hours per unit × the quantity."""
    rows = StandardHours.objects.filter(deliverable_type=deliverable_type).select_related("discipline")
    return {row.discipline: row.hours_per_unit * quantity for row in rows}


def _deliverable_snapshot(deliverable: Deliverable) -> dict:
    data = model_to_dict(deliverable, fields=(*DELIVERABLE_FIELDS, "planned_hours", "status", "version"))
    data["assignees"] = sorted(deliverable.assignees.values_list("pk", flat=True)) if deliverable.pk else []
    data["hours"] = {
        str(row.discipline_id): str(row.hours) for row in deliverable.planned_by_discipline.all()
    } if deliverable.pk else {}
    return data


def _check_hours(hours: Hours) -> dict[str, list]:
    if any(value is None or value < 0 for value in hours.values()):
        return {"hours": [_("Planned hours cannot be negative.")]}
    if any(value > MAX_HOURS for value in hours.values()):
        return {"hours": [_("At most %(max)s hours per discipline.") % {"max": MAX_HOURS}]}
    return {}


def assignee_problems(deliverable: Deliverable, assignees: Iterable[Talent]) -> list[str]:
    """Why these people cannot work on the deliverable: inactive, or a freelancer whose
    contract does not overlap its dates."""
    problems = []
    for talent in assignees:
        if not (talent.active and talent.user.is_active):
            problems.append(_("%(who)s is no longer active.") % {"who": talent})
        elif talent.is_freelance and (
            talent.contract_end < deliverable.planned_start or talent.contract_start > deliverable.due_date
        ):
            problems.append(
                _("%(who)s is under contract from %(start)s to %(end)s, outside this deliverable's dates.")
                % {"who": talent, "start": day_text(talent.contract_start), "end": day_text(talent.contract_end)}
            )
    return problems


def _check_assignees(deliverable: Deliverable, assignees: Iterable[Talent]) -> dict[str, list]:
    problems = assignee_problems(deliverable, assignees)
    return {"assignees": problems} if problems else {}


def _check_deliverable(deliverable: Deliverable, hours: Hours | None, assignees) -> None:
    errors = window_errors(
        deliverable, exclude=["project", "planned_hours", "version"], validate_unique=False,
        planned_start=deliverable.planned_start, due_date=deliverable.due_date,
    )
    if deliverable.quantity is not None and deliverable.quantity > MAX_QUANTITY:
        errors.setdefault("quantity", []).append(_("At most %(max)s units.") % {"max": MAX_QUANTITY})
    if deliverable.phase_id and deliverable.phase.project_id != deliverable.project_id:
        errors.setdefault("phase", []).append(_("Choose a phase of this project."))
    if hours is not None:
        errors.update(_check_hours(hours))
    if assignees is not None and "planned_start" not in errors and "due_date" not in errors:
        errors.update(_check_assignees(deliverable, assignees))
    if errors:
        raise ValidationError(errors)


def _save_hours(deliverable: Deliverable, hours: Hours) -> None:
    deliverable.planned_by_discipline.exclude(discipline__in=[d.pk for d in hours]).delete()
    for discipline, value in hours.items():
        DeliverableHours.objects.update_or_create(
            deliverable=deliverable, discipline=discipline, defaults={"hours": value}
        )
    deliverable.planned_hours = sum(hours.values(), ZERO)


@transaction.atomic
def deliverable_add(*, project: Project, user: User, **plan) -> Deliverable:
    """Plan a deliverable (the fields of `deliverable_create`), for those who may plan the project."""
    require(user, "project.change", project)
    return deliverable_create(project=project, user=user, **plan)


def deliverable_create(
    *,
    project: Project,
    user: User,
    deliverable_type: DeliverableType,
    name: str,
    planned_start: dt.date,
    due_date: dt.date,
    quantity: int = 1,
    phase: Phase | None = None,
    hours: Hours | None = None,
    assignees: Iterable[Talent] = (),
    depends_on: Iterable[Deliverable] = (),
) -> Deliverable:
    """Plan a deliverable; without hours, its type's standard hours × the quantity. For a
    caller that has decided the user may (`deliverable_add`, or a request's triage)."""
    assignees = list(assignees)
    if assignees:
        _require_staffer(user, project)
    deliverable = Deliverable(
        project=project, deliverable_type=deliverable_type, name=name.strip(), quantity=quantity,
        planned_start=planned_start, due_date=due_date, phase=phase,
    )
    _check_deliverable(deliverable, hours, assignees)
    hours = estimate_hours(deliverable_type, quantity) if hours is None else hours
    deliverable.planned_hours = sum(hours.values(), ZERO)
    deliverable.save()
    _save_hours(deliverable, hours)
    deliverable.assignees.set(assignees)
    _set_predecessors(deliverable, depends_on, user)
    DeliverableProgress.objects.create(
        deliverable=deliverable, date=clock.today(), status=deliverable.status,
        percent_complete=deliverable.percent_complete, recorded_by=user,
    )
    audit_record(actor=user, obj=deliverable, action="deliverable.add", after=_deliverable_snapshot(deliverable))
    return deliverable


# --- moving deliverables, and what depends on them -------------------------------------


@dataclass(frozen=True)
class DateChange:
    deliverable: Deliverable
    old_start: dt.date
    old_due: dt.date
    start: dt.date
    due: dt.date

    @property
    def days_later(self) -> int:
        """Calendar days the due date moves (negative: earlier)."""
        return (self.due - self.old_due).days


@dataclass(frozen=True)
class BookingOutside:
    """A booking of a moved deliverable that its new dates no longer cover."""

    pk: int
    deliverable: Deliverable
    who: str
    start: dt.date
    end: dt.date


@dataclass
class MovePreview:
    """What a move would do, before anything is saved."""

    project: Project
    changes: list[DateChange] = field(default_factory=list)
    project_due: dt.date | None = None  # the project's new due date, when it moves
    bookings_outside: list = field(default_factory=list)  # bookings that would fall outside their deliverable
    versions: dict[int, int] = field(default_factory=dict)  # what the preview was computed from

    @property
    def pushed(self) -> list[DateChange]:
        return self.changes[1:]

    @property
    def expected(self) -> str:
        """The versions the preview saw, as `id:version,…`, for the confirmation to send back."""
        return ",".join(f"{pk}:{version}" for pk, version in sorted(self.versions.items()))


def parse_expected(value: str) -> dict[int, int]:
    """`id:version,…` back to a dict; anything else is refused."""
    try:
        return {int(pk): int(version) for pk, version in (part.split(":") for part in value.split(",") if part)}
    except ValueError as error:
        raise ValidationError({"expected": _("This is not what a preview sends: `id:version,…`.")}) from error


def _plan_of(project: Project, *, lock: bool = False):
    deliverables = Deliverable.objects.filter(project=project).live().order_by("pk")
    if lock:
        deliverables = deliverables.select_for_update()
    deliverables = {d.pk: d for d in deliverables}
    links = list(
        Dependency.objects.filter(successor__project=project).live().values_list("predecessor_id", "successor_id")
    )
    return deliverables, links


def _bookings_outside(changes: list[DateChange]) -> list[BookingOutside]:
    """The bookings tied to the moved deliverables that their new dates leave outside, in
    one query. Read through the deliverable's relation: schedules sits above projects."""
    by_pk = {change.deliverable.pk: change for change in changes}
    rows = (
        Deliverable.objects.filter(pk__in=by_pk, bookings__isnull=False)
        .values_list(
            "pk", "bookings__pk", "bookings__start_date", "bookings__end_date",
            "bookings__talent__user__first_name", "bookings__talent__user__last_name",
            "bookings__talent__user__username", "bookings__placeholder_discipline__name",
        )
        .order_by("bookings__start_date", "bookings__pk")
    )
    outside = []
    for pk, booking, start, end, first, last, username, placeholder in rows:
        change = by_pk[pk]
        if start < change.start or end > change.due:
            who = f"{first} {last}".strip() or username or _("%(discipline)s (to staff)") % {"discipline": placeholder}
            outside.append(BookingOutside(booking, change.deliverable, who, start, end))
    return outside


def _preview(project: Project, deliverable: Deliverable, start: dt.date, due: dt.date, push: bool,
             deliverables: dict[int, Deliverable], links, original: tuple[dt.date, dt.date]) -> MovePreview:
    preview = MovePreview(project=project)
    if deliverable.pk not in deliverables:
        raise ValidationError(_("A cancelled deliverable is no longer planned."), code="cancelled")
    tasks = scheduling.tasks_of(deliverables.values(), links)
    if push:
        # Far enough for every dependent to be pushed past all the others, within the window.
        lengths = sum((t.due - t.start).days + 1 for t in tasks.values())
        latest = max(due, *(t.due for t in tasks.values()))
        reach = min(plan_window(clock.today())[1], latest + dt.timedelta(lengths + 14))
        try:
            days = scheduling.calendar_for([*tasks.values(), scheduling.Task(0, start, due)], reach=reach)
            move = scheduling.push_forward(tasks, deliverable.pk, start, due, days)
        except ValueError as error:
            raise ValidationError(
                _("Pushing what depends on it would take the plan past %(day)s.") % {"day": day_text(reach)},
                code="too_far",
            ) from error
        dates = move.dates
    else:
        dates = {deliverable.pk: (start, due)}
    order = [deliverable.pk, *sorted((pk for pk in dates if pk != deliverable.pk), key=lambda pk: dates[pk])]
    old = {pk: (deliverables[pk].planned_start, deliverables[pk].due_date) for pk in order}
    old[deliverable.pk] = original
    preview.changes = [DateChange(deliverables[pk], *old[pk], *dates[pk]) for pk in order]
    preview.versions = {pk: deliverables[pk].version for pk in order}
    latest = max(due for _start, due in dates.values())
    if latest > project.due_date:
        preview.project_due = latest
    preview.bookings_outside = _bookings_outside(preview.changes)
    return preview


def deliverable_move_preview(
    *, deliverable: Deliverable, user: User, planned_start: dt.date, due_date: dt.date, push: bool = True
) -> MovePreview:
    """What moving `deliverable` to these dates would change: its own dates, the dependents
    pushed forward (with `push`), the project's due date and the bookings left outside
    (which name people: it is for those who may plan the project)."""
    require(user, "project.change", deliverable.project)
    probe = Deliverable(project=deliverable.project, deliverable_type_id=deliverable.deliverable_type_id,
                        name=deliverable.name, planned_start=planned_start, due_date=due_date)
    _check_deliverable(probe, None, None)
    deliverables, links = _plan_of(deliverable.project)
    return _preview(deliverable.project, deliverable, planned_start, due_date, push, deliverables, links,
                    (deliverable.planned_start, deliverable.due_date))


@transaction.atomic
def deliverable_update(
    *,
    deliverable: Deliverable,
    user: User,
    version: int,
    hours: Hours | None = None,
    assignees: Iterable[Talent] | None = None,
    depends_on: Iterable[Deliverable] | None = None,
    push: bool = False,
    expected: dict[int, int] | None = None,
    **changes,
) -> MovePreview | None:
    """Change a deliverable's plan. New dates may push its dependents forward (`push`),
    as the preview showed: `expected` holds the versions it was computed from, and a
    plan changed since is refused as stale. Returns what moved, when dates changed."""
    project = deliverable.project
    require(user, "project.change", project)
    unknown = set(changes) - set(DELIVERABLE_FIELDS)
    if unknown:
        raise TypeError(f"deliverable_update cannot change {', '.join(sorted(unknown))}")
    Project.objects.select_for_update().get(pk=project.pk)  # one plan change of a project at a time
    current = lock_version(Deliverable.objects.select_related("project", "phase"), deliverable.pk, version)
    if current.status == DeliverableStatus.CANCELLED:
        raise ValidationError(_("A cancelled deliverable is no longer planned."), code="cancelled")
    before = _deliverable_snapshot(current)
    old_dates = (current.planned_start, current.due_date)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    assignees = None if assignees is None else list(assignees)
    if assignees is not None and {t.pk for t in assignees} != set(current.assignees.values_list("pk", flat=True)):
        _require_staffer(user, project)
    dates_changed = (current.planned_start, current.due_date) != old_dates
    # New dates are checked against the people already on it, as new people are.
    _check_deliverable(current, hours, assignees if assignees is not None or not dates_changed
                       else list(current.assignees.all()))
    moved = None
    if dates_changed:
        deliverables, links = _plan_of(project, lock=True)
        deliverables[current.pk] = current
        preview = _preview(project, current, current.planned_start, current.due_date, push, deliverables, links,
                           old_dates)
        if expected is not None and _plan_changed(expected, preview, deliverables, current.pk, push):
            raise StaleVersion(Deliverable.objects.get(pk=current.pk))
        _check_pushed_assignees(preview)
        moved = _apply_pushes(preview, user)
    if hours is not None:
        _save_hours(current, hours)
    if assignees is not None:
        current.assignees.set(assignees)
    if depends_on is not None:
        _set_predecessors(current, depends_on, user)
    current.version += 1
    current.save()
    audit_record(actor=user, obj=current, action="deliverable.update", before=before,
                 after=_deliverable_snapshot(current))
    return moved


def _require_staffer(user: User, project: Project) -> None:
    if not can(user, "project.staff", project):
        raise ValidationError({"assignees": _("Only production managers assign people to deliverables.")})


def _check_pushed_assignees(preview: MovePreview) -> None:
    """A push may not take a deliverable away from the contract of a freelancer on it."""
    problems = [
        problem
        for change in preview.pushed
        for problem in assignee_problems(
            Deliverable(planned_start=change.start, due_date=change.due), change.deliverable.assignees.all()
        )
    ]
    if problems:
        raise ValidationError({"due_date": problems})


def _plan_changed(expected: dict[int, int], preview: MovePreview, deliverables: dict[int, Deliverable],
                  moved: int, push: bool) -> bool:
    """Whether the plan differs from what the confirmed preview saw: a deliverable it showed
    has a new version (or left the plan), or, when pushing, other deliverables would be
    pushed. "Move only this one" sends the same preview, which listed the dependents."""
    seen = {pk: version for pk, version in expected.items() if pk != moved}
    now = {pk: deliverables[pk].version for pk in seen if pk in deliverables}
    return now != seen or (push and set(seen) != {pk for pk in preview.versions if pk != moved})


def _apply_pushes(preview: MovePreview, user: User) -> MovePreview:
    """Save the dependents' new dates (the moved deliverable is saved by its caller) and
    extend the project when the plan now ends after it."""
    for change in preview.pushed:
        pushed = change.deliverable
        before = _deliverable_snapshot(pushed)
        pushed.planned_start, pushed.due_date = change.start, change.due
        pushed.version += 1
        pushed.save(update_fields=["planned_start", "due_date", "version"])
        audit_record(actor=user, obj=pushed, action="deliverable.push", before=before,
                     after=_deliverable_snapshot(pushed),
                     reason=_("Pushed forward after %(name)s moved.") % {"name": preview.changes[0].deliverable.name})
    if preview.project_due:
        project = preview.project
        project.refresh_from_db()
        before = {"due_date": project.due_date, "version": project.version}
        project.due_date = preview.project_due
        project.version += 1
        project.save(update_fields=["due_date", "version", "updated_at"])
        audit_record(actor=user, obj=project, action="project.update", before=before,
                     after={"due_date": project.due_date, "version": project.version},
                     reason=_("The plan now ends later."))
    return preview


# --- dependencies -------------------------------------------------------------------


def _dependency_error(predecessor: Deliverable, successor: Deliverable, links: list[tuple[int, int]]) -> str | None:
    """Why `successor` may not depend on `predecessor`, given the project's other links."""
    if predecessor.project_id != successor.project_id:
        return _("Both deliverables must belong to the same project.")
    if predecessor.pk == successor.pk:
        return _("A deliverable cannot depend on itself.")
    if DeliverableStatus.CANCELLED in (predecessor.status, successor.status):
        return _("Cancelled deliverables are no longer planned.")
    if (predecessor.pk, successor.pk) in links:
        return _("%(successor)s already depends on %(predecessor)s.") % {
            "successor": successor, "predecessor": predecessor}
    tasks = scheduling.tasks_of(Deliverable.objects.filter(project_id=successor.project_id).live(), links)
    if scheduling.would_cycle(tasks, predecessor.pk, successor.pk):
        return _(
            "%(predecessor)s already depends on %(successor)s, directly or through others: that would be a loop."
        ) % {"successor": successor, "predecessor": predecessor}
    return None


def _set_predecessors(deliverable: Deliverable, predecessors: Iterable[Deliverable], user: User) -> None:
    """Make `deliverable` depend on exactly `predecessors`, refusing loops, as a field error."""
    wanted = {p.pk: p for p in predecessors}
    _deliverables, links = _plan_of(deliverable.project)
    current = {pred for pred, succ in links if succ == deliverable.pk}
    links = [(pred, succ) for pred, succ in links if succ != deliverable.pk]
    for pk, predecessor in wanted.items():
        error = _dependency_error(predecessor, deliverable, links)
        if error:
            raise ValidationError({"depends_on": error})
        links.append((pk, deliverable.pk))
    removed = current - set(wanted)
    Dependency.objects.filter(successor=deliverable, predecessor__in=removed).delete()
    Dependency.objects.bulk_create(
        Dependency(predecessor_id=pk, successor=deliverable) for pk in sorted(set(wanted) - current)
    )
    if removed or set(wanted) - current:
        audit_record(actor=user, obj=deliverable, action="dependency.set",
                     before={"predecessors": sorted(current)}, after={"predecessors": sorted(wanted)})


@transaction.atomic
def dependency_add(*, predecessor: Deliverable, successor: Deliverable, user: User) -> Dependency:
    """Make `successor` start after `predecessor` is due (finish to start). Allowed even
    when today's dates disagree: the conflict is flagged, not refused."""
    project = successor.project
    require(user, "project.change", project)
    Project.objects.select_for_update().get(pk=project.pk)
    _deliverables, links = _plan_of(project)
    error = _dependency_error(predecessor, successor, links)
    if error:
        field = "successor" if successor.status == DeliverableStatus.CANCELLED else "predecessor"
        raise ValidationError({field: error})
    dependency = Dependency.objects.create(predecessor=predecessor, successor=successor)
    audit_record(actor=user, obj=successor, action="dependency.add",
                 after={"predecessor": predecessor.pk, "successor": successor.pk})
    return dependency


@transaction.atomic
def dependency_remove(*, dependency: Dependency, user: User) -> None:
    successor = dependency.successor
    require(user, "project.change", successor.project)
    audit_record(actor=user, obj=successor, action="dependency.remove",
                 before={"predecessor": dependency.predecessor_id, "successor": dependency.successor_id})
    dependency.delete()
