"""A project's budget tab: the studio reads its lines, totals, fee, margin and revisions;
the production manager starts it from the plan, edits the draft's lines in place and
submits it; an approver decides it here (the approvals panel); a brand manager reads
the approved total only. Below the lines, sections loaded on their own: budget health
(`project_actuals`) and costs (`costs.py`).

Every write answers with the tab's `budget` fragment, its figures computed on the
server (HTMX), or redirects back to the tab. A save based on a stale version answers
409 with the budget as it is now; nothing is overwritten.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects.models import Project
from studio import clock
from studio.forms import add_service_errors
from studio.pages import page_or_fragment
from studio.permissions import can, require
from studio.versions import StaleVersion

from ..forms import BudgetLineForm, BudgetVersionForm
from ..models import Budget, BudgetLine
from ..services import budgets as services
from ..tab import actuals_tab, approved_budget, budget_tab

TAB = "budgets/project_budget.html"
SUBMITTED = "budgetSubmitted"


def tab_project(request: HttpRequest, pk: int) -> Project:
    """The project, if the user may see its budget (else 404: its existence is not revealed)."""
    projects = Project.objects.visible_to(request.user, "budget.view").select_related("brand__client", "pm")
    return get_object_or_404(projects, pk=pk)


def _revision(request: HttpRequest) -> int | None:
    value = request.GET.get("revision", "")
    return int(value) if value.isdigit() and len(value) < 6 else None


def tab_context(request: HttpRequest, project: Project, revision: int | None = None, **extra) -> dict:
    user = request.user
    may_change = can(user, "budget.change", project)
    context = {
        "project": project,
        "sees_costs": can(user, "project.see_costs", project),
        "may_change": may_change,
        "may_start": may_change and project.status not in Project.Status.closed(),
    }
    if not context["sees_costs"]:
        return context | {"approved": approved_budget(Budget.objects.visible_to(user).filter(project=project))}
    try:
        tab = budget_tab(project, revision=revision)
    except Budget.DoesNotExist:
        raise Http404 from None
    if may_change and tab.editable and "add_form" not in extra:
        extra["add_form"] = BudgetLineForm(initial={"version": tab.budget.version}, auto_id="add-%s")
    return context | {"tab": tab} | extra


def section(request: HttpRequest, project: Project, fragment: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A section below the lines (`actuals`, `costs`): alone for HTMX, else in the whole
    tab, which shows it in place of the link that loads it."""
    template = page_or_fragment(request, TAB, fragment)
    context = {"project": project, "sees_costs": can(request.user, "project.see_costs", project)} | context
    if template == TAB:
        context = tab_context(request, project) | context
    return render(request, template, context, status=status)


def _answer(request: HttpRequest, project: Project, *, status: int = 200, **extra) -> HttpResponse:
    """The tab (or, for HTMX, its `budget` fragment) with the budget as it is now."""
    template = page_or_fragment(request, TAB, "budget")
    return render(request, template, tab_context(request, project, **extra), status=status)


def _done(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect("budgets:project-budget", pk=project.pk)
    return _answer(request, project, saved=message)


def _refused(request: HttpRequest, project: Project, error: ValidationError, **extra) -> HttpResponse:
    """A write the services refused: a stale one (409) shows the budget as it is now."""
    if isinstance(error, StaleVersion):
        return _answer(request, project, status=409, stale=error.message)
    return _answer(request, project, refused=" ".join(error.messages), **extra)


@login_required
@vary_on_headers("HX-Request")
def project_budget(request: HttpRequest, pk: int) -> HttpResponse:
    project = tab_project(request, pk)
    return _answer(request, project, revision=_revision(request))


@login_required
@vary_on_headers("HX-Request")
def project_actuals(request: HttpRequest, pk: int) -> HttpResponse:
    """Budget health as of today: for the studio with the plan against actual and the
    burn chart; for a brand manager the budget at completion, the share spent and the
    forecast only."""
    project = tab_project(request, pk)
    health = actuals_tab(project, clock.today(), sees_costs=can(request.user, "project.see_costs", project))
    return section(request, project, "actuals", {"health_section": health})


@login_required
@require_POST
def budget_start(request: HttpRequest, pk: int) -> HttpResponse:
    project = tab_project(request, pk)
    require(request.user, "budget.change", project)
    try:
        services.budget_start(project=project, user=request.user)
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Budget started from the plan: set the rates, expenses and contingency."))


def _budget_for_change(request: HttpRequest, pk: int) -> Budget:
    budget = get_object_or_404(Budget.objects.visible_to(request.user).select_related("project"), pk=pk)
    require(request.user, "budget.change", budget.project)
    return budget


def _line_for_change(request: HttpRequest, pk: int) -> BudgetLine:
    lines = BudgetLine.objects.visible_to(request.user).select_related("budget__project", "discipline")
    line = get_object_or_404(lines, pk=pk)
    require(request.user, "budget.change", line.budget.project)
    return line


@login_required
@require_POST
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_for_change(request, pk)
    form = BudgetLineForm(request.POST, auto_id="add-%s")
    if form.is_valid():
        try:
            services.budget_line_add(
                budget=budget, user=request.user, version=form.cleaned_data["version"], **form.values()
            )
        except StaleVersion as error:
            return _refused(request, budget.project, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, budget.project, _("Line added."))
    return _answer(request, budget.project, add_form=form)


@login_required
@vary_on_headers("HX-Request")
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A line's form in its row (GET), and its change (POST)."""
    line = _line_for_change(request, pk)
    project = line.budget.project
    initial = BudgetLineForm.initial_for(line, line.budget.version)
    form = BudgetLineForm(request.POST or None, line=line, initial=initial, auto_id="edit-%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_change(
                line=line, user=request.user, version=form.cleaned_data["version"], **form.values()
            )
        except StaleVersion as error:
            return _refused(request, project, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, project, _("Line saved."))
    return _answer(request, project, edit_form=form, editing=line.pk)


@login_required
@require_POST
def budget_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line_for_change(request, pk)
    project = line.budget.project
    form = BudgetVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(line.budget)
        services.budget_line_remove(line=line, user=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Line removed."))


@login_required
@require_POST
def budget_submit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_for_change(request, pk)
    form = BudgetVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(budget)
        budget = services.budget_submit(budget=budget, user=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        return _refused(request, budget.project, error)
    if budget.status == Budget.Status.APPROVED:
        message = _("Approved: no further approval is needed at this total. It is the project's baseline.")
    else:
        message = _("Submitted for approval.")
    response = _done(request, budget.project, message)
    return trigger_client_event(response, SUBMITTED)
