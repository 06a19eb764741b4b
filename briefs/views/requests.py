"""Request pages: the brand's asks as brand managers and the studio see them,
the brand manager's request form, and the production manager's triage."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.attachments import attachments_of
from studio.forms import add_service_errors
from studio.pages import page_or_fragment, paginate
from studio.permissions import can, get_visible_or_404, require

from ..filters import RequestFilter
from ..forms.requests import (
    AcceptForm,
    AnswerForm,
    AskInfoForm,
    DeclineForm,
    RequestForm,
    request_item_formset,
)
from ..models import Brief, Request
from ..services import requests as intake

# What each entry of a request's history says, by audit action.
HISTORY_LABELS = {
    "request.submitted": _lazy("Submitted"),
    "request.info_requested": _lazy("Information requested"),
    "request.answered": _lazy("Answered"),
    "request.accepted": _lazy("Accepted"),
    "request.declined": _lazy("Declined"),
    "approval.submitted": _lazy("Sent for approval"),
    "approval.approve": _lazy("Approved"),
    "approval.request_changes": _lazy("Changes requested"),
    "approval.reject": _lazy("Rejected"),
    "approval.withdrawn": _lazy("Approval withdrawn"),
    "approval.skipped": _lazy("Approval step skipped"),
}


@login_required
@vary_on_headers("HX-Request")
def request_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "request.view")
    requests = (
        Request.objects.visible_to(request.user).select_related("brand").with_items().order_by("-created_at", "-pk")
    )
    filters = RequestFilter(request.GET, queryset=requests, request=request)
    page_obj = paginate(request, filters.qs)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "can_submit": can(request.user, "request.add"),
        # The open requests of the page, for schedules' feasibility verdicts (one batch a page).
        "feasibility_asks": {row.pk: _feasibility_ask(row) for row in page_obj if row.status in intake.OPEN_STATUSES},
    }
    return render(request, page_or_fragment(request, "briefs/request_list.html", "table"), context)


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "request.add")
    data = request.POST if request.method == "POST" else None
    form = RequestForm(data, request.FILES if data is not None else None, user=request.user)
    items = request_item_formset(data)
    # Both validated, so every field error shows at once.
    if data is not None and all([form.is_valid(), items.is_valid()]):
        try:
            brand_request = intake.request_submit(
                submitted_by=request.user,
                brand=form.cleaned_data["brand"],
                title=form.cleaned_data["title"],
                objectives=form.cleaned_data["objectives"],
                deadline=form.cleaned_data["deadline"],
                budget=form.cleaned_data["budget"],
                items=items.items(),
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _show_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the studio."))
            return redirect("briefs:request-detail", pk=brand_request.pk)
    return render(request, "briefs/request_form.html", {"form": form, "items": items})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@dataclass(frozen=True)
class TriageStep:
    """A form posted from a request's page: the action it needs of the user, the service
    it calls (the user passed as `by`, the form's fields as they are named) and what the
    user is told when it succeeds."""

    form_class: type[forms.Form]
    service: Callable[..., object]
    success: str
    action: str = "request.triage"
    by: str = "user"


# By the name the URL gives; the page holds each step's form as "<name>_form".
TRIAGE_STEPS = {
    "accept": TriageStep(
        AcceptForm,
        intake.request_accept,
        _lazy("The request is accepted: its project, deliverables and draft brief are ready."),
        by="accepted_by",
    ),
    "ask_info": TriageStep(AskInfoForm, intake.request_ask_info, _lazy("Your question was sent to the brand manager.")),
    "decline": TriageStep(
        DeclineForm, intake.request_decline, _lazy("The request is declined; the brand manager was told why.")
    ),
    "answer": TriageStep(
        AnswerForm,
        intake.request_answer,
        _lazy("Your answer was sent; the request is back with the studio."),
        action="request.answer",
    ),
}


@login_required
@require_POST
def request_triage(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Fetch (404 if not visible), check the user may take the step's action on it (403),
    validate, write; on failure show the page again with the errors in place, or with the
    current state if it was stale."""
    triage = TRIAGE_STEPS[step]
    brand_request = _visible(request, pk)
    require(request.user, triage.action, brand_request)
    form = triage.form_class(request.POST)
    if form.is_valid():
        try:
            triage.service(request=brand_request, **{triage.by: request.user}, **form.cleaned_data)
        except intake.StaleRequestError as error:
            messages.error(request, error.messages[0])
            return _detail(request, _visible(request, pk), status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, triage.success)
            return redirect("briefs:request-detail", pk=pk)
    return _detail(request, brand_request, bound={f"{step}_form": form}, status=400)


# --- shared by the pages above ------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Request:
    queryset = Request.objects.select_related("brand", "project", "submitted_by").with_items()
    return get_visible_or_404(queryset, request.user, pk=pk)


def _feasibility_ask(brand_request: Request) -> tuple[list[tuple[int, int]], dt.date]:
    """(wanted deliverables as (type id, units), deadline): what feasibility is asked of."""
    return [(item.deliverable_type_id, item.quantity) for item in brand_request.items.all()], brand_request.deadline


def _feasibility_query(brand_request: Request) -> str:
    """The request as the feasibility fragment reads the request form's fields."""
    items, deadline = _feasibility_ask(brand_request)
    fields = {"deadline": deadline.isoformat()}
    for n, (type_id, quantity) in enumerate(items):
        fields |= {f"items-{n}-deliverable_type": type_id, f"items-{n}-quantity": quantity}
    return urlencode(fields)


def _detail(request, brand_request: Request, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    is_open = brand_request.status in intake.OPEN_STATUSES
    deadline_passed = brand_request.deadline <= clock.today()
    initial = {"version": brand_request.version}
    forms = {}
    if is_open and can(user, "request.triage", brand_request):
        forms = {
            "accept_form": AcceptForm(initial=initial),
            "ask_info_form": AskInfoForm(initial=initial),
            "decline_form": DeclineForm(initial=initial),
        }
    if brand_request.status == Request.Status.INFO_REQUESTED and can(user, "request.answer", brand_request):
        forms["answer_form"] = AnswerForm(initial=initial)
    forms.update(bound or {})
    context = {
        "brand_request": brand_request,
        "attachments": attachments_of(brand_request),
        "history": [
            (event, HISTORY_LABELS.get(event.action, event.action)) for event in intake.request_history(brand_request)
        ],
        "comments": intake.request_comments(brand_request),
        # The brief it became, for those who may read it (a brand manager once it is in review).
        "briefs": Brief.objects.visible_to(user).filter(request=brand_request).only("pk", "title", "status"),
        # While it is open: whether the studio can make it, recomputed today (schedules' fragment).
        "feasibility_query": _feasibility_query(brand_request) if is_open and not deadline_passed else "",
        "deadline_passed": is_open and deadline_passed,
        **forms,
    }
    return render(request, "briefs/request_detail.html", context, status=status)


def _show_service_errors(form: RequestForm, error: ValidationError) -> None:
    # The service checks again what the form checked; its names differ in two places.
    names = {"files": "attachments", "items": None}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = names.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
