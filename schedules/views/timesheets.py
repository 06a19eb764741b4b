"""Timesheet pages (issue 5): a person's week as a grid saved cell by cell, its
submission and reopening, and the production manager's list of missing weeks."""

import datetime as dt

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
from studio.models import Talent, User
from studio.pages import page_or_fragment, paginate
from studio.permissions import get_visible_or_404, require

from ..forms.dates import plan_date_or_none
from ..forms.time import parse_hours
from ..models import Timesheet, timesheet_week_url
from ..services import timesheets as services
from ..timegrid import TimeGrid, parse_cell_name

CHANGED = "timeChanged"


@login_required
def timesheet_week(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own week; managers go to the missing-timesheets page."""
    require(request.user, "timesheet.view")
    talent = Talent.objects.filter(user=request.user).first()
    if talent is None:
        return redirect("schedules:timesheet-missing")
    return redirect(timesheet_week_url(talent.pk, _week(request)))


@login_required
@vary_on_headers("HX-Request")
def timesheet_person(request: HttpRequest, talent_id: int) -> HttpResponse:
    """One person's week (`?week=YYYY-MM-DD`, any day of it); `?add=<project>` adds a row."""
    talent = _talent_or_404(request.user, talent_id)
    grid = TimeGrid.week(request.user, talent, _week(request), added=request.GET.getlist("add"))
    return _render(request, grid)


@login_required
@require_POST
def timesheet_cell(request: HttpRequest, talent_id: int) -> HttpResponse:
    """Save one cell (HTMX): answers with that cell, and the day, row and week totals out of band."""
    talent = _talent_or_404(request.user, talent_id)
    name = request.POST.get("cell", "")
    parsed = parse_cell_name(name)
    if parsed is None:
        raise Http404
    project_id, deliverable_id, day = parsed
    value = request.POST.get(name, "").strip()
    hours, error = parse_hours(value)
    if error is None:
        error = _save_cell(request.user, talent, project_id, deliverable_id, day, hours)
    grid = TimeGrid.week(request.user, talent, clock.week_start(day), added=[str(project_id)])
    cell = grid.cell(services.entry_key(project_id, deliverable_id), day)
    if error:
        cell.value, cell.errors = value, [error]
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or _("Saved."))
        return redirect(timesheet_week_url(talent.pk, grid.week_start))
    context = {"grid": grid, "cell": cell, "row": grid.row_of(cell)}
    response = render(request, "schedules/timesheet_week.html#cell-response", context)
    return response if error else trigger_client_event(response, CHANGED)


@login_required
@require_POST
def timesheet_save(request: HttpRequest, talent_id: int) -> HttpResponse:
    """Save the whole grid at once: the form post without JavaScript. All or nothing."""
    talent = _talent_or_404(request.user, talent_id)
    grid = TimeGrid.week(request.user, talent, _week(request, request.POST), added=request.POST.getlist("add"))
    cells = grid.posted_cells(request.POST)
    if not grid.has_errors:
        try:
            services.timesheet_week_set(user=request.user, talent=talent, week_start=grid.week_start, cells=cells)
        except ValidationError as error:
            grid.add_errors(error)
        else:
            messages.success(request, _("Your week is saved."))
            return redirect(timesheet_week_url(talent.pk, grid.week_start))
    return _render(request, grid)


@login_required
@require_POST
def timesheet_submit(request: HttpRequest, talent_id: int) -> HttpResponse:
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
    return redirect(timesheet_week_url(talent.pk, week))


@login_required
@require_POST
def timesheet_reopen(request: HttpRequest, talent_id: int) -> HttpResponse:
    """The production manager reopens a submitted or approved week, with a reason."""
    talent = _talent_or_404(request.user, talent_id)
    week = _week(request, request.POST)
    sheet = get_visible_or_404(Timesheet, request.user, talent=talent, week_start=week)
    reason = request.POST.get("reason", "")
    try:
        services.timesheet_reopen_by_pm(timesheet=sheet, user=request.user, reason=reason)
    except ValidationError as error:
        grid = TimeGrid.week(request.user, talent, week)
        grid.reopen = {"reason": reason, "errors": error.messages}
        return _render(request, grid)
    messages.success(request, _("The week is open again; %(person)s was told why.") % {"person": talent})
    return redirect(timesheet_week_url(talent.pk, week))


@login_required
@vary_on_headers("HX-Request")
def timesheet_missing(request: HttpRequest) -> HttpResponse:
    """Who owes which of the last four weeks' timesheets: none, or one still open."""
    # Everyone's weeks: a view of the team, as the team schedule is.
    require(request.user, "schedule.team")
    weeks = services.missing_weeks(clock.today())
    page_obj = paginate(request, services.timesheets_missing(weeks=weeks))
    for person in page_obj:
        person.weeks = [
            {"week": week, "status": status, "owed": owed, "url": timesheet_week_url(person.pk, week)}
            for week, status, owed in services.owed_weeks(person, weeks)
        ]
    context = {"weeks": weeks, "page_obj": page_obj}
    return render(request, page_or_fragment(request, "schedules/timesheet_missing.html", "table"), context)


# --- helpers ---------------------------------------------------------------------------


def _talent_or_404(user: User, talent_id: int) -> Talent:
    """The person whose weeks `user` may see (the studio: anyone's; a person: their own):
    403 for a role that sees no timesheets, 404 for a person they may not see."""
    require(user, "timesheet.view")
    return get_object_or_404(Talent.objects.visible_to(user, "timesheet.view").select_related("user"), pk=talent_id)


def _week(request: HttpRequest, data: QueryDict | None = None) -> dt.date:
    """The Monday of `?week=` (any day of the week will do); this week if absent, not a
    date or outside the plan window."""
    value = (data if data is not None else request.GET).get("week", "")
    return clock.week_start(plan_date_or_none(value) or clock.today())


def _render(request: HttpRequest, grid: "TimeGrid") -> HttpResponse:
    template = page_or_fragment(request, "schedules/timesheet_week.html", "grid")
    return render(request, template, {"grid": grid})


def _save_cell(user, talent, project_id, deliverable_id, day, hours) -> str | None:
    project = Project.objects.filter(pk=project_id).first()
    deliverable = Deliverable.objects.filter(pk=deliverable_id).first() if deliverable_id else None
    if project is None or (deliverable_id and deliverable is None):
        return str(services.NOT_LOGGABLE)
    try:
        services.time_entry_set(
            user=user, talent=talent, project=project, deliverable=deliverable, day=day, hours=hours
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return None
