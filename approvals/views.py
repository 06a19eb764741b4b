"""Approval pages: the inbox of what waits on me, an object's approval panel, delegations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from studio import clock
from studio.dates import day_text
from studio.permissions import can, can_see_object, get_visible_or_404, require

from . import registry
from .forms import BULK_KINDS, BulkApproveForm, DecisionForm, DelegationForm
from .models import Approval, ApprovalFlow, Decision, Delegation
from .services import ApprovalAlreadyDecided, approval_decide, delegation_create, delegation_end

CHANGED = "approvalChanged"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "approvals/inbox.html", _inbox_context(request))


@login_required
@require_GET
def inbox_count(request: HttpRequest) -> HttpResponse:
    count = Approval.objects.waiting_on(request.user).count()
    return render(request, "approvals/inbox_count.html", {"count": count})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision, from an inbox row or an object's panel; answers with that row or panel."""
    approval = get_visible_or_404(Approval.objects.select_related("submitted_by"), request.user, pk=pk)
    form = DecisionForm(request.POST)
    notice = None
    if form.is_valid():
        try:
            approval = approval_decide(approval=approval, user=request.user, **form.cleaned_data)
        except ApprovalAlreadyDecided as stale:
            approval.refresh_from_db()
            notice = stale.messages[0]
        except ValidationError as invalid:
            form.add_error(None, invalid)
    if not request.htmx:
        for error in [notice, *form.errors.get("__all__", []), *form.errors.get("comment", [])]:
            if error:
                messages.warning(request, error)
        if form.is_valid() and not notice:
            messages.success(request, _decided_text(approval))
        return _back(request)
    decided = form.is_valid() or notice
    if request.POST.get("view") == "panel":
        context = _panel_context(request, approval.kind, approval.object_id)
        context["notice"] = notice
        if form.errors:
            context["form"] = form
        response = render(request, "approvals/panel.html", context)
    else:
        context = {"approval": _row(approval), "form": form, "notice": notice, "decided": decided,
                   "bulk_kinds": BULK_KINDS, "show_amount": can(request.user, "project.see_prices")}
        response = render(request, "approvals/inbox.html#row", context)
    return trigger_client_event(response, CHANGED) if decided else response


@login_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve several timesheets at once, each through the engine; report how many."""
    form = BulkApproveForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.warning(request, _("Select the timesheets to approve."))
        return redirect("approvals:inbox")
    approved = skipped = 0
    for approval in form.cleaned_data["approvals"]:
        # Each in its own transaction: one decided meanwhile does not undo the others.
        try:
            approval_decide(approval=approval, user=request.user, outcome=Decision.Outcome.APPROVE)
            approved += 1
        except (ApprovalAlreadyDecided, PermissionDenied):
            skipped += 1
    messages.success(
        request, ngettext("%(count)d timesheet approved.", "%(count)d timesheets approved.", approved)
        % {"count": approved},
    )
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d was not approved: already decided, or not yours to decide.",
                "%(count)d were not approved: already decided, or not yours to decide.",
                skipped,
            ) % {"count": skipped},
        )
    if not request.htmx:
        return redirect("approvals:inbox")
    response = render(request, "approvals/inbox.html#inbox", _inbox_context(request))
    return trigger_client_event(response, CHANGED)


@login_required
@require_GET
def panel(request: HttpRequest, kind: str, object_id: str) -> HttpResponse:
    """An object's approval rounds and, for its current approver, the decision buttons."""
    return render(request, "approvals/panel.html", _panel_context(request, kind, object_id))


@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "approval.delegate")
    form = DelegationForm(request.POST or None, delegator=request.user)
    if request.method == "POST" and form.is_valid():
        delegation_create(delegator=request.user, **form.cleaned_data)
        messages.success(request, _("%(person)s stands in for you from %(start)s to %(end)s.") % {
            "person": form.cleaned_data["delegate"],
            "start": day_text(form.cleaned_data["start_date"]),
            "end": day_text(form.cleaned_data["end_date"]),
        })
        return redirect("approvals:delegation-list")
    context = {
        "form": form,
        "given": Delegation.objects.filter(delegator=request.user).select_related("delegate"),
        "received": Delegation.objects.filter(delegate=request.user).select_related("delegator"),
        "today": clock.today(),
    }
    return render(request, "approvals/delegation_list.html", context)


@login_required
@require_POST
def delegation_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own delegations exist here: others' are 404s.
    delegation = get_object_or_404(Delegation, pk=pk, delegator=request.user)
    delegation_end(delegation=delegation, user=request.user)
    messages.success(request, _("The delegation to %(person)s has ended.") % {"person": delegation.delegate})
    return redirect("approvals:delegation-list")


# --- what the pages show ---------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponse:
    """Where a decision posted without JavaScript returns: the page it was taken on
    (`next`, e.g. a timesheet week), or the inbox."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("approvals:inbox")


def _decided_text(approval: Approval) -> str:
    if approval.is_pending:
        return _("%(object)s: your step is approved; it now waits for %(step)s.") % {
            "object": approval.object_repr, "step": approval.current["name"] if approval.current else "",
        }
    return _("%(object)s: %(status)s.") % {"object": approval.object_repr, "status": approval.get_status_display()}


def _inbox_context(request: HttpRequest) -> dict:
    waiting = Approval.objects.waiting_on(request.user)
    # A section's heading counts all of its kind, not the page's rows: one grouped count,
    # whose sum is also the paginator's total (so it costs no query more than a count).
    kind_totals = dict(waiting.order_by().values_list("kind").annotate(total=Count("pk")))
    paginator = Paginator(
        waiting.select_related("submitted_by").prefetch_related("target").order_by("kind", "submitted_at", "pk"),
        settings.PAGE_SIZE,
    )
    paginator.count = sum(kind_totals.values())
    page_obj = paginator.get_page(request.GET.get("page"))
    kind_names = dict(ApprovalFlow.objects.values_list("kind", "name"))
    # A timesheet's week hours, so a bulk approval is not blind: one query for the page.
    registry.attach_hours(page_obj)
    for approval in page_obj:
        _row(approval)
        approval.kind_name = kind_names.get(approval.kind, approval.kind)
        approval.kind_total = kind_totals.get(approval.kind, 0)
    return {
        "page_obj": page_obj,
        "bulk_kinds": BULK_KINDS,
        "show_amount": can(request.user, "project.see_prices"),
    }


def _row(approval: Approval) -> Approval:
    """Attach the object's link, from its kind's url_of (the target is prefetched on lists),
    and its hours unless the list attached them for its whole page."""
    if not hasattr(approval, "hours"):
        registry.attach_hours([approval])
    try:
        approval_kind = registry.get(approval.kind)
    except LookupError:
        approval.url = ""
    else:
        target = approval.target
        approval.url = approval_kind.url_of(target) if target is not None else ""
    return approval


def _panel_context(request: HttpRequest, kind: str, object_id: str) -> dict:
    try:
        approval_kind = registry.get(kind)
    except LookupError:
        raise Http404 from None
    if not can_see_object(request.user, approval_kind.model, object_id):
        raise Http404
    decisions = Decision.objects.select_related("decided_by", "on_behalf_of").order_by("step")
    rounds = list(
        Approval.objects.filter(kind=kind, object_id=str(object_id))
        .select_related("submitted_by")
        .prefetch_related(Prefetch("decisions", decisions))
        .order_by("-round")
    )
    for approval in rounds:
        decided = {decision.step: decision for decision in approval.decisions.all()}
        approval.timeline = [
            (step, decided.get(index), approval.comments_visible_to(request.user, index))
            for index, step in enumerate(approval.steps)
        ]
    current = rounds[0] if rounds and rounds[0].is_pending else None
    may_decide = False
    if current is not None:
        try:
            current.decider_for(request.user)
            may_decide = True
        except PermissionDenied:
            pass
    return {
        "kind": kind,
        "object_id": object_id,
        "rounds": rounds,
        "current": current,
        "may_decide": may_decide,
        "form": DecisionForm(initial={"step": current.current_step}) if may_decide else None,
        "show_amount": can(request.user, "project.see_prices"),
    }
