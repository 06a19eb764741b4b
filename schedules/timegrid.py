"""A person's time by project and day, as the pages show it (DESIGN §2, issues 4 and 5):
a row per project (and deliverable) booked on those days or with time logged, a cell per
day with the hours logged and the hours booked.

The timesheet week is seven days, saved cell by cell (`h-<project>-<deliverable>-<day>`)
or as a whole; my day's quick entry is its one-day case, pre-filled from the day's
bookings, saved as a whole (`hours-<row>`, `note-<row>`, and one added project).
The services take rows and cells, and say which were refused (`TimeNotSaved`); the
names of the inputs are this module's alone.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from approvals.models import Approval
from projects.models import Deliverable, Project
from studio import clock
from studio.models import Talent, User
from studio.permissions import can

from .forms.dates import plan_date_or_none
from .forms.time import parse_hours
from .hours import hours_text
from .models import Booking, TimeEntry, Timesheet
from .services import timesheets as services

CELL = re.compile(r"^h-(\d+)-(\d+)-(\d{4}-\d{2}-\d{2})$")


def cell_name(project_id: int, deliverable_id: int | None, day: dt.date) -> str:
    """A week cell's input: `h-<project>-<deliverable or 0>-<YYYY-MM-DD>`."""
    return f"h-{services.entry_key(project_id, deliverable_id)}-{day.isoformat()}"


def parse_cell_name(name: str) -> tuple[int, int | None, dt.date] | None:
    """(project id, deliverable id or None, day) of a week cell's input; None for a name
    that is no cell, or a day outside the plan window (no cell of any week shown)."""
    match = CELL.match(name)
    day = plan_date_or_none(match[3]) if match else None
    if day is None:
        return None
    return int(match[1]), int(match[2]) or None, day


@dataclass
class Cell:
    """A row's day: hours logged (`entry`) and booked; `hours` is what the form shows
    and the totals add (what was posted, after a refused save)."""

    name: str
    day: dt.date
    entry: TimeEntry | None = None
    booked: Decimal | None = None
    hours: Decimal | None = None
    value: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def hint(self) -> str:
        return hours_text(self.booked)


@dataclass
class Row:
    key: str
    project: Project
    deliverable: Deliverable | None
    cells: list[Cell] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> Decimal:
        return sum((cell.hours for cell in self.cells if cell.hours), Decimal(0))

    @property
    def total_text(self) -> str:
        return hours_text(self.total)

    # The one-day case reads its row as its one cell.
    @property
    def entry(self) -> TimeEntry | None:
        return self.cells[0].entry

    @property
    def booked(self) -> Decimal | None:
        return self.cells[0].booked

    @property
    def value(self) -> str:
        return self.cells[0].value

    @property
    def errors(self) -> list[str]:
        return self.cells[0].errors


def _row_order(row: Row) -> tuple[str, str]:
    return row.project.code, row.deliverable.name if row.deliverable else ""


@dataclass
class TimeGrid:
    """A person's days from `days[0]` to `days[-1]`: rows, totals, and what the user may
    do with them (log time, submit the week, reopen it)."""

    user: User
    talent: Talent
    days: list[dt.date]
    rows: list[Row]
    status: str
    locked: str
    editable: bool
    options: list[Project]
    added: list[str] = field(default_factory=list)
    can_reopen: bool = False
    can_submit: bool = False
    # A submitted week's pending approval, for whoever looks at someone else's week, and
    # whether they decide it (the engine's `decider_for`: the step's role, or standing in).
    approval: Approval | None = None
    may_decide: bool = False
    # Why the week cannot be submitted yet (before its last working day), or "".
    submit_waits: str = ""
    # Why the days after `today` take no hours (shown on their cells), or "".
    future: str = ""
    today: dt.date | None = None
    errors: list[str] = field(default_factory=list)
    day_errors: dict[dt.date, list[str]] = field(default_factory=dict)
    reopen: dict = field(default_factory=dict)
    # The one-day case's added project: chosen, value, note, errors, key, hours.
    extra: dict = field(default_factory=dict)

    @classmethod
    def week(cls, user: User, talent: Talent, week_start: dt.date, added=()) -> "TimeGrid":
        """The timesheet week, with the projects asked for in `added` as empty rows.
        Six queries, whatever the number of rows."""
        return cls._load(user, talent, [week_start + dt.timedelta(days=n) for n in range(7)], added=added)

    @classmethod
    def day(cls, user: User, talent: Talent, day: dt.date) -> "TimeGrid":
        """My day's quick entry: one day, its hours pre-filled from its bookings.
        Four queries, whatever the number of rows."""
        return cls._load(user, talent, [day])

    @classmethod
    def _load(cls, user: User, talent: Talent, days: list[dt.date], added=()) -> "TimeGrid":
        one_day = len(days) == 1
        sheet_pk, status = (
            Timesheet.objects.filter(talent=talent, week_start=clock.week_start(days[0]))
            .values_list("pk", "status").first()
        ) or (None, Timesheet.Status.OPEN)
        rows: dict[str, Row] = {}
        booked: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
        for day, landing in _landing(user, talent, days).items():
            for booking in landing:
                key = services.entry_key(booking.project_id, booking.deliverable_id)
                rows.setdefault(key, Row(key, booking.project, booking.deliverable))
                booked[(key, day)] += booking.hours_per_day
        entries = (
            TimeEntry.objects.visible_to(user)
            .filter(talent=talent, date__range=(days[0], days[-1]))
            .select_related("project", "deliverable")
            .order_by("project__code", "deliverable__name", "pk")
        )
        logged: dict[tuple[str, dt.date], TimeEntry] = {}
        for entry in entries:
            key = services.entry_key(entry.project_id, entry.deliverable_id)
            rows.setdefault(key, Row(key, entry.project, entry.deliverable))
            logged[(key, entry.date)] = entry
        editable = status not in services.LOCKED_STATUSES and can(user, "talent.log_time", talent)
        options = []
        if editable:
            # All days shown lie in one week, and the rule is the week's.
            options = list(Project.objects.loggable_by(talent, days[0]).order_by("code"))
        wanted = [option for option in options if str(option.pk) in added]
        for project in wanted:
            key = services.entry_key(project.pk, None)
            rows.setdefault(key, Row(key, project, None))
        # The quick entry keeps the order it has always shown: bookings, then other entries.
        ordered = list(rows.values()) if one_day else sorted(rows.values(), key=_row_order)
        for row in ordered:
            for day in days:
                entry, hint = logged.get((row.key, day)), booked.get((row.key, day))
                hours = entry.hours if entry else (hint if one_day else None)
                name = cell_name(row.project.pk, row.deliverable.pk if row.deliverable else None, day)
                row.cells.append(Cell(name, day, entry=entry, booked=hint, hours=hours, value=hours_text(hours)))
            row.note = row.cells[0].entry.note if one_day and row.cells[0].entry else ""
        with_rows = {row.project.pk for row in ordered if row.deliverable is None}
        today = clock.today()
        own = editable and user.pk == talent.user_id
        approval, may_decide = None, False
        if status == Timesheet.Status.SUBMITTED and not one_day and user.pk != talent.user_id:
            approval, may_decide = _pending_approval(user, sheet_pk)
        # A week is submitted from its last working day on; before then the page says when.
        submit_waits = services.timesheet_submit_refusal(days[0], today) if own and not one_day else ""
        return cls(
            user=user,
            talent=talent,
            days=days,
            rows=ordered,
            status=status,
            locked=_locked_message(user, talent, status, approval, may_decide),
            editable=editable,
            options=[option for option in options if option.pk not in with_rows],
            added=[str(project.pk) for project in wanted],
            # Sending the week back is the decision's; reopening is for an approved week,
            # or a submitted one the manager does not decide.
            can_reopen=status in services.LOCKED_STATUSES and not may_decide and can(user, "timesheet.reopen"),
            approval=approval,
            may_decide=may_decide,
            can_submit=own and not submit_waits,
            submit_waits=submit_waits,
            future=services.future_day_message(today) if editable else "",
            today=today,
        )

    # --- the week ---------------------------------------------------------------------

    @property
    def week_start(self) -> dt.date:
        return self.days[0]

    @property
    def has_future_days(self) -> bool:
        """Whether some day shown comes after today, and so takes no hours yet."""
        return bool(self.future) and self.days[-1] > self.today

    @property
    def status_label(self) -> str:
        return Timesheet.Status(self.status).label

    @property
    def day_totals(self) -> dict[dt.date, Decimal]:
        totals = dict.fromkeys(self.days, Decimal(0))
        for row in self.rows:
            for cell in row.cells:
                if cell.hours:
                    totals[cell.day] += cell.hours
        return totals

    @property
    def total(self) -> str:
        hours = [*self.day_totals.values(), self.extra.get("hours")]
        return hours_text(sum((value for value in hours if value), Decimal(0)))

    @property
    def previous_week(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week_start + dt.timedelta(days=7)

    @property
    def day_total_list(self) -> list[tuple[dt.date, str, list[str]]]:
        totals = self.day_totals
        return [(day, hours_text(totals[day]), self.day_errors.get(day, [])) for day in self.days]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors or self.day_errors or self.extra.get("errors")
            or any(cell.errors for row in self.rows for cell in row.cells)
        )

    def cell(self, key: str, day: dt.date) -> Cell:
        row = next((row for row in self.rows if row.key == key), None)
        if row is None:
            raise Http404
        return row.cells[self.days.index(day)]

    def row_of(self, cell: Cell) -> Row:
        return next(row for row in self.rows if cell in row.cells)

    def posted_cells(self, data: QueryDict) -> list[services.WeekCell]:
        """The week's posted cells that changed; values that are not numbers are marked on their cells."""
        cells = []
        for row in self.rows:
            for cell in row.cells:
                if cell.name not in data:
                    continue
                value = data[cell.name].strip()
                if value == cell.value:
                    continue
                cell.value = value
                cell.hours, error = parse_hours(value)
                if error:
                    cell.errors.append(error)
                else:
                    cells.append(services.WeekCell(row.project, row.deliverable, cell.day, cell.hours))
        return cells

    # --- one day ----------------------------------------------------------------------

    def posted_rows(self, data: QueryDict) -> list[services.DayRow]:
        """The day's posted hours of each row, and of the added project if one was chosen;
        values that are not numbers are marked on their rows."""
        day_rows = []
        for row in self.rows:
            if f"hours-{row.key}" not in data:
                # Not on the form the person saw (logged elsewhere since): left as it is.
                continue
            cell = row.cells[0]
            cell.value = data[f"hours-{row.key}"].strip()
            note = data.get(f"note-{row.key}")
            row.note = row.note if note is None else note
            cell.hours, error = parse_hours(cell.value)
            if error:
                cell.errors.append(error)
            else:
                day_rows.append(services.DayRow(row.project, row.deliverable, cell.hours, note))
        extra = self._posted_extra(data)
        if extra is not None:
            day_rows.append(extra)
        return day_rows

    def _posted_extra(self, data: QueryDict) -> services.DayRow | None:
        chosen = data.get("extra-project", "").strip()
        value = data.get("extra-hours", "").strip()
        note = data.get("extra-note", "")
        hours, error = parse_hours(value)
        self.extra = {"project": chosen, "value": value, "note": note, "errors": [], "key": "", "hours": hours}
        project = next((option for option in self.options if str(option.pk) == chosen), None)
        if error:
            self.extra["errors"].append(error)
        elif chosen and project is None:
            self.extra["errors"].append(str(services.NOT_LOGGABLE))
        elif hours and project is None:
            self.extra["errors"].append(_("Choose the project these hours are for."))
        if self.extra["errors"] or project is None:
            return None
        self.extra["key"] = services.entry_key(project.pk, None)
        return services.DayRow(project, None, hours, note)

    def all_errors(self) -> list[str]:
        row_errors = [f"{row.project.code}: {message}" for row in self.rows for message in row.cells[0].errors]
        return [*self.errors, *row_errors, *self.extra.get("errors", [])]

    # --- refusals ---------------------------------------------------------------------

    def add_errors(self, error: ValidationError) -> None:
        """The service's refusal, each message next to its cell, its day's total (the
        whole day's on a one-day grid: above the table) or, for the rest, above the grid."""
        if not isinstance(error, services.TimeNotSaved):
            self.errors.extend(error.messages)
            return
        cells = {(cell.day, row.key): cell.errors for row in self.rows for cell in row.cells}
        if self.extra.get("key"):
            cells[(self.days[0], self.extra["key"])] = self.extra["errors"]
        for place, found in error.rows.items():
            cells.get(place, self.errors).extend(found)
        for day, found in error.days.items():
            (self.errors if len(self.days) == 1 else self.day_errors.setdefault(day, [])).extend(found)


def _pending_approval(user: User, sheet_pk: int | None) -> tuple[Approval | None, bool]:
    """The submitted week's approval waiting for a decision, and whether `user` decides it."""
    if sheet_pk is None:
        return None, False
    approval = Approval.objects.select_related("submitted_by").pending_for(Timesheet(pk=sheet_pk))
    if approval is None:
        return None, False
    try:
        approval.decider_for(user)
    except PermissionDenied:
        return approval, False
    return approval, True


def _locked_message(user: User, talent: Talent, status: str, approval: Approval | None, may_decide: bool) -> str:
    """Why the week's time cannot change, as its viewer reads it: the person is told to
    ask for a reopening; whoever decides it is told it waits for them."""
    if user.pk == talent.user_id or status not in services.LOCKED_STATUSES:
        return services.timesheet_locked_message(status)
    if may_decide:
        return _("This week is submitted and waits for your approval: approve it, or send it back with a reason.")
    if status == Timesheet.Status.SUBMITTED:
        if approval is not None and approval.current:
            return _("This week is submitted and waits for approval by: %(step)s.") % {"step": approval.current["name"]}
        return _("This week is submitted.")
    if can(user, "timesheet.reopen"):
        return _("This week is approved; reopen it below, with a reason, to change it.")
    return _("This week is approved.")


def _landing(user: User, talent: Talent, days: list[dt.date]) -> dict[dt.date, list[Booking]]:
    """The person's bookings whose hours land on each day (`BookingQuerySet.landing_on`):
    one query for a day, three for a week."""
    bookings = (
        Booking.objects.visible_to(user).filter(talent=talent)
        .select_related("project", "deliverable").order_by("project__code", "pk")
    )
    if len(days) == 1:
        return {days[0]: list(bookings.landing_on(days[0]))}
    return bookings.landing_days(talent, days[0], days[-1])
