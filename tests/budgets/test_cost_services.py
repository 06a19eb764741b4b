"""Costs entered by the production manager: committed → invoiced → paid, never on a
closed project, and a freelancer's hourly invoice only for a period in their contract."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets.models import Cost
from budgets.services.costs import cost_add, cost_advance
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm)


@pytest.fixture
def contractor():
    # Under contract from 30 days ago to 60 days ahead.
    return f.FreelanceTalentFactory(contract_start=f.TODAY - dt.timedelta(30), contract_end=f.TODAY + dt.timedelta(60))


def test_a_cost_is_entered_committed_and_moves_on_to_paid(pm, project):
    cost = cost_add(
        project=project,
        user=pm,
        kind="purchase_order",
        description=" Print run ",
        supplier="Press & Proof",
        amount=D("3850.00"),
    )

    assert (cost.status, cost.description, cost.date) == ("committed", "Print run", f.TODAY)
    cost = cost_advance(cost=cost, user=pm, status="invoiced")
    cost = cost_advance(cost=cost, user=pm, status="paid")
    assert Cost.objects.get(pk=cost.pk).status == "paid"
    assert cost_advance(cost=cost, user=pm, status="paid").status == "paid"  # a rerun changes nothing
    assert AuditEvent.objects.filter(action__in=["cost.added", "cost.moved"]).count() == 3


def test_a_cost_never_moves_back_or_skips_a_step(pm, project):
    cost = f.CostFactory(project=project, status="committed")
    with pytest.raises(ValidationError):
        cost_advance(cost=cost, user=pm, status="paid")
    cost_advance(cost=cost, user=pm, status="invoiced")
    with pytest.raises(ValidationError):
        cost_advance(cost=cost, user=pm, status="committed")


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_closed_or_cancelled_project_takes_no_cost(pm, project, status):
    project.status = status
    project.save()

    with pytest.raises(ValidationError) as refused:
        cost_add(project=project, user=pm, kind="expense", description="Taxi", amount=D("40"))

    assert "project" in refused.value.message_dict
    assert not Cost.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": D("-1")}, "amount"),
        ({"amount": D("1000000000.00")}, "amount"),
        ({"date": dt.date(1, 1, 1)}, "date"),
        ({"date": dt.date(9999, 12, 31)}, "date"),
        ({"description": "x" * 201}, "description"),
        ({"kind": "freelance_fixed"}, "talent"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(pm, project, fields, field):
    data = {"kind": "expense", "description": "Taxi", "amount": D("40")} | fields

    with pytest.raises(ValidationError) as refused:
        cost_add(project=project, user=pm, **data)

    assert field in refused.value.message_dict
    assert not Cost.objects.exists()


def test_an_hourly_invoice_bills_a_period_within_the_contract(pm, project, contractor):
    inside = cost_add(
        project=project,
        user=pm,
        kind="freelance_hourly_invoice",
        talent=contractor,
        description="Hours, last fortnight",
        amount=D("1200"),
        period_start=f.TODAY - dt.timedelta(14),
        period_end=f.TODAY - dt.timedelta(1),
    )
    assert inside.status == "invoiced"

    with pytest.raises(ValidationError) as refused:
        cost_add(
            project=project,
            user=pm,
            kind="freelance_hourly_invoice",
            talent=contractor,
            description="Hours before the contract",
            amount=D("800"),
            period_start=f.TODAY - dt.timedelta(40),
            period_end=f.TODAY - dt.timedelta(20),
        )
    assert "period_start" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cost_add(
            project=project,
            user=pm,
            kind="freelance_hourly_invoice",
            talent=contractor,
            description="No period",
            amount=D("800"),
        )
    assert "period_start" in refused.value.message_dict
    assert Cost.objects.count() == 1


@pytest.mark.parametrize("who", ["executive", "admin_user", "creative", "brand_manager"])
def test_only_production_managers_enter_costs(request, project, who):
    with pytest.raises(PermissionDenied):
        cost_add(project=project, user=request.getfixturevalue(who), kind="expense", description="Taxi", amount=D("40"))
