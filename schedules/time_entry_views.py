"""My day's quick time entry: today's hours by project, pre-filled from today's bookings."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects.models import Deliverable, Project
from studio import clock
from studio.models import Role, Talent, User
from studio.permissions import require_role

from .forms import parse_hours
from .hours import hours_text
from .models import Booking, TimeEntry, Timesheet
from .services import timesheets as services

# Sent after a save, for panels that show logged time.
CHANGED = "timeChanged"


@login_required
@vary_on_headers("HX-Request")
def my_day_time(request: HttpRequest) -> HttpResponse:
    """Today's time of the signed-in creative or freelancer (a fragment); POST saves it."""
    require_role(request.user, Role.CREATIVE, Role.FREELANCER)
    talent = get_object_or_404(Talent.objects.select_related("user"), user=request.user)
    today = clock.today()
    sheet = QuickTime.load(request.user, talent, today)
    saved = False
    if request.method == "POST":
        rows = sheet.read(request.POST)
        if not sheet.has_errors:
            try:
                services.time_entries_set_day(user=request.user, talent=talent, day=today, rows=rows)
            except ValidationError as error:
                sheet.add_errors(error)
            else:
                saved = True
                sheet = QuickTime.load(request.user, talent, today)
        if not request.htmx:
            if saved:
                messages.success(request, _("Your time for today is saved."))
            else:
                messages.error(request, " ".join(sheet.all_errors()))
            return redirect("schedules:my-day")
    response = render(request, "schedules/_quick_time.html", {"sheet": sheet, "saved": saved})
    return trigger_client_event(response, CHANGED) if saved else response


@dataclass
class Row:
    """One project (and deliverable) of today, with what the form shows for it."""

    key: str
    project: Project
    deliverable: Deliverable | None
    booked: Decimal | None = None
    entry: TimeEntry | None = None
    value: str = ""
    note: str = ""
    hours: Decimal | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class QuickTime:
    """Today's rows: each booking landing today (grouped by project and deliverable),
    then the day's other entries; and the projects open for time that have no row yet."""

    day: dt.date
    rows: list[Row]
    options: list[Project]
    locked: str = ""
    extra: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, user: User, talent: Talent, day: dt.date) -> "QuickTime":
        """Four queries, whatever the number of rows."""
        rows: dict[str, Row] = {}
        bookings = (
            Booking.objects.visible_to(user)
            .filter(talent=talent)
            .landing_on(day)
            .select_related("project", "deliverable")
            .order_by("project__code", "pk")
        )
        for booking in bookings:
            key = services.entry_key(booking.project_id, booking.deliverable_id)
            row = rows.setdefault(key, Row(key, booking.project, booking.deliverable, booked=Decimal(0)))
            row.booked += booking.hours_per_day
        entries = (
            TimeEntry.objects.visible_to(user)
            .filter(talent=talent, date=day)
            .select_related("project", "deliverable")
            .order_by("project__code", "deliverable__name", "pk")
        )
        for entry in entries:
            key = services.entry_key(entry.project_id, entry.deliverable_id)
            rows.setdefault(key, Row(key, entry.project, entry.deliverable)).entry = entry
        for row in rows.values():
            row.hours = row.entry.hours if row.entry else row.booked
            row.value = hours_text(row.hours)
            row.note = row.entry.note if row.entry else ""
        has_row = [row.project.pk for row in rows.values() if row.deliverable is None]
        options = list(services.projects_open_for_time(talent, day).exclude(pk__in=has_row).order_by("code"))
        week = Timesheet.objects.filter(talent=talent, week_start=clock.week_start(day))
        status = week.order_by("pk").values_list("status", flat=True).first()
        locked = services.timesheet_locked_message(status)
        return cls(day=day, rows=list(rows.values()), options=options, locked=locked)

    def read(self, data: QueryDict) -> list[services.DayRow]:
        """The posted hours of each row, and of the added project if one was chosen;
        values that are not numbers are marked on their rows."""
        day_rows = []
        for row in self.rows:
            if f"hours-{row.key}" not in data:
                # Not on the form the person saw (logged elsewhere since): left as it is.
                continue
            row.value = data[f"hours-{row.key}"].strip()
            note = data.get(f"note-{row.key}")
            row.note = row.note if note is None else note
            row.hours, error = parse_hours(row.value)
            if error:
                row.errors.append(error)
            else:
                day_rows.append(services.DayRow(row.project, row.deliverable, row.hours, note))
        extra = self._read_extra(data)
        if extra is not None:
            day_rows.append(extra)
        return day_rows

    def _read_extra(self, data: QueryDict) -> services.DayRow | None:
        chosen = data.get("extra-project", "").strip()
        value = data.get("extra-hours", "").strip()
        note = data.get("extra-note", "")
        hours, error = parse_hours(value)
        self.extra = {"project": chosen, "value": value, "note": note, "errors": [], "key": "", "hours": hours}
        project = next((option for option in self.options if str(option.pk) == chosen), None)
        if error:
            self.extra["errors"].append(error)
        elif chosen and project is None:
            self.extra["errors"].append(_("Choose one of the projects in the list."))
        elif hours and project is None:
            self.extra["errors"].append(_("Choose the project these hours are for."))
        if self.extra["errors"] or project is None:
            return None
        self.extra["key"] = services.entry_key(project.pk, None)
        return services.DayRow(project, None, hours, note)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.extra.get("errors") or any(row.errors for row in self.rows))

    def add_errors(self, error: ValidationError) -> None:
        """The service's errors, each next to its row; the day's own above the table."""
        if not hasattr(error, "error_dict"):
            self.errors.extend(error.messages)
            return
        rows = {row.key: row.errors for row in self.rows}
        if self.extra.get("key"):
            rows[self.extra["key"]] = self.extra["errors"]
        for name, found in error.message_dict.items():
            key = name.split("-", 1)[1] if name != NON_FIELD_ERRORS and "-" in name else None
            rows.get(key, self.errors).extend(found)

    def all_errors(self) -> list[str]:
        row_errors = [f"{row.project.code}: {message}" for row in self.rows for message in row.errors]
        return [*self.errors, *row_errors, *self.extra.get("errors", [])]

    @property
    def total(self) -> Decimal:
        hours = [row.hours for row in self.rows] + [self.extra.get("hours")]
        return sum((value for value in hours if value), Decimal(0))

