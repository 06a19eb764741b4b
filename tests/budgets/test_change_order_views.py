"""The change-order pages: who reads them, who drafts, edits and submits, and what a
stale or bad save shows."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Approval
from budgets.models import ChangeOrder
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.fixture
def project(pm, brand):
    project = f.ProjectFactory(pm=pm, brand=brand, fee=D("40000.00"))
    f.BudgetLineFactory(
        budget__project=project, budget__status="approved", budget__approved_at=timezone.now(), amount=D("25000.00")
    )
    return project


@pytest.fixture
def change_order(project, pm):
    return f.ChangeOrderFactory(
        project=project,
        requested_by=pm,
        title="Two extra cut-downs",
        fee_change=D("3217.45"),
        budget_change=D("2000.00"),
    )


@pytest.fixture
def booked_creative(project):
    talent = f.TalentFactory(user__role="creative")
    f.BookingFactory(talent=talent, project=project)
    return talent.user


# Who reads a project's change orders (the list, one of them): the studio and the brand's
# managers; a creative booked on the project sees the project, not its money (the list is
# refused, the change order does not exist for them); others do not see the project.
READS = {
    "pm": (200, 200),
    "executive": (200, 200),
    "admin_user": (200, 200),
    "brand_manager": (200, 200),
    "booked_creative": (403, 404),
    "creative": (404, 404),
    "freelancer": (404, 404),
    "outsider": (404, 404),
}


@pytest.mark.parametrize(("who", "statuses"), READS.items())
def test_who_reads_the_change_orders(client, request, project, change_order, who, statuses):
    client.force_login(request.getfixturevalue(who))
    urls = (
        reverse("budgets:change-orders", args=[project.pk]),
        reverse("budgets:change-order", args=[change_order.pk]),
    )

    for url, status in zip(urls, statuses, strict=True):
        response = client.get(url)
        assert response.status_code == status, url
        assert ("3,217.45" in response.content.decode()) == (status == 200)


def test_a_change_order_of_another_brand_does_not_exist_for_a_brand_manager(client, brand_manager, pm):
    other = f.ChangeOrderFactory(project=f.ProjectFactory(pm=pm))
    client.force_login(brand_manager)

    assert client.get(reverse("budgets:change-order", args=[other.pk])).status_code == 404


def test_the_list_shows_the_figures_in_the_studio_currency(client, pm, project, change_order):
    client.force_login(pm)

    html = client.get(reverse("budgets:change-orders", args=[project.pk])).content.decode()

    assert "3,217.45" in html and "2,000.00" in html and "Two extra cut-downs" in html
    assert "Draft a change order" in html


@pytest.mark.parametrize("who", ["executive", "admin_user", "brand_manager"])
def test_only_production_managers_may_draft(client, request, project, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("budgets:change-orders", args=[project.pk])

    assert "Draft a change order" not in client.get(url).content.decode()
    response = client.post(url, {"title": "More", "fee_change": "100", "budget_change": "0"})

    assert response.status_code == 403
    assert not ChangeOrder.objects.filter(title="More").exists()


def test_a_pm_drafts_edits_and_submits_a_change_order(client, pm, executive, project):
    client.force_login(pm)

    response = client.post(
        reverse("budgets:change-orders", args=[project.pk]),
        {"title": "A second market", "description": "France.", "fee_change": "60000", "budget_change": "45000"},
    )
    change_order = ChangeOrder.objects.get(title="A second market")
    assert response.status_code == 302 and response.url == reverse("budgets:change-order", args=[change_order.pk])

    detail = reverse("budgets:change-order", args=[change_order.pk])
    response = client.post(
        detail,
        {
            "title": "A second market",
            "description": "France and Belgium.",
            "fee_change": "61000",
            "budget_change": "45000",
            "version": "1",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("budgets:change-order-submit", args=[change_order.pk]), {"version": "2"})
    assert response.status_code == 302

    change_order.refresh_from_db()
    assert change_order.status == "submitted" and change_order.fee_change == D("61000")
    approval = Approval.objects.get(kind="change_order", object_id=str(change_order.pk))
    assert approval.current["role"] == "executive"
    client.force_login(executive)
    assert "61,000.00" in client.get(detail).content.decode()


def test_a_stale_save_answers_409_with_the_current_figures_and_changes_nothing(client, pm, change_order):
    client.force_login(pm)
    detail = reverse("budgets:change-order", args=[change_order.pk])
    client.post(detail, {"title": "Two extra cut-downs", "fee_change": "3500", "budget_change": "2000", "version": "1"})

    response = client.post(detail, {"title": "Mine", "fee_change": "9", "budget_change": "9", "version": "1"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html and 'value="3500.00"' in html
    change_order.refresh_from_db()
    assert (change_order.title, change_order.fee_change) == ("Two extra cut-downs", D("3500"))


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"title": "x" * 201, "fee_change": "1", "budget_change": "0"}, "at most 200 characters"),
        ({"title": "Nul\x00byte", "fee_change": "1", "budget_change": "0"}, "Null characters are not allowed"),
        ({"title": "Huge", "fee_change": "1000000000", "budget_change": "0"}, "less than or equal to"),
        ({"title": "Nothing", "fee_change": "0", "budget_change": "0"}, "changes the fee, the budget or both"),
        ({"title": "Words", "fee_change": "lots", "budget_change": "0"}, "Enter a number"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, pm, project, data, field_error):
    client.force_login(pm)

    response = client.post(reverse("budgets:change-orders", args=[project.pk]), data)

    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not ChangeOrder.objects.exists()


def test_without_a_baseline_the_form_says_to_submit_the_budget_first(client, pm):
    project = f.ProjectFactory(pm=pm)
    client.force_login(pm)

    response = client.post(
        reverse("budgets:change-orders", args=[project.pk]),
        {"title": "More", "fee_change": "100", "budget_change": "0"},
    )

    assert "submit the project&#x27;s budget first" in response.content.decode()
    assert not ChangeOrder.objects.exists()


def test_the_list_reads_the_same_number_of_queries_however_many_rows(client, pm, project, django_assert_num_queries):
    f.ChangeOrderFactory(project=project, requested_by=pm)
    client.force_login(pm)
    url = reverse("budgets:change-orders", args=[project.pk])

    with django_assert_num_queries(QUERIES):
        client.get(url)
    f.ChangeOrderFactory.create_batch(7, project=project, requested_by=pm)
    with django_assert_num_queries(QUERIES):
        html = client.get(url).content.decode()
    assert html.count("/budgets/change-orders/") == 8


# Session, user, the project, the count and the page of change orders, the studio
# settings (context processor); whether the PM may see and draft them is the table's.
QUERIES = 6
