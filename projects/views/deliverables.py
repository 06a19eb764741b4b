"""A deliverable's page, where its assignees hand the work in for review and report progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from studio.attachments import attachments_of
from studio.forms import add_service_errors
from studio.models import Comment, Talent
from studio.pages import page_or_fragment
from studio.permissions import can, get_visible_or_404, require

from ..forms import DeliverableProgressForm, DeliverableSubmitForm
from ..models import Deliverable
from ..services import review as services

DETAIL_TEMPLATE = "projects/deliverable_detail.html"


def _visible_deliverable(user, pk: int) -> Deliverable:
    return get_visible_or_404(
        Deliverable.objects.select_related("project__brand", "deliverable_type", "phase"), user, pk=pk
    )


def _page_context(request: HttpRequest, deliverable: Deliverable, **forms) -> dict:
    user = request.user
    can_work = can(user, "deliverable.work", deliverable)
    return {
        "deliverable": deliverable,
        "project": deliverable.project,
        "assignees": Talent.objects.visible_to(user).filter(assigned_deliverables=deliverable).select_related("user"),
        "attachments": attachments_of(deliverable),
        "notes": Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(deliverable.pk)
        ).select_related("author"),
        "can_work": can_work,
        "is_closed": deliverable.is_closed,
        "can_submit": can_work and deliverable.status in services.SUBMITTABLE_STATUSES,
        "submit_form": forms.get("submit_form") or DeliverableSubmitForm(),
        "progress_form": forms.get("progress_form")
        or DeliverableProgressForm(initial={"percent_complete": deliverable.percent_complete}),
        "show_hours": can(user, "project.see_costs"),
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
    require(request.user, "deliverable.work", deliverable)
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
    require(request.user, "deliverable.work", deliverable)
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
