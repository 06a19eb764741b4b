"""Project pages: the list everyone signed in sees (their own share of it), a project's
page, and a deliverable's page where its assignees hand the work in for review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from studio import clock
from studio.attachments import attachments_of
from studio.forms import add_service_errors
from studio.models import Attachment, Comment, Talent
from studio.pages import page_or_fragment, paginate
from studio.permissions import can_see_costs, can_see_prices, get_visible_or_404

from .filters import ProjectFilter
from .forms import DeliverableProgressForm, DeliverableSubmitForm, TeamMessageForm
from .models import Deliverable, DeliverableStatus, Project
from .services import review as services
from .services import team

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


# --- a deliverable's page ------------------------------------------------------------

DETAIL_TEMPLATE = "projects/deliverable_detail.html"


def _visible_deliverable(user, pk: int) -> Deliverable:
    return get_visible_or_404(
        Deliverable.objects.select_related("project__brand", "deliverable_type", "phase"), user, pk=pk
    )


def _page_context(request: HttpRequest, deliverable: Deliverable, **forms) -> dict:
    user = request.user
    can_work = services.can_work_on(user, deliverable)
    return {
        "deliverable": deliverable,
        "project": deliverable.project,
        "assignees": Talent.objects.visible_to(user).filter(assigned_deliverables=deliverable).select_related("user"),
        "attachments": attachments_of(deliverable),
        "notes": Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(deliverable.pk)
        ).select_related("author"),
        "can_work": can_work,
        "is_closed": deliverable.status in services.CLOSED_STATUSES,
        "can_submit": can_work and deliverable.status in services.SUBMITTABLE_STATUSES,
        "submit_form": forms.get("submit_form") or DeliverableSubmitForm(),
        "progress_form": forms.get("progress_form")
        or DeliverableProgressForm(initial={"percent_complete": deliverable.percent_complete}),
        "show_hours": can_see_costs(user),
    }


@login_required
@vary_on_headers("HX-Request")
def deliverable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _visible_deliverable(request.user, pk)
    template = page_or_fragment(request, DETAIL_TEMPLATE, "progress")
    return render(request, template, _page_context(request, deliverable))


@login_required
@require_POST
def deliverable_submit(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _visible_deliverable(request.user, pk)
    if not services.can_work_on(request.user, deliverable):
        raise PermissionDenied
    form = DeliverableSubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.deliverable_submit_for_review(deliverable=deliverable, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Submitted for review."))
            return redirect("projects:deliverable-detail", pk=deliverable.pk)
    return render(request, DETAIL_TEMPLATE, _page_context(request, deliverable, submit_form=form))


@login_required
@require_POST
def deliverable_progress(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _visible_deliverable(request.user, pk)
    if not services.can_work_on(request.user, deliverable):
        raise PermissionDenied
    form = DeliverableProgressForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            deliverable = services.deliverable_progress_update(
                deliverable=deliverable, user=request.user, percent_complete=form.cleaned_data["percent_complete"]
            )
            saved = True
        except ValidationError as error:
            add_service_errors(form, error)
    if not request.htmx:
        if saved:
            messages.success(request, _("Progress saved."))
            return redirect("projects:deliverable-detail", pk=deliverable.pk)
        return render(request, DETAIL_TEMPLATE, _page_context(request, deliverable, progress_form=form))
    context = _page_context(request, deliverable, progress_form=None if saved else form)
    response = render(request, f"{DETAIL_TEMPLATE}#progress", context)
    return trigger_client_event(response, "deliverableChanged") if saved else response
