"""The budget tab's health section: the figures of DESIGN §3 "Budget health" worked out by
hand, the plan against actual, the burn chart, and who sees which of them (a brand
manager the budget at completion, the share spent and the forecast only)."""

import datetime as dt
import re
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.tab import burn_window
from tests import factories as f
from tests.conftest import studio_noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

HX = {"HTTP_HX_REQUEST": "true"}
# Monday 23 November 2026; f.TODAY is Wednesday 25 November (day(2)).
MON = f.monday(f.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def logged_in(client, user):
    client.force_login(user)
    return client


def actuals(project) -> str:
    return reverse("budgets:project-actuals", args=[project.pk])


def tab(project) -> str:
    return reverse("budgets:project-budget", args=[project.pk])


def approved_week(talent, monday, project, hours_a_day, days=5):
    sheet = f.TimesheetFactory(talent=talent, week_start=monday, status="approved", approved_at=timezone.now())
    for n in range(days):
        f.TimeEntryFactory(timesheet=sheet, project=project, date=monday + dt.timedelta(days=n), hours=D(hours_a_day))
    return sheet


def build_case(brand, *, costs=1, lines=1):
    """Project P of `brand`: fee 20,000.00, planned Mon 2 Nov – Fri 11 Dec.

    Baseline, approved Mon 2 Nov: Design 100 h × 60.00 = 6,000.00 + expenses 4,000.00
    (`lines` lines summing to it) = 10,000.00, no contingency. Change order 1, approved
    Fri 20 Nov: fee +3,000.00, budget +2,000.00. One deliverable of 100 planned hours,
    50 % complete since Mon 16 Nov. Staff S (Design, cost rate 60.00) logs 8 h a day Mon
    16 – Fri 20 Nov, approved: 40 h × 60.00 = 2,400.00. Expenses invoiced on Thu 19 Nov:
    1,200.00 in all (`costs` costs); one committed on Mon 23 Nov: 500.00.
    """
    design = f.DisciplineFactory(name="Design")
    s = f.TalentFactory(discipline=design)
    f.RateCardFactory(talent=s, cost_rate=D("60.00"), valid_from=day(-365))
    p = f.ProjectFactory(brand=brand, fee=D("20000.00"), planned_start=day(-21), due_date=day(18))
    baseline = f.BudgetFactory(project=p, status="approved", approved_at=studio_noon(day(-21)))
    f.BudgetLineFactory(budget=baseline, kind="labor", discipline=design, hours=D("100"), rate=D("60"), amount=None)
    for n in range(lines):
        amount = D("4000") - D(lines - 1) if n == 0 else D("1")
        f.BudgetLineFactory(budget=baseline, kind="expense", description=f"Location {n}", amount=amount)
    f.ChangeOrderFactory(
        project=p, status="approved", approved_at=studio_noon(day(-3)), fee_change=D("3000"), budget_change=D("2000")
    )
    d = f.DeliverableFactory(
        project=p, planned_hours=D("100"), planned_start=day(-21), due_date=day(18), status="in_progress"
    )
    f.DeliverableProgressFactory(deliverable=d, date=day(-7), percent_complete=50)
    approved_week(s, day(-7), p, "8")
    for n in range(costs):
        amount = D("1200") - D(costs - 1) if n == 0 else D("1")
        f.CostFactory(project=p, kind="expense", description=f"Props {n}", amount=amount, date=day(-4))
    f.CostFactory(project=p, kind="expense", description="Catering", amount=D("500"), date=day(0), status="committed")
    return SimpleNamespace(project=p, design=design, s=s, baseline=baseline)


@pytest.fixture
def case(brand):
    return build_case(brand)


def figure(html: str, name: str) -> str:
    """The shown value of the figure `name`, its whitespace collapsed."""
    match = re.search(rf'data-figure="{name}">.*?<dd class="health-value">(.*?)</dd>', html, re.DOTALL)
    assert match, name
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# --- the figures, by hand -------------------------------------------------------------------


def test_the_studio_reads_the_health_figures_worked_out_by_hand(client, case, executive):
    html = logged_in(client, executive).get(actuals(case.project), **HX).content.decode()

    assert figure(html, "fee_in_force") == "EUR 23,000.00"  # 20,000 + 3,000
    assert figure(html, "bac") == "EUR 12,000.00"  # 10,000 + 2,000
    # AC = 40 h × 60.00 = 2,400.00 + the invoiced 1,200.00 (the committed 500 does not count)
    assert figure(html, "ac") == "EUR 3,600.00"
    assert figure(html, "spent") == "30.0 %"  # 3,600 / 12,000
    assert figure(html, "ev") == "EUR 6,000.00"  # 12,000 × 50 h earned / 100 h planned
    assert figure(html, "cv") == "EUR 2,400.00"  # 6,000 − 3,600
    assert figure(html, "cpi") == "1.67"  # 6,000 / 3,600 = 1.666…
    assert figure(html, "eac") == "EUR 7,200.00"  # 12,000 / 1.666… = 12,000 × 3,600 / 6,000
    assert figure(html, "vac") == "EUR 4,800.00"  # 12,000 − 7,200
    assert figure(html, "margin") == "68.7 %"  # (23,000 − 7,200) / 23,000 = 0.68695…
    # All 3,600 fall in the 28 days ending Wed 25 Nov (Thu 29 Oct …), 20 working days: 180.00 a day.
    assert figure(html, "burn_rate") == "EUR 180.00"
    # 12,000 − 3,600 = 8,400 left / 180 = 46.7 → the 47th working day after Wed 25 Nov.
    assert figure(html, "run_out") == "Fri 29 Jan 2027"
    assert html.count("How is this computed?") == 12
    assert "(Fee in force − EAC) / fee in force." in html


def test_the_plan_against_actual_by_category(client, case, pm):
    html = logged_in(client, pm).get(actuals(case.project), **HX).content.decode()

    rows = {
        match.group(1): [
            " ".join(cell.split()) for cell in re.findall(r'<td class="num[^"]*">(.*?)</td>', match.group(2))
        ]
        for match in re.finditer(r'<tr data-category="(\w+)">(.*?)</tr>', html, re.DOTALL)
    }
    # planned, actual, remaining, committed, spent
    assert rows["labor"] == ["EUR 6,000.00", "EUR 2,400.00", "EUR 3,600.00", "", ""]  # 100 h × 60; 40 h × 60
    assert rows["freelance"] == ["EUR 0.00", "EUR 0.00", "EUR 0.00", "", ""]
    assert rows["expense"] == ["EUR 4,000.00", "EUR 1,200.00", "EUR 2,800.00", "EUR 500.00", "EUR 1,200.00"]
    assert rows["contingency"] == ["EUR 0.00", "—", "—", "", ""]
    assert rows["change_orders"] == ["EUR 2,000.00", "—", "—", "", ""]
    assert "Internal labour: Design" in html and "Approved change orders" in html
    # Totals: 12,000.00 planned (BACm), 3,600.00 actual, 8,400.00 remaining, 500 committed, 1,200 spent.
    total = re.search(r'<tr class="grand-total">(.*?)</tr>', html, re.DOTALL).group(1)
    assert re.findall(r">EUR ([\d,.]+)</td>", total) == ["12,000.00", "3,600.00", "8,400.00", "500.00", "1,200.00"]


def test_the_burn_chart_is_drawn_on_the_server_with_its_figures_in_words_and_a_table(client, case, pm):
    html = logged_in(client, pm).get(actuals(case.project), **HX).content.decode()

    # Mon 2 Nov – Fri 11 Dec: 40 days, x from 0 to 600 in 39 steps; the scale tops at
    # 12,000 (the plan at its due date), y = 200 − money × 200 / 12,000.
    assert 'viewBox="0 0 600 200"' in html and 'role="img"' in html
    planned = re.search(r'class="burn-planned" points="([^"]+)"', html).group(1).split()
    actual = re.search(r'class="burn-actual" points="([^"]+)"', html).group(1).split()
    assert planned[-1] == "600.0,0.0"
    assert len(actual) == 24  # Mon 2 – Wed 25 Nov; none after today
    # Today: day 23 of 39 → x = 23 × 600 / 39 = 353.8; 3,600 → y = 200 − 60 = 140.0
    assert actual[-1] == "353.8,140.0"
    assert "Planned cost reaches EUR 12,000.00." in html
    assert "Actual cost EUR 3,600.00 on 25 Nov 2026." in html
    # The table: every 7th day from Mon 2 Nov, today and the last day.
    table = html.split("The burn chart as a table")[1]
    assert "Mon 2 Nov 2026" in table and "Wed 25 Nov 2026" in table and "Fri 11 Dec 2026" in table
    assert "Tue 3 Nov 2026" not in table


def test_a_long_project_s_chart_keeps_400_days_up_to_today():
    today = f.TODAY
    short = SimpleNamespace(planned_start=today - dt.timedelta(10), due_date=today + dt.timedelta(20))
    long_ago = SimpleNamespace(planned_start=today - dt.timedelta(900), due_date=today + dt.timedelta(30))
    ahead = SimpleNamespace(planned_start=today - dt.timedelta(5), due_date=today + dt.timedelta(900))
    late = SimpleNamespace(planned_start=today - dt.timedelta(30), due_date=today - dt.timedelta(10))

    assert burn_window(short, today) == (today - dt.timedelta(10), today + dt.timedelta(20))
    assert burn_window(long_ago, today) == (today - dt.timedelta(369), today + dt.timedelta(30))
    assert burn_window(ahead, today) == (today - dt.timedelta(5), today + dt.timedelta(394))
    assert burn_window(late, today) == (today - dt.timedelta(30), today)


def test_without_javascript_the_section_is_a_link_to_the_tab_with_it_in_place(client, case, pm):
    client = logged_in(client, pm)
    page = client.get(tab(case.project)).content.decode()
    assert f'href="{actuals(case.project)}"' in page and "data-figure" not in page

    page = client.get(actuals(case.project)).content.decode()
    assert "<html" in page and 'data-figure="cpi"' in page and "Location 0" in page  # the lines too


def test_over_budget_shows_in_place_of_the_run_out_date(client, case, pm):
    f.CostFactory(project=case.project, amount=D("9000"), date=day(-1))  # AC 12,600 ≥ BAC 12,000

    html = logged_in(client, pm).get(actuals(case.project), **HX).content.decode()

    assert figure(html, "run_out") == "over budget"
    assert figure(html, "spent") == "105.0 %"  # 12,600 / 12,000


def test_without_a_baseline_the_figures_say_so(client, brand, pm):
    project = f.ProjectFactory(brand=brand)

    html = logged_in(client, pm).get(actuals(project), **HX).content.decode()

    assert figure(html, "bac") == "no approved budget yet"
    assert "No approved budget yet" in html


# --- who sees what --------------------------------------------------------------------------

SECRETS = (
    "3,600.00",  # AC
    "2,400.00",  # labour; also CV
    "6,000.00",  # the labour line; also EV
    "60.00",  # the cost rate
    "1.67",  # CPI
    "4,800.00",  # VAC
    "23,000.00",  # fee in force
    "68.7",  # margin at completion
    "margin",
    "Design",
    "Location",
    "hours",
    "burn-",
)


def test_a_brand_manager_sees_the_budget_at_completion_the_share_spent_and_the_forecast_only(
    client, case, brand_manager
):
    client = logged_in(client, brand_manager)
    for response in (client.get(actuals(case.project), **HX), client.get(actuals(case.project))):
        assert response.status_code == 200
        html = response.content.decode()
        assert figure(html, "bac") == "EUR 12,000.00"
        assert figure(html, "spent") == "30.0 %"
        assert figure(html, "eac") == "EUR 7,200.00"
        assert html.count("data-figure=") == 3
        for secret in SECRETS:
            assert secret not in html, secret
    page = client.get(tab(case.project)).content.decode()
    assert reverse("budgets:project-costs", args=[case.project.pk]) not in page
    assert reverse("budgets:budget-export", args=[case.project.pk, "csv"]) not in page


@pytest.mark.parametrize("who", ["pm", "executive", "admin_user"])
def test_the_studio_sees_the_whole_section_and_the_links_to_costs_and_downloads(client, case, who, request):
    client = logged_in(client, request.getfixturevalue(who))
    html = client.get(actuals(case.project), **HX).content.decode()
    assert html.count("data-figure=") == 12 and "burn-actual" in html

    page = client.get(tab(case.project)).content.decode()
    for url in (
        reverse("budgets:project-costs", args=[case.project.pk]),
        reverse("budgets:budget-export", args=[case.project.pk, "xlsx"]),
        reverse("budgets:change-order-export", args=[case.project.pk, "csv"]),
    ):
        assert url in page


@pytest.mark.parametrize("who", ["outsider", "creative", "freelancer"])
def test_others_get_no_figures(client, case, who, request):
    user = request.getfixturevalue(who)
    if who != "outsider":
        f.BookingFactory(talent=user.talent, project=case.project)  # on the team: still no money

    response = logged_in(client, user).get(actuals(case.project), **HX)

    assert response.status_code == 404


def test_the_section_refreshes_when_a_cost_or_an_approval_changes(client, case, pm):
    html = logged_in(client, pm).get(actuals(case.project), **HX).content.decode()

    assert 'hx-trigger="costChanged from:body, approvalChanged from:body"' in html


# --- a fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 9])
# Session, user, project, the studio's settings (currency); health_of: earned hours, the
# baseline, change orders, labour, costs, the working days; plan_against_actual: the
# baseline, its lines, the change orders' lines, labour, costs, change orders; burn_series: baselines, change orders,
# deliverables, the working days, labour, costs.
@pytest.mark.parametrize("who, queries", [("pm", 22), ("brand_manager", 10)])
def test_the_section_runs_a_fixed_number_of_queries(
    client, brand, who, queries, size, request, django_assert_num_queries
):
    case = build_case(brand, costs=size, lines=size)
    for week in range(1, size):  # more approved weeks of time
        approved_week(case.s, day(-7 - 7 * week), case.project, "1")
    client = logged_in(client, request.getfixturevalue(who))
    client.get(actuals(case.project), **HX)

    with django_assert_num_queries(queries):
        assert client.get(actuals(case.project), **HX).status_code == 200
