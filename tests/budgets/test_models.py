"""Budgets, their lines, change orders, costs and studio budgets keep their invariants."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from budgets.models import Budget, BudgetLine, Cost, StudioBudget
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    ChangeOrderFactory,
    CostFactory,
    DisciplineFactory,
    FreelanceTalentFactory,
    ProjectFactory,
    StudioBudgetFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def clean_errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.clean()
    return error.value.message_dict


def D(value):
    return Decimal(value)


def test_budget_line_is_hours_times_rate_or_an_amount_in_the_database():
    hours = {"hours": D("10"), "rate": D("80")}
    assert_refused(BudgetLineFactory, **hours, amount=D("800"))  # both
    assert_refused(BudgetLineFactory, hours=None, rate=None, amount=None)  # neither
    assert_refused(BudgetLineFactory, hours=D("10"), rate=None, amount=None)  # hours without a rate
    assert_refused(BudgetLineFactory, hours=None, rate=D("80"), amount=None)  # a rate without hours
    assert_refused(BudgetLineFactory, hours=D("0"), rate=D("80"), amount=None)
    assert_refused(BudgetLineFactory, hours=D("10"), rate=D("-1"), amount=None)
    assert_refused(BudgetLineFactory, amount=D("-0.01"))
    assert BudgetLineFactory(**hours, amount=None).total == D("800")
    assert BudgetLineFactory(amount=D("0")).total == D("0")


def test_budget_line_clean_asks_for_hours_times_rate_or_an_amount():
    def line(**kwargs):
        return BudgetLine(**({"kind": "expense"} | kwargs))

    assert "amount" in clean_errors(line(hours=D("10"), rate=D("80"), amount=D("800")))
    assert "amount" in clean_errors(line())
    assert "rate" in clean_errors(line(hours=D("10")))
    assert "rate" in clean_errors(line(rate=D("80")))
    assert "hours" in clean_errors(line(hours=D("0"), rate=D("80")))
    assert "amount" in clean_errors(line(amount=D("-5")))
    line(hours=D("10"), rate=D("80")).clean()
    line(amount=D("500")).clean()


def test_internal_labour_names_its_discipline():
    assert_refused(BudgetLineFactory, kind="labor", discipline=None)
    assert "discipline" in clean_errors(BudgetLine(kind="labor", amount=D("100")))
    assert BudgetLineFactory(kind="labor", discipline=DisciplineFactory()).pk


def test_budget_totals_in_sql_match_the_lines_added_up():
    design, motion = DisciplineFactory(), DisciplineFactory()
    full = BudgetFactory()
    BudgetLineFactory(budget=full, kind="labor", discipline=design, hours=D("37.5"),
                      rate=D("82.50"), amount=None)
    BudgetLineFactory(budget=full, kind="freelance", discipline=motion, hours=D("12.25"),
                      rate=D("95.00"), amount=None)
    BudgetLineFactory(budget=full, kind="expense", amount=D("1500.00"))
    BudgetLineFactory(budget=full, kind="contingency", amount=None, percent=D("7.5"))
    small = BudgetFactory()
    BudgetLineFactory(budget=small, kind="labor", discipline=design, hours=D("10"), rate=D("100"),
                      amount=None)
    empty = BudgetFactory()

    # 37.5 × 82.50 = 3093.75; 12.25 × 95.00 = 1163.75; subtotal 3093.75 + 1163.75 + 1500.00
    # = 5757.50; contingency 7.5 % of it = 431.8125; total 6189.3125
    # 10 × 100 = 1000.00; no lines = 0
    expected = {full.pk: D("6189.3125"), small.pk: D("1000.00"), empty.pk: D("0")}

    annotated = {budget.pk: budget.total for budget in Budget.objects.with_totals()}
    assert annotated == expected
    assert {pk: Budget.objects.get(pk=pk).total for pk in expected} == expected


def test_budget_line_totals_in_sql_match_each_line():
    labour = BudgetLineFactory(kind="labor", discipline=DisciplineFactory(), hours=D("7.5"),
                               rate=D("64.00"), amount=None)
    fixed = BudgetLineFactory(amount=D("1234.56"))
    # 7.5 × 64.00 = 480.00
    annotated = {line.pk: line.total for line in BudgetLine.objects.with_totals()}
    assert annotated == {labour.pk: D("480.00"), fixed.pk: D("1234.56")}
    assert labour.total == D("480.00")


def test_budget_total_keeps_fractions_of_a_cent_until_shown():
    # DESIGN §3: money is rounded to cents only when shown or stored.
    budget = BudgetFactory()
    BudgetLineFactory(budget=budget, kind="freelance", hours=D("33.30"), rate=D("75.15"),
                      amount=None)
    # 33.30 × 75.15 = 2502.4950
    assert budget.total == D("2502.4950")
    assert Budget.objects.with_totals().get(pk=budget.pk).total == D("2502.4950")


def test_budget_revisions_are_numbered_once_and_one_is_open_at_a_time():
    draft = BudgetFactory(revision=1)
    assert_refused(BudgetFactory, project=draft.project, revision=1, status="approved",
                   approved_at=timezone.now())
    assert_refused(BudgetFactory, project=draft.project, revision=2, status="submitted")
    approved = BudgetFactory(project=draft.project, revision=2, status="approved",
                             approved_at=timezone.now())
    assert approved.pk


def test_an_approved_budget_records_when():
    assert_refused(BudgetFactory, status="approved", approved_at=None)


def test_a_budget_with_costs_booked_against_its_lines_keeps_them():
    line = BudgetLineFactory()
    CostFactory(project=line.budget.project, budget_line=line)
    with pytest.raises(ProtectedError):
        line.delete()
    with pytest.raises(ProtectedError):
        line.budget.project.delete()


def test_change_orders_are_numbered_once_per_project_and_approval_is_dated():
    order = ChangeOrderFactory(number=1)
    assert_refused(ChangeOrderFactory, project=order.project, number=1)
    assert ChangeOrderFactory(project=ProjectFactory(), number=1).pk
    assert_refused(ChangeOrderFactory, status="approved", approved_at=None)


def test_cost_amount_cannot_be_negative():
    assert_refused(CostFactory, amount=D("-1"))


@pytest.mark.parametrize("kind", [Cost.Kind.FREELANCE_FIXED, Cost.Kind.FREELANCE_HOURLY_INVOICE])
def test_freelance_costs_name_the_freelancer(kind):
    assert_refused(CostFactory, kind=kind, talent=None)
    assert "talent" in clean_errors(Cost(kind=kind))
    assert CostFactory(kind=kind, talent=FreelanceTalentFactory()).pk


def test_a_billed_period_ends_on_or_after_its_start():
    start = dt.date(2026, 11, 1)
    assert_refused(CostFactory, period_start=start, period_end=start - dt.timedelta(days=1))
    errors = clean_errors(Cost(kind="expense", period_start=start,
                               period_end=start - dt.timedelta(days=1)))
    assert "period_end" in errors


def test_studio_budget_pool_fits_in_the_budget_and_periods_are_sane():
    assert_refused(StudioBudgetFactory, amount=D("1000"), freelance_pool=D("1000.01"))
    assert_refused(StudioBudgetFactory, period_end=dt.date(2026, 9, 30))
    errors = clean_errors(StudioBudget(period_start=dt.date(2026, 10, 1),
                                       period_end=dt.date(2026, 12, 31),
                                       amount=D("1000"), freelance_pool=D("1001")))
    assert "freelance_pool" in errors
    StudioBudgetFactory()
    assert_refused(StudioBudgetFactory, name="Another Q4")
