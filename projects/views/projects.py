"""Project pages: the list everyone signed in sees (their own share of it), a project's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.forms import add_service_errors
from studio.models import Attachment, Talent
from studio.pages import page_or_fragment, paginate
from studio.permissions import can_see_costs, can_see_prices, get_visible_or_404

from ..filters import ProjectFilter
from ..forms import TeamMessageForm
from ..models import DeliverableStatus, Project
from ..services import review as services
from ..services import team

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
        "team": visible_talent.on_projects(project),
        "attachments": Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
        ),
        "show_fee": can_see_prices(user),
        "show_hours": show_hours,
        "planned_hours": sum(d.planned_hours for d in live) if show_hours else None,
        "today": clock.today(),
        "closed_statuses": CLOSED_DELIVERABLE_STATUSES,
        "submittable_ids": set(
            project.deliverables.filter(services.worked_on_by(user), status__in=services.SUBMITTABLE_STATUSES)
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "projects/project_detail.html", context)


TEAM_MESSAGE_TEMPLATE = "projects/team_message.html"


@login_required
@vary_on_headers("HX-Request")
def project_team_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The production manager's message to the project's team: a notification to each of them."""
    project = get_visible_or_404(Project, request.user, pk=pk)
    if not request.user.is_pm:
        raise PermissionDenied
    form = TeamMessageForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            sent = team.project_team_message(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(sent)
            done = ngettext(
                "Message sent to %(count)d person on the team.",
                "Message sent to %(count)d people on the team.",
                count,
            ) % {"count": count}
            if not request.htmx:
                messages.success(request, done)
                return redirect("projects:project-detail", pk=project.pk)
            form = TeamMessageForm()
            return render(request, TEAM_MESSAGE_TEMPLATE + "#form", {"project": project, "form": form, "sent": done})
    template = page_or_fragment(request, TEAM_MESSAGE_TEMPLATE, "form")
    return render(request, template, {"project": project, "form": form})


