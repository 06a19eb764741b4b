"""Time entry: a person's hours on a day, by project and deliverable (DESIGN §2, issue 4 and 5).

The reusable core of time entry: my day's quick entry saves a whole day at once
(`time_entries_set_day`), the weekly timesheet grid saves one cell at a time
(`time_entry_set`); both go through the same checks. Every write locks the week's
timesheet row first, so two saves for one person cannot both pass the 24-hour cap,
and a week cannot be submitted halfway through a save.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from approvals.models import Approval, Decision
from approvals.registry import Hours, ProjectHours
from approvals.services import approval_decide, approval_submit, approval_withdraw
from projects.models import Deliverable, Project
from studio import clock
from studio.dates import day_text, days_text
from studio.limits import HOURS_PER_DAY
from studio.models import AuditEvent, Talent, User
from studio.permissions import can
from studio.services import audit_record, notification_create
from studio.workdays import WorkCalendar, check_plan_dates

from ..hours import hours_text
from ..models import TimeEntry, Timesheet
from .time import timesheet_reopen as timesheet_reopen_service

DAY_LIMIT = HOURS_PER_DAY
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


class Problem(NamedTuple):
    """Why some time cannot be saved: on a row (`key`, its entry key) of a day, or on the
    whole day (`key` None: the 24-hour cap); `field` names the row's value at fault."""

    day: dt.date
    key: str | None
    field: str | None
    message: str


class TimeNotSaved(ValidationError):
    """Time refused, each message where it belongs: by field (`message_dict`, as the API
    answers one entry), by row (`rows`: (day, entry key) → messages) and by day (`days`)."""

    def __init__(self, problems: Sequence[Problem]):
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field or NON_FIELD_ERRORS, []).append(problem.message)
        super().__init__(by_field)
        self.problems = list(problems)
        self.rows: dict[tuple[dt.date, str], list[str]] = {}
        self.days: dict[dt.date, list[str]] = {}
        for problem in problems:
            if problem.key is None:
                self.days.setdefault(problem.day, []).append(problem.message)
            else:
                self.rows.setdefault((problem.day, problem.key), []).append(problem.message)


class TimesheetLocked(ValidationError):
    """The week was submitted or approved: its time changes only once it is reopened."""

    def __init__(self, timesheet: Timesheet):
        super().__init__({NON_FIELD_ERRORS: [timesheet_locked_message(timesheet.status)]}, code="locked")
        self.timesheet = timesheet


def entry_key(project_id: int, deliverable_id: int | None) -> str:
    """A row's key, in refusals and audit records: `<project>-<deliverable or 0>`."""
    return f"{project_id}-{deliverable_id or 0}"


# Said wherever time on a project is refused, by the pages and the API alike.
NOT_LOGGABLE = gettext_lazy(
    "Time goes only on open projects the person is booked on or assigned to; a booking counts for its whole week."
)


@transaction.atomic
def time_entries_set_day(*, user: User, talent: Talent, day: dt.date, rows: Sequence[DayRow]) -> list[TimeEntry]:
    """Set `talent`'s hours on `day` for each row at once; all rows are saved or none
    (`TimeNotSaved` says which rows were refused, and why)."""
    rows = [DayRow(*row) for row in rows]
    return _set(user=user, talent=talent, day=day, rows=rows)


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
    saved = _set(user=user, talent=talent, day=day, rows=[row])
    return saved[0] if saved else None


def _key(row: DayRow) -> str:
    return entry_key(row.project.pk, row.deliverable.pk if row.deliverable else None)


def _set(*, user: User, talent: Talent, day: dt.date, rows: list[DayRow]) -> list[TimeEntry]:
    if not can(user, "talent.log_time", talent):
        raise PermissionDenied(_("You may log time only for yourself."))
    _check_day(day, rows)
    timesheet = _lock_week(talent, day)
    existing = {
        entry_key(entry.project_id, entry.deliverable_id): entry
        for entry in TimeEntry.objects.filter(talent=talent, date=day)
    }
    _validate(talent, day, rows, existing)
    return _apply(user, timesheet, day, rows, existing)


def future_day_message(today: dt.date) -> str:
    """Why hours on a day after `today` are refused."""
    return _("You can log hours up to today, %(today)s.") % {"today": day_text(today, today=today)}


def _check_day(day: dt.date, rows: list[DayRow]) -> None:
    """Refuse a day outside the plan window, and hours on a day after the studio's today,
    on each row's date (before any week is opened). Taking hours off a future day is
    allowed, so time logged there before this rule can still be cleared."""
    today = clock.today()
    try:
        check_plan_dates(today, date=day)
    except ValidationError as error:
        messages = error.message_dict["date"]
        keys = [_key(row) for row in rows] or [None]
        raise TimeNotSaved([Problem(day, key, "date", message) for key in keys for message in messages]) from None
    if day > today:
        adding = [row for row in rows if _is_hours(row.hours) and row.hours > 0]
        if adding:
            message = future_day_message(today)
            raise TimeNotSaved([Problem(day, _key(row), "date", message) for row in adding])


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


def _validate(talent: Talent, day: dt.date, rows: list[DayRow], existing: dict[str, TimeEntry]) -> None:
    problems: list[Problem] = []
    allowed = set(Project.objects.loggable_by(talent, day).values_list("pk", flat=True))
    seen = set()
    for row in rows:
        problems += [Problem(day, _key(row), name, message) for name, message in _row_errors(row, allowed, seen)]
        seen.add(_key(row))
    keys = {_key(row) for row in rows}
    others = sum((entry.hours for key, entry in existing.items() if key not in keys), ZERO)
    total = others + sum((row.hours for row in rows if _is_hours(row.hours) and row.hours > 0), ZERO)
    if total > DAY_LIMIT:
        values = {"total": hours_text(total), "day": day_text(day), "others": hours_text(others)}
        message = (
            _(
                "That makes %(total)s h on %(day)s, %(others)s h of it already logged on other work; "
                "a day holds at most 24 h."
            )
            if others
            else _("That makes %(total)s h on %(day)s; a day holds at most 24 h.")
        )
        problems.append(Problem(day, None, None, message % values))
    if problems:
        raise TimeNotSaved(problems)


def _row_errors(row: DayRow, allowed: set[int], seen: set[str]) -> list[tuple[str, str]]:
    errors = []
    if _key(row) in seen:
        errors.append(("project", _("This project and deliverable are listed twice.")))
    # Taking time off a project is always allowed, so hours logged before it closed can be cleared.
    if row.project.pk not in allowed and _is_hours(row.hours) and row.hours > 0:
        errors.append(("project", str(NOT_LOGGABLE)))
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


# --- the weekly grid, submission, reopening and reminders (issue 5) ---------------------

WEEK = dt.timedelta(days=7)
ONE_DAY = dt.timedelta(days=1)
# How far back the missing-timesheets page and the reminders look.
MISSING_WEEKS = 4
REMINDED = "timesheet.reminded"


class WeekCell(NamedTuple):
    """One cell of the weekly grid: a project (and deliverable) on a day."""

    project: Project
    deliverable: Deliverable | None
    day: dt.date
    hours: Decimal | None


def timesheets_hours(timesheets: Sequence[Timesheet]) -> dict[int, Hours]:
    """Each week's hours, in total and by project (by code), for a page of timesheets
    at once: one query. A week without time has a total of 0 and no projects."""
    by_sheet: dict[int, list[ProjectHours]] = {sheet.pk: [] for sheet in timesheets}
    sums = (
        TimeEntry.objects.filter(timesheet__in=list(by_sheet))
        .values("timesheet_id", "project_id", "project__code", "project__name")
        .annotate(total=Sum("hours"))
        .order_by("timesheet_id", "project__code", "project_id")
    )
    for row in sums:
        by_sheet[row["timesheet_id"]].append(
            ProjectHours(row["project_id"], row["project__code"], row["project__name"], row["total"])
        )
    return {
        pk: Hours(total=sum((line.hours for line in lines), ZERO), projects=tuple(lines))
        for pk, lines in by_sheet.items()
    }


@transaction.atomic
def timesheet_week_set(*, user: User, talent: Talent, week_start: dt.date, cells: Sequence[WeekCell]) -> None:
    """Save a whole week's grid at once (the form post without JavaScript): every cell
    or none; `TimeNotSaved` says which cells and days were refused, and why."""
    problems: list[Problem] = []
    by_day: dict[dt.date, list[DayRow]] = {}
    for cell in cells:
        if not 0 <= (cell.day - week_start).days < 7:
            raise ValidationError(_("A cell lies outside the week."))
        by_day.setdefault(cell.day, []).append(DayRow(cell.project, cell.deliverable, cell.hours))
    for day, rows in sorted(by_day.items()):
        try:
            with transaction.atomic():
                _set(user=user, talent=talent, day=day, rows=rows)
        except TimeNotSaved as error:
            problems += error.problems
    if problems:
        raise TimeNotSaved(problems)


def timesheet_submit_opens(week_start: dt.date) -> dt.date:
    """The first day a week may be submitted: its last working day (a weekday that is no
    studio holiday), or its Friday when the whole week is holidays. Submitting locks the
    week, so days that have not happened yet would be locked before their time is in."""
    friday = week_start + dt.timedelta(days=4)
    days = list(WorkCalendar.between(week_start, friday).days())
    return days[-1] if days else friday


def timesheet_submit_refusal(week_start: dt.date, today: dt.date) -> str:
    """Why the week starting `week_start` cannot be submitted yet on `today`, or ""."""
    if today >= week_start + dt.timedelta(days=4):
        return ""  # from its Friday on, whatever its holidays: no query
    opens = timesheet_submit_opens(week_start)
    if today >= opens:
        return ""
    return _("You can submit this week from %(day)s.") % {"day": day_text(opens, today=today)}


@transaction.atomic
def timesheet_submit(
    *,
    user: User,
    timesheet: Timesheet | None = None,
    talent: Talent | None = None,
    week_start: dt.date | None = None,
) -> Timesheet:
    """Send a person's week into the timesheet approval flow; it is locked from now on."""
    if timesheet is not None:
        talent, week_start = timesheet.talent, timesheet.week_start
    if talent is None or week_start is None:
        raise TypeError("Give the timesheet, or the talent and the week.")
    if talent.user_id != user.pk or not can(user, "talent.log_time", talent):
        raise PermissionDenied(_("Only the person themselves submits their timesheet."))
    check_plan_dates(clock.today(), week=week_start)
    week_start = clock.week_start(week_start)
    refusal = timesheet_submit_refusal(week_start, clock.today())
    if refusal:
        raise ValidationError({"week": refusal})
    locked = _lock_week(talent, week_start)
    locked.status = Timesheet.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    hours = TimeEntry.objects.filter(timesheet=locked).aggregate(total=Sum("hours"))["total"] or ZERO
    audit_record(actor=user, obj=locked, action="timesheet.submitted", after={"hours": hours})
    approval_submit(obj=locked, kind="timesheet", submitted_by=user)
    locked.refresh_from_db(fields=["status", "approved_at"])
    return locked


@transaction.atomic
def timesheet_reopen_by_pm(*, timesheet: Timesheet, user: User, reason: str) -> Timesheet:
    """The production manager opens a submitted or approved week again, saying why.
    A pending approval ends: withdrawn if the manager submitted it, otherwise sent back
    with the reason (the engine tells the person)."""
    if not can(user, "timesheet.reopen", timesheet):
        raise PermissionDenied(_("Only a production manager reopens a timesheet."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the week is reopened; the person reads it.")})
    locked = Timesheet.objects.select_for_update().select_related("talent__user").get(pk=timesheet.pk)
    if locked.status not in LOCKED_STATUSES:
        raise ValidationError(_("This week is already open."))
    before = {"status": locked.status}
    pending = Approval.objects.pending_for(locked)
    if pending is None:
        timesheet_reopen_service(timesheet=locked, user=user)
        notification_create(
            recipient=locked.talent.user,
            subject=_("Your timesheet for the week of %(week)s was reopened") % {"week": day_text(locked.week_start)},
            body=reason,
            url=locked.get_absolute_url(),
            target=locked,
        )
    elif pending.submitted_by_id == user.pk:
        approval_withdraw(approval=pending, user=user)
    else:
        approval_decide(approval=pending, user=user, outcome=Decision.Outcome.REQUEST_CHANGES, comment=reason)
    locked.refresh_from_db(fields=["status", "approved_at"])
    audit_record(
        actor=user,
        obj=locked,
        action="timesheet.reopened",
        before=before,
        after={"status": locked.status},
        reason=reason,
    )
    return locked


def missing_weeks(today: dt.date) -> list[dt.date]:
    """The Mondays of the last weeks that have ended, most recent first."""
    this_week = clock.week_start(today)
    return [this_week - WEEK * n for n in range(1, MISSING_WEEKS + 1)]


def timesheets_missing(*, weeks: Sequence[dt.date]) -> QuerySet[Talent]:
    """Active people with working days who owe a timesheet for one of `weeks`: none, or
    one still open. Freelancers owe only weeks of their contract. Each row carries
    `status_<n>` (the week's timesheet status or None) and `owes_<n>` for weeks[n]."""
    annotations, owes_any = {}, Q()
    for n, week in enumerate(weeks):
        on_contract = Q(employment=Talent.Employment.STAFF) | (
            Q(contract_start__lte=week + WEEK - ONE_DAY) & Q(contract_end__gte=week)
        )
        sheets = Timesheet.objects.filter(talent=OuterRef("pk"), week_start=week)
        done = Exists(sheets.filter(status__in=LOCKED_STATUSES))
        annotations[f"status_{n}"] = Subquery(sheets.values("status")[:1])
        annotations[f"owes_{n}"] = ExpressionWrapper(on_contract & ~done, output_field=BooleanField())
        owes_any |= on_contract & ~done
    return (
        Talent.objects.filter(active=True, user__is_active=True)
        .exclude(working_days="")
        .filter(owes_any)
        .select_related("user", "discipline")
        .annotate(**annotations)
        .order_by("user__first_name", "user__last_name", "pk")
    )


def owed_weeks(talent: Talent, weeks: Sequence[dt.date]) -> list[tuple[dt.date, str | None, bool]]:
    """(week, status, owed) of a row of `timesheets_missing`."""
    return [(week, getattr(talent, f"status_{n}"), bool(getattr(talent, f"owes_{n}"))) for n, week in enumerate(weeks)]


@transaction.atomic
def timesheet_reminders_send(*, today: dt.date) -> int:
    """Remind each person of the ended weeks (the last four) whose timesheet is missing
    or unsubmitted; a week is reminded once (an audit event marks it), so reruns send
    nothing new. Returns how many people were reminded."""
    if today.weekday() >= 5:
        return 0
    weeks = missing_weeks(today)
    owing = {
        person: [week for week, _status, owed in owed_weeks(person, weeks) if owed]
        for person in timesheets_missing(weeks=weeks)
    }
    if not owing:
        return 0
    # The week's timesheet row carries the marker; rows for weeks without time are opened empty.
    Timesheet.objects.bulk_create(
        [Timesheet(talent=person, week_start=week) for person, owed in owing.items() for week in owed],
        ignore_conflicts=True,
    )
    sheets = {
        (sheet.talent_id, sheet.week_start): sheet
        for sheet in Timesheet.objects.select_for_update()
        .filter(talent__in=list(owing), week_start__in=weeks)
        .exclude(status__in=LOCKED_STATUSES)
    }
    reminded = set(
        AuditEvent.objects.filter(
            action=REMINDED,
            content_type=ContentType.objects.get_for_model(Timesheet),
            object_id__in=[str(sheet.pk) for sheet in sheets.values()],
        ).values_list("object_id", flat=True)
    )
    count = 0
    for person, owed in owing.items():
        due = [
            sheets[(person.pk, week)]
            for week in owed
            if (person.pk, week) in sheets and str(sheets[(person.pk, week)].pk) not in reminded
        ]
        if not due:
            continue
        for sheet in due:
            audit_record(actor=None, obj=sheet, action=REMINDED, after={"week": sheet.week_start})
        weeks_text = days_text(sheet.week_start for sheet in due)
        notification_create(
            recipient=person.user,
            subject=ngettext(
                "Your timesheet for %(count)d week is missing or not submitted",
                "Your timesheets for %(count)d weeks are missing or not submitted",
                len(due),
            )
            % {"count": len(due)},
            body=_("Weeks starting %(weeks)s. Fill in your time and submit each week.") % {"weeks": weeks_text},
            url=min(due, key=lambda sheet: sheet.week_start).get_absolute_url(),
            target=min(due, key=lambda sheet: sheet.week_start),
        )
        count += 1
    return count
