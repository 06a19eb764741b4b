"""Change orders: drafted by the project's production managers once the budget has a
baseline, numbered per project, versioned, and decided through their own flow."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals.models import Approval
from approvals.services import approval_decide
from budgets.models import ChangeOrder
from budgets.services.change_orders import change_order_create, change_order_submit, change_order_update
from studio.models import AuditEvent, StudioSettings
from studio.versions import StaleVersion
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.fixture
def project(pm):
    project = f.ProjectFactory(pm=pm, fee=D("40000.00"))
    f.BudgetLineFactory(
        budget__project=project, budget__status="approved", budget__approved_at=timezone.now(), amount=D("25000.00")
    )
    return project


def test_change_orders_are_numbered_per_project_and_audited(pm, project):
    first = change_order_create(
        project=project, user=pm, title="Two extra cut-downs", fee_change=D("3000.00"), budget_change=D("2000.00")
    )
    second = change_order_create(project=project, user=pm, title="  Drop the print run  ", budget_change=D("-1500.00"))
    elsewhere = f.ProjectFactory(pm=pm)
    f.BudgetFactory(project=elsewhere, status="approved", approved_at=timezone.now())

    assert (first.number, second.number) == (1, 2)
    assert change_order_create(project=elsewhere, user=pm, title="More", fee_change=D(1)).number == 1
    assert second.title == "Drop the print run" and second.status == ChangeOrder.Status.DRAFT
    assert AuditEvent.objects.filter(action="change_order.created").count() == 3


def test_a_change_order_needs_an_approved_baseline(pm):
    project = f.ProjectFactory(pm=pm)
    f.BudgetLineFactory(budget__project=project, budget__status="submitted")

    with pytest.raises(ValidationError) as refused:
        change_order_create(project=project, user=pm, title="More", fee_change=D("100"))

    assert "project" in refused.value.message_dict
    assert not ChangeOrder.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   ", "fee_change": D(1)}, "title"),
        ({"title": "Nothing", "fee_change": D(0), "budget_change": D(0)}, "budget_change"),
        ({"title": "Typo", "fee_change": D("1000000000.00")}, "fee_change"),
        ({"title": "Typo", "budget_change": D("-1000000000.00")}, "budget_change"),
        ({"title": "x" * 201, "fee_change": D(1)}, "title"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_saved(pm, project, fields, field):
    with pytest.raises(ValidationError) as refused:
        change_order_create(project=project, user=pm, **fields)

    assert field in refused.value.message_dict
    assert not ChangeOrder.objects.exists()


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_closed_or_cancelled_project_takes_no_change_order(pm, project, status):
    project.status = status
    project.save()

    with pytest.raises(ValidationError):
        change_order_create(project=project, user=pm, title="More", fee_change=D(1))


@pytest.mark.parametrize("who", ["executive", "admin_user", "creative", "freelancer", "brand_manager"])
def test_only_production_managers_draft_change_orders(request, project, who):
    with pytest.raises(PermissionDenied):
        change_order_create(project=project, user=request.getfixturevalue(who), title="More", fee_change=D(1))


def test_a_stale_save_is_refused_and_nothing_is_overwritten(pm, project):
    change_order = change_order_create(project=project, user=pm, title="Extra cut-downs", fee_change=D("3000"))
    first = change_order_update(change_order=change_order, user=pm, version=1, fee_change=D("3500"))

    with pytest.raises(StaleVersion) as stale:
        change_order_update(change_order=change_order, user=f.UserFactory(role="pm"), version=1, title="Other")

    assert stale.value.current.title == "Extra cut-downs"
    change_order.refresh_from_db()
    assert (change_order.title, change_order.fee_change, change_order.version) == ("Extra cut-downs", D("3500"), 2)
    assert first.version == 2


def test_a_submitted_change_order_is_decided_by_the_threshold_in_the_settings_at_submission(pm, executive, project):
    settings = StudioSettings.load()
    settings.change_order_approval_threshold = D("5000.00")
    settings.save()
    # A change of 6,000.00 is above 5,000.00: an executive decides it after a PM.
    change_order = change_order_create(
        project=project, user=pm, title="A second market", fee_change=D("9000.00"), budget_change=D("6000.00")
    )

    submitted = change_order_submit(change_order=change_order, user=pm, version=change_order.version)
    settings.change_order_approval_threshold = D("50000.00")
    settings.save()

    approval = Approval.objects.get(kind="change_order", object_id=str(change_order.pk))
    assert [step["role"] for step in approval.steps] == ["pm", "executive"]
    assert submitted.status == ChangeOrder.Status.SUBMITTED
    with pytest.raises(ValidationError):
        change_order_update(change_order=submitted, user=pm, version=submitted.version, title="Later")

    # The PM step is the submitter's own, so it is skipped: the executive decides.
    assert approval.current_step == 1
    approval_decide(approval=approval, user=executive, outcome="approve")

    change_order.refresh_from_db()
    assert change_order.status == ChangeOrder.Status.APPROVED and change_order.approved_at is not None


def test_changes_requested_bring_the_change_order_back_to_draft_to_edit_and_resubmit(pm, executive, project):
    change_order = change_order_create(
        project=project, user=pm, title="A second market", fee_change=D("60000.00"), budget_change=D("45000.00")
    )
    change_order = change_order_submit(change_order=change_order, user=pm, version=change_order.version)
    approval = Approval.objects.get(kind="change_order", object_id=str(change_order.pk))
    approval_decide(approval=approval, user=executive, outcome="request_changes", comment="Split the markets.")

    change_order.refresh_from_db()
    assert change_order.status == ChangeOrder.Status.DRAFT
    edited = change_order_update(
        change_order=change_order, user=pm, version=change_order.version, budget_change=D("20000.00")
    )
    assert change_order_submit(change_order=edited, user=pm, version=edited.version).status == "submitted"
