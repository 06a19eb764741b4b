"""The studio budget page as each role uses it: the studio reads the period's freelance
pool and the projects it funds, each with its budget health, in one sortable table;
production managers and executives set the period's amount and pool and add the next
period. Nobody else receives the pool or any project's money."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import StudioBudget
from schedules.models import Timesheet
from studio.models import AuditEvent
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

PAGE = reverse("budgets:studio")
HX = {"HTTP_HX_REQUEST": "true"}
SEES = role_fixtures("studio_budget.view")
CHANGES = role_fixtures("studio_budget.change")
# Monday 23 November 2026; the studio's today (f.TODAY) is Wednesday 25 November.
MON = f.monday(f.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def logged_in(client, user):
    client.force_login(user)
    return client


def approved_hours(talent, project, on, hours):
    sheet, _created = Timesheet.objects.get_or_create(
        talent=talent, week_start=f.monday(on), defaults={"status": "approved", "approved_at": timezone.now()}
    )
    f.TimeEntryFactory(timesheet=sheet, project=project, date=on, hours=D(hours))


def freelancer(cost_rate):
    talent = f.FreelanceTalentFactory()
    f.RateCardFactory(talent=talent, cost_rate=D(cost_rate), valid_from=day(-365))
    return talent


@pytest.fixture
def quarter():
    """Q4 2026, Thu 1 Oct – Thu 31 Dec: a budget of 250,000.00 with a pool of 6,840.00."""
    return f.StudioBudgetFactory(
        name="2026 Q4", period_start=day(-53), period_end=day(38), amount=D("250000.00"), freelance_pool=D("6840.00")
    )


@pytest.fixture
def pool(quarter, brand):
    """A pool with approved freelancer hours, a fixed fee, a confirmed and a tentative booking."""
    project = f.ProjectFactory(code="AUR-001", name="Spring launch", brand=brand, fee=D("31415.92"))
    f1, f2 = freelancer("40.00"), freelancer("30.00")
    # Approved: F1 Mon 16 and Tue 17 Nov, 8 h each × 40.00 = 640.00.
    approved_hours(f1, project, day(-7), "8")
    approved_hours(f1, project, day(-6), "8")
    # A fixed fee invoiced Tue 10 Nov: 500.00. Freelance actual = 640.00 + 500.00 = 1,140.00.
    f.CostFactory(project=project, kind="freelance_fixed", talent=f1, amount=D("500.00"), date=day(-13))
    # Confirmed: F1 Mon 30 Nov – Fri 4 Dec, 6 h = 5 days × 6 h = 30 h × 40.00 = 1,200.00 committed.
    f.BookingFactory(talent=f1, project=project, start_date=day(7), end_date=day(11), hours_per_day=D("6"))
    # Tentative: F2 Mon 7 – Fri 11 Dec, 8 h = 40 h × 30.00 = 1,200.00 if every hold is confirmed.
    f.BookingFactory(
        talent=f2, project=project, start_date=day(14), end_date=day(18), hours_per_day=D("8"), status="tentative"
    )
    return project


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm", "executive", "admin_user"])
def test_the_studio_reads_the_budget_page(client, pool, who, request):
    assert SEES == ("pm", "executive", "admin_user")
    response = logged_in(client, request.getfixturevalue(who)).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "6,840.00" in html
    assert "AUR-001" in html and "31,415.92" in html


@pytest.mark.parametrize("who", ["creative", "freelancer", "brand_manager", "outsider"])
def test_no_one_else_receives_the_pool_or_any_projects_money(client, pool, who, request):
    client = logged_in(client, request.getfixturevalue(who))

    for response in (client.get(PAGE), client.get(PAGE, **HX), client.get(f"{PAGE}?sort=fee")):
        assert response.status_code == 403
        html = response.content.decode()
        for figure in ("6,840.00", "250,000.00", "1,140.00", "31,415.92", "Spring launch"):
            assert figure not in html
    assert "Budgets" not in client.get(reverse("studio:notification-list")).content.decode()


def test_a_visitor_signs_in_first(client, pool):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- the pool, computed by hand -------------------------------------------------------------


def test_the_pool_as_of_today(client, pm, pool):
    html = logged_in(client, pm).get(PAGE).content.decode()

    assert "2026 Q4" in html
    assert "Thu 1 Oct 2026" in html and "Thu 31 Dec 2026" in html
    assert "250,000.00" in html  # the studio budget
    assert "6,840.00" in html  # the pool
    assert "1,140.00" in html  # actual: 640.00 labour + 500.00 costs
    assert "EUR 640.00 labour + EUR 500.00 costs" in html
    assert "1,200.00" in html  # committed: 30 h × 40.00; and the holds: 40 h × 30.00
    assert "30 h booked ahead" in html and "40 h on hold" in html
    assert "4,500.00" in html  # remaining: 6,840.00 − 1,140.00 − 1,200.00
    assert "3,300.00" in html  # if every hold is confirmed: 4,500.00 − 1,200.00
    assert "16.7 % spent" in html  # 1,140.00 / 6,840.00 = 0.16667
    # The 28 days ending Wed 25 Nov (from Thu 29 Oct) hold 20 working days and 1,140.00:
    # 57.00 a day. (6,840.00 − 1,140.00) / 57.00 = 100 working days after Wed 25 Nov:
    # 26, 27, 30 Nov (3), December (23: 26), January 2027 (21: 47), February (20: 67),
    # 1–31 March (23: 90), Thu 1 – Wed 14 April (10: 100).
    assert "EUR 57.00 a working day" in html
    assert "Wed 14 Apr 2027" in html
    # Each figure says how it is computed.
    assert "Pool − actual − committed" in html
    assert "from tomorrow to the period's end" in html


def test_a_spent_pool_reads_over_the_pool(client, pm, pool, quarter):
    quarter.freelance_pool = D("1000.00")
    quarter.save()

    html = logged_in(client, pm).get(PAGE).content.decode()

    assert "Over the pool" in html
    assert "−EUR 1,340.00" in html  # 1,000.00 − 1,140.00 − 1,200.00


def test_an_unpooled_studio_shows_how_to_start(client, pm, executive):
    html = logged_in(client, pm).get(PAGE).content.decode()

    assert "The studio has no production budget yet." in html
    assert 'name="form" value="add"' in html


# --- which period -----------------------------------------------------------------------------


def test_the_period_covering_today_comes_first_the_shortest_one(client, pm, quarter):
    f.StudioBudgetFactory(name="2026", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    client = logged_in(client, pm)

    assert client.get(PAGE).context["studio_budget"] == quarter
    year = StudioBudget.objects.get(name="2026")
    assert client.get(PAGE, {"budget": year.pk}).context["studio_budget"] == year
    assert client.get(PAGE, {"budget": "abc"}).context["studio_budget"] == quarter
    assert client.get(PAGE, {"budget": "999999"}).status_code == 404


def test_without_a_period_covering_today_the_latest_shows(client, pm):
    f.StudioBudgetFactory(name="Old", period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31))
    latest = f.StudioBudgetFactory(name="Later", period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 6, 30))

    response = logged_in(client, pm).get(PAGE)

    assert response.context["studio_budget"] == latest
    assert response.context["periods"][0] == latest


# --- the projects it funds --------------------------------------------------------------------


@pytest.fixture
def three(quarter, brand):
    """Three projects in the period with fees 30,000, 10,000 and 20,000; one has a baseline."""
    projects = [
        f.ProjectFactory(code="AAA-001", brand=brand, fee=D("30000.00")),
        f.ProjectFactory(code="BBB-001", brand=brand, fee=D("10000.00")),
        f.ProjectFactory(code="CCC-001", brand=brand, fee=D("20000.00")),
    ]
    budget = f.BudgetFactory(project=projects[1], status="approved", approved_at=timezone.now())
    f.BudgetLineFactory(budget=budget, amount=D("4000.00"))
    # Out of the period: at intake, cancelled, and due before it began.
    f.ProjectFactory(code="ZZZ-001", status="intake")
    f.ProjectFactory(code="ZZZ-002", status="cancelled")
    f.ProjectFactory(code="ZZZ-003", status="delivered", planned_start=day(-120), due_date=day(-60))
    return projects


def order(response) -> list[str]:
    html = response.content.decode()
    codes = ["AAA-001", "BBB-001", "CCC-001"]
    return sorted((code for code in codes if code in html), key=html.index)


def test_the_table_lists_the_periods_projects_by_code(client, pm, three):
    response = logged_in(client, pm).get(PAGE)

    assert order(response) == ["AAA-001", "BBB-001", "CCC-001"]
    html = response.content.decode()
    assert "ZZZ-" not in html
    assert reverse("budgets:project-budget", args=[three[0].pk]) in html
    assert "4,000.00" in html  # BBB's budget at completion
    assert "no baseline" in html


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("fee", ["BBB-001", "CCC-001", "AAA-001"]),
        ("-fee", ["AAA-001", "CCC-001", "BBB-001"]),
        ("-code", ["CCC-001", "BBB-001", "AAA-001"]),
        # Only BBB has a budget at completion; the undefined ones follow, by code, either way.
        ("bac", ["BBB-001", "AAA-001", "CCC-001"]),
        ("-bac", ["BBB-001", "AAA-001", "CCC-001"]),
        # Equal actual cost (none): stable, by code.
        ("-ac", ["AAA-001", "BBB-001", "CCC-001"]),
        # Not in the whitelist: left by code.
        ("project__fee", ["AAA-001", "BBB-001", "CCC-001"]),
        ("--fee", ["AAA-001", "BBB-001", "CCC-001"]),
        ("fee\x00", ["AAA-001", "BBB-001", "CCC-001"]),
        ("", ["AAA-001", "BBB-001", "CCC-001"]),
    ],
)
def test_the_table_sorts_by_a_whitelisted_column(client, pm, three, sort, expected):
    response = logged_in(client, pm).get(PAGE, {"sort": sort})

    assert response.status_code == 200
    assert order(response) == expected


def test_a_sort_header_marks_its_order_and_flips_it(client, pm, three):
    html = logged_in(client, pm).get(PAGE, {"sort": "fee"}).content.decode()

    assert 'aria-sort="ascending"' in html
    assert "?sort=-fee" in html


def test_htmx_gets_the_table_alone(client, pm, three):
    html = logged_in(client, pm).get(PAGE, {"sort": "-fee"}, **HX).content.decode()

    assert html.lstrip().startswith('<section id="funded-projects"')
    assert "6,840.00" not in html and "<html" not in html


def test_the_table_is_paginated(client, pm, three, settings):
    settings.PAGE_SIZE = 2
    client = logged_in(client, pm)

    assert order(client.get(PAGE, {"sort": "-fee"})) == ["AAA-001", "CCC-001"]
    assert order(client.get(PAGE, {"sort": "-fee", "page": "2"})) == ["BBB-001"]


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_runs_a_fixed_number_of_queries(client, pm, quarter, size, django_assert_num_queries):
    for n in range(size):
        project = f.ProjectFactory(code=f"Q{n:03d}")
        budget = f.BudgetFactory(project=project, status="approved", approved_at=timezone.now())
        f.BudgetLineFactory(budget=budget)
        f.CostFactory(project=project)
        talent = freelancer("40.00")
        approved_hours(talent, project, day(-2), "4")
        f.BookingFactory(talent=talent, project=project, start_date=day(7), end_date=day(8))
    client = logged_in(client, pm)
    client.get(PAGE)

    # Session and user (2); the periods and the one covering today (2); the funded projects
    # and their health (7); the pool (6); the studio's settings (1).
    with django_assert_num_queries(18):
        response = client.get(PAGE, {"sort": "-cpi"})
    assert len(response.context["page_obj"]) == size


# --- setting the budget and the pool ---------------------------------------------------------


def post(client, studio_budget, **data):
    query = f"?budget={studio_budget.pk}" if studio_budget else ""
    return client.post(f"{PAGE}{query}", data)


@pytest.mark.parametrize("who", CHANGES)
def test_managers_set_the_periods_budget_and_pool(client, quarter, who, request):
    user = request.getfixturevalue(who)
    response = post(
        logged_in(client, user), quarter, form="set", amount="300000.00", freelance_pool="12000.50", version=1
    )

    assert response.status_code == 302
    assert response.url == f"{PAGE}?budget={quarter.pk}"
    quarter.refresh_from_db()
    assert (quarter.amount, quarter.freelance_pool) == (D("300000.00"), D("12000.50"))
    event = AuditEvent.objects.get(action="studio_budget.changed")
    assert event.actor == user
    assert event.before["freelance_pool"] == "6840.00" and event.after["freelance_pool"] == "12000.50"


def test_managers_add_the_next_period(client, pm, quarter):
    client = logged_in(client, pm)
    # The next quarter is offered: Fri 1 Jan – Wed 31 Mar 2027.
    form = client.get(PAGE).context["add_form"]
    assert (form.initial["period_start"], form.initial["period_end"]) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))

    response = post(
        client,
        quarter,
        form="add",
        name="2027 Q1",
        period_start="2027-01-01",
        period_end="2027-03-31",
        amount="260000",
        freelance_pool="9000",
    )

    added = StudioBudget.objects.get(name="2027 Q1")
    assert response.url == f"{PAGE}?budget={added.pk}"
    assert (added.amount, added.freelance_pool) == (D("260000"), D("9000"))
    assert AuditEvent.objects.filter(action="studio_budget.added", actor=pm).count() == 1


@pytest.mark.parametrize("who", ["admin_user", "creative", "freelancer", "brand_manager"])
def test_no_one_else_sets_the_budget(client, quarter, who, request):
    client = logged_in(client, request.getfixturevalue(who))

    assert post(client, quarter, form="set", amount="1", freelance_pool="1").status_code == 403
    assert (
        post(
            client,
            quarter,
            form="add",
            name="X",
            period_start="2027-01-01",
            period_end="2027-03-31",
            amount="1",
            freelance_pool="1",
        ).status_code
        == 403
    )
    quarter.refresh_from_db()
    assert quarter.amount == D("250000.00")
    assert StudioBudget.objects.count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"amount": "1000", "freelance_pool": "1000.01"}, "freelance_pool"),  # the pool over the budget
        ({"amount": "-1", "freelance_pool": "0"}, "amount"),
        ({"amount": "1000", "freelance_pool": "-0.01"}, "freelance_pool"),
        ({"amount": "1000000000000", "freelance_pool": "0"}, "amount"),  # 13 digits before the point
        ({"amount": "10.001", "freelance_pool": "0"}, "amount"),
        ({"amount": "lots", "freelance_pool": "0"}, "amount"),
        ({"amount": "1\x00", "freelance_pool": "0"}, "amount"),
        ({"amount": "NaN", "freelance_pool": "0"}, "amount"),
        ({"amount": "", "freelance_pool": "0"}, "amount"),
    ],
)
def test_a_bad_budget_or_pool_is_refused_in_place(client, pm, quarter, data, field):
    response = post(logged_in(client, pm), quarter, form="set", version=1, **data)

    assert response.status_code == 400
    form = response.context["set_form"]
    assert field in form.errors
    assert 'aria-invalid="true"' in response.content.decode()
    quarter.refresh_from_db()
    assert (quarter.amount, quarter.freelance_pool) == (D("250000.00"), D("6840.00"))
    assert not AuditEvent.objects.filter(action__startswith="studio_budget").exists()


def test_a_stale_save_is_refused_with_the_figures_as_they_are_now(client, pm, executive, quarter):
    # Both open the page at version 1; the executive saves first.
    post(logged_in(client, executive), quarter, form="set", amount="260000.00", freelance_pool="7000.00", version=1)

    response = post(logged_in(client, pm), quarter, form="set", amount="240000.00", freelance_pool="5000.00", version=1)

    assert response.status_code == 409
    form = response.context["set_form"]
    assert "Someone else changed this" in " ".join(form.non_field_errors())
    assert (form.cleaned_data["amount"], form.cleaned_data["freelance_pool"], form.cleaned_data["version"]) == (
        D("260000.00"), D("7000.00"), 2,
    )
    assert 'value="260000.00"' in response.content.decode()
    quarter.refresh_from_db()
    assert (quarter.amount, quarter.freelance_pool, quarter.version) == (D("260000.00"), D("7000.00"), 2)
    assert AuditEvent.objects.filter(action="studio_budget.changed").count() == 1


NEXT = {
    "name": "2027 Q1",
    "period_start": "2027-01-01",
    "period_end": "2027-03-31",
    "amount": "100",
    "freelance_pool": "10",
}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"period_end": "2026-12-31"}, "period_end"),  # before its start
        ({"period_start": "1999-12-31", "period_end": "2000-03-31"}, "period_start"),
        ({"period_end": "2100-01-01"}, "period_end"),
        ({"period_start": "0001-01-01"}, "period_start"),
        ({"period_start": "2027-02-30"}, "period_start"),
        ({"period_start": "2026-10-01"}, "period_start"),  # the quarter's start, taken
        ({"name": "x" * 121}, "name"),
        ({"name": "Q1\x00"}, "name"),
        ({"name": "   "}, "name"),
        ({"freelance_pool": "101"}, "freelance_pool"),
        ({"amount": "-5"}, "amount"),
    ],
)
def test_a_bad_next_period_is_refused_in_place(client, pm, quarter, change, field):
    response = post(logged_in(client, pm), quarter, form="add", **(NEXT | change))

    assert response.status_code == 400
    assert field in response.context["add_form"].errors
    assert StudioBudget.objects.count() == 1


def test_setting_a_period_that_is_gone_is_a_404(client, pm, quarter):
    response = logged_in(client, pm).post(
        f"{PAGE}?budget=999999", {"form": "set", "amount": "1", "freelance_pool": "1"}
    )
    assert response.status_code == 404
