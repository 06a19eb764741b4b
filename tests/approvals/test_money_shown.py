"""Amounts waiting for approval in the one money format: the inbox column (its heading names
the currency) and the object's panel ("EUR 43,109.28")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.services import approval_submit
from tests.factories import BudgetLineFactory

from .conftest import KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(pm_flow, budget, executive):
    """The budget, grown to 1,500.00 + 41,609.28 = 43,109.28, waiting on the production managers."""
    BudgetLineFactory(budget=budget, amount=Decimal("41609.28"))
    return approval_submit(obj=budget, kind=KIND, submitted_by=executive)


def test_the_inbox_shows_the_amount_with_thousands_under_a_heading_naming_the_currency(client, waiting, pm):
    client.force_login(pm)

    html = client.get(reverse("approvals:inbox")).content.decode()

    assert "Amount (EUR)" in html
    assert "43,109.28" in html and "43109.28" not in html


def test_the_panel_shows_the_amount_in_the_one_format(client, waiting, budget, pm):
    client.force_login(pm)

    html = client.get(reverse("approvals:panel", args=[KIND, budget.pk])).content.decode()

    assert "EUR 43,109.28" in html and "43,109.28 EUR" not in html
