"""Projects, their phases and deliverables, and each deliverable's dated progress."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studio.models import Brand, Discipline, Talent

from .querysets import DeliverableQuerySet, DependencyQuerySet, ProjectPartQuerySet, ProjectQuerySet

ZERO = Decimal("0")


def _end_after_start(start, end, name):
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
    )


class Project(models.Model):
    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

        @classmethod
        def closed(cls) -> tuple["Project.Status", ...]:
            """Done with or called off: no longer open, nothing more is planned in it."""
            return cls.DELIVERED, cls.CLOSED, cls.CANCELLED

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, null=True, blank=True, related_name="projects")
    is_internal = models.BooleanField(default=False, help_text=_("Internal work has no client fee."))
    pm = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_projects",
        limit_choices_to={"role": "pm"}, verbose_name=_("production manager"),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INTAKE)
    fee = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)])
    planned_start = models.DateField()
    due_date = models.DateField()
    baseline_start = models.DateField(null=True, blank=True, editable=False)
    baseline_due_date = models.DateField(null=True, blank=True, editable=False)
    baseline_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "code"]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["brand", "status"])]
        constraints = [
            _end_after_start("planned_start", "due_date", "project_due_after_start"),
            _end_after_start("baseline_start", "baseline_due_date", "project_baseline_due_after_start"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="project_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(is_internal=True) | Q(brand__isnull=False), name="project_client_work_has_brand"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.planned_start and self.due_date and self.due_date < self.planned_start:
            errors["due_date"] = _("The due date cannot be before the planned start.")
        if not self.is_internal and not self.brand_id:
            errors["brand"] = _("Client work needs a brand; tick 'internal' for the studio's own work.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_baseline(self):
        return self.baseline_set_at is not None


class Phase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    start_date = models.DateField()
    end_date = models.DateField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order", "start_date", "id"]
        constraints = [_end_after_start("start_date", "end_date", "phase_end_after_start")]

    def __str__(self):
        return f"{self.project.code} · {self.name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The phase cannot end before it starts.")})

    @property
    def is_outside_project(self) -> bool:
        """Starts before its project or ends after it: allowed, and flagged."""
        return self.start_date < self.project.planned_start or self.end_date > self.project.due_date


class DeliverableType(models.Model):
    """A kind of output (key visual, 30-second cut, banner set) with standard hours per unit."""

    name = models.CharField(max_length=120, unique=True)
    unit_name = models.CharField(max_length=40, default="unit")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StandardHours(models.Model):
    deliverable_type = models.ForeignKey(DeliverableType, on_delete=models.CASCADE, related_name="standard_hours")
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="standard_hours")
    hours_per_unit = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        verbose_name_plural = "standard hours"
        ordering = ["deliverable_type", "discipline"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable_type", "discipline"], name="standardhours_one_per_discipline"),
            models.CheckConstraint(condition=Q(hours_per_unit__gt=0), name="standardhours_positive"),
        ]

    def __str__(self):
        return f"{self.deliverable_type}: {self.hours_per_unit} h {self.discipline} per unit"


class DeliverableStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    CLIENT_REVIEW = "client_review", _("Client review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def done(cls) -> tuple["DeliverableStatus", ...]:
        """Finished work: it has its approval time and counts whole."""
        return cls.APPROVED, cls.DELIVERED

    @classmethod
    def closed(cls) -> tuple["DeliverableStatus", ...]:
        """Finished or called off: not open, no more progress, review or risk."""
        return *cls.done(), cls.CANCELLED


class Deliverable(models.Model):
    Status = DeliverableStatus

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="deliverables")
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliverables")
    deliverable_type = models.ForeignKey(DeliverableType, on_delete=models.PROTECT, related_name="deliverables")
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)], help_text=_("Output units."))
    planned_hours = models.DecimalField(max_digits=8, decimal_places=2, default=ZERO)
    planned_start = models.DateField()
    due_date = models.DateField()
    assignees = models.ManyToManyField(Talent, blank=True, related_name="assigned_deliverables")
    status = models.CharField(max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    revision_rounds = models.PositiveSmallIntegerField(default=0)
    approved_at = models.DateTimeField(null=True, blank=True)
    passed_first_client_review = models.BooleanField(
        null=True, blank=True, help_text=_("Whether its first client review approved it (unknown until then).")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["due_date", "status"])]
        constraints = [
            _end_after_start("planned_start", "due_date", "deliverable_due_after_start"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="deliverable_quantity_positive"),
            models.CheckConstraint(condition=Q(planned_hours__gte=0), name="deliverable_planned_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="deliverable_percent_range",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=list(DeliverableStatus.done())) | Q(approved_at__isnull=False),
                name="deliverable_approved_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:deliverable-detail", args=[self.pk])

    def clean(self):
        if self.planned_start and self.due_date and self.due_date < self.planned_start:
            raise ValidationError({"due_date": _("The due date cannot be before the planned start.")})
        if self.status in DeliverableStatus.done() and not self.approved_at:
            raise ValidationError({"approved_at": _("An approved deliverable needs its approval time.")})

    @property
    def is_closed(self):
        return self.status in DeliverableStatus.closed()

    @property
    def is_outside_project(self) -> bool:
        """Planned to start before its project or to end after it: allowed, and flagged
        (`DeliverableQuerySet.outside_project` in SQL)."""
        return self.planned_start < self.project.planned_start or self.due_date > self.project.due_date

    def planned_fraction(self, day, calendar) -> Decimal:
        """The share of its planned hours due by the end of `day` (DESIGN §3): working days
        from its start to `day` over working days from its start to its due date, in
        [0, 1]; a range without a working day counts 0 before its due date and 1 from it.
        `calendar` is a `WorkCalendar` covering its dates and `day`."""
        total = calendar.count(self.planned_start, self.due_date)
        if not total:
            return Decimal(0) if day < self.due_date else Decimal(1)
        done = calendar.count(self.planned_start, day) if day >= self.planned_start else 0
        return min(Decimal(1), Decimal(done) / Decimal(total))

    @property
    def earned_fraction(self):
        """Share of the planned hours earned: approved and delivered count whole."""
        if self.status in DeliverableStatus.done():
            return Decimal(1)
        if self.status == DeliverableStatus.CANCELLED:
            return Decimal(0)
        return Decimal(self.percent_complete) / 100


class DeliverableProgress(models.Model):
    """A deliverable's status and percent complete as of a date, so any past day can be recomputed."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField()
    status = models.CharField(max_length=20, choices=DeliverableStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deliverable", "date", "recorded_at", "id"]
        verbose_name_plural = "deliverable progress"
        indexes = [models.Index(fields=["deliverable", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="deliverableprogress_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.deliverable} {self.date}: {self.status} {self.percent_complete}%"


class DeliverableHours(models.Model):
    """A deliverable's planned hours in one discipline; the deliverable's
    `planned_hours` is their sum, kept so by the planning services."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="planned_by_discipline")
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["deliverable", "discipline__name"]
        verbose_name_plural = "deliverable hours"
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "discipline"], name="deliverablehours_one_per_discipline"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="deliverablehours_not_negative"),
        ]

    def __str__(self):
        return f"{self.deliverable}: {self.hours} h {self.discipline}"


class Dependency(models.Model):
    """Finish-to-start: the successor starts once the predecessor is due."""

    predecessor = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="predecessor_links")
    created_at = models.DateTimeField(default=timezone.now)

    objects = DependencyQuerySet.as_manager()

    class Meta:
        ordering = ["predecessor", "successor"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="dependency_once"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="dependency_not_on_itself"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class Baseline(models.Model):
    """The plan frozen on a day: the project's dates and hours, and every deliverable's
    (`BaselineDeliverable`). Each re-baseline adds one; none is ever changed."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="baselines")
    number = models.PositiveIntegerField()
    planned_start = models.DateField()
    due_date = models.DateField()
    planned_hours = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="baseline_number_once"),
            _end_after_start("planned_start", "due_date", "baseline_due_after_start"),
        ]

    def __str__(self):
        return f"{self.project.code} baseline {self.number}"


class BaselineDeliverable(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.PROTECT, related_name="deliverables")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="baselines")
    planned_start = models.DateField()
    due_date = models.DateField()
    planned_hours = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["baseline", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "deliverable"], name="baselinedeliverable_once"),
            _end_after_start("planned_start", "due_date", "baselinedeliverable_due_after_start"),
        ]

    def __str__(self):
        return f"{self.baseline}: {self.deliverable}"
