"""Productivity and utilization per discipline and per person as of the latest night, for
readers of the people metrics (`metric.people`). The read model is `metrics.people`."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.pages import page_or_fragment, paginate
from studio.permissions import can, require

from . import people as read
from .portfolio import Thresholds, latest_night

PAGE = "metrics/people.html"


@login_required
@require_GET
@vary_on_headers("HX-Request")
def people(request: HttpRequest) -> HttpResponse:
    """The disciplines with the studio's total, then the active people a page at a time,
    filtered by discipline and name and sorted by name or any figure (`?sort=`, "-" first
    for descending); HTMX swaps get the people's table alone."""
    user = request.user
    require(user, "metric.people")
    limits, night = Thresholds.load(), latest_night(clock.today())
    template = page_or_fragment(request, PAGE, "results")
    context = {"night": night, "limits": limits, "may_recompute": can(user, "metric.recompute")}
    if night is not None:
        filterset = read.PeopleFilter(request.GET, queryset=read.people(user), request=request)
        talent, sort = read.order_people(filterset.qs, request.GET.get("sort", ""), user=user, night=night)
        page_obj = paginate(request, talent)
        context |= {
            "filterset": filterset,
            "page_obj": page_obj,
            "sort": sort,
            "columns": read.column_heads(sort),
            "people": read.people_rows(user, page_obj, night=night, limits=limits),
        }
        if template == PAGE:
            context |= {
                "disciplines": read.discipline_table(user, night=night, limits=limits),
                "figure_columns": read.FIGURE_COLUMNS,
            }
    return render(request, template, context)
