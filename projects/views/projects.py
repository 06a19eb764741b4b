"""Project pages: the list everyone signed in sees (their own share of it), a project's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.forms import add_service_errors
from studio.models import Attachment, Talent
from studio.pages import page_or_fragment, paginate
from studio.permissions import Scope, can, get_visible_or_404, require, scope_of

from ..filters import ProjectFilter
from ..forms import TeamMessageForm
from ..models import Deliverable, Project
from ..overview import project_history, project_plan
from ..services import review, team
from ..services.projects import allowed_moves


@login_required
@vary_on_headers("HX-Request")
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).select_related("brand", "pm")
    filterset = ProjectFilter(request.GET, queryset=projects, request=request)
    context = {
        "filterset": filterset,
        "page_obj": paginate(request, filterset.qs),
        "show_fee": can(request.user, "project.see_prices"),
        "sees_all": scope_of(request.user, "project.view") is Scope.ALL,
    }
    return render(
        request, page_or_fragment(request, "projects/project_list.html", "results"), context
    )


def detail_context(request: HttpRequest, project: Project) -> dict:
    """What the project page and its plan fragments show."""
    user = request.user
    today = clock.today()
    show_hours = can(user, "project.see_costs")
    return {
        "project": project,
        "plan": project_plan(project, user=user, today=today),
        "team": Talent.objects.visible_to(user).select_related("user", "discipline").on_projects(project),
        "attachments": Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
        ),
        "history": project_history(project) if show_hours else [],
        "show_fee": can(user, "project.see_prices"),
        "show_hours": show_hours,
        "may_change": can(user, "project.change", project),
        "may_staff": can(user, "project.staff", project),
        "moves": allowed_moves(project),
        "today": today,
        "submittable_ids": set(
            Deliverable.objects.visible_to(user, "work")
            .filter(project=project, status__in=review.SUBMITTABLE_STATUSES)
            .values_list("pk", flat=True)
        ),
    }


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Names on the page come through Talent's own access rule: teammates for the
    # team, nobody for a brand manager (their contact is the production manager).
    project = get_visible_or_404(Project.objects.select_related("brand__client", "pm"), request.user, pk=pk)
    return render(request, "projects/project_detail.html", detail_context(request, project))


TEAM_MESSAGE_TEMPLATE = "projects/team_message.html"


@login_required
@vary_on_headers("HX-Request")
def project_team_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The production manager's message to the project's team: a notification to each of them."""
    project = get_visible_or_404(Project, request.user, pk=pk)
    require(request.user, "project.message_team", project)
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


