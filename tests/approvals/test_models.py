"""Approval flows, approvals in flight, decisions and delegations keep their invariants."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from approvals.models import ApprovalStep, Delegation
from tests.factories import (
    TODAY,
    ApprovalFactory,
    ApprovalFlowFactory,
    ApprovalStepFactory,
    BudgetFactory,
    DecisionFactory,
    DelegationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_flow_kinds_are_unique_and_steps_ordered_once():
    step = ApprovalStepFactory(order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(step.flow).objects.create(kind=step.flow.kind, name="Duplicate")
    assert_refused(ApprovalStepFactory, flow=step.flow, order=1)
    assert ApprovalStepFactory(flow=step.flow, order=2).pk


def test_a_step_is_for_a_role_or_a_named_user():
    flow = ApprovalFlowFactory()
    user = UserFactory(role="executive")
    assert_refused(ApprovalStepFactory, flow=flow, role="pm", user=user)
    assert_refused(ApprovalStepFactory, flow=flow, role="", user=None)
    for step in (ApprovalStep(role="pm", user=user), ApprovalStep(role="", user=None)):
        with pytest.raises(ValidationError):
            step.clean()
    assert ApprovalStepFactory(flow=flow, role="", user=user).pk


def test_one_pending_approval_per_object():
    budget = BudgetFactory()
    first = ApprovalFactory(subject=budget, round=1)
    assert_refused(ApprovalFactory, subject=budget, round=2)
    # Another object may wait at the same time.
    assert ApprovalFactory(subject=BudgetFactory()).pk

    # Once the first round is decided, a resubmission starts the next round.
    first.status = "changes_requested"
    first.save()
    assert ApprovalFactory(subject=budget, round=2).pk


def test_rounds_are_numbered_once_per_object_from_one():
    budget = BudgetFactory()
    ApprovalFactory(subject=budget, round=1, status="rejected")
    assert_refused(ApprovalFactory, subject=budget, round=1, status="withdrawn")
    assert_refused(ApprovalFactory, subject=BudgetFactory(), round=0)


def test_one_decision_per_approval_step():
    decision = DecisionFactory(step=0)
    assert_refused(DecisionFactory, approval=decision.approval, step=0, outcome="reject")
    assert DecisionFactory(approval=decision.approval, step=1).pk


def test_an_approval_with_decisions_cannot_be_deleted():
    decision = DecisionFactory()
    with pytest.raises(ProtectedError):
        decision.approval.delete()


def test_delegation_is_never_to_oneself():
    pm = UserFactory(role="pm")
    assert_refused(DelegationFactory, delegator=pm, delegate=pm)
    with pytest.raises(ValidationError) as error:
        Delegation(delegator=pm, delegate=pm, start_date=TODAY, end_date=TODAY).clean()
    assert "delegate" in error.value.message_dict


def test_delegation_ends_on_or_after_its_start():
    assert_refused(DelegationFactory, start_date=TODAY, end_date=TODAY - DAY)
    with pytest.raises(ValidationError) as error:
        Delegation(start_date=TODAY, end_date=TODAY - DAY).clean()
    assert "end_date" in error.value.message_dict


def test_delegations_active_on_a_day_include_both_ends():
    delegation = DelegationFactory(start_date=TODAY, end_date=TODAY + 2 * DAY)
    assert not Delegation.objects.active_on(TODAY - DAY).exists()
    assert list(Delegation.objects.active_on(TODAY)) == [delegation]
    assert list(Delegation.objects.active_on(TODAY + 2 * DAY)) == [delegation]
    assert not Delegation.objects.active_on(TODAY + 3 * DAY).exists()
