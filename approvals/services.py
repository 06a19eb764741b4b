"""The approval engine's writes (DESIGN §2, "Rules of the workflow").

Each kind's handlers come from `approvals.registry`; the engine imports no domain app.
Handlers run inside the deciding transaction, so a failing handler undoes the decision.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from studio import clock
from studio.dates import day_text
from studio.models import Role, StudioSettings, User
from studio.permissions import who_may_see
from studio.services import audit_record, notification_create
from studio.versions import StaleVersion

from . import registry
from .models import Approval, ApprovalFlow, Decision, Delegation
from .querysets import MAX_STEPS

DECISIONS = (Decision.Outcome.APPROVE, Decision.Outcome.REQUEST_CHANGES, Decision.Outcome.REJECT)


class ApprovalError(ValidationError):
    """The approval cannot go ahead as asked."""


class ApprovalAlreadyDecided(StaleVersion, ApprovalError):
    """Someone decided the step first (a concurrent decision, a double click, a second tab);
    `current` is the approval as it stands now."""

    default_message = gettext_lazy("This was already decided; the page shows where it stands now.")


@transaction.atomic
def approval_submit(*, obj: models.Model, kind: str, submitted_by: User) -> Approval:
    """Start a new round of `obj` through its kind's flow."""
    approval_kind = registry.get(kind)
    if not isinstance(obj, approval_kind.model):
        raise TypeError(f"A {kind!r} approval is for {approval_kind.model.__name__}, not {type(obj).__name__}.")
    amount = approval_kind.amount_of(obj)
    steps = approval_steps(kind=kind, amount=amount)

    content_type = ContentType.objects.get_for_model(obj)
    earlier = Approval.objects.filter(content_type=content_type, object_id=str(obj.pk))
    approval = Approval(
        kind=kind,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        round=(earlier.aggregate(last=Max("round"))["last"] or 0) + 1,
        steps=steps,
        amount=amount,
        brand_id=approval_kind.brand_of(obj),
        submitted_by=submitted_by,
    )
    try:
        # The partial unique constraint is the guard: two submissions racing each other
        # cannot both open a round.
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        raise ApprovalError(_("This is already waiting for approval.")) from None

    audit_record(
        actor=submitted_by, obj=obj, action="approval.submitted",
        after={"approval": approval.pk, "round": approval.round, "steps": [s["name"] for s in steps]},
    )
    _advance(approval, obj, approval_kind, start=0)
    return approval


def approval_steps(*, kind: str, amount: Decimal | None) -> list[dict]:
    """The steps of `kind`'s active flow that `amount` reaches, as a submission copies them."""
    flow = ApprovalFlow.objects.filter(kind=kind, active=True).prefetch_related("steps").first()
    if flow is None:
        raise ApprovalError(_("No approval flow is set up for this kind of object; ask an administrator."))
    # Read at each submission, so a threshold changed in the studio settings decides the
    # next one; the copy keeps the amount that was in effect.
    threshold = StudioSettings.load().approval_threshold(kind)
    reached = threshold is not None and amount is not None and amount > threshold
    # Copied now, so later edits of the flow do not reach approvals in flight.
    steps = [
        {
            "order": step.order,
            "name": step.name,
            "role": step.role,
            "user": step.user_id,
            "min_amount": str(threshold) if step.only_above_threshold else None,
        }
        for step in flow.steps.all()
        if not step.only_above_threshold or reached
    ]
    if len(steps) > MAX_STEPS:
        raise ApprovalError(_("An approval flow can have at most %(count)d steps.") % {"count": MAX_STEPS})
    return steps


@transaction.atomic
def approval_decide(
    *, approval: Approval, user: User, outcome: str, comment: str = "", step: int | None = None
) -> Approval:
    """Decide the current step of `approval`. `step` is the step the decider saw (default:
    the one `approval` was loaded at); if it moved on meanwhile, ApprovalAlreadyDecided."""
    seen = approval.current_step if step is None else step
    # The row lock serialises deciders: the second one waits, then finds the step moved on.
    locked = Approval.objects.select_for_update().get(pk=approval.pk)
    principal = locked.decider_for(user, seen)
    if not locked.is_pending or locked.current_step != seen:
        raise ApprovalAlreadyDecided(locked)
    if outcome not in DECISIONS:
        raise ValidationError({"outcome": _("Approve, request changes or reject.")})
    comment = comment.strip()
    if outcome != Decision.Outcome.APPROVE and not comment:
        raise ValidationError({"comment": _("Say what should change, or why it is rejected.")})

    try:
        # Belt and braces where rows are not locked: one decision per step.
        with transaction.atomic():
            Decision.objects.create(
                approval=locked, step=seen, outcome=outcome, comment=comment, decided_by=user,
                on_behalf_of=principal if principal != user else None,
            )
    except IntegrityError:
        raise ApprovalAlreadyDecided(locked) from None

    approval_kind = registry.get(locked.kind)
    obj = approval_kind.model._default_manager.get(pk=locked.object_id)
    audit_record(
        actor=user, obj=obj, action=f"approval.{outcome}", reason=comment,
        before={"approval": locked.pk, "status": locked.status, "step": seen},
        after={"approval": locked.pk, "round": locked.round, "step": seen, "outcome": outcome,
               "on_behalf_of": principal.pk if principal != user else None},
    )
    if outcome == Decision.Outcome.APPROVE:
        if seen + 1 < len(locked.steps):
            approval_kind.on_step_approved(obj, locked, user)
        _advance(locked, obj, approval_kind, start=seen + 1, actor=user, comment=comment)
    else:
        if outcome == Decision.Outcome.REQUEST_CHANGES:
            _end(locked, Approval.Status.CHANGES_REQUESTED)
            approval_kind.on_request_changes(obj, locked, user)
        else:
            _end(locked, Approval.Status.REJECTED)
            approval_kind.on_reject(obj, locked, user)
        _tell_submitter(locked, obj, approval_kind, actor=user, comment=comment)
    return locked


@transaction.atomic
def approval_withdraw(*, approval: Approval, user: User) -> Approval:
    """The submitter (or whom the kind allows) takes a pending approval back."""
    locked = Approval.objects.select_for_update().get(pk=approval.pk)
    approval_kind = registry.get(locked.kind)
    obj = approval_kind.model._default_manager.get(pk=locked.object_id)
    if user.pk != locked.submitted_by_id and not approval_kind.may_withdraw(obj, user):
        raise PermissionDenied
    if not locked.is_pending:
        raise ApprovalAlreadyDecided(locked)
    _end(locked, Approval.Status.WITHDRAWN)
    audit_record(actor=user, obj=obj, action="approval.withdrawn", after={"approval": locked.pk})
    approval_kind.on_withdraw(obj, locked, user)
    return locked


def approval_approvers(approval: Approval) -> list[User]:
    """Who may decide the current step: its assignees who may see the object, and
    the delegates standing in for them today."""
    current = approval.current
    if current is None or not approval.is_pending:
        return []
    people = User.objects.active().exclude(pk=approval.submitted_by_id)
    if current.get("user"):
        people = people.filter(pk=current["user"])
    elif current["role"] == Role.BRAND_MANAGER:
        people = people.filter(role=Role.BRAND_MANAGER, brands=approval.brand_id)
    else:
        people = people.filter(role=current["role"])
    assignees = list(people)
    delegates = User.objects.active().filter(
        pk__in=Delegation.objects.active_on(clock.today()).filter(delegator__in=assignees).values("delegate")
    ).exclude(pk=approval.submitted_by_id)
    model = ContentType.objects.get_for_id(approval.content_type_id).model_class()
    unique = {person.pk: person for person in [*assignees, *delegates]}
    return who_may_see(unique.values(), model, approval.object_id)


@transaction.atomic
def delegation_create(*, delegator: User, delegate: User, start_date: dt.date, end_date: dt.date) -> Delegation:
    """Name a stand-in who decides what `delegator` could, from `start_date` to `end_date`."""
    delegation = Delegation(delegator=delegator, delegate=delegate, start_date=start_date, end_date=end_date)
    delegation.full_clean()
    delegation.save()
    audit_record(
        actor=delegator, obj=delegation, action="delegation.created",
        after={"delegate": delegate.pk, "start_date": start_date, "end_date": end_date},
    )
    notification_create(
        recipient=delegate,
        subject=_("%(person)s named you their stand-in for approvals") % {"person": delegator},
        body=_("From %(start)s to %(end)s you may decide what waits on them.")
        % {"start": day_text(start_date), "end": day_text(end_date)},
        url=reverse("approvals:inbox"),
    )
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, user: User) -> None:
    """End a delegation today: one that has not started yet is removed."""
    if delegation.delegator_id != user.pk:
        raise PermissionDenied
    today = clock.today()
    if delegation.end_date < today:
        return
    before = {"start_date": delegation.start_date, "end_date": delegation.end_date}
    audit_record(actor=user, obj=delegation, action="delegation.ended", before=before)
    # Decisions made through it keep `on_behalf_of`, so nothing of its history is lost.
    if delegation.start_date >= today:
        delegation.delete()
    else:
        delegation.end_date = today - dt.timedelta(days=1)
        delegation.save(update_fields=["end_date"])


# --- the engine's moves -----------------------------------------------------------------


def _advance(approval: Approval, obj, approval_kind, *, start: int, actor: User | None = None, comment: str = ""):
    """Move to the first step from `start` that the submitter does not decide themselves
    (those are skipped and recorded); past the last step the approval is approved."""
    index = start
    submitter = approval.submitted_by
    while index < len(approval.steps) and (reason := _skip_reason(approval, submitter, index)):
        Decision.objects.create(approval=approval, step=index, outcome=Decision.Outcome.SKIPPED, comment=reason)
        audit_record(
            actor=None, obj=obj, action="approval.skipped",
            after={"approval": approval.pk, "round": approval.round, "step": index},
            reason=reason,
        )
        index += 1
    if index < len(approval.steps):
        approval.current_step = index
        approval.save(update_fields=["current_step"])
        _tell_approvers(approval, obj, approval_kind, actor=actor)
        return
    approval.current_step = max(len(approval.steps) - 1, 0)
    _end(approval, Approval.Status.APPROVED)
    approval_kind.on_approve(obj, approval, actor or submitter)
    _tell_submitter(approval, obj, approval_kind, actor=actor or submitter, comment=comment)


def _skip_reason(approval: Approval, submitter: User, step: int) -> str:
    """Why a step is passed over, or "" if somebody decides it."""
    if approval.is_for(submitter, step):
        return "own submission"
    if approval.steps[step]["role"] == Role.BRAND_MANAGER and approval.brand_id is None:
        # Internal work has no brand, so no brand manager to decide.
        return "no brand"
    return ""


def _end(approval: Approval, status: str) -> None:
    approval.status = status
    approval.decided_at = timezone.now()
    approval.save(update_fields=["status", "decided_at", "current_step"])


def _url(approval_kind, obj) -> str:
    return approval_kind.url_of(obj) or reverse("approvals:inbox")


def _tell_approvers(approval: Approval, obj, approval_kind, *, actor: User | None) -> None:
    for person in approval_approvers(approval):
        if person == actor:
            continue
        notification_create(
            recipient=person,
            subject=_("Waiting for your approval: %(object)s") % {"object": approval.object_repr},
            body=_("%(step)s, submitted by %(person)s.")
            % {"step": approval.current["name"], "person": approval.submitted_by},
            url=reverse("approvals:inbox"),
            target=obj,
        )


SUBJECTS = {
    Approval.Status.APPROVED: gettext_noop("Approved: %(object)s"),
    Approval.Status.CHANGES_REQUESTED: gettext_noop("Changes requested: %(object)s"),
    Approval.Status.REJECTED: gettext_noop("Rejected: %(object)s"),
}


def _tell_submitter(approval: Approval, obj, approval_kind, *, actor: User | None, comment: str) -> None:
    # Nobody needs telling what they just did themselves.
    if actor is not None and actor.pk == approval.submitted_by_id:
        return
    subject = _(SUBJECTS[approval.status]) % {"object": approval.object_repr}
    notification_create(
        recipient=approval.submitted_by, subject=subject, body=comment, url=_url(approval_kind, obj), target=obj
    )
