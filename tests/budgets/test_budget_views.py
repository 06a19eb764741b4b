"""The budget tab as each role uses it: the studio reads lines, totals, fee and margin;
the production manager starts the budget from the plan, edits the draft in place (HTMX,
figures computed on the server) and submits it; the executive decides it from the
inbox with the budget in front of them; a brand manager reads the approved total only."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from approvals.models import Approval
from budgets.models import Budget, BudgetLine
from studio.models import StudioSettings
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = pytest.mark.django_db

STUDIO = role_fixtures("project.see_costs")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design", standard_cost_rate=D("60.00"))


@pytest.fixture
def project(brand, design):
    """Fee 20,000.00; the plan: 32.5 Design hours."""
    project = f.ProjectFactory(brand=brand, status="planned", fee=D("20000.00"))
    f.DeliverableHoursFactory(deliverable=f.DeliverableFactory(project=project), discipline=design, hours=D("32.5"))
    return project


def build(budget, design, *, expenses=1):
    """Labour 32.5 h × 60.00 = 1,950.00, `expenses` expenses of 1,234.56 (the second on
    1.00 each), a 10 % contingency."""
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
    # 1,950.00 + 1,234.56 = 3,184.56; 10 % = 318.456; total 3,503.016 → 3,503.02
    return build(f.BudgetFactory(project=project), design)


@pytest.fixture
def approved(project, design):
    return build(f.BudgetFactory(project=project, status="approved", approved_at=timezone.now()), design)


def tab(project) -> str:
    return reverse("budgets:project-budget", args=[project.pk])


def logged_in(client, user):
    client.force_login(user)
    return client


def state():
    return (
        list(Budget.objects.order_by("pk").values_list("pk", "status", "version")),
        list(
            BudgetLine.objects.order_by("pk").values_list(
                "pk", "kind", "description", "hours", "rate", "amount", "percent"
            )
        ),
    )


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", STUDIO)
def test_the_studio_reads_lines_totals_fee_and_margin(client, draft, who, request):
    response = logged_in(client, request.getfixturevalue(who)).get(tab(draft.project))

    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("Design", "32.5", "60.00", "1,950.00", "1,234.56", "3,184.56", "318.46", "3,503.02", "20,000.00"):
        assert figure in html
    # Planned margin: (20,000.00 − 3,503.016) / 20,000.00 = 0.8248492 → 82.5 %
    assert "82.5 %" in html
    assert "Revision 1" in html


def test_only_the_production_manager_edits_the_draft(client, draft, pm, executive):
    editor = logged_in(client, pm).get(tab(draft.project)).content.decode()
    reader = logged_in(client, executive).get(tab(draft.project)).content.decode()

    for control in ("Add line", "Submit for approval", reverse("budgets:budget-line-add", args=[draft.pk])):
        assert control in editor
        assert control not in reader


def test_a_brand_manager_reads_the_approved_total_and_nothing_behind_it(client, approved, brand_manager):
    f.BudgetFactory(project=approved.project, revision=2)  # a draft in the works: not theirs to see
    response = logged_in(client, brand_manager).get(tab(approved.project))

    assert response.status_code == 200
    html = response.content.decode()
    assert "3,503.02" in html
    for secret in (
        "Design",
        "32.5",
        "60.00",
        "1,950.00",
        "1,234.56",
        "3,184.56",
        "318.46",
        "margin",
        "Expense 0",
        "Revision",
        reverse("approvals:panel", args=["budget", approved.pk]),
    ):
        assert secret not in html


def test_a_brand_manager_is_told_when_nothing_is_approved_yet(client, draft, brand_manager):
    html = logged_in(client, brand_manager).get(tab(draft.project)).content.decode()

    assert "no approved budget" in html
    assert "3,503.02" not in html


@pytest.mark.parametrize("who", ["outsider", "creative", "freelancer"])
def test_others_do_not_learn_the_budget_exists(client, approved, who, request):
    user = request.getfixturevalue(who)
    if who != "outsider":
        f.BookingFactory(talent=user.talent, project=approved.project)  # on the team, still no money

    assert logged_in(client, user).get(tab(approved.project)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(tab(draft.project))

    assert response.status_code == 302 and "login" in response.url


def test_a_revision_the_project_does_not_have_is_a_404(client, draft, pm):
    assert logged_in(client, pm).get(tab(draft.project), {"revision": 7}).status_code == 404


# --- starting and editing ------------------------------------------------------------------


def test_the_production_manager_starts_the_budget_from_the_plan(client, project, pm):
    page = logged_in(client, pm).get(tab(project)).content.decode()
    assert "Start from the plan" in page

    response = client.post(reverse("budgets:budget-start", args=[project.pk]), **HX)

    assert response.status_code == 200
    html = response.content.decode()
    # 32.5 h × 60.00 = 1,950.00; contingency 0 %: total 1,950.00
    assert "Budget started from the plan" in html and "1,950.00" in html and "Contingency (0 %)" in html
    assert Budget.objects.get(project=project).lines.count() == 2


def test_starting_a_second_budget_is_refused_in_place(client, approved, pm):
    response = logged_in(client, pm).post(reverse("budgets:budget-start", args=[approved.project.pk]), **HX)

    assert "change orders" in response.content.decode()
    assert Budget.objects.count() == 1


def test_adding_a_line_answers_with_the_totals_computed_on_the_server(client, draft, pm):
    response = logged_in(client, pm).post(
        reverse("budgets:budget-line-add", args=[draft.pk]),
        {"version": 1, "kind": "freelance", "description": "Retoucher", "hours": "20", "rate": "95.25"},
        **HX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    # 3,184.56 + 20 × 95.25 (1,905.00) = 5,089.56; 10 % = 508.956; total 5,598.516 → 5,598.52
    for figure in ("Line added.", "1,905.00", "5,089.56", "508.96", "5,598.52"):
        assert figure in html
    assert '<div id="budget"' in html and "<html" not in html
    assert Budget.objects.get(pk=draft.pk).version == 2


def test_without_javascript_a_line_is_added_and_the_tab_shown_again(client, draft, pm):
    response = logged_in(client, pm).post(
        reverse("budgets:budget-line-add", args=[draft.pk]), {"version": 1, "kind": "expense", "amount": "10"}
    )

    assert response.status_code == 302 and response.url == tab(draft.project)
    assert draft.lines.filter(amount=D("10")).exists()


def test_a_line_is_changed_in_its_row_and_removed(client, draft, pm):
    expense = draft.lines.get(kind="expense")
    edit = reverse("budgets:budget-line-edit", args=[expense.pk])
    form = logged_in(client, pm).get(edit, **HX).content.decode()
    assert 'value="1234.56"' in form and f'hx-post="{edit}"' in form

    response = client.post(edit, {"version": 1, "kind": "expense", "description": "Stock", "amount": "234.56"}, **HX)

    # 1,950.00 + 234.56 = 2,184.56; 10 % = 218.456; total 2,403.016 → 2,403.02
    assert "2,403.02" in response.content.decode()
    response = client.post(reverse("budgets:budget-line-remove", args=[expense.pk]), {"version": 2}, **HX)
    # 1,950.00 + 10 % = 2,145.00
    assert "Line removed." in response.content.decode() and "2,145.00" in response.content.decode()
    assert not draft.lines.filter(pk=expense.pk).exists()


def test_a_stale_save_is_refused_with_the_current_figures_and_nothing_overwritten(client, draft, pm):
    expense = draft.lines.get(kind="expense")
    client = logged_in(client, pm)
    client.post(
        reverse("budgets:budget-line-add", args=[draft.pk]),
        {"version": 1, "kind": "expense", "description": "Courier", "amount": "100"},
        **HX,
    )
    before = state()

    response = client.post(
        reverse("budgets:budget-line-edit", args=[expense.pk]), {"version": 1, "kind": "expense", "amount": "1"}, **HX
    )

    assert response.status_code == 409
    html = response.content.decode()
    # The other save's courier is in: 3,184.56 + 100.00 = 3,284.56; + 10 % = 3,613.016 → 3,613.02
    assert "Someone else changed this" in html and "Courier" in html and "3,613.02" in html
    assert state() == before
    for write, data in (
        (reverse("budgets:budget-line-remove", args=[expense.pk]), {"version": 1}),
        (reverse("budgets:budget-submit", args=[draft.pk]), {"version": 1}),
        (reverse("budgets:budget-line-add", args=[draft.pk]), {"version": 1, "kind": "expense", "amount": "5"}),
    ):
        assert client.post(write, data, **HX).status_code == 409
    assert state() == before


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"kind": "expense", "hours": "-4", "rate": "50"}, "hours", "Hours must be more than 0"),
        ({"kind": "expense", "hours": "1000000000", "rate": "50"}, "hours", "no more than 7 digits"),
        ({"kind": "expense", "amount": "-1"}, "amount", "greater than or equal to 0"),
        ({"kind": "expense", "description": "x" * 10_000, "amount": "1"}, "description", "at most 200 characters"),
        ({"kind": "expense", "description": "Nul\x00byte", "amount": "1"}, "description", "Null characters"),
        ({"kind": "expense", "hours": "2", "rate": "10", "amount": "1"}, "amount", "not both"),
        ({"kind": "contingency", "percent": "5"}, "kind", "already has a contingency"),
    ],
)
def test_bad_input_is_shown_in_place_and_nothing_saved(client, draft, pm, data, field, message):
    before = state()

    response = logged_in(client, pm).post(
        reverse("budgets:budget-line-add", args=[draft.pk]), {"version": 1, **data}, **HX
    )

    assert response.status_code == 200
    form = response.context["add_form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert state() == before


def test_a_contingency_over_100_percent_is_refused_in_its_row(client, draft, pm):
    contingency = draft.lines.get(kind="contingency")
    before = state()

    response = logged_in(client, pm).post(
        reverse("budgets:budget-line-edit", args=[contingency.pk]),
        {"version": 1, "kind": "contingency", "percent": "101"},
        **HX,
    )

    assert "less than or equal to 100" in " ".join(response.context["edit_form"].errors["percent"])
    assert state() == before


@pytest.mark.parametrize(
    "who, status",
    [("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("outsider", 404), ("creative", 404)],
)
def test_only_production_managers_write(client, draft, who, status, request):
    client = logged_in(client, request.getfixturevalue(who))
    line = draft.lines.get(kind="expense")
    before = state()

    writes = [
        (reverse("budgets:budget-line-add", args=[draft.pk]), {"version": 1, "kind": "expense", "amount": "5"}),
        (reverse("budgets:budget-submit", args=[draft.pk]), {"version": 1}),
        (reverse("budgets:budget-start", args=[draft.project.pk]), {}),
    ]
    if who not in ("brand_manager",):
        # Brand managers never see lines: a line of their brand's budget is a 404 to them.
        writes += [
            (reverse("budgets:budget-line-edit", args=[line.pk]), {"version": 1, "kind": "expense"}),
            (reverse("budgets:budget-line-remove", args=[line.pk]), {"version": 1}),
        ]
    for url, data in writes:
        assert client.post(url, data).status_code == status, url
    assert state() == before


# --- submission, the approver, the baseline ------------------------------------------------


def test_from_the_plan_to_the_baseline_the_executive_decides_with_the_budget_in_front_of_them(
    client, project, pm, executive
):
    StudioSettings.objects.filter(pk=1).update(budget_approval_threshold=D("1000.00"))
    pm_client = logged_in(client, pm)
    pm_client.post(reverse("budgets:budget-start", args=[project.pk]))
    budget = Budget.objects.get(project=project)
    pm_client.post(
        reverse("budgets:budget-line-add", args=[budget.pk]),
        {"version": 1, "kind": "expense", "description": "Location fee", "amount": "500"},
    )

    response = pm_client.post(reverse("budgets:budget-submit", args=[budget.pk]), {"version": 2}, **HX)

    # 1,950.00 + 500.00 = 2,450.00 > 1,000.00: the executive's step.
    assert "Submitted for approval." in response.content.decode()
    assert "budgetSubmitted" in response.headers["HX-Trigger"]
    approval = Approval.objects.get()
    assert approval.current["role"] == "executive" and approval.amount == D("2450.00")

    exec_client = logged_in(client, executive)
    link = f"{tab(project)}?revision=1"
    assert link in exec_client.get(reverse("approvals:inbox")).content.decode()
    page = exec_client.get(link).content.decode()
    for figure in (
        "Location fee",
        "500.00",
        "1,950.00",
        "2,450.00",
        "87.8 %",  # (20,000 − 2,450) / 20,000
        reverse("approvals:panel", args=["budget", budget.pk]),
    ):
        assert figure in page
    panel = exec_client.get(reverse("approvals:panel", args=["budget", budget.pk])).content.decode()
    assert "Approve" in panel

    exec_client.post(
        reverse("approvals:decide", args=[approval.pk]), {"outcome": "approve", "step": 1, "view": "panel"}, **HX
    )

    budget.refresh_from_db()
    assert budget.status == "approved"
    page = exec_client.get(tab(project)).content.decode()
    assert "Revision 1, approved" in page and "Changes after the baseline are change orders." in page


def test_the_approver_sees_the_difference_from_the_previous_baseline(client, approved, design, executive):
    second = f.BudgetFactory(project=approved.project, revision=2, status="submitted")
    build(second, design, expenses=2)

    html = logged_in(client, executive).get(tab(approved.project), {"revision": 2}).content.decode()

    # Revision 1: 3,503.016; revision 2 adds a 1.00 expense: 3,185.56 + 318.556 = 3,504.116
    assert "Against the baseline (revision 1)" in html
    assert "+EUR 1.00" in html and "+EUR 0.10" in html  # expenses, contingency
    assert "EUR 3,503.02" in html and "EUR 3,504.12" in html and "+EUR 1.10" in html  # the totals and their difference


def test_earlier_revisions_are_listed_with_their_totals_and_dates(client, approved, design, pm):
    second = build(f.BudgetFactory(project=approved.project, revision=2), design, expenses=2)

    html = logged_in(client, pm).get(tab(approved.project)).content.decode()

    assert "Revisions" in html and f"{tab(approved.project)}?revision=1" in html
    assert "3,503.02" in html and "3,504.12" in html
    assert date_format(timezone.localtime(second.created_at), "D j M Y") in html


# --- a fixed number of queries --------------------------------------------------------------


@pytest.mark.parametrize("expenses", [1, 11])
# Session, user, project, the studio's settings (currency), and: the revisions with their
# totals, their lines, the disciplines of the add form (PM); the approved total (brand manager).
@pytest.mark.parametrize("who, queries", [("pm", 7), ("brand_manager", 5)])
def test_the_tab_runs_a_fixed_number_of_queries(
    client, approved, design, who, queries, expenses, request, django_assert_num_queries
):
    # 2 and 12 lines a revision (the contingency aside), the baseline and a draft in the works.
    build(f.BudgetFactory(project=approved.project, revision=2), design, expenses=expenses)
    client = logged_in(client, request.getfixturevalue(who))
    client.get(tab(approved.project))

    with django_assert_num_queries(queries):
        assert client.get(tab(approved.project)).status_code == 200
