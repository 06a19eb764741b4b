"""Project pages: the list everyone signed in sees (their own share of it) and a project's page."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.models import Attachment, Talent
from studio.pages import page_or_fragment, paginate
from studio.permissions import can_see_costs, can_see_prices, get_visible_or_404

from .filters import ProjectFilter
from .models import DeliverableStatus, Project

CLOSED_DELIVERABLE_STATUSES = [
    DeliverableStatus.APPROVED,
    DeliverableStatus.DELIVERED,
    DeliverableStatus.CANCELLED,
]


@login_required
@vary_on_headers("HX-Request")
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).select_related("brand", "pm")
    filterset = ProjectFilter(request.GET, queryset=projects, request=request)
    context = {
        "filterset": filterset,
        "page_obj": paginate(request, filterset.qs),
        "show_fee": can_see_prices(request.user),
    }
    return render(
        request, page_or_fragment(request, "projects/project_list.html", "results"), context
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = get_visible_or_404(Project.objects.select_related("brand__client", "pm"), user, pk=pk)
    # Names on the page come through Talent's own access rule: teammates for the
    # team, nobody for a brand manager (their contact is the production manager).
    visible_talent = Talent.objects.visible_to(user).select_related("user", "discipline")
    deliverables = list(
        project.deliverables.select_related("deliverable_type", "phase").prefetch_related(
            Prefetch("assignees", visible_talent)
        )
    )
    show_hours = can_see_costs(user)
    live = [d for d in deliverables if d.status != DeliverableStatus.CANCELLED]
    context = {
        "project": project,
        "phases": project.phases.all(),
        "deliverables": deliverables,
        "team": visible_talent.filter(pk__in=_team_of(project)),
        "attachments": Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
        ),
        "show_fee": can_see_prices(user),
        "show_hours": show_hours,
        "planned_hours": sum(d.planned_hours for d in live) if show_hours else None,
        "today": clock.today(),
        "closed_statuses": CLOSED_DELIVERABLE_STATUSES,
    }
    return render(request, "projects/project_detail.html", context)


def _team_of(project: Project):
    """Talent booked on the project or assigned one of its deliverables."""
    return Talent.objects.filter(
        Q(bookings__project=project) | Q(assigned_deliverables__project=project)
    ).values("pk")
