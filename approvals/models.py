"""The generic approval engine's records: flows, approvals in flight, decisions, delegations.

Knows no domain app: approvals point at any object through a generic relation.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from studio import clock
from studio.dates import day_text
from studio.models import Role, StudioSettings
from studio.permissions import can, can_see_object

from .querysets import ApprovalQuerySet


class ApprovalFlow(models.Model):
    """The ordered steps that one kind of object (brief, budget, timesheet…) goes through."""

    kind = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.name


class ApprovalStep(models.Model):
    flow = models.ForeignKey(ApprovalFlow, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    only_above_threshold = models.BooleanField(
        default=False,
        help_text=_(
            "Only when the amount (budget total, change in total) is above the studio's approval "
            "threshold for this kind, as the studio settings say at submission."
        ),
    )

    class Meta:
        ordering = ["flow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "order"], name="approvalstep_order_unique"),
            models.CheckConstraint(
                condition=(Q(role="") & Q(user__isnull=False)) | (~Q(role="") & Q(user__isnull=True)),
                name="approvalstep_role_xor_user",
            ),
        ]

    def __str__(self):
        return f"{self.flow.kind} #{self.order} {self.name}"

    def clean(self):
        if bool(self.role) == bool(self.user_id):
            raise ValidationError(_("A step is assigned to a role or to a named user, not both or neither."))
        flow = getattr(self, "flow", None)
        if self.only_above_threshold and flow is not None and flow.kind not in StudioSettings.APPROVAL_THRESHOLDS:
            raise ValidationError(
                {"only_above_threshold": _("The studio sets no approval threshold for this kind of object.")}
            )


class Approval(models.Model):
    """One round of one object through its flow; a resubmission is a new round."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.SlugField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    round = models.PositiveSmallIntegerField(default=1)
    # The flow's steps as they were at submission: later edits of the flow do not reach it.
    steps = models.JSONField(default=list)
    current_step = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    brand_id = models.IntegerField(null=True, blank=True, help_text=_("Whose brand managers decide brand steps."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "kind", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(status="pending"),
                name="approval_one_pending_per_object",
            ),
            models.UniqueConstraint(fields=["content_type", "object_id", "round"], name="approval_round_unique"),
            models.CheckConstraint(condition=Q(round__gte=1), name="approval_round_positive"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.object_repr} (round {self.round})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def current(self) -> dict | None:
        """The copied step waiting for a decision (or the one that ended the round)."""
        if 0 <= self.current_step < len(self.steps):
            return self.steps[self.current_step]
        return None

    @property
    def age(self) -> str:
        """How long it has waited, in its largest unit: "3 days"."""
        return timesince(self.submitted_at, depth=1)

    def is_for(self, person, step: int) -> bool:
        """Whether the copied step `step` is assigned to `person`, by name, role or brand."""
        if not 0 <= step < len(self.steps) or not person.is_active:
            return False
        assigned = self.steps[step]
        if assigned.get("user"):
            return assigned["user"] == person.pk
        if assigned["role"] == Role.BRAND_MANAGER:
            return (
                person.role == Role.BRAND_MANAGER  # a step's role: data
                and self.brand_id is not None
                and person.brands.filter(pk=self.brand_id).exists()
            )
        return person.role == assigned["role"]  # a step's role: data

    def decider_for(self, user, step: int | None = None):
        """Whom `user` decides step `step` (default: the current one) for: themselves,
        or a delegator away today. Raises PermissionDenied when neither applies."""
        step = self.current_step if step is None else step
        if user.pk == self.submitted_by_id or not self.can_be_seen_by(user):
            raise PermissionDenied
        if self.is_for(user, step):
            return user
        delegators = Delegation.objects.active_on(clock.today()).filter(delegate=user).select_related("delegator")
        for delegation in delegators:
            if delegation.delegator_id != self.submitted_by_id and self.is_for(delegation.delegator, step):
                return delegation.delegator
        raise PermissionDenied

    def comments_visible_to(self, user, step: int) -> bool:
        """Studio managers and the submitter read every decision's comment; others only
        those of steps assigned to them (a brand manager does not read the internal review)."""
        if can(user, "studio.view") or user.pk == self.submitted_by_id:
            return True
        if not 0 <= step < len(self.steps):
            return False
        assigned = self.steps[step]
        return assigned.get("user") == user.pk or (not assigned.get("user") and assigned["role"] == user.role)

    def can_be_seen_by(self, user) -> bool:
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return can_see_object(user, model, self.object_id)


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")
        SKIPPED = "skipped", _("Skipped")

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="decisions")
    step = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["approval", "step"]
        constraints = [
            # One decision per step: the first of two concurrent decisions wins.
            models.UniqueConstraint(fields=["approval", "step"], name="decision_one_per_step"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.decided_by or 'the engine'}"


class DelegationQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)


class Delegation(models.Model):
    """An approver's delegate for a date range (out of office)."""

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_received"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="delegation_end_after_start"),
            models.CheckConstraint(condition=~Q(delegate=F("delegator")), name="delegation_not_to_self"),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate} ({day_text(self.start_date)} – {day_text(self.end_date)})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The delegation cannot end before it starts.")})
        if self.delegator_id and self.delegator_id == self.delegate_id:
            raise ValidationError({"delegate": _("Choose someone other than yourself.")})
