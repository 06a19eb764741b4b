"""The money section of the project page: the fee in force after approved change orders,
the budget at completion, what is spent and the forecast, by what the reader may see."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.fixture
def project(pm, brand):
    project = f.ProjectFactory(pm=pm, brand=brand, fee=D("40000.00"))
    f.BudgetLineFactory(budget__project=project, budget__status="approved", budget__approved_at=timezone.now(),
                        amount=D("25000.00"))
    f.ChangeOrderFactory(project=project, status="approved", approved_at=timezone.now(),
                         fee_change=D("4500.00"), budget_change=D("3800.00"))
    f.ChangeOrderFactory(project=project, status="submitted", fee_change=D("9999.00"), budget_change=D("1.00"))
    f.CostFactory(project=project, kind="expense", amount=D("1436.00"), status="invoiced")
    return project


def money(client, project):
    return client.get(reverse("budgets:project-money", args=[project.pk])).content.decode()


def test_the_fee_in_force_counts_approved_change_orders_only(client, pm, project):
    client.force_login(pm)

    html = money(client, project)

    # 40,000.00 + 4,500.00 (approved); the submitted 9,999.00 does not count yet.
    assert "EUR 44,500.00" in html and "contract EUR 40,000.00" in html
    # Budget at completion 25,000.00 + 3,800.00; spent 1,436.00 of 28,800.00 = 4.99 % → 5 %.
    assert "28,800.00" in html and "5 %" in html
    assert "1,436.00" in html


def test_a_brand_manager_sees_totals_and_never_the_actual_cost(client, brand_manager, project):
    client.force_login(brand_manager)

    html = money(client, project)

    assert "44,500.00" in html and "28,800.00" in html
    assert "1,436.00" not in html and "Actual cost" not in html


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("creative", 404), ("freelancer", 404)])
def test_others_do_not_see_the_money(client, request, project, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("budgets:project-money", args=[project.pk]))

    assert response.status_code == status
    assert "44,500.00" not in response.content.decode()


def test_a_booked_creative_sees_the_project_but_not_its_money(client, project):
    talent = f.TalentFactory(user__role="creative")
    f.BookingFactory(talent=talent, project=project)
    client.force_login(talent.user)

    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()

    assert client.get(reverse("budgets:project-money", args=[project.pk])).status_code == 403
    assert "project-money" not in page and "40,000.00" not in page


def test_the_project_page_loads_the_money_section(client, pm, project):
    client.force_login(pm)

    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()

    assert reverse("budgets:project-money", args=[project.pk]) in page
