"""The approval engine follows DESIGN §2 "Rules of the workflow"."""

import dataclasses
import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from approvals import registry
from approvals.defaults import default_flows_create
from approvals.models import Approval, ApprovalFlow, ApprovalStep, Decision
from approvals.services import (
    ApprovalAlreadyDecided,
    ApprovalError,
    approval_decide,
    approval_submit,
    approval_withdraw,
)
from studio import clock
from studio.models import AuditEvent, Notification, StudioSettings
from tests.factories import BudgetFactory, BudgetLineFactory, ChangeOrderFactory, DelegationFactory, UserFactory

from .conftest import KIND, make_flow

pytestmark = pytest.mark.django_db

APPROVE, CHANGES, REJECT = "approve", "request_changes", "reject"
DAY = dt.timedelta(days=1)


def submit(obj, by):
    return approval_submit(obj=obj, kind=KIND, submitted_by=by)


def decide(approval, user, outcome=APPROVE, comment="", **kwargs):
    return approval_decide(approval=approval, user=user, outcome=outcome, comment=comment, **kwargs)


# --- default flows ------------------------------------------------------------------------


def test_default_flows_exist_for_every_kind_with_an_executive_step_above_the_studio_threshold():
    flows = {flow.kind: flow for flow in ApprovalFlow.objects.prefetch_related("steps")}
    steps = {kind: [(s.role, s.only_above_threshold) for s in flow.steps.all()] for kind, flow in flows.items()}

    assert steps["request"] == [("pm", False)]
    assert steps["brief"] == [("pm", False), ("brand_manager", False)]
    assert steps["deliverable"] == [("pm", False), ("brand_manager", False)]
    assert steps["budget"] == [("pm", False), ("executive", True)]
    assert steps["change_order"] == [("pm", False), ("executive", True)]
    assert steps["timesheet"] == [("pm", False)]
    assert steps["time_off"] == [("pm", False)]


def test_default_flows_leave_flows_edited_in_the_admin_alone():
    ApprovalFlow.objects.filter(kind="budget").delete()
    ApprovalFlow.objects.filter(kind="timesheet").update(name="Weekly hours")

    default_flows_create(apps)

    assert [s.role for s in ApprovalFlow.objects.get(kind="budget").steps.all()] == ["pm", "executive"]
    assert ApprovalFlow.objects.get(kind="timesheet").name == "Weekly hours"


def test_a_threshold_step_is_refused_for_a_kind_the_studio_sets_no_threshold_for():
    flow = ApprovalFlow.objects.get(kind="brief")
    step = ApprovalStep(flow=flow, order=3, name="Executive", role="executive", only_above_threshold=True)

    with pytest.raises(ValidationError) as refused:
        step.full_clean()

    assert "only_above_threshold" in refused.value.message_dict


# --- submission ---------------------------------------------------------------------------


def test_steps_are_copied_at_submission_and_later_flow_edits_do_not_reach_them(calls, budget, executive):
    flow = make_flow(KIND, {"role": "pm", "name": "Production manager"})

    approval = submit(budget, executive)
    flow.steps.update(name="Renamed", role="executive")

    approval.refresh_from_db()
    assert [(s["name"], s["role"]) for s in approval.steps] == [("Production manager", "pm")]
    assert (approval.status, approval.round, approval.current_step) == ("pending", 1, 0)
    assert approval.object_repr == str(budget)
    assert approval.brand_id == budget.project.brand_id


@pytest.mark.parametrize(
    ("line_amount", "roles"),
    [
        # 50,000.01 is above the studio's default 50,000: the executive step is added.
        (Decimal("50000.01"), ["pm", "executive"]),
        # Exactly 50,000 is not above it.
        (Decimal("50000.00"), ["pm"]),
    ],
)
def test_a_threshold_step_is_copied_only_when_the_amount_is_above_the_studio_threshold(line_amount, roles):
    budget = BudgetFactory()
    BudgetLineFactory(budget=budget, amount=line_amount)

    approval = approval_submit(obj=budget, kind="budget", submitted_by=UserFactory(role="admin"))

    assert [step["role"] for step in approval.steps] == roles
    assert approval.amount == line_amount


def test_a_budget_submitted_after_the_threshold_changed_is_decided_by_the_new_threshold():
    admin = UserFactory(role="admin")
    before, after = BudgetFactory(), BudgetFactory()
    BudgetLineFactory(budget=before, amount=Decimal("30000.00"))
    BudgetLineFactory(budget=after, amount=Decimal("30000.00"))
    # 30,000 is below the default 50,000: the production manager alone decides.
    first = approval_submit(obj=before, kind="budget", submitted_by=admin)

    studio = StudioSettings.load()
    studio.budget_approval_threshold = Decimal("25000")
    studio.save()
    # 30,000 is above the new 25,000: the executive decides too.
    second = approval_submit(obj=after, kind="budget", submitted_by=admin)

    assert [(step["role"], step["min_amount"]) for step in first.steps] == [("pm", None)]
    assert [(step["role"], step["min_amount"]) for step in second.steps] == [("pm", None), ("executive", "25000.00")]
    first.refresh_from_db()
    assert [step["role"] for step in first.steps] == ["pm"]


def test_a_change_order_is_decided_by_the_change_order_threshold_in_effect_at_submission():
    admin = UserFactory(role="admin")
    before = ChangeOrderFactory(budget_change=Decimal("-8000.00"))
    after = ChangeOrderFactory(budget_change=Decimal("-8000.00"))
    # A change of 8,000 (either way) is below the default 10,000.
    first = approval_submit(obj=before, kind="change_order", submitted_by=admin)

    studio = StudioSettings.load()
    studio.change_order_approval_threshold = Decimal("5000")
    studio.save()
    # 8,000 is above the new 5,000.
    second = approval_submit(obj=after, kind="change_order", submitted_by=admin)

    assert [step["role"] for step in first.steps] == ["pm"]
    assert [step["role"] for step in second.steps] == ["pm", "executive"]


def test_an_object_waits_in_one_approval_at_a_time(pm_flow, budget, executive):
    submit(budget, executive)

    with pytest.raises(ApprovalError):
        submit(budget, executive)
    assert Approval.objects.for_object(budget).count() == 1


def test_a_kind_without_an_active_flow_cannot_be_submitted(calls, budget, executive):
    make_flow(KIND, {"role": "pm"})
    ApprovalFlow.objects.filter(kind=KIND).update(active=False)

    with pytest.raises(ApprovalError):
        submit(budget, executive)
    assert not Approval.objects.exists()


# --- who decides --------------------------------------------------------------------------


def test_any_pm_decides_a_pm_step_and_the_last_approval_completes_it(calls, pm_flow, budget, pm, executive):
    approval = submit(budget, executive)

    approval = decide(approval, pm)

    assert approval.status == "approved" and approval.decided_at is not None
    decision = approval.decisions.get()
    assert (decision.step, decision.outcome, decision.decided_by, decision.on_behalf_of) == (0, APPROVE, pm, None)
    assert calls.made == [("on_approve", budget.pk, pm.pk)]


@pytest.mark.parametrize("who", ["executive", "creative", "freelancer", "outsider", "brand_manager"])
def test_others_may_not_decide_a_pm_step(request, calls, pm_flow, budget, who):
    approval = submit(budget, UserFactory(role="admin"))

    with pytest.raises(PermissionDenied):
        decide(approval, request.getfixturevalue(who))
    assert not approval.decisions.exists() and calls.made == []


def test_a_brand_step_is_decided_by_a_manager_of_that_brand_only(calls, budget, brand_manager, outsider, pm):
    make_flow(KIND, {"role": "brand_manager"})
    approval = submit(budget, pm)

    with pytest.raises(PermissionDenied):
        decide(approval, outsider)
    assert list(Approval.objects.waiting_on(outsider)) == []
    assert list(Approval.objects.waiting_on(brand_manager)) == [approval]

    assert decide(approval, brand_manager).status == "approved"


def test_a_named_user_step_is_decided_by_that_user_only(calls, budget, executive, pm):
    named = UserFactory(role="executive")
    make_flow(KIND, {"role": "", "user": named})
    approval = submit(budget, pm)

    with pytest.raises(PermissionDenied):
        decide(approval, executive)
    assert list(Approval.objects.waiting_on(executive)) == []

    assert decide(approval, named).status == "approved"


def test_a_step_before_the_last_tells_the_kind_and_moves_on(calls, budget, pm, brand_manager, executive):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    approval = submit(budget, executive)

    approval = decide(approval, pm)

    assert (approval.status, approval.current_step) == ("pending", 1)
    assert calls.made == [("on_step_approved", budget.pk, pm.pk)]
    assert list(Approval.objects.waiting_on(pm)) == []
    assert list(Approval.objects.waiting_on(brand_manager)) == [approval]


# --- own submissions ----------------------------------------------------------------------


def test_a_step_the_submitter_would_decide_is_skipped_and_recorded(calls, budget, pm, brand_manager):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    other_pm = UserFactory(role="pm")

    approval = submit(budget, pm)

    assert (approval.status, approval.current_step) == ("pending", 1)
    skipped = approval.decisions.get()
    assert (skipped.step, skipped.outcome, skipped.decided_by) == (0, "skipped", None)
    # The round is with the brand manager now, not with any production manager.
    assert list(Approval.objects.waiting_on(other_pm)) == []
    assert list(Approval.objects.waiting_on(brand_manager)) == [approval]


def test_when_every_step_is_skipped_the_approval_completes_at_once(calls, pm_flow, budget, pm):
    approval = submit(budget, pm)

    assert approval.status == "approved"
    assert list(approval.decisions.values_list("outcome", flat=True)) == ["skipped"]
    assert calls.made == [("on_approve", budget.pk, pm.pk)]


def test_nobody_decides_their_own_submission_even_on_a_later_step(calls, budget, pm, executive):
    make_flow(KIND, {"role": "executive"}, {"role": "pm"})
    approval = submit(budget, pm)
    assert approval.current_step == 0
    with pytest.raises(PermissionDenied):
        decide(approval, pm)

    approval = decide(approval, executive)

    # The pm step that follows is the submitter's own: skipped, and the approval is done.
    assert approval.status == "approved"
    assert list(approval.decisions.values_list("outcome", flat=True)) == [APPROVE, "skipped"]


# --- delegation ---------------------------------------------------------------------------


def test_a_delegate_decides_for_their_delegator_while_the_delegation_runs(calls, budget, pm):
    away = UserFactory(role="executive")
    stand_in = UserFactory(role="executive")
    make_flow(KIND, {"role": "", "user": away})
    approval = submit(budget, pm)
    today = clock.today()

    with pytest.raises(PermissionDenied):
        decide(approval, stand_in)
    DelegationFactory(delegator=away, delegate=stand_in, start_date=today - DAY, end_date=today - DAY)
    assert list(Approval.objects.waiting_on(stand_in)) == []

    DelegationFactory(delegator=away, delegate=stand_in, start_date=today, end_date=today + DAY)
    assert list(Approval.objects.waiting_on(stand_in)) == [approval]
    approval = decide(approval, stand_in)

    decision = approval.decisions.get()
    assert (decision.decided_by, decision.on_behalf_of) == (stand_in, away)
    assert approval.status == "approved"


def test_a_delegate_cannot_decide_on_their_delegators_behalf_what_they_submitted(calls, budget):
    away = UserFactory(role="executive")
    stand_in = UserFactory(role="executive")
    make_flow(KIND, {"role": "", "user": away})
    approval = submit(budget, stand_in)
    DelegationFactory(delegator=away, delegate=stand_in, start_date=clock.today(), end_date=clock.today())

    with pytest.raises(PermissionDenied):
        decide(approval, stand_in)
    assert list(Approval.objects.waiting_on(stand_in)) == []


# --- request changes, reject, resubmit ----------------------------------------------------


def test_request_changes_ends_the_round_and_a_resubmission_starts_the_next_at_step_one(
    calls, budget, pm, brand_manager, executive
):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    first = decide(submit(budget, executive), pm)

    first = decide(first, brand_manager, CHANGES, "Fewer lines, please.")
    assert first.status == "changes_requested"
    assert calls.names() == ["on_step_approved", "on_request_changes"]

    second = submit(budget, executive)

    assert (second.round, second.current_step, second.status) == (2, 0, "pending")
    assert list(Approval.objects.for_object(budget)) == [second, first]
    assert Approval.objects.pending_for(budget) == second
    first.refresh_from_db()
    assert first.status == "changes_requested"
    assert [(d.step, d.outcome, d.comment) for d in first.decisions.all()] == [
        (0, APPROVE, ""), (1, CHANGES, "Fewer lines, please."),
    ]


def test_reject_ends_the_approval_and_tells_the_kind(calls, pm_flow, budget, pm, executive):
    approval = decide(submit(budget, executive), pm, REJECT, "Out of scope.")

    assert approval.status == "rejected"
    assert calls.made == [("on_reject", budget.pk, pm.pk)]
    assert Approval.objects.pending_for(budget) is None


@pytest.mark.parametrize("outcome", [CHANGES, REJECT])
def test_sending_back_or_rejecting_needs_a_comment(calls, pm_flow, budget, pm, executive, outcome):
    approval = submit(budget, executive)

    with pytest.raises(ValidationError) as error:
        decide(approval, pm, outcome, "   ")

    assert "comment" in error.value.message_dict
    approval.refresh_from_db()
    assert approval.status == "pending" and not approval.decisions.exists() and calls.made == []


def test_an_unknown_outcome_is_refused(calls, pm_flow, budget, pm, executive):
    approval = submit(budget, executive)

    with pytest.raises(ValidationError) as error:
        decide(approval, pm, "skipped")

    assert "outcome" in error.value.message_dict
    assert not approval.decisions.exists()


def test_the_submitter_may_withdraw_a_pending_approval(calls, pm_flow, budget, pm, executive):
    approval = submit(budget, executive)
    with pytest.raises(PermissionDenied):
        approval_withdraw(approval=approval, user=pm)

    approval = approval_withdraw(approval=approval, user=executive)

    assert approval.status == "withdrawn"
    with pytest.raises(ApprovalAlreadyDecided):
        decide(approval, pm, step=0)


# --- first decision wins ------------------------------------------------------------------


def test_deciding_twice_records_one_decision(calls, pm_flow, budget, pm, executive):
    approval = submit(budget, executive)
    decide(approval, pm)

    # The second click carries the instance loaded before the first decision.
    with pytest.raises(ApprovalAlreadyDecided):
        decide(approval, pm)

    assert approval.decisions.count() == 1
    assert calls.names() == ["on_approve"]


def test_a_decision_on_a_step_that_moved_on_is_told_it_was_decided(calls, budget, pm, executive):
    make_flow(KIND, {"role": "pm"}, {"role": "executive"})
    approval = submit(budget, UserFactory(role="admin"))
    other_pm = UserFactory(role="pm")
    decide(approval, pm)

    with pytest.raises(ApprovalAlreadyDecided):
        decide(Approval.objects.get(pk=approval.pk), other_pm, REJECT, "No.", step=0)

    assert approval.decisions.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_decisions_the_first_wins_and_the_second_is_told(calls, monkeypatch, budget, executive):
    make_flow(KIND, {"role": "pm"})
    first_pm, second_pm = UserFactory(role="pm"), UserFactory(role="pm")
    approval = submit(budget, executive)
    inside, release = threading.Event(), threading.Event()

    def slow_on_approve(obj, approval, user):
        # Hold the row lock until the second decider has tried.
        inside.set()
        release.wait(timeout=10)

    outcomes = {}

    def run(name, user, stale_copy):
        try:
            decide(stale_copy, user)
            outcomes[name] = "decided"
        except ApprovalAlreadyDecided:
            outcomes[name] = "already decided"
        finally:
            connection.close()

    # Both deciders loaded the approval while it was still waiting.
    copies = [Approval.objects.get(pk=approval.pk) for _ in range(2)]
    monkeypatch.setitem(registry._kinds, KIND, dataclasses.replace(registry.get(KIND), on_approve=slow_on_approve))
    first = threading.Thread(target=run, args=("first", first_pm, copies[0]))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=run, args=("second", second_pm, copies[1]))
    second.start()
    second.join(timeout=1)
    # The second decider is blocked on the row lock while the first is still deciding.
    assert second.is_alive()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert outcomes == {"first": "decided", "second": "already decided"}
    assert list(Decision.objects.filter(approval=approval).values_list("decided_by", flat=True)) == [first_pm.pk]


# --- audit and notifications --------------------------------------------------------------


def test_submission_and_decisions_are_audited_on_the_object(calls, budget, pm, brand_manager, executive):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    approval = submit(budget, executive)
    approval = decide(approval, pm)
    decide(approval, brand_manager, REJECT, "Not this quarter.")

    events = list(AuditEvent.objects.for_object(budget).order_by("id").values_list("action", "actor", "reason"))
    assert events == [
        ("approval.submitted", executive.pk, ""),
        ("approval.approve", pm.pk, ""),
        ("approval.reject", brand_manager.pk, "Not this quarter."),
    ]


def test_the_next_approvers_are_notified_and_at_the_end_the_submitter(calls, budget, pm, brand_manager, executive):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    outsider_pm = UserFactory(role="pm", is_active=False)
    approval = submit(budget, executive)

    # Every active production manager: the `pm` fixture and the project's own PM.
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {pm.pk, budget.project.pm_id}
    assert outsider_pm.pk not in notified
    Notification.objects.all().delete()

    approval = decide(approval, pm)
    assert list(Notification.objects.values_list("recipient", "subject")) == [
        (brand_manager.pk, f"Waiting for your approval: {budget}"),
    ]
    Notification.objects.all().delete()

    decide(approval, brand_manager, CHANGES, "Split the contingency.")
    note = Notification.objects.get()
    assert (note.recipient, note.subject, note.body) == (
        executive, f"Changes requested: {budget}", "Split the contingency.",
    )
    assert note.url == f"/test-budgets/{budget.pk}/"


def test_a_delegate_is_notified_with_the_approver_they_stand_in_for(calls, budget, pm):
    away = UserFactory(role="executive")
    stand_in = UserFactory(role="pm")
    make_flow(KIND, {"role": "", "user": away})
    DelegationFactory(delegator=away, delegate=stand_in, start_date=clock.today(), end_date=clock.today())

    submit(budget, pm)

    assert set(Notification.objects.values_list("recipient", flat=True)) == {away.pk, stand_in.pk}


# --- visibility ---------------------------------------------------------------------------


def test_an_approval_is_visible_to_whoever_may_see_its_object(
    calls, pm_flow, budget, pm, executive, brand_manager, outsider, creative, freelancer
):
    approval = submit(budget, executive)

    for user in (pm, executive, brand_manager):
        assert list(Approval.objects.visible_to(user)) == [approval], user.role
    for user in (outsider, creative, freelancer):
        assert list(Approval.objects.visible_to(user)) == [], user.role


def test_a_brand_step_of_internal_work_is_skipped_and_recorded(calls, pm):
    # Internal projects have no brand, so no brand manager could ever decide that step.
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    budget = BudgetFactory(project__brand=None, project__is_internal=True)
    BudgetLineFactory(budget=budget, amount=Decimal("800.00"))
    submitter = UserFactory(role="executive")

    approval = approval_submit(obj=budget, kind=KIND, submitted_by=submitter)
    approval = approval_decide(approval=approval, user=pm, outcome="approve")

    assert approval.status == Approval.Status.APPROVED
    skipped = Decision.objects.get(approval=approval, step=1)
    assert (skipped.outcome, skipped.comment) == ("skipped", "no brand")
    assert calls.names() == ["on_step_approved", "on_approve"]
