"""Access-aware reads for money (DESIGN §1): budget totals and change orders follow
`budget.view` (the studio's, and brand managers' own brands'); the rows of hours, cost
rates and internal costs behind them follow `project.see_costs` (the studio's only)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from projects.progress import end_of
from studio.permissions import RestrictedQuerySet

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"))
HUNDRED = Value(Decimal("100"))


class BrandScopedQuerySet(RestrictedQuerySet):
    """A project's budgets and change orders, by their totals."""

    permission_object = "budget"

    def scope_brand(self, user):
        return self.filter(project__brand__in=user.brands.values("pk"))


class CostRowsQuerySet(RestrictedQuerySet):
    """Budget lines, costs and the studio's budgets: hours, cost rates and internal
    costs, read as `project.see_costs` unless another action is named."""

    permission_object = "budget"

    def visible_to(self, user, action: str = "project.see_costs"):
        return super().visible_to(user, action)

    def scope_brand(self, user):
        # A brand manager sees a budget's totals, never the rows behind them.
        return self.none()


def line_total_expression(prefix=""):
    """hours × rate, or the fixed amount, as one SQL expression (fractions of a cent kept:
    money is rounded only when shown or stored, DESIGN §3); NULL for a contingency line,
    whose money depends on the others."""
    return Case(
        When(**{f"{prefix}amount__isnull": False}, then=F(f"{prefix}amount")),
        When(**{f"{prefix}hours__isnull": False}, then=F(f"{prefix}hours") * F(f"{prefix}rate")),
        default=Value(None),
        output_field=MONEY,
    )


class BudgetQuerySet(BrandScopedQuerySet):
    def with_totals(self):
        """`subtotal` (the lines but contingency), `contingency` (its percentage of the
        subtotal) and `total`, as `models.budget_figures`."""
        contingency = Q(lines__kind="contingency")
        return self.annotate(
            subtotal=Coalesce(Sum(line_total_expression("lines__"), filter=~contingency), ZERO, output_field=MONEY),
            contingency_percent=Coalesce(Sum("lines__percent", filter=contingency), ZERO, output_field=MONEY),
        ).annotate(
            contingency=ExpressionWrapper(F("subtotal") * F("contingency_percent") / HUNDRED, output_field=MONEY),
        ).annotate(total=ExpressionWrapper(F("subtotal") + F("contingency"), output_field=MONEY))

    def approved(self):
        return self.filter(status="approved")

    def baselines_on(self, day: dt.date):
        """Each project's baseline in force at the end of `day`: its latest budget approved
        by then (DESIGN §3)."""
        latest = (
            self.model.objects.filter(project=OuterRef("project"), status="approved", approved_at__lt=end_of(day))
            .order_by("-approved_at", "-revision")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest))


class BudgetLineQuerySet(CostRowsQuerySet):
    def with_totals(self):
        return self.annotate(total=line_total_expression())


class ChangeOrderQuerySet(BrandScopedQuerySet):
    def approved_by(self, day: dt.date):
        """Change orders approved by the end of `day`: they move the fee in force and BACm."""
        return self.filter(status="approved", approved_at__lt=end_of(day))


class ChangeOrderLineQuerySet(CostRowsQuerySet):
    pass


class CostQuerySet(CostRowsQuerySet):
    def counted(self):
        """Costs that count toward actuals: invoiced or paid, and not hourly
        freelance invoices (those are reconciled against approved hours)."""
        return self.filter(status__in=["invoiced", "paid"]).exclude(kind="freelance_hourly_invoice")


class StudioBudgetQuerySet(CostRowsQuerySet):
    def covering(self, day: dt.date):
        """The studio budgets whose period includes `day`, the shortest period first (a
        quarter before its year)."""
        return self.filter(period_start__lte=day, period_end__gte=day).order_by(
            F("period_end") - F("period_start"), "period_start"
        )
