"""Time entry: a person's hours on a day, by project and deliverable (DESIGN §2, issue 4 and 5).

The reusable core of time entry: my day's quick entry saves a whole day at once
(`time_entries_set_day`), the weekly timesheet grid saves one cell at a time
(`time_entry_set`); both go through the same checks. Every write locks the week's
timesheet row first, so two saves for one person cannot both pass the 24-hour cap,
and a week cannot be submitted halfway through a save.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from projects.models import Deliverable, Project
from studio import clock
from studio.models import Role, Talent, User
from studio.services import audit_record

from ..models import Booking, TimeEntry, Timesheet

DAY_LIMIT = Decimal("24")
ZERO = Decimal("0")
NOTE_LENGTH = TimeEntry._meta.get_field("note").max_length
LOCKED_STATUSES = (Timesheet.Status.SUBMITTED, Timesheet.Status.APPROVED)


class DayRow(NamedTuple):
    """One project (and deliverable) of a day. Empty or zero hours mean no entry;
    a note of None keeps the entry's note as it is."""

    project: Project
    deliverable: Deliverable | None
    hours: Decimal | None
    note: str | None = None


def timesheet_locked_message(status: str | None) -> str:
    """Why a week's time cannot change, or "" while it is open (or not started)."""
    if status == Timesheet.Status.APPROVED:
        return _("This week's timesheet is approved; ask your production manager to reopen it.")
    if status == Timesheet.Status.SUBMITTED:
        return _("This week's timesheet is submitted; ask your production manager to reopen it.")
    return ""


class TimesheetLocked(ValidationError):
    """The week was submitted or approved: its time changes only once it is reopened."""

    def __init__(self, timesheet: Timesheet):
        super().__init__({NON_FIELD_ERRORS: [timesheet_locked_message(timesheet.status)]}, code="locked")
        self.timesheet = timesheet


def entry_key(project_id: int, deliverable_id: int | None) -> str:
    """A row's name in forms and error keys: `<project>-<deliverable or 0>`."""
    return f"{project_id}-{deliverable_id or 0}"


def can_log_time_for(user: User, talent: Talent) -> bool:
    """People log their own time; production managers and admins anyone's."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in (Role.PM, Role.ADMIN):
        return True
    return user.is_talent and talent.user_id == user.pk


def projects_open_for_time(talent: Talent, day: dt.date) -> QuerySet[Project]:
    """The projects `talent` may log time on for `day`: booked on that day (tentative
    holds too), or assigned to one of its deliverables. Limited to what the person
    may see, so a freelancer's assignment counts only on a project they are booked on."""
    booked = Booking.objects.filter(talent=talent).overlapping(day, day).values("project")
    assigned = Deliverable.objects.filter(assignees=talent).values("project")
    return Project.objects.visible_to(talent.user).filter(Q(pk__in=booked) | Q(pk__in=assigned))


@transaction.atomic
def time_entries_set_day(*, user: User, talent: Talent, day: dt.date, rows: Sequence[DayRow]) -> list[TimeEntry]:
    """Set `talent`'s hours on `day` for each row at once; all rows are saved or none."""
    rows = [DayRow(*row) for row in rows]
    return _set(user=user, talent=talent, day=day, rows=rows, field=lambda name, row: f"{name}-{_key(row)}")


@transaction.atomic
def time_entry_set(
    *,
    user: User,
    talent: Talent,
    project: Project,
    deliverable: Deliverable | None,
    day: dt.date,
    hours: Decimal | None,
    note: str | None = None,
) -> TimeEntry | None:
    """Set one cell of a person's week; None when it leaves no entry."""
    row = DayRow(project, deliverable, hours, note)
    saved = _set(user=user, talent=talent, day=day, rows=[row], field=lambda name, row: name)
    return saved[0] if saved else None


def _key(row: DayRow) -> str:
    return entry_key(row.project.pk, row.deliverable.pk if row.deliverable else None)


def _set(
    *, user: User, talent: Talent, day: dt.date, rows: list[DayRow], field: Callable[[str, DayRow], str]
) -> list[TimeEntry]:
    if not can_log_time_for(user, talent):
        raise PermissionDenied(_("You may log time only for yourself."))
    timesheet = _lock_week(talent, day)
    existing = {
        entry_key(entry.project_id, entry.deliverable_id): entry
        for entry in TimeEntry.objects.filter(talent=talent, date=day)
    }
    _validate(talent, day, rows, existing, field)
    return _apply(user, timesheet, day, rows, existing)


def _lock_week(talent: Talent, day: dt.date) -> Timesheet:
    # The lock is held to the end of the caller's transaction; a concurrent first save
    # of the week loses the insert race and get_or_create reads (and locks) the winner's row.
    timesheet, _created = Timesheet.objects.select_for_update().get_or_create(
        talent=talent, week_start=clock.week_start(day)
    )
    timesheet.talent = talent
    if timesheet.status in LOCKED_STATUSES:
        raise TimesheetLocked(timesheet)
    return timesheet


def _validate(
    talent: Talent,
    day: dt.date,
    rows: list[DayRow],
    existing: dict[str, TimeEntry],
    field: Callable[[str, DayRow], str],
) -> None:
    errors: dict[str, list[str]] = {}
    allowed = set(projects_open_for_time(talent, day).values_list("pk", flat=True))
    seen = set()
    for row in rows:
        for name, message in _row_errors(row, allowed, seen):
            errors.setdefault(field(name, row), []).append(message)
        seen.add(_key(row))
    keys = {_key(row) for row in rows}
    others = sum((entry.hours for key, entry in existing.items() if key not in keys), ZERO)
    total = others + sum((row.hours for row in rows if _is_hours(row.hours) and row.hours > 0), ZERO)
    if total > DAY_LIMIT:
        values = {"total": _hours(total), "day": day.isoformat(), "others": _hours(others)}
        message = (
            _(
                "That makes %(total)s h on %(day)s, %(others)s h of it already logged on other work; "
                "a day holds at most 24 h."
            )
            if others
            else _("That makes %(total)s h on %(day)s; a day holds at most 24 h.")
        )
        errors.setdefault(NON_FIELD_ERRORS, []).append(message % values)
    if errors:
        raise ValidationError(errors)


def _row_errors(row: DayRow, allowed: set[int], seen: set[str]) -> list[tuple[str, str]]:
    errors = []
    if _key(row) in seen:
        errors.append(("project", _("This project and deliverable are listed twice.")))
    if row.project.pk not in allowed:
        errors.append(("project", _("Time goes only on projects the person is booked on or assigned to that day.")))
    if row.deliverable is not None and row.deliverable.project_id != row.project.pk:
        errors.append(("deliverable", _("The deliverable belongs to another project.")))
    hours = row.hours
    if hours is not None:
        if not _is_hours(hours):
            errors.append(("hours", _("Enter a number of hours, e.g. 7.5.")))
        elif hours < 0:
            errors.append(("hours", _("Hours cannot be negative; leave the field empty to remove the time.")))
        elif hours > DAY_LIMIT:
            errors.append(("hours", _("A day holds at most 24 hours.")))
        elif hours.as_tuple().exponent < -2 and hours != hours.quantize(Decimal("0.01")):
            errors.append(("hours", _("Use at most two decimal places, e.g. 7.25.")))
    if row.note is not None and len(row.note.strip()) > NOTE_LENGTH:
        errors.append(("note", _("Keep the note to %(count)d characters.") % {"count": NOTE_LENGTH}))
    return errors


def _is_hours(value: Decimal | None) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _apply(
    user: User, timesheet: Timesheet, day: dt.date, rows: list[DayRow], existing: dict[str, TimeEntry]
) -> list[TimeEntry]:
    """Create, change and delete in one query each, whatever the number of rows."""
    before = {key: entry.hours for key, entry in existing.items()}
    saved, created, changed, deleted = [], [], [], []
    for row in rows:
        entry = existing.get(_key(row))
        if not row.hours:
            if entry is not None:
                deleted.append(entry.pk)
            continue
        note = (row.note or "").strip() if row.note is not None or entry is None else entry.note
        if entry is None:
            entry = TimeEntry(
                timesheet=timesheet,
                talent=timesheet.talent,
                project=row.project,
                deliverable=row.deliverable,
                date=day,
                hours=row.hours,
                note=note,
            )
            created.append(entry)
        elif (entry.hours, entry.note) != (row.hours, note):
            entry.hours, entry.note = row.hours, note
            changed.append(entry)
        saved.append(entry)
    if deleted:
        TimeEntry.objects.filter(pk__in=deleted).delete()
    if created:
        TimeEntry.objects.bulk_create(created)
    if changed:
        TimeEntry.objects.bulk_update(changed, ["hours", "note"])
    if created or changed or deleted:
        after = {key: hours for key, hours in before.items() if existing[key].pk not in deleted}
        after.update({_key_of(entry): entry.hours for entry in saved})
        audit_record(
            actor=user,
            obj=timesheet,
            action="timesheet.time_set",
            before={"date": day, "hours": before},
            after={"date": day, "hours": after},
        )
    return saved


def _key_of(entry: TimeEntry) -> str:
    return entry_key(entry.project_id, entry.deliverable_id)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"
