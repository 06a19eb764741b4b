"""A change order's lines: what it changes in the budget, by category. With lines, its
change to the budget is their sum; once approved, each line moves its category's plan."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import Approval
from approvals.services import approval_decide
from budgets.health import plan_against_actual
from budgets.models import ChangeOrder, ChangeOrderLine
from budgets.services.change_orders import (
    change_order_create,
    change_order_line_add,
    change_order_line_remove,
    change_order_submit,
    change_order_update,
)
from studio import clock
from studio.models import AuditEvent
from studio.versions import StaleVersion
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

LINES_API = "/api/change-order-lines/"


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design", standard_cost_rate=D("60.00"))


@pytest.fixture
def project(pm, design):
    """A baseline of 25,000.00: design 200 h × 60.00 = 12,000.00 and expenses 13,000.00."""
    project = f.ProjectFactory(pm=pm, fee=D("40000.00"))
    budget = f.BudgetFactory(project=project, status="approved", approved_at=timezone.now())
    f.BudgetLineFactory(budget=budget, kind="labor", discipline=design, hours=D("200"), rate=D("60.00"), amount=None)
    f.BudgetLineFactory(budget=budget, kind="expense", amount=D("13000.00"))
    return project


@pytest.fixture
def order(pm, project):
    return change_order_create(project=project, user=pm, title="Two extra cut-downs", fee_change=D("4500.00"))


def add(order, user, **fields):
    order.refresh_from_db()
    return change_order_line_add(change_order=order, user=user, version=order.version, **fields)


def test_the_change_to_the_budget_is_the_sum_of_the_lines(pm, order, design):
    add(order, pm, kind="labor", discipline=design, hours=D("40"))  # 40 h × 60.00 (the standard rate) = 2,400.00
    add(order, pm, kind="freelance", description="Motion", hours=D("12.5"), rate=D("72.00"))  # 900.00
    add(order, pm, kind="expense", description="Print run dropped", amount=D("-1500.00"))

    order.refresh_from_db()
    # 2,400.00 + 900.00 − 1,500.00 = 1,800.00
    assert order.budget_change == D("1800.00")
    assert order.version == 4
    labour = order.lines.get(kind="labor")
    assert (labour.rate, labour.total) == (D("60.00"), D("2400.00"))
    events = AuditEvent.objects.filter(action="change_order.line_added").order_by("pk")
    assert [event.after["budget_change"] for event in events] == ["2400.00", "3300.00", "1800.00"]


def test_removing_a_line_takes_it_out_of_the_sum(pm, order):
    add(order, pm, kind="expense", amount=D("700.00"))
    line = add(order, pm, kind="expense", amount=D("300.00"))
    order.refresh_from_db()

    change_order_line_remove(line=line, user=pm, version=order.version)

    order.refresh_from_db()
    assert order.budget_change == D("700.00")
    assert AuditEvent.objects.filter(action="change_order.line_removed").count() == 1


def test_with_lines_the_budget_change_is_not_typed(pm, order):
    add(order, pm, kind="expense", amount=D("700.00"))
    order.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        change_order_update(change_order=order, user=pm, version=order.version, budget_change=D("900.00"))

    assert "budget_change" in refused.value.message_dict
    # The same figure, as a form with the field read-only sends it, is fine.
    change_order_update(change_order=order, user=pm, version=order.version, budget_change=D("700.00"), title="More")
    order.refresh_from_db()
    assert (order.title, order.budget_change) == ("More", D("700.00"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "labor", "hours": D("10"), "rate": D("50")}, "discipline"),
        ({"kind": "expense", "hours": D("0"), "rate": D("50")}, "hours"),
        ({"kind": "expense", "amount": D("0")}, "amount"),
        ({"kind": "expense", "hours": D("10"), "rate": D("0")}, "rate"),
        ({"kind": "expense", "hours": D("10"), "rate": D("50"), "amount": D("5")}, "amount"),
        ({"kind": "expense"}, "amount"),
        ({"kind": "expense", "hours": D("10")}, "rate"),
        ({"kind": "expense", "hours": D("-100000"), "rate": D("1")}, "hours"),
        ({"kind": "expense", "amount": D("1"), "description": "a\x00b"}, "description"),
        ({"kind": "expense", "amount": D("1"), "description": "x" * 201}, "description"),
        ({"kind": "contingency", "amount": D("1")}, "kind"),
    ],
)
def test_bad_lines_are_refused_by_field_and_nothing_saved(pm, order, fields, field):
    with pytest.raises(ValidationError) as refused:
        add(order, pm, **fields)

    assert field in refused.value.message_dict
    order.refresh_from_db()
    assert (order.lines.count(), order.version, order.budget_change) == (0, 1, D("0"))


def test_lines_whose_sum_passes_the_limit_are_refused(pm, order):
    add(order, pm, kind="expense", amount=D("999999999.99"))

    with pytest.raises(ValidationError):
        add(order, pm, kind="expense", amount=D("0.01"))

    order.refresh_from_db()
    assert (order.lines.count(), order.budget_change) == (1, D("999999999.99"))


def test_a_stale_version_is_refused_and_nothing_saved(pm, order):
    with pytest.raises(StaleVersion):
        change_order_line_add(change_order=order, user=pm, version=order.version + 1, kind="expense", amount=D("5"))

    assert not ChangeOrderLine.objects.exists()


def test_a_submitted_change_order_takes_no_more_lines(pm, order):
    add(order, pm, kind="expense", amount=D("100.00"))
    order.refresh_from_db()
    order = change_order_submit(change_order=order, user=pm, version=order.version)
    assert order.status != ChangeOrder.Status.DRAFT

    with pytest.raises(ValidationError):
        add(order, pm, kind="expense", amount=D("5"))


@pytest.mark.parametrize("who", ["creative", "freelancer", "brand_manager", "executive"])
def test_only_production_managers_write_lines(order, who, request):
    with pytest.raises(PermissionDenied):
        add(order, request.getfixturevalue(who), kind="expense", amount=D("5"))


def test_last_line_gone_the_order_needs_a_figure_again_before_submission(pm, project):
    order = change_order_create(project=project, user=pm, title="Scope", budget_change=D("10"))
    line = add(order, pm, kind="expense", amount=D("100.00"))
    order.refresh_from_db()
    change_order_line_remove(line=line, user=pm, version=order.version)
    order.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        change_order_submit(change_order=order, user=pm, version=order.version)

    assert "budget_change" in refused.value.message_dict


def test_approved_lines_move_their_categories_plan(pm, executive, project, order, design):
    add(order, pm, kind="labor", discipline=design, hours=D("40"))  # 2,400.00
    add(order, pm, kind="expense", amount=D("-1500.00"))
    order.refresh_from_db()
    order = change_order_submit(change_order=order, user=pm, version=order.version)
    if order.status != ChangeOrder.Status.APPROVED:
        approval_decide(approval=order_approval(order), user=executive, outcome="approve")
    # A second order without lines: 500.00 in one figure.
    plain = change_order_create(project=project, user=pm, title="Rush", budget_change=D("500.00"))
    plain = change_order_submit(change_order=plain, user=pm, version=plain.version)
    if plain.status != ChangeOrder.Status.APPROVED:
        approval_decide(approval=order_approval(plain), user=executive, outcome="approve")

    plan = plan_against_actual(project, clock.today())

    planned = {row.category if row.discipline is None else row.discipline.name: row.planned for row in plan.rows}
    # Design 12,000.00 + 2,400.00; expenses 13,000.00 − 1,500.00; 500.00 unitemised.
    assert planned["Design"] == D("14400.00")
    assert planned["expense"] == D("11500.00")
    assert planned["change_orders"] == D("500.00")
    # BACm = 25,000.00 + 900.00 + 500.00
    assert plan.planned_total == D("26400.00")


def order_approval(order):
    return Approval.objects.get(kind="change_order", object_id=str(order.pk), status="pending")


# --- the page -----------------------------------------------------------------------------


def page(order):
    return f"/budgets/change-orders/{order.pk}/"


def test_a_pm_adds_and_removes_lines_on_the_page(client, pm, order, design):
    client.force_login(pm)

    response = client.post(
        f"{page(order)}lines/",
        {"version": order.version, "kind": "labor", "discipline": design.pk, "hours": "-10", "description": "Less"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.budget_change == D("-600.00")  # −10 h × 60.00
    text = client.get(page(order)).content.decode()
    assert "Internal labour: Design" in text and "-600.00" in text
    form = client.get(page(order)).context["form"]
    assert form.fields["budget_change"].disabled

    line = order.lines.get()
    response = client.post(f"/budgets/change-order-lines/{line.pk}/remove/", {"version": order.version})
    assert response.status_code == 302
    assert not order.lines.exists()


def test_a_bad_line_is_shown_next_to_its_field(client, pm, order):
    client.force_login(pm)

    response = client.post(f"{page(order)}lines/", {"version": order.version, "kind": "expense", "amount": "0"})

    assert response.status_code == 400
    assert "amount" in response.context["line_form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ChangeOrderLine.objects.exists()


def test_a_stale_line_add_saves_nothing_and_says_so(client, pm, order):
    client.force_login(pm)

    response = client.post(
        f"{page(order)}lines/", {"version": order.version + 3, "kind": "expense", "amount": "5"}, follow=True
    )

    assert "Someone else changed this" in response.content.decode()
    assert not ChangeOrderLine.objects.exists()


def test_a_brand_manager_sees_the_change_but_not_its_lines(client, pm, brand_manager, brand, design):
    project = f.ProjectFactory(brand=brand, pm=pm)
    f.BudgetFactory(project=project, status="approved", approved_at=timezone.now())
    order = change_order_create(project=project, user=pm, title="More", fee_change=D("100"))
    add(order, pm, kind="freelance", hours=D("10"), rate=D("87.25"))  # 872.50

    client.force_login(brand_manager)
    response = client.get(page(order))

    assert response.status_code == 200
    text = response.content.decode()
    assert "872.50" in text  # the change to the budget
    assert "87.25" not in text and "Lines" not in text
    assert client.post(f"{page(order)}lines/", {"version": 2, "kind": "expense", "amount": "5"}).status_code == 403


# --- the API ------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_adds_reads_and_removes_lines(pm, order):
    client = api(pm)

    response = client.post(
        LINES_API,
        {"change_order": order.pk, "version": 1, "kind": "expense", "amount": "-250.50", "description": "Less"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["budget_change"], response.json()["version"]) == ("-250.50", 2)
    rows = client.get(LINES_API, {"change_order": order.pk}).json()["results"]
    assert [(row["kind"], row["total"]) for row in rows] == [("expense", "-250.50")]

    stale = client.delete(f"{LINES_API}{rows[0]['id']}/?version=1")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    assert client.delete(f"{LINES_API}{rows[0]['id']}/?version=2").json()["budget_change"] == "0.00"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "expense", "amount": "0"}, "amount"),
        ({"kind": "labor", "hours": "5", "rate": "10"}, "discipline"),
        ({"kind": "contingency", "amount": "5"}, "kind"),
        ({"kind": "expense", "hours": "1e9", "rate": "10"}, "hours"),
        ({"kind": "expense", "amount": "5", "description": "x" * 5000}, "description"),
        ({"kind": "expense", "amount": "-1000000000"}, "amount"),
    ],
)
def test_bad_lines_are_400s_with_field_errors(pm, order, body, field):
    response = api(pm).post(LINES_API, {"change_order": order.pk, "version": 1, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ChangeOrderLine.objects.exists()


@pytest.mark.parametrize("who", ["brand_manager", "creative", "freelancer"])
def test_lines_reach_the_studio_only(pm, order, who, request):
    add(order, pm, kind="expense", amount=D("5"))

    client = api(request.getfixturevalue(who))

    assert client.get(LINES_API).json()["results"] == []
    response = client.post(LINES_API, {"change_order": order.pk, "version": 2, "kind": "expense", "amount": "5"})
    assert response.status_code in (400, 403)
    assert ChangeOrderLine.objects.count() == 1
