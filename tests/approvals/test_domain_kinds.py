"""What approving, sending back and rejecting does to timesheets, time off, budgets and
change orders, through the real engine and the default flows."""

from decimal import Decimal

import pytest

from approvals.services import approval_decide, approval_submit
from budgets.models import Budget, ChangeOrder
from schedules.models import TimeOff, Timesheet
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_approved_timesheet_counts_and_a_rejected_one_reopens(pm):
    approved, rejected = f.TimesheetFactory(status="submitted"), f.TimesheetFactory(status="submitted")
    for sheet, outcome in ((approved, "approve"), (rejected, "reject")):
        approval = approval_submit(obj=sheet, kind="timesheet", submitted_by=sheet.talent.user)
        approval_decide(approval=approval, user=pm, outcome=outcome, comment="Tuesday is missing.")

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status == Timesheet.Status.APPROVED and approved.approved_at is not None
    assert rejected.status == Timesheet.Status.OPEN


def test_time_off_is_approved_or_declined(pm):
    granted, refused = f.TimeOffFactory(status="requested"), f.TimeOffFactory(status="requested")
    for time_off, outcome in ((granted, "approve"), (refused, "reject")):
        approval = approval_submit(obj=time_off, kind="time_off", submitted_by=time_off.talent.user)
        approval_decide(approval=approval, user=pm, outcome=outcome, comment="Launch week.")

    assert TimeOff.objects.get(pk=granted.pk).status == TimeOff.Status.APPROVED
    assert TimeOff.objects.get(pk=refused.pk).status == TimeOff.Status.DECLINED


def test_a_budget_above_the_threshold_also_needs_an_executive(pm, executive):
    # Default threshold 50,000.00: 400 h × 150.00 = 60,000.00 is above it.
    budget = f.BudgetFactory(status="submitted")
    f.BudgetLineFactory(budget=budget, kind="freelance", amount=None, hours=Decimal("400"), rate=Decimal("150"))
    approval = approval_submit(obj=budget, kind="budget", submitted_by=f.UserFactory(role="admin"))
    assert [step["role"] for step in approval.steps] == ["pm", "executive"]
    assert approval.amount == Decimal("60000.00")

    approval = approval_decide(approval=approval, user=pm, outcome="approve")
    assert Budget.objects.get(pk=budget.pk).status == Budget.Status.SUBMITTED
    approval_decide(approval=approval, user=executive, outcome="approve")

    budget.refresh_from_db()
    assert budget.status == Budget.Status.APPROVED and budget.approved_at is not None


def test_a_budget_sent_back_returns_to_draft(pm):
    budget = f.BudgetLineFactory(budget__status="submitted", amount=Decimal("900.00")).budget
    approval = approval_submit(obj=budget, kind="budget", submitted_by=f.UserFactory(role="executive"))
    assert [step["role"] for step in approval.steps] == ["pm"]

    approval_decide(approval=approval, user=pm, outcome="request_changes", comment="Add contingency.")

    assert Budget.objects.get(pk=budget.pk).status == Budget.Status.DRAFT


def test_a_change_order_threshold_tests_the_change_either_way(pm, executive):
    # Default change-order threshold 10,000.00; a cut of 12,000.00 is a change of 12,000.00.
    cut = f.ChangeOrderFactory(status="submitted", budget_change=Decimal("-12000.00"), fee_change=Decimal("0"))
    approval = approval_submit(obj=cut, kind="change_order", submitted_by=f.UserFactory(role="admin"))
    assert [step["role"] for step in approval.steps] == ["pm", "executive"]

    approval = approval_decide(approval=approval, user=pm, outcome="approve")
    approval_decide(approval=approval, user=executive, outcome="reject", comment="Not this quarter.")

    assert ChangeOrder.objects.get(pk=cut.pk).status == ChangeOrder.Status.REJECTED
