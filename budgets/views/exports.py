"""Downloads of money for the studio: a project's budget with actuals and its
change-order history, and the studio budget for a period with the projects it funds,
as CSV or XLSX (`budgets.exports`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET

from projects.models import Project
from studio import clock
from studio.models import StudioSettings
from studio.permissions import require

from .. import exports
from ..models import ChangeOrder, StudioBudget
from .budget import tab_project


def _project(request: HttpRequest, pk: int) -> Project:
    """The project, if the user sees its costs: a brand manager of its brand is refused
    (403), anyone else who may not see its budget does not learn it exists (404)."""
    project = tab_project(request, pk)
    require(request.user, "project.see_costs", project)
    return project


def _download(sheet: exports.Sheet, name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(sheet), content_type=exports.XLSX_TYPE)
    else:
        response = HttpResponse(exports.to_csv(sheet), content_type=exports.CSV_TYPE)
    filename = get_valid_filename(f"{name}.{fmt}")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def budget_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The budget with actuals as of today: plan against actual by category, and the
    fee in force, BAC, AC, EAC and VAC."""
    project = _project(request, pk)
    today = clock.today()
    sheet = exports.budget_sheet(project, today, StudioSettings.load().currency)
    return _download(sheet, f"{project.code}-budget-{today.isoformat()}", fmt)


@login_required
@require_GET
def change_order_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    project = _project(request, pk)
    orders = ChangeOrder.objects.visible_to(request.user).filter(project=project).order_by("number")
    sheet = exports.change_order_sheet(project, orders, StudioSettings.load().currency)
    return _download(sheet, f"{project.code}-change-orders", fmt)


def _studio_budget(request: HttpRequest) -> StudioBudget:
    """The period asked for (`?budget=`), else the one covering today, else the latest."""
    asked = request.GET.get("budget", "")
    if asked:
        if not asked.isdigit() or len(asked) >= 12:
            raise Http404
        found = StudioBudget.objects.filter(pk=int(asked)).first()
    else:
        found = (
            StudioBudget.objects.covering(clock.today()).first()
            or StudioBudget.objects.order_by("-period_start").first()
        )
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def studio_budget_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The period's budget and pool figures as of today, and each project it funds that
    the user sees, with its budget health."""
    require(request.user, "studio_budget.view")
    studio_budget = _studio_budget(request)
    today = clock.today()
    currency = StudioSettings.load().currency
    projects = Project.objects.visible_to(request.user)
    sheet = exports.studio_budget_sheet(studio_budget, today, currency, projects=projects)
    return _download(sheet, f"studio-budget-{studio_budget.name}-{today.isoformat()}", fmt)
