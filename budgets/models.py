"""Project budgets and their lines, change orders, costs, and the studio's budget per period."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from studio.models import Discipline, Talent
from studio.money import format_money

from .querysets import (
    BudgetLineQuerySet,
    BudgetQuerySet,
    ChangeOrderLineQuerySet,
    ChangeOrderQuerySet,
    CostQuerySet,
    StudioBudgetQuerySet,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
MONEY = {"max_digits": 14, "decimal_places": 2}


def cents(amount: Decimal) -> Decimal:
    """Money as stored and shown: cents, rounded half-up (DESIGN §3)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Budget(models.Model):
    """A project's budget; each approved revision is a baseline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="budgets")
    revision = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["project", "revision"], name="budget_revision_unique"),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["draft", "submitted"]),
                name="budget_one_open_revision",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False), name="budget_approved_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.project.code} budget r{self.revision}"

    # BudgetQuerySet.with_totals() annotates `total` in SQL; the setter keeps that
    # value, so rows loaded through it do not recompute their lines one by one.
    _total = None

    @property
    def total(self):
        if self._total is not None:
            return self._total
        return budget_figures(self.lines.all()).total

    @total.setter
    def total(self, value):
        self._total = value


class BudgetLine(models.Model):
    """One line of a budget: hours × rate, a fixed amount, or (contingency) a percentage
    of the budget's other lines."""

    class Kind(models.TextChoices):
        LABOR = "labor", _("Internal labour")
        FREELANCE = "freelance", _("Freelance")
        EXPENSE = "expense", _("Expense")
        CONTINGENCY = "contingency", _("Contingency")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(**MONEY, null=True, blank=True, help_text=_("A fixed amount instead of hours × rate."))
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("Contingency: a percentage of the budget's other lines."),
    )

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "kind", "id"]
        constraints = [
            # The `isnull=False` terms matter: a CHECK that evaluates to NULL passes, so
            # `hours > 0` alone would let hours without a rate (or no figure at all) in.
            models.CheckConstraint(
                condition=(
                    Q(hours__isnull=False)
                    & Q(rate__isnull=False)
                    & Q(amount__isnull=True)
                    & Q(percent__isnull=True)
                    & Q(hours__gt=0)
                    & Q(rate__gte=0)
                    & ~Q(kind="contingency")
                )
                | (
                    Q(hours__isnull=True)
                    & Q(rate__isnull=True)
                    & Q(amount__isnull=False)
                    & Q(percent__isnull=True)
                    & Q(amount__gte=0)
                    & ~Q(kind="contingency")
                )
                | (
                    Q(hours__isnull=True)
                    & Q(rate__isnull=True)
                    & Q(amount__isnull=True)
                    & Q(percent__isnull=False)
                    & Q(percent__gte=0)
                    & Q(percent__lte=100)
                    & Q(kind="contingency")
                ),
                name="budgetline_hours_rate_amount_or_percent",
            ),
            models.CheckConstraint(
                condition=~Q(kind="labor") | Q(discipline__isnull=False), name="budgetline_labor_has_discipline"
            ),
            models.UniqueConstraint(
                fields=["budget"], condition=Q(kind="contingency"), name="budgetline_one_contingency"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description or self.discipline or ''}"

    # BudgetLineQuerySet.with_totals() annotates `total`; see Budget.total.
    _total = None

    @property
    def total(self):
        """The line's money (fractions of a cent kept until shown). A contingency line's
        depends on the other lines: read it from `budget_figures` or `with_totals()`."""
        if self._total is not None:
            return self._total
        if self.percent is not None:
            return None
        if self.amount is not None:
            return self.amount
        return (self.hours or ZERO) * (self.rate or ZERO)

    @total.setter
    def total(self, value):
        self._total = value

    def clean(self):
        if self.kind == self.Kind.CONTINGENCY:
            if self.percent is None:
                raise ValidationError({"percent": _("Give the contingency as a percentage of the other lines.")})
            if not ZERO <= self.percent <= HUNDRED:
                raise ValidationError({"percent": _("Enter a percentage from 0 to 100.")})
            if self.hours is not None or self.rate is not None or self.amount is not None:
                raise ValidationError({"percent": _("A contingency is a percentage only.")})
            return
        if self.percent is not None:
            raise ValidationError({"percent": _("Only a contingency line is a percentage.")})
        has_hours = self.hours is not None or self.rate is not None
        if has_hours and self.amount is not None:
            raise ValidationError({"amount": _("Give hours × rate, or a fixed amount, not both.")})
        if not has_hours and self.amount is None:
            raise ValidationError({"amount": _("Give hours × rate, or a fixed amount.")})
        if has_hours and (self.hours is None or self.rate is None):
            raise ValidationError({"rate": _("Give both the hours and the rate.")})
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": _("Hours must be more than 0.")})
        if (self.rate is not None and self.rate < 0) or (self.amount is not None and self.amount < 0):
            raise ValidationError({"amount": _("Money cannot be negative.")})
        if self.kind == self.Kind.LABOR and not self.discipline_id:
            raise ValidationError({"discipline": _("Internal labour needs a discipline.")})


@dataclass(frozen=True)
class BudgetFigures:
    """A budget's sums: its lines other than contingency, the contingency on them, the total."""

    subtotal: Decimal
    contingency: Decimal
    total: Decimal


def budget_figures(lines) -> BudgetFigures:
    """The sums of `lines` (of one budget) as `BudgetQuerySet.with_totals()` computes them."""
    lines = list(lines)
    subtotal = sum((line.total for line in lines if line.kind != BudgetLine.Kind.CONTINGENCY), ZERO)
    percent = sum((line.percent or ZERO for line in lines if line.kind == BudgetLine.Kind.CONTINGENCY), ZERO)
    contingency = subtotal * percent / HUNDRED
    return BudgetFigures(subtotal=subtotal, contingency=contingency, total=subtotal + contingency)


class ChangeOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="change_orders")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    fee_change = models.DecimalField(**MONEY, default=ZERO)
    budget_change = models.DecimalField(**MONEY, default=ZERO)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ChangeOrderQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="changeorder_number_unique"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="changeorder_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} CO{self.number} {self.title}"


class ChangeOrderLine(models.Model):
    """What a change order changes in the budget, by category: hours × rate or an amount,
    negative for a reduction. A change order with lines changes the budget by their sum."""

    class Kind(models.TextChoices):
        LABOR = "labor", _("Internal labour")
        FREELANCE = "freelance", _("Freelance")
        EXPENSE = "expense", _("Expense")

    change_order = models.ForeignKey(ChangeOrder, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Negative for hours taken out.")
    )
    rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(
        **MONEY, null=True, blank=True, help_text=_("A fixed amount instead of hours × rate; negative for a reduction.")
    )

    objects = ChangeOrderLineQuerySet.as_manager()

    class Meta:
        ordering = ["change_order", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hours__isnull=False)
                    & Q(rate__isnull=False)
                    & Q(amount__isnull=True)
                    & ~Q(hours=0)
                    & Q(rate__gt=0)
                )
                | (Q(hours__isnull=True) & Q(rate__isnull=True) & Q(amount__isnull=False) & ~Q(amount=0)),
                name="changeorderline_hours_rate_or_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="labor") | Q(discipline__isnull=False), name="changeorderline_labor_has_discipline"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description or self.discipline or ''}"

    @property
    def total(self) -> Decimal:
        if self.amount is not None:
            return self.amount
        return (self.hours or ZERO) * (self.rate or ZERO)

    def clean(self):
        has_hours = self.hours is not None or self.rate is not None
        if has_hours and self.amount is not None:
            raise ValidationError({"amount": _("Give hours × rate, or an amount, not both.")})
        if not has_hours and self.amount is None:
            raise ValidationError({"amount": _("Give hours × rate, or an amount.")})
        if has_hours and (self.hours is None or self.rate is None):
            raise ValidationError({"rate": _("Give both the hours and the rate.")})
        if self.hours is not None and self.hours == 0:
            raise ValidationError({"hours": _("Give the hours added, or taken out as a negative number.")})
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": _("The rate must be more than 0.")})
        if self.amount is not None and self.amount == 0:
            raise ValidationError({"amount": _("Give the amount added, or taken out as a negative number.")})
        if self.kind == self.Kind.LABOR and not self.discipline_id:
            raise ValidationError({"discipline": _("Internal labour needs a discipline.")})


class Cost(models.Model):
    class Kind(models.TextChoices):
        EXPENSE = "expense", _("Expense")
        PURCHASE_ORDER = "purchase_order", _("Purchase order")
        FREELANCE_FIXED = "freelance_fixed", _("Fixed-fee freelance work")
        FREELANCE_HOURLY_INVOICE = "freelance_hourly_invoice", _("Freelancer's invoice for hourly work")

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="costs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=200)
    supplier = models.CharField(max_length=120, blank=True)
    talent = models.ForeignKey(
        Talent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="costs",
        help_text=_("The freelancer, for freelance work."),
    )
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="costs")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMMITTED)
    reference = models.CharField(max_length=60, blank=True, help_text=_("PO or invoice number."))
    period_start = models.DateField(null=True, blank=True, help_text=_("Hourly invoices: the period billed."))
    period_end = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CostQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["project", "status", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind__in=["freelance_fixed", "freelance_hourly_invoice"]) | Q(talent__isnull=False),
                name="cost_freelance_names_talent",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="cost_period_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.description} {format_money(self.amount)}"

    def clean(self):
        if self.kind in (self.Kind.FREELANCE_FIXED, self.Kind.FREELANCE_HOURLY_INVOICE) and not self.talent_id:
            raise ValidationError({"talent": _("Name the freelancer for freelance work.")})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class StudioBudget(models.Model):
    """The studio's production budget for a period, with its freelance-support pool."""

    name = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    freelance_pool = models.DecimalField(**MONEY, default=ZERO, validators=[MinValueValidator(ZERO)])
    version = models.PositiveIntegerField(default=1)

    objects = StudioBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["period_start"], name="studiobudget_one_per_period_start"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="studiobudget_end_after_start"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(freelance_pool__gte=0) & Q(freelance_pool__lte=F("amount")),
                name="studiobudget_pool_within_amount",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if self.amount is not None and self.freelance_pool is not None and self.freelance_pool > self.amount:
            raise ValidationError({"freelance_pool": _("The freelance pool cannot exceed the budget.")})


class BudgetAlert(models.Model):
    """A budget alert sent to a project's PM: one per baseline and level (DESIGN §3), so a
    rerun of the check, or two at once, notify nobody twice."""

    class Level(models.IntegerChoices):
        NEAR = 80, _("80 % of the budget")
        REACHED = 100, _("100 % of the budget")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["budget", "level"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "level"], name="budgetalert_once_per_baseline_and_level"),
        ]

    def __str__(self):
        return f"{self.budget} at {self.level} %"
