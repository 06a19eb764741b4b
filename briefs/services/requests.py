"""Intake: a brand manager's request, from submission through the production manager's triage.

A submitted request goes to the approval engine as kind "request" (one step: a
production manager). The PM triages either on the request's own page (accept,
ask for information, decline), which also decides the pending approval, or in
the approval inbox, whose decision reaches the hooks at the end of this module.
Each triage path ends in the same private step, so the two cannot drift apart.
When an approval is involved the engine tells the brand manager how it was decided;
the services here notify only where no approval is (requests from before the engine).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import Approval, Decision
from approvals.services import approval_decide, approval_submit
from projects.models import DeliverableType, Project
from projects.services.plan import MAX_QUANTITY
from projects.services.projects import project_from_request
from studio import clock
from studio.attachments import attachment_add, attachment_check, attachments_discard
from studio.models import AuditEvent, Brand, Comment, User
from studio.permissions import can, require
from studio.services import audit_record, notification_create
from studio.versions import StaleVersion
from studio.workdays import check_plan_dates

from ..models import Request, RequestItem
from .briefs import brief_create_from_request

APPROVAL_KIND = "request"
OPEN_STATUSES = (Request.Status.SUBMITTED, Request.Status.INFO_REQUESTED)


class StaleRequestError(StaleVersion):
    """The request changed since the form was opened; nothing was saved."""

    default_message = gettext_lazy(
        "This request changed since you opened it. Its current state is shown below; nothing was changed."
    )


# --- the rules a request's fields follow ---------------------------------------------


def deadline_error(deadline: dt.date) -> str | None:
    """Why a request cannot have this deadline: not after today, or outside the plan window."""
    if deadline <= clock.today():
        return _("Choose a deadline after today.")
    try:
        check_plan_dates(clock.today(), deadline=deadline)
    except ValidationError as error:
        return error.message_dict["deadline"][0]
    return None


def quantity_error(quantity: int | None) -> str | None:
    """Why a wanted quantity cannot be asked for: none or fewer than 1, or more units
    than a deliverable may have (what the project would be planned with)."""
    if quantity is None or quantity <= 0:
        return _("Each quantity must be at least 1.")
    if quantity > MAX_QUANTITY:
        return _("Ask for at most %(max)s units.") % {"max": number_format(MAX_QUANTITY, force_grouping=True)}
    return None


def items_errors(items: Sequence[tuple[DeliverableType, int]]) -> list[str]:
    """What is wrong with the wanted deliverables as a whole, per rule."""
    errors = []
    if not items:
        errors.append(_("Ask for at least one deliverable."))
    # Each rule once, however many rows break it.
    errors.extend(dict.fromkeys(filter(None, (quantity_error(quantity) for _type, quantity in items))))
    types = [deliverable_type.pk for deliverable_type, _quantity in items]
    if len(types) != len(set(types)):
        errors.append(_("List each deliverable type once; add up the quantities instead."))
    return errors


def request_input_errors(
    *,
    submitted_by: User,
    brand: Brand,
    deadline: dt.date,
    budget: Decimal,
    items: Sequence[tuple[DeliverableType, int]],
    files: Iterable[UploadedFile] = (),
) -> dict[str, list[str]]:
    """Field errors of a request about to be submitted; empty when it may be."""
    errors: dict[str, list[str]] = {}
    if not submitted_by.brands.filter(pk=brand.pk, active=True).exists():
        errors["brand"] = [_("Choose one of your brands.")]
    if message := deadline_error(deadline):
        errors["deadline"] = [message]
    if budget is None or budget < 0:
        errors["budget"] = [_("The budget cannot be negative.")]
    if item_messages := items_errors(items):
        errors["items"] = item_messages
    file_messages = []
    for upload in files:
        try:
            attachment_check(upload)
        except ValidationError as error:
            file_messages.extend(error.messages)
    if file_messages:
        errors["files"] = file_messages
    return errors


# --- submission -----------------------------------------------------------------------


def request_submit(
    *,
    submitted_by: User,
    brand: Brand,
    title: str,
    objectives: str,
    deadline: dt.date,
    budget: Decimal,
    items: Sequence[tuple[DeliverableType, int]],
    files: Sequence[UploadedFile] = (),
) -> Request:
    """Create a brand manager's request with its wanted deliverables and files, and send it for approval."""
    require(submitted_by, "request.add")
    if errors := request_input_errors(
        submitted_by=submitted_by, brand=brand, deadline=deadline, budget=budget, items=items, files=files
    ):
        raise ValidationError(errors)

    # Files are stored last, once every row is written; if anything fails
    # after that, the stored files are removed with the rolled-back rows.
    stored = []
    try:
        with transaction.atomic():
            brand_request = Request.objects.create(
                title=title.strip(),
                brand=brand,
                submitted_by=submitted_by,
                objectives=objectives.strip(),
                deadline=deadline,
                budget=budget,
                status=Request.Status.SUBMITTED,
            )
            RequestItem.objects.bulk_create(
                RequestItem(request=brand_request, deliverable_type=deliverable_type, quantity=quantity)
                for deliverable_type, quantity in items
            )
            audit_record(
                actor=submitted_by, obj=brand_request, action="request.submitted", after=_snapshot(brand_request)
            )
            approval_submit(obj=brand_request, kind=APPROVAL_KIND, submitted_by=submitted_by)
            for upload in files:
                stored.append(attachment_add(obj=brand_request, uploaded_file=upload, uploaded_by=submitted_by))
    except BaseException:
        attachments_discard(stored)
        raise
    return brand_request


# --- triage on the request's page ------------------------------------------------------


@transaction.atomic
def request_accept(
    *,
    request: Request,
    accepted_by: User,
    pm: User | None = None,
    code: str | None = None,
    version: int | None = None,
) -> Project:
    """Turn the request into a planned project with its deliverables and a draft brief."""
    require(accepted_by, "request.triage", request)
    if pm is not None and not can(pm, "project.manage"):
        raise ValidationError({"pm": [_("Choose a production manager.")]})
    accept = partial(_accept, accepted_by=accepted_by, pm=pm, code=(code or "").strip() or None)
    return _triage(request, version, accept, user=accepted_by, outcome=Decision.Outcome.APPROVE).project


@transaction.atomic
def request_ask_info(*, request: Request, user: User, question: str, version: int | None = None) -> Request:
    """Ask the brand manager for more information; the question opens the request's thread."""
    require(user, "request.triage", request)
    question = _written(question, field="question", missing=_("Write the question for the brand manager."))
    ask_info = partial(_ask_info, user=user, question=question)
    return _triage(request, version, ask_info, user=user, outcome=Decision.Outcome.REQUEST_CHANGES, comment=question)


@transaction.atomic
def request_decline(*, request: Request, user: User, reason: str, version: int | None = None) -> Request:
    """Decline the request, saying why."""
    require(user, "request.triage", request)
    reason = _decline_reason(reason)
    decline = partial(_decline, user=user, reason=reason)
    return _triage(request, version, decline, user=user, outcome=Decision.Outcome.REJECT, comment=reason)


@transaction.atomic
def request_answer(*, request: Request, user: User, answer: str, version: int | None = None) -> Request:
    """The brand manager answers the studio's question; the request goes back for triage."""
    require(user, "request.answer", request)
    answer = _written(answer, field="answer", missing=_("Write your answer first."))
    brand_request = _locked(request, version)
    if brand_request.status != Request.Status.INFO_REQUESTED:
        raise ValidationError(_("The studio is not waiting for an answer on this request."), code="not_waiting")
    before = _snapshot(brand_request)
    _comment(brand_request, author=user, body=answer)
    _record(brand_request, before, user=user, status=Request.Status.SUBMITTED, action="request.answered", reason=answer)
    # A new approval round (the earlier one ended when the question was asked),
    # whose approvers the engine tells; without one, the asker is told here.
    if Approval.objects.pending_for(brand_request) is None:
        approval_submit(obj=brand_request, kind=APPROVAL_KIND, submitted_by=user)
    elif asker := _last_asker(brand_request):
        _notify(asker, brand_request, _("%(user)s answered your question on “%(title)s”"), user=user, body=answer)
    return brand_request


def _triage(
    request: Request,
    version: int | None,
    step: Callable[..., object],
    *,
    user: User,
    outcome: str,
    comment: str = "",
) -> Request:
    """Take `step` on the open request, then close its pending approval the way the
    triage went: the approval's hook finds the work done, and the engine tells the brand
    manager. Without an approval (requests from before the engine) the step tells them."""
    brand_request = _locked_open(request, version)
    pending = Approval.objects.pending_for(brand_request)
    step(brand_request, notify=pending is None)
    if pending is not None:
        approval_decide(approval=pending, user=user, outcome=outcome, comment=comment)
    return brand_request


# --- what the approval inbox decides (hooks of the "request" kind) ----------------------
# The engine calls each as hook(obj, approval, user) inside the deciding transaction.
# A triage on the request's page changes the request first and then decides the
# approval, so there the hook finds the work done and does nothing.


def request_on_approve(obj: Request, approval: Approval, user: User) -> None:
    """Approved in the inbox: accept with the defaults (the approver manages the project)."""
    if brand_request := _undecided(obj, Request.Status.ACCEPTED):
        _accept(brand_request, accepted_by=user, pm=None, code=None, notify=False)


def request_on_request_changes(obj: Request, approval: Approval, user: User) -> None:
    """Changes requested in the inbox: the comment is the question to the brand manager."""
    if brand_request := _undecided(obj, Request.Status.INFO_REQUESTED):
        _ask_info(brand_request, user=user, question=_decision_comment(approval), notify=False)


def request_on_reject(obj: Request, approval: Approval, user: User) -> None:
    """Rejected in the inbox: declined, with the comment as the reason."""
    if brand_request := _undecided(obj, Request.Status.DECLINED):
        _decline(brand_request, user=user, reason=_decline_reason(_decision_comment(approval)), notify=False)


def _undecided(obj: Request, decided: str) -> Request | None:
    """The open request, locked; none when a triage on its page already left it `decided`."""
    brand_request = _locked(obj)
    if brand_request.status == decided:
        return None
    _require_open(brand_request)
    return brand_request


# --- reads for the request's page ------------------------------------------------------


def _of_request(request: Request) -> dict:
    # Joined rather than looked up, so a page's query count does not depend on the content-type cache.
    return {"content_type__app_label": "briefs", "content_type__model": "request", "object_id": str(request.pk)}


# A triage decides the request's pending approval in the same step, so the audit trail
# holds the engine's record of that decision next to the request's own, which says the
# same (with the same question or reason): the history shows the request's.
_TRIAGE_OF_DECISION = {
    "approval.request_changes": "request.info_requested",
    "approval.approve": "request.accepted",
    "approval.reject": "request.declined",
}


def request_history(request: Request) -> list[AuditEvent]:
    """The request's audit trail, oldest first: its status history, each triage once."""
    events = list(
        AuditEvent.objects.filter(**_of_request(request)).select_related("actor").order_by("created_at", "id")
    )
    return [event for index, event in enumerate(events) if not _repeats_a_triage(events, index)]


def _repeats_a_triage(events: list[AuditEvent], index: int) -> bool:
    """Whether events[index] is an approval decision recorded beside the triage it made
    (before it when decided on the request's page, after it when decided in the inbox)."""
    event = events[index]
    triage = _TRIAGE_OF_DECISION.get(event.action)
    neighbours = events[max(index - 1, 0) : index] + events[index + 1 : index + 2]
    return triage is not None and any(
        other.action == triage and other.actor_id == event.actor_id for other in neighbours
    )


def request_comments(request: Request):
    """The thread between the studio and the brand, oldest first."""
    return Comment.objects.filter(**_of_request(request)).select_related("author").order_by("created_at", "id")


# --- the steps both triage paths share ---------------------------------------------------


def _accept(brand_request: Request, *, accepted_by: User, pm: User | None, code: str | None, notify: bool) -> Project:
    before = _snapshot(brand_request)
    items = brand_request.items.select_related("deliverable_type")
    project = project_from_request(
        user=accepted_by,
        name=brand_request.title,
        brand=brand_request.brand,
        pm=pm or accepted_by,
        due_date=brand_request.deadline,
        fee=brand_request.budget,
        description=brand_request.objectives,
        items=[(item.deliverable_type, item.quantity) for item in items],
        code=code,
        reason=_("From request “%(title)s”.") % {"title": brand_request.title},
    )
    brand_request.project = project
    brief_create_from_request(request=brand_request, created_by=accepted_by)
    _record(brand_request, before, user=accepted_by, status=Request.Status.ACCEPTED, action="request.accepted")
    if notify:
        subject = _("Your request “%(title)s” was accepted as project %(code)s")
        _notify(brand_request.submitted_by, brand_request, subject, user=accepted_by, code=project.code)
    return project


def _ask_info(brand_request: Request, *, user: User, question: str, notify: bool) -> None:
    before = _snapshot(brand_request)
    if question:
        _comment(brand_request, author=user, body=question)
    status = Request.Status.INFO_REQUESTED
    _record(brand_request, before, user=user, status=status, action="request.info_requested", reason=question)
    if notify:
        subject = _("The studio has a question about “%(title)s”")
        _notify(brand_request.submitted_by, brand_request, subject, user=user, body=question)


def _decline(brand_request: Request, *, user: User, reason: str, notify: bool) -> None:
    before = _snapshot(brand_request)
    brand_request.decline_reason = reason
    _record(brand_request, before, user=user, status=Request.Status.DECLINED, action="request.declined", reason=reason)
    if notify:
        subject = _("Your request “%(title)s” was declined")
        _notify(brand_request.submitted_by, brand_request, subject, user=user, body=reason)


def _record(brand_request: Request, before: dict, *, user: User, status: str, action: str, reason: str = "") -> None:
    """Save the request in `status` and audit the move from `before`."""
    brand_request.status = status
    _save(brand_request)
    after = _snapshot(brand_request)
    audit_record(actor=user, obj=brand_request, action=action, before=before, after=after, reason=reason)


def _written(text: str | None, *, field: str, missing: str) -> str:
    """The text without its surrounding blanks; a field error when nothing is left."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [missing]})
    return text


def _decline_reason(reason: str | None) -> str:
    return _written(reason, field="reason", missing=_("Say why the request is declined."))


def _locked(request: Request, version: int | None = None) -> Request:
    # The row as it is now, held to the end of the transaction: two triagers (or a
    # triager and the brand manager) acting at once must not overwrite each other.
    brand_request = (
        Request.objects.select_for_update(of=("self",)).select_related("brand", "submitted_by").get(pk=request.pk)
    )
    if version is not None and version != brand_request.version:
        raise StaleRequestError(brand_request)
    return brand_request


def _locked_open(request: Request, version: int | None) -> Request:
    brand_request = _locked(request, version)
    _require_open(brand_request)
    return brand_request


def _require_open(brand_request: Request) -> None:
    if brand_request.status not in OPEN_STATUSES:
        raise ValidationError(
            _("The request is %(status)s; it can no longer be triaged.")
            % {"status": brand_request.get_status_display().lower()},
            code="closed",
        )


def _save(brand_request: Request) -> None:
    brand_request.version += 1
    brand_request.save()


def _snapshot(brand_request: Request) -> dict:
    return {
        "status": brand_request.status,
        "deadline": brand_request.deadline,
        "budget": brand_request.budget,
        "decline_reason": brand_request.decline_reason,
        "project": brand_request.project_id,
        "version": brand_request.version,
    }


def _comment(brand_request: Request, *, author: User, body: str) -> Comment:
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Request),
        object_id=str(brand_request.pk),
        author=author,
        body=body,
    )


def _notify(recipient: User, brand_request: Request, subject: str, *, user: User, body: str = "", **values) -> None:
    if recipient.pk == user.pk:
        return
    notification_create(
        recipient=recipient,
        subject=subject % {"title": brand_request.title, "user": user, **values},
        body=body,
        url=brand_request.get_absolute_url(),
        target=brand_request,
    )


def _last_asker(brand_request: Request) -> User | None:
    event = (
        AuditEvent.objects.for_object(brand_request)
        .filter(action="request.info_requested", actor__isnull=False)
        .select_related("actor")
        .first()
    )
    return event.actor if event else None


def _decision_comment(approval: Approval) -> str:
    decision = approval.decisions.exclude(outcome=Decision.Outcome.SKIPPED).order_by("-step", "-pk").first()
    return decision.comment if decision else ""
