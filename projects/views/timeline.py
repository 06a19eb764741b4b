"""The timelines (DESIGN §4, "Timeline"): a project's phases and deliverables on the
calendar, moved by dragging or from the keyboard, and the portfolio of projects.

A move posts the bar's new dates and version. It is saved at once unless it reaches
further than the bar itself (dependents to push, the project's due date, bookings left
outside their deliverable): then the answer is a confirmation that says so, sent back
with the versions it was computed from. Every answer to HTMX names its own target: the
timeline, redrawn from the database (so a refused move snaps back, its reason beside
the timeline), or the dialog's body. Without JavaScript the same URLs are pages.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from studio import clock
from studio.dates import day_text
from studio.forms import add_service_errors
from studio.pages import page_or_fragment
from studio.permissions import can, get_visible_or_404, require
from studio.versions import StaleVersion

from ..filters import PortfolioFilter
from ..models import Deliverable, Phase, Project
from ..overview import days_moved_text
from ..services import plan
from ..timeline import ZOOMS, portfolio_timeline, project_timeline

TEMPLATE = "projects/timeline.html"
MOVE_TEMPLATE = "projects/_timeline_move.html"
PORTFOLIO_TEMPLATE = "projects/portfolio_timeline.html"
PORTFOLIO_PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TimelineMoveForm(forms.Form):
    """A deliverable's new dates from a drag, a key or the form; the confirmation sends
    them again with the versions its preview was computed from (`expected`)."""

    planned_start = forms.DateField(label=gettext_lazy("Planned start"), widget=DATE)
    due_date = forms.DateField(label=gettext_lazy("Due"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.ChoiceField(choices=[("", ""), ("push", "push"), ("only", "only")], required=False,
                                widget=forms.HiddenInput)
    # "id:version,…" of every deliverable the preview showed: bounded by the project's size.
    expected = forms.CharField(required=False, max_length=100_000, widget=forms.HiddenInput)
    zoom = forms.ChoiceField(choices=[("", ""), *ZOOMS.items()], required=False, widget=forms.HiddenInput)


class PhaseMoveForm(forms.Form):
    start_date = forms.DateField()
    end_date = forms.DateField()
    version = forms.IntegerField(min_value=0)
    zoom = forms.ChoiceField(choices=[("", ""), *ZOOMS.items()], required=False)


def _timeline_url(project: Project, zoom: str | None) -> str:
    url = reverse("projects:project-timeline", args=[project.pk])
    return f"{url}?{urlencode({'zoom': zoom})}" if zoom else url


def _context(request: HttpRequest, project: Project, zoom: str | None, **extra) -> dict:
    timeline = project_timeline(project, today=clock.today(), zoom=zoom)
    return {
        "project": project, "timeline": timeline, "zooms": ZOOMS, "zoom": timeline.scale.zoom,
        "may_change": can(request.user, "project.change", project),
        "show_hours": can(request.user, "project.see_costs"),
        "here": _timeline_url(project, timeline.scale.zoom), **extra,
    }


@login_required
@vary_on_headers("HX-Request")
def project_timeline_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the project sees its timeline; its managers may move it."""
    project = get_visible_or_404(Project.objects.select_related("brand", "pm"), request.user, pk=pk)
    context = _context(request, project, request.GET.get("zoom"))
    return render(request, page_or_fragment(request, TEMPLATE, "timeline"), context)


def _deliverable_for_change(request: HttpRequest, pk: int) -> Deliverable:
    deliverable = get_visible_or_404(Deliverable.objects.select_related("project__brand", "project__pm"),
                                     request.user, pk=pk)
    require(request.user, "project.change", deliverable.project)
    return deliverable


@login_required
def timeline_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deliverable: at once, or after a confirmation of what else it moves."""
    deliverable = _deliverable_for_change(request, pk)
    if request.method != "POST":
        form = TimelineMoveForm(initial={"planned_start": deliverable.planned_start, "version": deliverable.version,
                                         "due_date": deliverable.due_date, "zoom": request.GET.get("zoom", "")})
        return _move_form(request, deliverable, form)
    form = TimelineMoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, deliverable, form, _("Choose the new dates."), status=422)
    data = form.cleaned_data
    dates = {"planned_start": data["planned_start"], "due_date": data["due_date"]}
    try:
        if not data["confirm"]:
            preview = plan.deliverable_move_preview(deliverable=deliverable, user=request.user, push=True, **dates)
            if preview.pushed or preview.project_due or preview.bookings_outside:
                return _move_form(request, deliverable, form, preview=preview)
            data["expected"], data["confirm"] = preview.expected, "push"
        plan.deliverable_update(deliverable=deliverable, user=request.user, version=data["version"],
                                push=data["confirm"] == "push", expected=plan.parse_expected(data["expected"]),
                                **dates)
    except StaleVersion as error:
        return _refused(request, deliverable, form, error.message, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _refused(request, deliverable, form, " ".join(error.messages), status=422)
    done = _("“%(name)s” now runs %(start)s – %(due)s.") % {
        "name": deliverable.name, "start": _day(data["planned_start"]), "due": _day(data["due_date"])}
    return _timeline_answer(request, deliverable.project, data["zoom"], done)


@login_required
@require_POST
def timeline_phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move or stretch a phase: phases constrain nothing, so it is saved at once."""
    phase = get_visible_or_404(Phase.objects.select_related("project__brand", "project__pm"), request.user, pk=pk)
    project = phase.project
    require(request.user, "project.change", project)
    form = PhaseMoveForm(request.POST)
    zoom = request.POST.get("zoom", "")
    if not form.is_valid():
        return _timeline_answer(request, project, zoom, _("Choose the new dates."), status=422)
    data = form.cleaned_data
    try:
        plan.phase_update(phase=phase, user=request.user, version=data["version"], start_date=data["start_date"],
                          end_date=data["end_date"])
    except StaleVersion as error:
        return _timeline_answer(request, project, zoom, error.message, status=409)
    except ValidationError as error:
        return _timeline_answer(request, project, zoom, " ".join(error.messages), status=422)
    return _timeline_answer(request, project, zoom, _("Phase “%(name)s” now runs %(start)s – %(end)s.") % {
        "name": phase.name, "start": _day(data["start_date"]), "end": _day(data["end_date"])})


def _day(day) -> str:
    return day_text(day)


def _move_form(request: HttpRequest, deliverable: Deliverable, form, *, preview=None, error: str = "",
               status: int = 200) -> HttpResponse:
    """The move form or, with a preview, the confirmation: in the dialog, or on the page."""
    project = deliverable.project
    zoom = (form.data.get("zoom") if form.is_bound else form.initial.get("zoom")) or None
    move = {"form": form, "deliverable": deliverable, "preview": preview, "error": error,
            "timeline_url": _timeline_url(project, zoom),
            "changes": [(change, days_moved_text(change.days_later, _("same due date"))) for change in preview.changes]
            if preview else []}
    if not request.htmx:
        return render(request, TEMPLATE, _context(request, project, zoom, move=move), status=status)
    response = render(request, MOVE_TEMPLATE, {"project": project, "move": move}, status=status)
    return reswap(retarget(response, "#timeline-dialog-body"), "innerHTML")


def _refused(request: HttpRequest, deliverable: Deliverable, form, message: str, *, status: int) -> HttpResponse:
    """A move refused: the timeline as it is, with the reason (or, without JavaScript, the form)."""
    if not request.htmx:
        if status == 409:  # start again from what is saved now
            current = Deliverable.objects.get(pk=deliverable.pk)
            form = TimelineMoveForm(initial={"planned_start": current.planned_start, "due_date": current.due_date,
                                             "version": current.version, "zoom": form.data.get("zoom", "")})
        # Field errors show beside their fields; anything else above the form.
        return _move_form(request, deliverable, form, error="" if form.errors else message, status=status)
    return _timeline_answer(request, deliverable.project, form.data.get("zoom", ""), message, status=status)


def _timeline_answer(request, project, zoom, message, *, status=200) -> HttpResponse:
    """The timeline redrawn with a status line; a refusal closes the dialog and says why."""
    refused = status >= 400
    if not request.htmx:
        messages.add_message(request, messages.ERROR if refused else messages.SUCCESS, message)
        return redirect(_timeline_url(project, zoom))
    context = _context(request, project, zoom or None, message=message, alert=refused)
    response = render(request, f"{TEMPLATE}#changed", context, status=status)
    events = {"timelineDialogClose": True, ("timelineRefused" if refused else "planChanged"): message}
    for name, params in events.items():
        trigger_client_event(response, name, params)
    return reswap(retarget(response, "#timeline"), "outerHTML")


@login_required
@vary_on_headers("HX-Request")
def portfolio_timeline_page(request: HttpRequest) -> HttpResponse:
    """Every project the user may see as one bar, active ones unless the filters say otherwise."""
    data = request.GET.copy()
    data.setdefault("status", Project.Status.ACTIVE)
    projects = Project.objects.visible_to(request.user).select_related("brand", "pm").order_by(
        "planned_start", "code", "pk"
    )
    filterset = PortfolioFilter(data, queryset=projects, request=request)
    page_obj = Paginator(filterset.qs, PORTFOLIO_PAGE_SIZE).get_page(request.GET.get("page"))
    timeline = portfolio_timeline(list(page_obj), today=clock.today(), zoom=request.GET.get("zoom"))
    context = {"filterset": filterset, "page_obj": page_obj, "timeline": timeline, "zooms": ZOOMS,
               "zoom": timeline.scale.zoom}
    return render(request, page_or_fragment(request, PORTFOLIO_TEMPLATE, "portfolio"), context)
