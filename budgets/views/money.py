"""The project page's money section (a fragment it loads): the fee in force, the budget
at completion and how much of it is spent, by what the caller may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projects.models import Project
from studio import clock
from studio.permissions import can, get_visible_or_404, require

from ..health import health_of
from ..models import ChangeOrder


@login_required
def project_money(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, pk=pk)
    require(request.user, "budget.view", project)
    today = clock.today()
    health = health_of([project], today)[project.pk]
    return render(request, "budgets/_project_money.html", {
        "project": project,
        "health": health,
        "show_costs": can(request.user, "project.see_costs", project),
        "show_fee": can(request.user, "project.see_prices", project),
        "change_orders": ChangeOrder.objects.visible_to(request.user).filter(project=project)
        .filter(status=ChangeOrder.Status.APPROVED).order_by("number"),
    })
