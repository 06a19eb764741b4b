"""Change orders, costs and the studio's budgets through the API, with the rules and
services of the pages: whoever sees a budget reads its change orders; costs and the
studio's budgets are the studio's alone (brand managers, creatives and freelancers read
none: empty lists and 404s); production managers write, with 400 field errors, 403 for a
forbidden action, 404 for what the caller may not see and 409 for a stale version."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import Approval
from budgets.models import ChangeOrder, Cost, StudioBudget
from schedules.models import Timesheet
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

CHANGE_ORDERS = "/api/change-orders/"
COSTS = "/api/costs/"
STUDIO_BUDGETS = "/api/studio-budgets/"
STUDIO = role_fixtures("project.see_costs")
# Who sees none of a project's costs: brand managers (their own brand's too), creatives
# and freelancers booked on it.
NO_MONEY = ("brand_manager", "outsider", "creative", "freelancer")
# Wed 25 November 2026; its week starts Mon 23 November.
TODAY = f.TODAY
MON = f.monday(TODAY) - dt.timedelta(days=7)  # Mon 16 November


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(url, data, format="json")


def user_for(who, request, project):
    """The fixture `who` (None for anonymous); creatives and freelancers are booked on `project`."""
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    if who in ("creative", "freelancer"):
        f.BookingFactory(talent=user.talent, project=project)
    return user


@pytest.fixture
def project(brand, pm):
    project = f.ProjectFactory(brand=brand, pm=pm, fee=D("20000.00"))
    baseline = f.BudgetFactory(project=project, status="approved", approved_at=timezone.now() - dt.timedelta(days=9))
    f.BudgetLineFactory(budget=baseline, kind="expense", amount=D("10000.00"))
    return project


@pytest.fixture
def draft(project):
    return f.ChangeOrderFactory(
        project=project, number=1, title="Two extra cut-downs", fee_change=D("3000.00"), budget_change=D("2000.00")
    )


@pytest.fixture
def approved_order(project):
    return f.ChangeOrderFactory(
        project=project,
        number=2,
        title="A shorter edit",
        fee_change=D("-500.00"),
        budget_change=D("-250.50"),
        status="approved",
        approved_at=timezone.now(),
    )


@pytest.fixture
def contractor():
    # Under contract from Mon 26 October to Sun 24 January; costs 40.00 an hour.
    talent = f.FreelanceTalentFactory(
        contract_start=TODAY - dt.timedelta(days=30), contract_end=TODAY + dt.timedelta(days=60)
    )
    f.RateCardFactory(talent=talent, cost_rate=D("40.00"), valid_from=TODAY - dt.timedelta(days=365))
    return talent


@pytest.fixture
def invoice(project, contractor):
    """The contractor's invoice of 600.00 for Mon 16 to Fri 20 November, with 8 h on Mon
    16 and 6 h on Tue 17 approved on the project (and 5 h on another project)."""
    sheet = f.TimesheetFactory(talent=contractor, week_start=MON, status="approved", approved_at=timezone.now())
    f.TimeEntryFactory(timesheet=sheet, project=project, date=MON, hours=D("8"))
    f.TimeEntryFactory(timesheet=sheet, project=project, date=MON + dt.timedelta(days=1), hours=D("6"))
    f.TimeEntryFactory(timesheet=sheet, date=MON + dt.timedelta(days=2), hours=D("5"))
    return f.CostFactory(
        project=project,
        kind="freelance_hourly_invoice",
        talent=contractor,
        description="Retouching, week 47",
        amount=D("600.00"),
        date=TODAY - dt.timedelta(days=2),
        period_start=MON,
        period_end=MON + dt.timedelta(days=4),
        status="invoiced",
    )


@pytest.fixture
def expense(project):
    return f.CostFactory(
        project=project, kind="purchase_order", description="Print run", amount=D("3850.75"), status="committed"
    )


def change_orders_state():
    return list(ChangeOrder.objects.order_by("pk").values_list("pk", "title", "fee_change", "status", "version"))


def costs_state():
    return list(Cost.objects.order_by("pk").values_list("pk", "description", "amount", "status"))


# --- change orders: reads -----------------------------------------------------------------


@pytest.mark.parametrize("who", [*STUDIO, "brand_manager"])
def test_whoever_sees_the_budget_reads_its_change_orders(project, draft, approved_order, who, request):
    client = api(request.getfixturevalue(who))

    response = client.get(CHANGE_ORDERS, {"project": project.pk})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [1, 2]
    assert rows[1] == {
        "id": approved_order.pk,
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "number": 2,
        "title": "A shorter edit",
        "description": "",
        "fee_change": "-500.00",
        "budget_change": "-250.50",
        "status": "approved",
        "approved_at": rows[1]["approved_at"],
        "version": 1,
    }
    assert client.get(f"{CHANGE_ORDERS}{draft.pk}/").json()["fee_change"] == "3000.00"


@pytest.mark.parametrize("who", ["outsider", "creative", "freelancer"])
def test_others_read_no_change_order(project, draft, who, request):
    client = api(user_for(who, request, project))

    assert client.get(CHANGE_ORDERS).json()["results"] == []
    assert client.get(f"{CHANGE_ORDERS}{draft.pk}/").status_code == 404


@pytest.mark.parametrize("url", [CHANGE_ORDERS, COSTS, STUDIO_BUDGETS])
def test_anonymous_reads_and_writes_are_refused(project, draft, expense, url):
    client = api()
    obj = {CHANGE_ORDERS: draft.pk, COSTS: expense.pk, STUDIO_BUDGETS: f.StudioBudgetFactory().pk}[url]
    before = (change_orders_state(), costs_state())

    assert client.get(url).status_code == 401
    assert client.get(f"{url}{obj}/").status_code == 401
    body = {
        "project": project.pk,
        "title": "More",
        "fee_change": "5",
        "kind": "expense",
        "description": "Taxi",
        "amount": "4",
    }
    assert send(client, "post", url, body).status_code == 401
    assert (change_orders_state(), costs_state()) == before


@pytest.mark.parametrize("rows", [2, 10])
def test_the_change_order_list_runs_a_fixed_number_of_queries(project, pm, rows, django_assert_num_queries):
    for n in range(rows):
        f.ChangeOrderFactory(project=f.ProjectFactory(brand=project.brand), number=n + 1)
    client = api(pm)
    client.get(CHANGE_ORDERS)

    # Session, user, the count, the page with its projects.
    with django_assert_num_queries(4):
        assert len(client.get(CHANGE_ORDERS).json()["results"]) == rows


# --- change orders: writes ------------------------------------------------------------------


def test_a_change_order_is_drafted_changed_and_submitted(project, pm, executive):
    client = api(pm)

    response = send(
        client,
        "post",
        CHANGE_ORDERS,
        {"project": project.pk, "title": " Extra banner set ", "fee_change": "1500", "budget_change": "900.25"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["title"], body["fee_change"], body["budget_change"], body["status"]) == (
        1,
        "Extra banner set",
        "1500.00",
        "900.25",
        "draft",
    )

    response = send(client, "patch", f"{CHANGE_ORDERS}{body['id']}/", {"version": 1, "budget_change": "1100"})
    assert response.status_code == 200, response.content
    assert (response.json()["budget_change"], response.json()["fee_change"], response.json()["version"]) == (
        "1100.00",
        "1500.00",
        2,
    )

    response = send(client, "post", f"{CHANGE_ORDERS}{body['id']}/submit/", {"version": 2})
    assert response.status_code == 200, response.content
    assert response.json()["status"] in ("submitted", "approved")
    assert Approval.objects.filter(kind="change_order").count() == 1


def test_a_stale_change_is_a_409_with_the_change_order_as_it_is_now(draft, pm):
    client = api(pm)
    response = send(client, "patch", f"{CHANGE_ORDERS}{draft.pk}/", {"version": 1, "title": "Three cut-downs"})
    assert response.status_code == 200
    before = change_orders_state()

    for method, url, body in (
        ("patch", f"{CHANGE_ORDERS}{draft.pk}/", {"version": 1, "fee_change": "1"}),
        ("post", f"{CHANGE_ORDERS}{draft.pk}/submit/", {"version": 1}),
    ):
        response = send(client, method, url, body)
        assert response.status_code == 409, (url, response.content)
        current = response.json()["current"]
        assert (current["id"], current["version"], current["title"], current["fee_change"]) == (
            draft.pk,
            2,
            "Three cut-downs",
            "3000.00",
        )
    assert change_orders_state() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "Nul\x00byte"}, "title"),
        ({"title": ""}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"fee_change": "1000000000.00"}, "fee_change"),
        ({"budget_change": "-1000000000"}, "budget_change"),
        ({"budget_change": "1e20"}, "budget_change"),
        ({"fee_change": "twelve"}, "fee_change"),
        ({"fee_change": "0", "budget_change": "0"}, "budget_change"),
        ({"project": 999_999}, "project"),
    ],
)
def test_bad_change_orders_are_400s_with_field_errors_and_nothing_saved(project, draft, pm, body, field):
    before = change_orders_state()

    response = send(
        api(pm), "post", CHANGE_ORDERS, {"project": project.pk, "title": "Extra", "budget_change": "10", **body}
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert change_orders_state() == before
    if "title" in body:
        response = send(api(pm), "patch", f"{CHANGE_ORDERS}{draft.pk}/", {"version": 1, **body})
        assert response.status_code == 400 and field in response.json()
        assert change_orders_state() == before


def test_a_change_order_needs_an_approved_baseline(brand, pm):
    unbudgeted = f.ProjectFactory(brand=brand, pm=pm)
    f.BudgetFactory(project=unbudgeted)  # a draft only

    response = send(api(pm), "post", CHANGE_ORDERS, {"project": unbudgeted.pk, "title": "More", "fee_change": "5"})

    assert response.status_code == 400
    assert "submit the project's budget first" in response.json()["project"][0]
    assert not ChangeOrder.objects.exists()


@pytest.mark.parametrize("who", ["executive", "admin_user", "creative", "freelancer", "brand_manager", "outsider"])
def test_only_production_managers_draft_change_orders(project, who, request):
    client = api(user_for(who, request, project))

    response = send(client, "post", CHANGE_ORDERS, {"project": project.pk, "title": "More", "fee_change": "5"})

    assert response.status_code == 403
    assert not ChangeOrder.objects.exists()


@pytest.mark.parametrize(
    "who, code",
    [
        ("executive", 403),
        ("admin_user", 403),
        ("brand_manager", 403),
        ("outsider", 404),
        ("creative", 404),
        ("freelancer", 404),
    ],
)
def test_only_production_managers_change_and_submit_change_orders(project, draft, who, code, request):
    client = api(user_for(who, request, project))
    before = change_orders_state()

    assert send(client, "patch", f"{CHANGE_ORDERS}{draft.pk}/", {"version": 1, "title": "x"}).status_code == code
    assert send(client, "post", f"{CHANGE_ORDERS}{draft.pk}/submit/", {"version": 1}).status_code == code
    assert change_orders_state() == before
    assert not Approval.objects.exists()


# --- costs: reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", STUDIO)
def test_the_studio_reads_costs_and_each_hourly_invoice_reconciled(project, invoice, expense, who, request):
    response = api(request.getfixturevalue(who)).get(COSTS, {"project": project.pk})

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[expense.pk]["reconciliation"] is None
    assert (rows[expense.pk]["amount"], rows[expense.pk]["status"]) == ("3850.75", "committed")
    row = rows[invoice.pk]
    assert (row["talent"], row["talent_name"], row["amount"]) == (
        invoice.talent_id,
        str(invoice.talent.user),
        "600.00",
    )
    # (8 + 6) h on this project in the period × 40.00 = 560.00; 600.00 − 560.00 = 40.00
    # (the 5 h on another project are not this invoice's).
    assert row["reconciliation"] == {
        "hours": "14.00",
        "labour_cost": "560.00",
        "invoiced": "600.00",
        "difference": "40.00",
        "unrated_hours": "0.00",
    }
    detail = api(request.getfixturevalue(who)).get(f"{COSTS}{invoice.pk}/").json()
    assert detail["reconciliation"]["difference"] == "40.00"


def test_costs_are_filtered_by_status(project, invoice, expense, pm):
    rows = api(pm).get(COSTS, {"status": "committed"}).json()["results"]

    assert [row["id"] for row in rows] == [expense.pk]
    assert api(pm).get(COSTS, {"status": "lost"}).status_code == 400


@pytest.mark.parametrize("who", NO_MONEY)
def test_no_cost_reaches_brand_managers_or_talent(project, invoice, expense, who, request):
    client = api(user_for(who, request, project))

    response = client.get(COSTS)
    assert response.json()["results"] == []
    assert client.get(COSTS, {"project": project.pk}).status_code in (200, 400)
    for cost in (invoice, expense):
        response = client.get(f"{COSTS}{cost.pk}/")
        assert response.status_code == 404
        for secret in ("600", "3850", "560", "Print run"):
            assert secret not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 10])
def test_the_cost_list_runs_a_fixed_number_of_queries(project, contractor, pm, rows, django_assert_num_queries):
    for n in range(rows):
        kind = "freelance_hourly_invoice" if n % 2 else "expense"
        f.CostFactory(
            project=project,
            kind=kind,
            talent=contractor if n % 2 else None,
            period_start=MON if n % 2 else None,
            period_end=MON if n % 2 else None,
        )
    client = api(pm)
    client.get(COSTS)

    # Session, user, the count, the page with projects and talent; the page's hourly
    # invoices, their approved labour.
    with django_assert_num_queries(6):
        assert len(client.get(COSTS).json()["results"]) == rows


# --- costs: writes --------------------------------------------------------------------------------


def test_a_cost_is_entered_and_moved_on(project, pm):
    client = api(pm)

    response = send(
        client,
        "post",
        COSTS,
        {"project": project.pk, "kind": "purchase_order", "description": "Print run", "amount": "3850.755"},
    )
    assert response.status_code == 400 and "amount" in response.json()  # two decimal places at most
    response = send(
        client,
        "post",
        COSTS,
        {"project": project.pk, "kind": "purchase_order", "description": " Print run ", "amount": "3850.75"},
    )
    assert response.status_code == 201, response.content
    cost = response.json()
    assert (cost["description"], cost["amount"], cost["status"], cost["date"]) == (
        "Print run",
        "3850.75",
        "committed",
        TODAY.isoformat(),
    )

    response = send(client, "post", f"{COSTS}{cost['id']}/advance/", {"status": "invoiced"})
    assert response.status_code == 200 and response.json()["status"] == "invoiced"
    response = send(client, "post", f"{COSTS}{cost['id']}/advance/", {"status": "committed"})
    assert response.status_code == 400 and "status" in response.json()
    assert Cost.objects.get(pk=cost["id"]).status == "invoiced"


def test_an_hourly_invoice_is_entered_with_its_reconciliation(project, invoice, contractor, pm):
    response = send(
        api(pm),
        "post",
        COSTS,
        {
            "project": project.pk,
            "kind": "freelance_hourly_invoice",
            "description": "Retouching, Monday",
            "talent": contractor.pk,
            "amount": "300",
            "period_start": MON.isoformat(),
            "period_end": MON.isoformat(),
        },
    )

    assert response.status_code == 201, response.content
    # 8 h on Mon 16 November × 40.00 = 320.00; 300.00 − 320.00 = −20.00
    assert response.json()["status"] == "invoiced"
    assert response.json()["reconciliation"]["labour_cost"] == "320.00"
    assert response.json()["reconciliation"]["difference"] == "-20.00"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "1000000000"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"description": "x" * 201}, "description"),
        ({"description": "Nul\x00byte"}, "description"),
        ({"description": ""}, "description"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"kind": "refund"}, "kind"),
        ({"kind": "freelance_fixed"}, "talent"),
        ({"supplier": "x" * 121}, "supplier"),
        ({"project": 999_999}, "project"),
        ({"budget_line": 999_999}, "budget_line"),
    ],
)
def test_bad_costs_are_400s_with_field_errors_and_nothing_saved(project, expense, pm, body, field):
    before = costs_state()

    response = send(
        api(pm),
        "post",
        COSTS,
        {"project": project.pk, "kind": "expense", "description": "Taxi", "amount": "40", **body},
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert costs_state() == before


@pytest.mark.parametrize(
    "period, field",
    [
        # The contract runs from Mon 26 October 2026 to Sun 24 January 2027.
        (("2026-10-20", "2026-10-30"), "period_start"),
        (("2027-01-20", "2027-01-31"), "period_start"),
        (("2026-11-20", "2026-11-16"), "period_end"),
        ((None, None), "period_start"),
    ],
)
def test_an_invoice_period_outside_the_contract_is_a_400(project, contractor, pm, period, field):
    response = send(
        api(pm),
        "post",
        COSTS,
        {
            "project": project.pk,
            "kind": "freelance_hourly_invoice",
            "description": "Retouching",
            "talent": contractor.pk,
            "amount": "300",
            "period_start": period[0],
            "period_end": period[1],
        },
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Cost.objects.exists()


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_closed_project_takes_no_cost(project, pm, status):
    project.status = status
    project.save()

    response = send(
        api(pm), "post", COSTS, {"project": project.pk, "kind": "expense", "description": "Taxi", "amount": "4"}
    )

    assert response.status_code == 400 and "project" in response.json()


@pytest.mark.parametrize("who", ["executive", "admin_user", *NO_MONEY])
def test_only_production_managers_enter_costs(project, who, request):
    client = api(user_for(who, request, project))

    response = send(
        client, "post", COSTS, {"project": project.pk, "kind": "expense", "description": "Taxi", "amount": "4"}
    )

    assert response.status_code == 403
    assert not Cost.objects.exists()


@pytest.mark.parametrize(
    "who, code",
    [("executive", 403), ("admin_user", 403), *((who, 404) for who in NO_MONEY)],
)
def test_only_production_managers_move_costs_on(project, expense, who, code, request):
    client = api(user_for(who, request, project))

    assert send(client, "post", f"{COSTS}{expense.pk}/advance/", {"status": "invoiced"}).status_code == code
    assert Cost.objects.get(pk=expense.pk).status == "committed"


# --- the studio's budgets ---------------------------------------------------------------------------


@pytest.fixture
def studio_budget():
    # The quarter of Wed 25 November 2026: 1 October to 31 December.
    return f.StudioBudgetFactory(name="2026 Q4", amount=D("500000.00"), freelance_pool=D("80000.00"))


@pytest.mark.parametrize("who", STUDIO)
def test_the_studio_reads_its_budgets_and_one_with_its_pool(studio_budget, contractor, project, who, request):
    # 10 h approved on Mon 16 November × 40.00 = 400.00 of the pool spent.
    sheet = f.TimesheetFactory(
        talent=contractor, week_start=MON, status=Timesheet.Status.APPROVED, approved_at=timezone.now()
    )
    f.TimeEntryFactory(timesheet=sheet, project=project, date=MON, hours=D("10"))
    client = api(request.getfixturevalue(who))

    rows = client.get(STUDIO_BUDGETS).json()["results"]
    assert rows == [
        {
            "id": studio_budget.pk,
            "name": "2026 Q4",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "amount": "500000.00",
            "freelance_pool": "80000.00",
            "version": 1,
        }
    ]
    figures = client.get(f"{STUDIO_BUDGETS}{studio_budget.pk}/").json()["figures"]
    # 80,000.00 − 400.00 = 79,600.00 remaining; nothing booked ahead.
    assert (figures["day"], figures["pool"], figures["actual"], figures["committed"], figures["remaining"]) == (
        TODAY.isoformat(),
        "80000.00",
        "400.00",
        "0.00",
        "79600.00",
    )
    # 400.00 / 80,000.00 = 0.005
    assert (figures["spent_fraction"], figures["over_pool"]) == ("0.0050", False)


@pytest.mark.parametrize("who", NO_MONEY)
def test_no_studio_budget_reaches_brand_managers_or_talent(studio_budget, project, who, request):
    client = api(user_for(who, request, project))

    response = client.get(STUDIO_BUDGETS)
    assert response.json()["results"] == []
    assert "80000" not in response.content.decode()
    assert client.get(f"{STUDIO_BUDGETS}{studio_budget.pk}/").status_code == 404


@pytest.mark.parametrize("who", role_fixtures("studio_budget.change"))
def test_managers_add_a_period_and_set_its_pool(studio_budget, who, request):
    client = api(request.getfixturevalue(who))
    period = {"name": "2027 Q1", "period_start": "2027-01-01", "period_end": "2027-03-31", "amount": "400000.00",
              "freelance_pool": "60000.00"}

    added = send(client, "post", STUDIO_BUDGETS, period)
    assert added.status_code == 201, added.json()
    assert (added.json()["name"], added.json()["version"]) == ("2027 Q1", 1)

    url = f"{STUDIO_BUDGETS}{studio_budget.pk}/"
    changed = send(client, "patch", url, {"version": 1, "amount": "520000.00", "freelance_pool": "90000.00"})
    assert changed.status_code == 200
    assert (changed.json()["amount"], changed.json()["freelance_pool"], changed.json()["version"]) == (
        "520000.00", "90000.00", 2
    )
    stale = send(client, "patch", url, {"version": 1, "amount": "1.00", "freelance_pool": "0.00"})
    assert stale.status_code == 409 and stale.json()["current"]["amount"] == "520000.00"
    studio_budget.refresh_from_db()
    assert studio_budget.amount == D("520000.00")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"version": 1, "amount": "1000.00", "freelance_pool": "1000.01"}, "freelance_pool"),
        ({"version": 1, "amount": "-1", "freelance_pool": "0"}, "amount"),
        ({"version": 1, "amount": "1e20", "freelance_pool": "0"}, "amount"),
        ({"amount": "1000.00", "freelance_pool": "0"}, "version"),
    ],
)
def test_a_bad_pool_is_a_400_by_field_and_nothing_saved(studio_budget, pm, body, field):
    response = send(api(pm), "patch", f"{STUDIO_BUDGETS}{studio_budget.pk}/", body)

    assert response.status_code == 400 and field in response.json()
    studio_budget.refresh_from_db()
    assert (studio_budget.amount, studio_budget.version) == (D("500000.00"), 1)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"period_start": "0001-01-01"}, "period_start"),
        ({"period_end": "9999-12-31"}, "period_end"),
        ({"period_end": "2026-12-31"}, "period_end"),  # before its start
        ({"name": "x" * 500}, "name"),
    ],
)
def test_a_bad_period_is_a_400_by_field(studio_budget, pm, change, field):
    period = {"name": "2027 Q1", "period_start": "2027-01-01", "period_end": "2027-03-31", "amount": "1.00"}

    response = send(api(pm), "post", STUDIO_BUDGETS, period | change)

    assert response.status_code == 400 and field in response.json(), response.json()
    assert not StudioBudget.objects.exclude(pk=studio_budget.pk).exists()


SETTERS = role_fixtures("studio_budget.change")
NOT_SETTERS = [who for who in (*NO_MONEY, *role_fixtures("studio_budget.view")) if who not in SETTERS]


@pytest.mark.parametrize("who", NOT_SETTERS)
def test_no_one_else_sets_the_studio_budget(studio_budget, who, request):
    client = api(request.getfixturevalue(who))

    assert send(client, "post", STUDIO_BUDGETS, {"name": "2027"}).status_code in (401, 403)
    response = send(client, "patch", f"{STUDIO_BUDGETS}{studio_budget.pk}/", {"version": 1, "amount": "1"})
    assert response.status_code in (401, 403, 404)
    studio_budget.refresh_from_db()
    assert studio_budget.version == 1


@pytest.mark.parametrize("rows", [2, 10])
def test_the_studio_budget_list_runs_a_fixed_number_of_queries(pm, rows, django_assert_num_queries):
    for n in range(rows):
        f.StudioBudgetFactory(period_start=dt.date(2000 + n, 1, 1), period_end=dt.date(2000 + n, 12, 31))
    client = api(pm)
    client.get(STUDIO_BUDGETS)

    # Session, user, the count, the page: no pool figures in the list.
    with django_assert_num_queries(4):
        assert len(client.get(STUDIO_BUDGETS).json()["results"]) == rows


def test_the_api_root_lists_the_money_collections(pm):
    root = api(pm).get("/api/").json()

    for name in ("change-orders", "costs", "studio-budgets"):
        assert root[name].endswith(f"/api/{name}/")
    assert json.dumps(root)
