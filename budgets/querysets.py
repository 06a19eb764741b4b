"""Access-aware reads for money (DESIGN §1): PMs and executives see it all;
brand managers see their own brands' budget totals and change orders; nobody else
sees any figure."""

from decimal import Decimal

from django.db import models
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Sum, Value, When
from django.db.models.functions import Coalesce

from studio.models import Role

MONEY = DecimalField(max_digits=16, decimal_places=2)


class BrandScopedQuerySet(models.QuerySet):
    brand_path = "project__brand__managers"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.BRAND_MANAGER:
            return self.filter(**{self.brand_path: user})
        return self.none()


class StaffOnlyQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.sees_everything:
            return self.all()
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


class BudgetLineQuerySet(StaffOnlyQuerySet):
    def with_totals(self):
        return self.annotate(total=line_total_expression())


class ChangeOrderQuerySet(BrandScopedQuerySet):
    pass


class CostQuerySet(StaffOnlyQuerySet):
    def counted(self):
        """Costs that count toward actuals: invoiced or paid, and not hourly
        freelance invoices (those are reconciled against approved hours)."""
        return self.filter(status__in=["invoiced", "paid"]).exclude(kind="freelance_hourly_invoice")


class StudioBudgetQuerySet(StaffOnlyQuerySet):
    pass
