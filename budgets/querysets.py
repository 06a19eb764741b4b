"""Access-aware reads for money (DESIGN §1): budget totals and change orders follow
`budget.view` (the studio's, and brand managers' own brands'); the rows of hours, cost
rates and internal costs behind them follow `project.see_costs` (the studio's only)."""

from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Sum, Value, When
from django.db.models.functions import Coalesce

from studio.permissions import RestrictedQuerySet

MONEY = DecimalField(max_digits=16, decimal_places=2)


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
    """hours × rate, or the fixed amount, as one SQL expression."""
    return Case(
        When(**{f"{prefix}amount__isnull": False}, then=F(f"{prefix}amount")),
        default=ExpressionWrapper(F(f"{prefix}hours") * F(f"{prefix}rate"), output_field=MONEY),
        output_field=MONEY,
    )


class BudgetQuerySet(BrandScopedQuerySet):
    def with_totals(self):
        return self.annotate(
            total=Coalesce(Sum(line_total_expression("lines__")), Value(Decimal("0")), output_field=MONEY)
        )

    def approved(self):
        return self.filter(status="approved")


class BudgetLineQuerySet(CostRowsQuerySet):
    def with_totals(self):
        return self.annotate(total=line_total_expression())


class ChangeOrderQuerySet(BrandScopedQuerySet):
    pass


class CostQuerySet(CostRowsQuerySet):
    def counted(self):
        """Costs that count toward actuals: invoiced or paid, and not hourly
        freelance invoices (those are reconciled against approved hours)."""
        return self.filter(status__in=["invoiced", "paid"]).exclude(kind="freelance_hourly_invoice")


class StudioBudgetQuerySet(CostRowsQuerySet):
    pass
