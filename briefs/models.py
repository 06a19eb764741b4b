"""From the brand's ask to the studio's brief: requests, templates, briefs,
their immutable versions and who each version was sent to."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import DeliverableType, Project
from studio.models import Brand

from .querysets import BriefDistributionQuerySet, BriefQuerySet, BriefVersionQuerySet, RequestQuerySet

ZERO = Decimal("0")

# The brief's sections, in reading order; BriefVersion.content holds the same keys.
SECTIONS = (
    "background", "objectives", "audience", "key_message", "mandatories",
    "tone", "deliverables", "deadline", "budget_summary", "references",
)
# Hidden from creatives and freelancers (no money figures for them).
MONEY_SECTIONS = ("budget_summary",)


class Request(models.Model):
    """A brand manager's ask: objectives, wanted deliverables, deadline, budget."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("Information requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(max_length=200)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests")
    objectives = models.TextField()
    deadline = models.DateField()
    budget = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decline_reason = models.TextField(blank=True)
    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["brand", "status"]), models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="request_budget_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="request_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(project__isnull=False), name="request_accepted_has_project"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("briefs:request-detail", args=[self.pk])

    def clean(self):
        if self.status == self.Status.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("Say why the request is declined.")})


class RequestItem(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="items")
    deliverable_type = models.ForeignKey(DeliverableType, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "deliverable_type"], name="requestitem_type_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="requestitem_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.deliverable_type}"


class BriefTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    deliverable_type = models.ForeignKey(
        DeliverableType, on_delete=models.SET_NULL, null=True, blank=True, related_name="brief_templates"
    )
    background = models.TextField(blank=True)
    objectives = models.TextField(blank=True)
    audience = models.TextField(blank=True)
    key_message = models.TextField(blank=True)
    mandatories = models.TextField(blank=True)
    tone = models.TextField(blank=True)
    deliverables = models.TextField(blank=True)
    references = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Brief(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="briefs")
    request = models.ForeignKey(Request, on_delete=models.PROTECT, null=True, blank=True, related_name="briefs")
    template = models.ForeignKey(BriefTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    background = models.TextField(blank=True)
    objectives = models.TextField(blank=True)
    audience = models.TextField(blank=True)
    key_message = models.TextField(blank=True)
    mandatories = models.TextField(blank=True)
    tone = models.TextField(blank=True)
    deliverables = models.TextField(blank=True)
    deadline = models.DateField(null=True, blank=True)
    budget_summary = models.TextField(blank=True)
    references = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    current_version_number = models.PositiveIntegerField(
        default=0, help_text=_("The latest approved version; 0 until the first approval.")
    )
    version = models.PositiveIntegerField(default=1, help_text=_("Edit counter for stale-save detection."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("briefs:brief-detail", args=[self.pk])

    def get_board_url(self):
        """Who was sent the brief, opened and acknowledged it: the production manager's view."""
        return reverse("briefs:brief-board", args=[self.pk])

    def content(self):
        """The sections as a JSON-ready dict, the shape BriefVersion keeps."""
        return {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in SECTIONS
            if (value := getattr(self, name)) is not None
        }


class BriefVersion(models.Model):
    """An approved brief, frozen: never edited after it is written."""

    brief = models.ForeignKey(Brief, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    content = models.JSONField()
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BriefVersionQuerySet.as_manager()

    class Meta:
        ordering = ["brief", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="briefversion_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="briefversion_number_positive"),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An approved brief version cannot be changed; edit the brief instead."))
        super().save(*args, **kwargs)


class BriefDistribution(models.Model):
    """One recipient of one brief version: sent, opened, acknowledged, or asked a question."""

    version = models.ForeignKey(BriefVersion, on_delete=models.PROTECT, related_name="distributions")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="brief_distributions"
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    question = models.TextField(blank=True)
    questioned_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = BriefDistributionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "recipient"]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "recipient"], name="distribution_once_per_version"),
        ]

    def __str__(self):
        return f"{self.version} → {self.recipient}"

    def get_absolute_url(self):
        """One recipient's copy with its question thread, as the studio answers it."""
        return reverse("briefs:distribution-detail", args=[self.pk])
