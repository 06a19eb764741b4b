"""Budgets through the API, with the rules and services of the budget tab: the studio
reads lines, hours and rates; brand managers their brands' approved totals only;
production managers start, edit and submit with the budget's `version` (400 field
errors, 409 stale with the budget as it is now, 403/404 as the rest of the API)."""

import json
from decimal import Decimal as D

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import Approval
from budgets.models import Budget, BudgetLine
from studio.models import StudioSettings
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = pytest.mark.django_db

BUDGETS = "/api/budgets/"
LINES = "/api/budget-lines/"
STUDIO = role_fixtures("project.see_costs")


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(url, data, format="json")


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design", standard_cost_rate=D("60.00"))


@pytest.fixture
def project(brand, design):
    project = f.ProjectFactory(brand=brand, status="planned", fee=D("20000.00"))
    f.DeliverableHoursFactory(deliverable=f.DeliverableFactory(project=project), discipline=design, hours=D("32.5"))
    return project


def build(budget, design, *, expenses=1):
    """Labour 32.5 h × 60.00 = 1,950.00; an expense of 1,234.56 (more at 1.00 each); 10 % contingency."""
    f.BudgetLineFactory(
        budget=budget, kind="labor", discipline=design, hours=D("32.5"), rate=D("60.00"), amount=None, description=""
    )
    for n in range(expenses):
        f.BudgetLineFactory(
            budget=budget, kind="expense", description=f"Expense {n}", amount=D("1234.56") if n == 0 else D("1.00")
        )
    f.BudgetLineFactory(budget=budget, kind="contingency", amount=None, percent=D("10"), description="Contingency")
    return budget


@pytest.fixture
def draft(project, design):
    return build(f.BudgetFactory(project=project, revision=2), design)


@pytest.fixture
def approved(project, design):
    return build(f.BudgetFactory(project=project, status="approved", approved_at=timezone.now()), design)


def state():
    return (
        list(Budget.objects.order_by("pk").values_list("pk", "status", "version")),
        list(
            BudgetLine.objects.order_by("pk").values_list(
                "pk", "kind", "description", "hours", "rate", "amount", "percent"
            )
        ),
        Approval.objects.count(),
    )


# --- reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", STUDIO)
def test_the_studio_reads_budgets_with_their_lines(approved, draft, who, request):
    response = api(request.getfixturevalue(who)).get(BUDGETS, {"project": approved.project_id})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["revision"] for row in rows] == [2, 1]
    baseline = rows[1]
    # 1,950.00 + 1,234.56 = 3,184.56; 10 % = 318.456 → 318.46; total 3,503.016 → 3,503.02
    assert (baseline["subtotal"], baseline["contingency"], baseline["total"]) == ("3184.56", "318.46", "3503.02")
    # (20,000.00 − 3,503.016) / 20,000.00 = 0.8248492 → 0.8248
    assert (baseline["fee"], baseline["margin"], baseline["status"]) == ("20000.00", "0.8248", "approved")
    labour = next(line for line in baseline["lines"] if line["kind"] == "labor")
    assert (labour["discipline_name"], labour["hours"], labour["rate"], labour["total"]) == (
        "Design",
        "32.50",
        "60.00",
        "1950.00",
    )
    contingency = next(line for line in baseline["lines"] if line["kind"] == "contingency")
    assert (contingency["percent"], contingency["total"]) == ("10.00", None)


def test_a_brand_manager_reads_their_brands_approved_totals_only(approved, draft, brand_manager):
    response = api(brand_manager).get(BUDGETS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows == [
        {
            "id": approved.pk,
            "project": {"id": approved.project_id, "code": approved.project.code, "name": approved.project.name},
            "revision": 1,
            "status": "approved",
            "approved_at": rows[0]["approved_at"],
            "total": "3503.02",
        }
    ]
    text = response.content.decode()
    for secret in ("60.00", "32.5", "1950", "1234.56", "3184.56", "318.46", "lines", "margin", "rate"):
        assert secret not in text
    assert api(brand_manager).get(f"{BUDGETS}{draft.pk}/").status_code == 404
    assert api(brand_manager).get(LINES).json()["results"] == []
    line = approved.lines.first()
    assert api(brand_manager).get(f"{LINES}{line.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "creative", "freelancer"])
def test_others_see_no_budget(approved, who, request):
    user = request.getfixturevalue(who)
    if who != "outsider":
        f.BookingFactory(talent=user.talent, project=approved.project)
    client = api(user)

    assert client.get(BUDGETS).json()["results"] == []
    assert client.get(f"{BUDGETS}{approved.pk}/").status_code == 404
    assert client.get(LINES).json()["results"] == []


def test_lines_are_read_by_budget(approved, draft, pm):
    response = api(pm).get(LINES, {"budget": draft.pk})

    assert {line["budget"] for line in response.json()["results"]} == {draft.pk}
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize("expenses", [1, 11])
@pytest.mark.parametrize("who, queries", [("pm", 5), ("brand_manager", 4)])
def test_the_list_runs_a_fixed_number_of_queries(
    approved, draft, design, who, queries, expenses, request, django_assert_num_queries
):
    # 2 and 12 lines in another project's budget besides these two.
    build(
        f.BudgetFactory(
            project=f.ProjectFactory(brand=approved.project.brand), status="approved", approved_at=timezone.now()
        ),
        design,
        expenses=expenses,
    )
    client = api(request.getfixturevalue(who))
    client.get(BUDGETS)

    # Session, user, the count, the page; the lines with their disciplines (PM).
    with django_assert_num_queries(queries):
        assert client.get(BUDGETS).status_code == 200


# --- writes --------------------------------------------------------------------------------


def test_from_the_plan_to_the_baseline_through_the_api(project, pm, executive):
    StudioSettings.objects.filter(pk=1).update(budget_approval_threshold=D("1000.00"))
    client = api(pm)

    response = send(client, "post", f"{BUDGETS}start/", {"project": project.pk})
    assert response.status_code == 201, response.content
    budget = response.json()
    # 32.5 h × 60.00 = 1,950.00; contingency 0 %
    assert (budget["revision"], budget["status"], budget["total"], budget["version"]) == (1, "draft", "1950.00", 1)
    contingency = next(line for line in budget["lines"] if line["kind"] == "contingency")

    response = send(
        client,
        "post",
        LINES,
        {
            "budget": budget["id"],
            "version": 1,
            "kind": "freelance",
            "description": "Retoucher",
            "hours": "20",
            "rate": "95.25",
        },
    )
    assert response.status_code == 201, response.content
    response = send(client, "patch", f"{LINES}{contingency['id']}/", {"version": 2, "percent": "10"})
    assert response.status_code == 200, response.content
    # 1,950.00 + 20 × 95.25 (1,905.00) = 3,855.00; 10 % = 385.50; total 4,240.50
    assert (response.json()["subtotal"], response.json()["contingency"], response.json()["total"]) == (
        "3855.00",
        "385.50",
        "4240.50",
    )
    assert response.json()["version"] == 3

    response = send(client, "post", f"{BUDGETS}{budget['id']}/submit/", {"version": 3})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    approval = Approval.objects.get()
    assert approval.current["role"] == "executive" and approval.amount == D("4240.50")

    response = send(
        api(executive),
        "post",
        f"/api/approvals/{approval.pk}/decide/",
        {"outcome": "approve", "step": approval.current_step},
    )
    assert response.status_code == 200, response.content
    assert api(pm).get(f"{BUDGETS}{budget['id']}/").json()["status"] == "approved"
    response = send(client, "post", f"{BUDGETS}start/", {"project": project.pk})
    assert response.status_code == 400 and "change orders" in response.content.decode()


def test_a_line_is_removed_with_the_version_in_the_query(draft, pm):
    expense = draft.lines.get(kind="expense")

    response = api(pm).delete(f"{LINES}{expense.pk}/?version=1")

    assert response.status_code == 200
    # 1,950.00 + 10 % = 2,145.00
    assert (response.json()["total"], response.json()["version"]) == ("2145.00", 2)
    assert not BudgetLine.objects.filter(pk=expense.pk).exists()


def test_a_stale_version_is_a_409_with_the_budget_as_it_is_now(draft, pm):
    expense = draft.lines.get(kind="expense")
    client = api(pm)
    send(
        client,
        "post",
        LINES,
        {"budget": draft.pk, "version": 1, "kind": "expense", "description": "Courier", "amount": "100"},
    )
    before = state()

    for method, url, body in (
        ("patch", f"{LINES}{expense.pk}/", {"version": 1, "amount": "1"}),
        ("post", LINES, {"budget": draft.pk, "version": 1, "kind": "expense", "amount": "5"}),
        ("delete", f"{LINES}{expense.pk}/", {"version": 1}),
        ("post", f"{BUDGETS}{draft.pk}/submit/", {"version": 1}),
    ):
        response = send(client, method, url, body)
        assert response.status_code == 409, (url, response.content)
        current = response.json()["current"]
        # 3,184.56 + 100.00 = 3,284.56; + 10 % = 3,613.016 → 3,613.02
        assert (current["version"], current["total"]) == (2, "3613.02")
        assert "Courier" in json.dumps(current)
    assert state() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "expense", "hours": "-4", "rate": "50"}, "hours"),
        ({"kind": "expense", "hours": "1000000000", "rate": "50"}, "hours"),
        ({"kind": "expense", "hours": "100000", "rate": "50"}, "hours"),
        ({"kind": "expense", "amount": "-1"}, "amount"),
        ({"kind": "expense", "amount": "1e20"}, "amount"),
        ({"kind": "expense", "description": "x" * 10_000, "amount": "1"}, "description"),
        ({"kind": "expense", "description": "Nul\x00byte", "amount": "1"}, "description"),
        ({"kind": "expense", "hours": "2", "rate": "10", "amount": "1"}, "amount"),
        ({"kind": "labor", "hours": "2", "rate": "10"}, "discipline"),
        ({"kind": "contingency", "percent": "5"}, "kind"),
        ({"kind": "refund", "amount": "1"}, "kind"),
        ({"kind": "expense"}, "amount"),
    ],
)
def test_bad_lines_are_400s_with_field_errors_and_nothing_saved(draft, pm, body, field):
    before = state()

    response = send(api(pm), "post", LINES, {"budget": draft.pk, "version": 1, **body})

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"version": 1, "percent": "101"},
        {"version": 1, "percent": "-1"},
        {"percent": "5"},
        {"version": "x", "percent": "5"},
    ],
)
def test_a_bad_change_is_a_400_and_nothing_saved(draft, pm, body):
    contingency = draft.lines.get(kind="contingency")
    before = state()

    response = send(api(pm), "patch", f"{LINES}{contingency.pk}/", body)

    assert response.status_code == 400, response.content
    assert state() == before


def test_an_empty_budget_is_not_submitted(pm):
    budget = f.BudgetFactory()

    response = send(api(pm), "post", f"{BUDGETS}{budget.pk}/submit/", {"version": 1})

    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert Budget.objects.get(pk=budget.pk).status == "draft"


@pytest.mark.parametrize(
    "who, code",
    [
        ("executive", 403),
        ("admin_user", 403),
        ("creative", 403),
        ("freelancer", 403),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_only_production_managers_start_budgets(project, who, code, request):
    response = send(api(request.getfixturevalue(who)), "post", f"{BUDGETS}start/", {"project": project.pk})

    assert response.status_code == code
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    "who, code", [("executive", 403), ("admin_user", 403), ("brand_manager", 404), ("outsider", 404), ("creative", 404)]
)
def test_only_production_managers_change_lines_and_submit(draft, who, code, request):
    client = api(request.getfixturevalue(who))
    expense = draft.lines.get(kind="expense")
    before = state()

    assert send(client, "patch", f"{LINES}{expense.pk}/", {"version": 1, "amount": "1"}).status_code == code
    assert send(client, "delete", f"{LINES}{expense.pk}/", {"version": 1}).status_code == code
    assert send(client, "post", f"{BUDGETS}{draft.pk}/submit/", {"version": 1}).status_code == code
    assert state() == before


def test_a_pm_cannot_start_a_budget_for_a_project_that_does_not_exist(pm):
    response = send(api(pm), "post", f"{BUDGETS}start/", {"project": 999_999})

    assert response.status_code == 400 and "project" in response.json()
