"""Timesheet pages (issue 5): a person's week as a grid saved cell by cell, its
submission and reopening, and the production manager's list of missing weeks."""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects.models import Deliverable, Project
from studio import clock
from studio.models import Role, Talent, User
from studio.pages import page_or_fragment, paginate
from studio.permissions import require_role

from .forms import parse_hours, plan_date_or_none
from .hours import hours_text
from .models import Booking, TimeEntry, Timesheet
from .services import timesheets as services

ROLES = (Role.CREATIVE, Role.FREELANCER, Role.PM, Role.EXECUTIVE, Role.ADMIN)
MANAGERS = (Role.PM, Role.EXECUTIVE, Role.ADMIN)
CHANGED = "timeChanged"
CELL = re.compile(r"^h-(\d+)-(\d+)-(\d{4}-\d{2}-\d{2})$")


@login_required
def timesheet_week(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own week; managers go to the missing-timesheets page."""
    require_role(request.user, *ROLES)
    talent = Talent.objects.filter(user=request.user).first()
    if talent is None:
        return redirect("schedules:timesheet-missing")
    return redirect(services.week_url(talent.pk, _week(request)))


@login_required
@vary_on_headers("HX-Request")
def timesheet_person(request: HttpRequest, talent_id: int) -> HttpResponse:
    """One person's week (`?week=YYYY-MM-DD`, any day of it); `?add=<project>` adds a row."""
    require_role(request.user, *ROLES)
    talent = _talent_or_404(request.user, talent_id)
    grid = WeekGrid.load(request.user, talent, _week(request), added=request.GET.getlist("add"))
    return _render(request, grid)


@login_required
@require_POST
def timesheet_cell(request: HttpRequest, talent_id: int) -> HttpResponse:
    """Save one cell (HTMX): answers with that cell, and the day, row and week totals out of band."""
    require_role(request.user, *ROLES)
    talent = _talent_or_404(request.user, talent_id)
    name = request.POST.get("cell", "")
    match = CELL.match(name)
    if match is None:
        raise Http404
    # A day outside the plan window is no cell of any week the page shows.
    day = plan_date_or_none(match[3])
    if day is None:
        raise Http404
    project_id, deliverable_id = int(match[1]), int(match[2]) or None
    value = request.POST.get(name, "").strip()
    hours, error = parse_hours(value)
    if error is None:
        error = _save_cell(request.user, talent, project_id, deliverable_id, day, hours)
    grid = WeekGrid.load(request.user, talent, clock.week_start(day), added=[str(project_id)])
    cell = grid.cell(services.entry_key(project_id, deliverable_id), day)
    if error:
        cell.value, cell.errors = value, [error]
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or _("Saved."))
        return redirect(services.week_url(talent.pk, grid.week_start))
    context = {"grid": grid, "cell": cell, "row": grid.row_of(cell)}
    response = render(request, "schedules/timesheet_week.html#cell-response", context)
    return response if error else trigger_client_event(response, CHANGED)


@login_required
@require_POST
def timesheet_save(request: HttpRequest, talent_id: int) -> HttpResponse:
    """Save the whole grid at once: the form post without JavaScript. All or nothing."""
    require_role(request.user, *ROLES)
    talent = _talent_or_404(request.user, talent_id)
    grid = WeekGrid.load(request.user, talent, _week(request, request.POST), added=request.POST.getlist("add"))
    cells = grid.read(request.POST)
    if not grid.has_errors:
        try:
            services.timesheet_week_set(user=request.user, talent=talent, week_start=grid.week_start, cells=cells)
        except ValidationError as error:
            grid.add_errors(error)
        else:
            messages.success(request, _("Your week is saved."))
            return redirect(services.week_url(talent.pk, grid.week_start))
    return _render(request, grid)


@login_required
@require_POST
def timesheet_submit(request: HttpRequest, talent_id: int) -> HttpResponse:
    require_role(request.user, *ROLES)
    talent = _talent_or_404(request.user, talent_id)
    week = _week(request, request.POST)
    try:
        sheet = services.timesheet_submit(user=request.user, talent=talent, week_start=week)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sheet.status == Timesheet.Status.APPROVED:
            messages.success(request, _("Your week is submitted and approved."))
        else:
            messages.success(request, _("Your week is submitted for approval."))
    return redirect(services.week_url(talent.pk, week))


@login_required
@require_POST
def timesheet_reopen(request: HttpRequest, talent_id: int) -> HttpResponse:
    """The production manager reopens a submitted or approved week, with a reason."""
    require_role(request.user, *ROLES)
    talent = _talent_or_404(request.user, talent_id)
    week = _week(request, request.POST)
    sheet = get_object_or_404(Timesheet, talent=talent, week_start=week)
    reason = request.POST.get("reason", "")
    try:
        services.timesheet_reopen_by_pm(timesheet=sheet, user=request.user, reason=reason)
    except ValidationError as error:
        grid = WeekGrid.load(request.user, talent, week)
        grid.reopen = {"reason": reason, "errors": error.messages}
        return _render(request, grid)
    messages.success(request, _("The week is open again; %(person)s was told why.") % {"person": talent})
    return redirect(services.week_url(talent.pk, week))


@login_required
@vary_on_headers("HX-Request")
def timesheet_missing(request: HttpRequest) -> HttpResponse:
    """Who owes which of the last four weeks' timesheets: none, or one still open."""
    require_role(request.user, *MANAGERS)
    weeks = services.missing_weeks(clock.today())
    page_obj = paginate(request, services.timesheets_missing(weeks=weeks))
    for person in page_obj:
        person.weeks = [
            {"week": week, "status": status, "owed": owed, "url": services.week_url(person.pk, week)}
            for week, status, owed in services.owed_weeks(person, weeks)
        ]
    context = {"weeks": weeks, "page_obj": page_obj}
    return render(request, page_or_fragment(request, "schedules/timesheet_missing.html", "table"), context)


# --- helpers ---------------------------------------------------------------------------


def _talent_or_404(user: User, talent_id: int) -> Talent:
    """Managers see anyone's week; creatives and freelancers only their own."""
    people = Talent.objects.select_related("user")
    if not user.sees_everything:
        people = people.filter(user=user)
    return get_object_or_404(people, pk=talent_id)


def _week(request: HttpRequest, data: QueryDict | None = None) -> dt.date:
    """The Monday of `?week=` (any day of the week will do); this week if absent, not a
    date or outside the plan window."""
    value = (data if data is not None else request.GET).get("week", "")
    return clock.week_start(plan_date_or_none(value) or clock.today())


def _render(request: HttpRequest, grid: "WeekGrid") -> HttpResponse:
    template = page_or_fragment(request, "schedules/timesheet_week.html", "grid")
    return render(request, template, {"grid": grid})


def _save_cell(user, talent, project_id, deliverable_id, day, hours) -> str | None:
    project = Project.objects.filter(pk=project_id).first()
    deliverable = Deliverable.objects.filter(pk=deliverable_id).first() if deliverable_id else None
    if project is None or (deliverable_id and deliverable is None):
        return _("Time goes only on projects the person is booked on or assigned to that day.")
    try:
        services.time_entry_set(
            user=user, talent=talent, project=project, deliverable=deliverable, day=day, hours=hours
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _row_order(row: "Row") -> tuple[str, str]:
    return row.project.code, row.deliverable.name if row.deliverable else ""



@dataclass
class Cell:
    name: str
    day: dt.date
    value: str = ""
    hint: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Row:
    key: str
    project: Project
    deliverable: Deliverable | None
    cells: list[Cell] = field(default_factory=list)
    total: Decimal = Decimal(0)

    @property
    def total_text(self) -> str:
        return hours_text(self.total)


@dataclass
class WeekGrid:
    """A person's week: a row per project (and deliverable) booked that week or with time
    logged, a cell per day; booked hours are hints until time is saved."""

    user: User
    talent: Talent
    week_start: dt.date
    days: list[dt.date]
    rows: list[Row]
    day_totals: dict[dt.date, Decimal]
    status: str
    locked: str
    editable: bool
    options: list[Project]
    added: list[str]
    can_reopen: bool
    can_submit: bool
    errors: list[str] = field(default_factory=list)
    day_errors: dict[dt.date, list[str]] = field(default_factory=dict)
    reopen: dict = field(default_factory=dict)

    @classmethod
    def load(cls, user: User, talent: Talent, week_start: dt.date, added=()) -> "WeekGrid":
        """Six queries, whatever the number of rows."""
        days = [week_start + dt.timedelta(days=n) for n in range(7)]
        sheet = Timesheet.objects.filter(talent=talent, week_start=week_start).first()
        status = sheet.status if sheet else Timesheet.Status.OPEN
        rows: dict[str, Row] = {}
        hints: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
        bookings = Booking.objects.visible_to(user).select_related("project", "deliverable").order_by("project__code")
        for day, landing in bookings.landing_days(talent, days[0], days[-1]).items():
            for booking in landing:
                key = services.entry_key(booking.project_id, booking.deliverable_id)
                rows.setdefault(key, Row(key, booking.project, booking.deliverable))
                hints[(key, day)] += booking.hours_per_day
        entries = (
            TimeEntry.objects.visible_to(user)
            .filter(talent=talent, date__range=(days[0], days[-1]))
            .select_related("project", "deliverable")
        )
        logged: dict[tuple[str, dt.date], Decimal] = {}
        for entry in entries:
            key = services.entry_key(entry.project_id, entry.deliverable_id)
            rows.setdefault(key, Row(key, entry.project, entry.deliverable))
            logged[(key, entry.date)] = entry.hours
        editable = services.can_log_time_for(user, talent) and status not in services.LOCKED_STATUSES
        options = list(services.projects_open_for_week(talent, week_start).order_by("code")) if editable else []
        wanted = [option for option in options if str(option.pk) in added]
        for project in wanted:
            key = services.entry_key(project.pk, None)
            rows.setdefault(key, Row(key, project, None))
        ordered = sorted(
            rows.values(), key=_row_order
        )
        day_totals = dict.fromkeys(days, Decimal(0))
        for row in ordered:
            for day in days:
                hours = logged.get((row.key, day))
                hint = hints.get((row.key, day))
                name = services.cell_name(row.project.pk, row.deliverable.pk if row.deliverable else None, day)
                row.cells.append(Cell(name, day, hours_text(hours), hours_text(hint)))
                if hours:
                    row.total += hours
                    day_totals[day] += hours
        with_rows = {row.project.pk for row in ordered if row.deliverable is None}
        return cls(
            user=user,
            talent=talent,
            week_start=week_start,
            days=days,
            rows=ordered,
            day_totals=day_totals,
            status=status,
            locked=services.timesheet_locked_message(status),
            editable=editable,
            options=[option for option in options if option.pk not in with_rows],
            added=[str(project.pk) for project in wanted],
            can_reopen=services.can_reopen_timesheets(user) and status in services.LOCKED_STATUSES,
            can_submit=editable and user.pk == talent.user_id and week_start <= clock.today(),
        )

    @property
    def status_label(self) -> str:
        return Timesheet.Status(self.status).label

    @property
    def total(self) -> str:
        return hours_text(sum(self.day_totals.values(), Decimal(0)))

    @property
    def previous_week(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week_start + dt.timedelta(days=7)

    @property
    def day_total_list(self) -> list[tuple[dt.date, str, list[str]]]:
        return [(day, hours_text(self.day_totals[day]), self.day_errors.get(day, [])) for day in self.days]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.day_errors or any(cell.errors for row in self.rows for cell in row.cells))

    def cell(self, key: str, day: dt.date) -> Cell:
        row = next((row for row in self.rows if row.key == key), None)
        if row is None:
            raise Http404
        return row.cells[self.days.index(day)]

    def row_of(self, cell: Cell) -> Row:
        return next(row for row in self.rows if cell in row.cells)

    def read(self, data: QueryDict) -> list[services.WeekCell]:
        """The posted cells that changed; values that are not numbers are marked on their cells."""
        cells = []
        for row in self.rows:
            for cell in row.cells:
                if cell.name not in data:
                    continue
                value = data[cell.name].strip()
                if value == cell.value:
                    continue
                cell.value = value
                hours, error = parse_hours(value)
                if error:
                    cell.errors.append(error)
                else:
                    cells.append(services.WeekCell(row.project, row.deliverable, cell.day, hours))
        return cells

    def add_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.errors.extend(error.messages)
            return
        cells = {cell.name: cell for row in self.rows for cell in row.cells}
        days = {services.day_name(day): day for day in self.days}
        for name, found in error.message_dict.items():
            if name in cells:
                cells[name].errors.extend(found)
            elif name in days:
                self.day_errors.setdefault(days[name], []).extend(found)
            else:
                self.errors.extend(found)
