"""Planning a project: create and edit it, move its status, set its baseline, and edit its
phases and deliverables in place on its page.

The editor forms load into the page's editor slot through HTMX and every save answers
with the plan fragment of the project page (and an emptied editor). Without JavaScript
the same URLs are plain pages that redirect back to the project.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from studio.forms import add_service_errors
from studio.models import Discipline, StudioSettings
from studio.permissions import can, get_visible_or_404, require
from studio.versions import StaleVersion

from ..forms import (
    BaselineForm,
    DeliverableForm,
    PhaseForm,
    ProjectCreateForm,
    ProjectForm,
    ProjectStatusForm,
)
from ..models import Deliverable, DeliverableType, Phase, Project
from ..services import baselines, plan, projects, review
from .projects import detail_context

EDITOR = "projects/plan_editor.html"
PROJECT_FORM = "projects/project_form.html"
PROJECT_FIELDS = ("name", "brand", "is_internal", "pm", "planned_start", "due_date", "fee", "description")


def _project_for_change(request: HttpRequest, pk: int) -> Project:
    project = get_visible_or_404(Project.objects.select_related("brand__client", "pm"), request.user, pk=pk)
    require(request.user, "project.change", project)
    return project


def _part_for_change(request: HttpRequest, queryset, pk: int):
    """A phase or deliverable of a project the user may see (else 404) and plan (else 403)."""
    part = get_visible_or_404(queryset.select_related("project__brand__client", "project__pm"), request.user, pk=pk)
    require(request.user, "project.change", part.project)
    return part


def _saved(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    """After a plan write: the plan fragment and an empty editor (HTMX), or back to the page."""
    if not request.htmx:
        messages.success(request, message)
        return redirect("projects:project-detail", pk=project.pk)
    context = {**detail_context(request, project), "saved": message, "clear_editor": True}
    # The form posted into the editor; what comes back is the plan (the editor empties out of band).
    response = reswap(retarget(render(request, "projects/project_detail.html#plan", context), "#plan"), "outerHTML")
    return trigger_client_event(response, "planChanged")


def _refused(request: HttpRequest, project: Project, error: ValidationError) -> HttpResponse:
    """A plan write the services refused: its reason above the plan (HTMX), or on the page."""
    if not request.htmx:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:project-detail", pk=project.pk)
    context = {**detail_context(request, project), "plan_error": " ".join(error.messages)}
    return render(request, "projects/project_detail.html#plan", context)


def _editor(request: HttpRequest, project: Project, status: int = 200, **context) -> HttpResponse:
    template = f"{EDITOR}#editor" if request.htmx else EDITOR
    return render(request, template, {"project": project, **context}, status=status)


# --- the project ---------------------------------------------------------------------


def _currency() -> str:
    return StudioSettings.load().currency


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.add")
    form = ProjectCreateForm(request.POST or None, currency=_currency(), initial={"pm": request.user.pk})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in (*PROJECT_FIELDS, "status")}
        try:
            project = projects.project_create(user=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project %(code)s created. Now plan its phases and deliverables.")
                             % {"code": project.code})
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, PROJECT_FORM, {"form": form, "creating": True})


def _project_initial(project: Project) -> dict:
    return {name: getattr(project, name) for name in PROJECT_FIELDS} | {"version": project.version}


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_change(request, pk)
    form = ProjectForm(request.POST or None, currency=_currency(), project=project,
                       initial=_project_initial(project))
    stale, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            projects.project_update(project=project, user=request.user, version=form.cleaned_data["version"] or 0,
                                    **{name: form.cleaned_data[name] for name in PROJECT_FIELDS})
        except StaleVersion as error:
            form = ProjectForm(currency=_currency(), project=error.current, initial=_project_initial(error.current))
            stale, status = error.message, 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, PROJECT_FORM, {"form": form, "project": project, "stale": stale}, status=status)


@login_required
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_change(request, pk)
    form = ProjectStatusForm(request.POST, allowed=projects.allowed_moves(project))
    if form.is_valid():
        try:
            project = projects.project_status_change(
                project=project, user=request.user, status=form.cleaned_data["status"],
                version=form.cleaned_data["version"] or 0, reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project is now “%(status)s”.") % {"status": project.get_status_display()})
    else:
        messages.error(request, _("Choose where the project goes next."))
    return redirect("projects:project-detail", pk=project.pk)


@login_required
@require_POST
def project_baseline(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_change(request, pk)
    form = BaselineForm(request.POST)
    if form.is_valid():
        try:
            baseline = baselines.baseline_set(project=project, user=request.user, note=form.cleaned_data["note"],
                                              version=form.cleaned_data["version"] or 0)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Baseline %(number)s set: the plan as it stands is frozen.")
                             % {"number": baseline.number})
    return redirect("projects:project-detail", pk=project.pk)


# --- phases --------------------------------------------------------------------------


@login_required
def phase_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_change(request, pk)
    form = PhaseForm(request.POST or None, initial={"start_date": project.planned_start,
                                                    "end_date": project.due_date})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("name", "start_date", "end_date")}
        try:
            plan.phase_add(project=project, user=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, project, _("Phase added."))
    return _editor(request, project, form=form, kind="phase")


@login_required
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _part_for_change(request, Phase.objects, pk)
    project = phase.project
    initial = {"name": phase.name, "start_date": phase.start_date, "end_date": phase.end_date,
               "version": phase.version}
    form = PhaseForm(request.POST or None, initial=initial)
    stale, status = "", 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("name", "start_date", "end_date")}
        try:
            plan.phase_update(phase=phase, user=request.user, version=form.cleaned_data["version"] or 0, **values)
        except StaleVersion as error:
            current = error.current
            form = PhaseForm(initial={"name": current.name, "start_date": current.start_date,
                                      "end_date": current.end_date, "version": current.version})
            stale, status = error.message, 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, project, _("Phase saved."))
    return _editor(request, project, status=status, form=form, kind="phase", phase=phase, stale=stale)


@login_required
@require_POST
def phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _part_for_change(request, Phase.objects, pk)
    project = phase.project
    offset = -1 if request.POST.get("direction") == "up" else 1
    plan.phase_move(phase=phase, user=request.user, offset=offset)
    return _saved(request, project, _("Phases reordered."))


@login_required
@require_POST
def phase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _part_for_change(request, Phase.objects, pk)
    project = phase.project
    try:
        plan.phase_remove(phase=phase, user=request.user, version=_int(request.POST.get("version")))
    except ValidationError as error:
        return _refused(request, project, error)
    return _saved(request, project, _("Phase removed."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- deliverables ----------------------------------------------------------------------


def _disciplines(deliverable: Deliverable | None = None) -> list[Discipline]:
    used = [] if deliverable is None else [row.discipline_id for row in deliverable.planned_by_discipline.all()]
    return list(Discipline.objects.filter(active=True) | Discipline.objects.filter(pk__in=used))


def _deliverable_values(form: DeliverableForm) -> dict:
    data = form.cleaned_data
    values = {name: data[name] for name in ("name", "deliverable_type", "quantity", "phase", "planned_start",
                                             "due_date")}
    return values | {"assignees": data.get("assignees"), "depends_on": data["depends_on"]}


@login_required
def deliverable_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_change(request, pk)
    disciplines = _disciplines()
    form = DeliverableForm(request.POST or None, project=project, disciplines=disciplines,
                           may_staff=can(request.user, "project.staff", project),
                           initial={"planned_start": project.planned_start, "due_date": project.due_date})
    if request.method == "POST" and form.is_valid():
        hours = form.hours() if form.hours_given() else None
        values = _deliverable_values(form)
        values["assignees"] = values["assignees"] or ()
        try:
            plan.deliverable_add(project=project, user=request.user, hours=hours, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, project, _("Deliverable added."))
    return _editor(request, project, form=form, kind="deliverable")


def _deliverable_initial(deliverable: Deliverable) -> dict:
    hours = {row.discipline_id: row.hours for row in deliverable.planned_by_discipline.all()}
    return {
        "name": deliverable.name, "deliverable_type": deliverable.deliverable_type_id,
        "quantity": deliverable.quantity, "phase": deliverable.phase_id,
        "planned_start": deliverable.planned_start, "due_date": deliverable.due_date,
        "assignees": list(deliverable.assignees.values_list("pk", flat=True)),
        "depends_on": list(deliverable.predecessor_links.values_list("predecessor_id", flat=True)),
        "version": deliverable.version,
    } | DeliverableForm.initial_hours(hours)


@login_required
def deliverable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _part_for_change(request, Deliverable.objects.select_related("deliverable_type"), pk)
    project = deliverable.project
    disciplines = _disciplines(deliverable)
    may_staff = can(request.user, "project.staff", project)
    form = DeliverableForm(request.POST or None, project=project, deliverable=deliverable, disciplines=disciplines,
                           may_staff=may_staff, initial=_deliverable_initial(deliverable))
    context = {"form": form, "kind": "deliverable", "deliverable": deliverable}
    if request.method != "POST" or not form.is_valid():
        return _editor(request, project, **context)
    values = _deliverable_values(form)
    moved = (values["planned_start"], values["due_date"]) != (deliverable.planned_start, deliverable.due_date)
    push = form.cleaned_data["push"]
    try:
        if moved and not push:
            preview = plan.deliverable_move_preview(
                deliverable=deliverable, user=request.user, planned_start=values["planned_start"],
                due_date=values["due_date"],
            )
            if preview.pushed or preview.project_due or preview.bookings_outside:
                # Say what the move does before anything is saved; the answer comes back with `push`.
                return _editor(request, project, preview=preview, **context)
        plan.deliverable_update(
            deliverable=deliverable, user=request.user, version=form.cleaned_data["version"] or 0,
            hours=form.hours(), push=push == "yes", expected=plan.parse_expected(form.cleaned_data["expected"])
            if push else None, **values,
        )
    except StaleVersion as error:
        current = Deliverable.objects.get(pk=deliverable.pk)
        form = DeliverableForm(project=project, deliverable=current, disciplines=disciplines,
                               may_staff=may_staff, initial=_deliverable_initial(current))
        return _editor(request, project, status=409, **(context | {"form": form, "stale": error.message}))
    except ValidationError as error:
        add_service_errors(form, error)
        return _editor(request, project, **context)
    return _saved(request, project, _("Deliverable saved."))


@login_required
@require_POST
def deliverable_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _part_for_change(request, Deliverable.objects, pk)
    project = deliverable.project
    try:
        # The version the page showed: a plan changed since is not cancelled unseen.
        review.deliverable_cancel(deliverable=deliverable, user=request.user,
                                  reason=request.POST.get("reason", "")[:500],
                                  version=_int(request.POST.get("version")))
    except ValidationError as error:
        return _refused(request, project, error)
    return _saved(request, project, _("“%(name)s” cancelled.") % {"name": deliverable.name})


@login_required
def deliverable_estimate(request: HttpRequest, pk: int) -> HttpResponse:
    """The hours fields pre-filled from a type's standard hours × the units, as the form changes."""
    project = _project_for_change(request, pk)
    kind = DeliverableType.objects.filter(pk=_int(request.GET.get("deliverable_type"))).first()
    quantity = min(max(_int(request.GET.get("quantity")), 1), 10_000)
    hours = plan.estimate_hours(kind, quantity) if kind else {}
    form = DeliverableForm(project=project, disciplines=_disciplines(),
                           initial=DeliverableForm.initial_hours(hours))
    return render(request, f"{EDITOR}#hours", {"form": form, "project": project})
