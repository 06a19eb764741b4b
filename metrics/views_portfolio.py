"""The portfolio (every project a reader may see with its schedule, budget and satisfaction
health as of the latest night) and a project's metrics tab (its figures of that night, how
each is computed, and twelve weeks of trend). The read model is `metrics.portfolio`."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from projects.filters import PortfolioFilter
from projects.models import Project
from studio import clock
from studio.pages import page_or_fragment, paginate
from studio.permissions import Scope, can, require, scope_of

from .portfolio import (
    Thresholds,
    column_heads,
    latest_night,
    portfolio_rows,
    project_metrics,
    sort_rows,
    studio_health,
)
from .views_recompute import RecomputeForm

PAGE = "metrics/portfolio.html"
TAB = "metrics/project_metrics.html"


def _projects(user):
    return Project.objects.visible_to(user, "metric.view").select_related("brand", "pm")


@login_required
@require_GET
@vary_on_headers("HX-Request")
def portfolio(request: HttpRequest) -> HttpResponse:
    """Active projects unless the filters say otherwise, sorted by any column (`?sort=`,
    "-" first for descending), a page at a time; HTMX swaps get the table alone."""
    user = request.user
    require(user, "metric.view")
    data = request.GET.copy()
    data.setdefault("status", Project.Status.ACTIVE)
    filterset = PortfolioFilter(data, queryset=_projects(user).order_by("code", "pk"), request=request)
    sees_costs, limits, night = can(user, "project.see_costs"), Thresholds.load(), latest_night(clock.today())
    may_recompute = can(user, "metric.recompute")
    context = {"filterset": filterset, "night": night, "sees_costs": sees_costs, "limits": limits,
               "may_recompute": may_recompute}
    if may_recompute:
        context["recompute_form"] = RecomputeForm(yesterday=clock.today() - dt.timedelta(days=1))
    if night is not None:
        rows = portfolio_rows(filterset.qs, night=night, limits=limits, sees_costs=sees_costs)
        rows, sort = sort_rows(rows, request.GET.get("sort", ""), sees_costs=sees_costs)
        context |= {"page_obj": paginate(request, rows), "sort": sort, "columns": column_heads(sort, sees_costs)}
        if scope_of(user, "metric.view") is Scope.ALL and not request.htmx:
            context["studio"] = studio_health(night=night, limits=limits, sees_people=can(user, "metric.people"))
    return render(request, page_or_fragment(request, PAGE, "results"), context)


@login_required
@require_GET
def project_metrics_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's figures of the latest night by family, each with its formula, inputs and
    trend; money only for those who see costs; another brand's project does not exist."""
    user = request.user
    require(user, "metric.view")
    project = get_object_or_404(_projects(user), pk=pk)
    sees_costs, limits, night = can(user, "project.see_costs"), Thresholds.load(), latest_night(clock.today())
    context = {"project": project, "night": night, "sees_costs": sees_costs, "limits": limits,
               "may_recompute": can(user, "metric.recompute")}
    if night is not None:
        context["tab"] = project_metrics(project, night=night, limits=limits, sees_costs=sees_costs)
    return render(request, TAB, context)
