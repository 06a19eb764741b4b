"""The portfolio and a project's metrics tab: the statuses by the studio settings, who sees
what, sorting, filtering, the query parameters, the tab's formulas, inputs and trends, and
the queries each page runs.

The studio's today is Wed 25 Nov 2026; "the night" shown is Tue 24 Nov."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from metrics.catalogue import CATALOGUE
from metrics.nightly import metrics_compute_night
from metrics.portfolio import (
    AMBER,
    GREEN,
    GREY,
    RED,
    Thresholds,
    budget_rag,
    satisfaction_rag,
    schedule_rag,
    sparkline,
    utilization_rag,
)
from studio.models import StudioSettings
from tests import factories as f
from tests.conftest import STUDIO_ROLES
from tests.factories import TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("studio_today"),
]

NIGHT = TODAY - dt.timedelta(days=1)  # Tue 24 Nov 2026
URL = "/metrics/"
# The studio's defaults: behind beyond 1 working day, warning at 90 % of the budget, CSAT 80 %, utilization 75 %.
DEFAULTS = Thresholds(D("1"), D("0.9"), D("0.8"), D("0.75"))


def tab_url(project) -> str:
    return f"/metrics/projects/{project.pk}/"


def snap(project, day=NIGHT, **values):
    """Snapshot rows of `project` on `day`, a value by metric key (a date for forecast_finish)."""
    for metric, value in values.items():
        is_date = isinstance(value, dt.date)
        f.MetricSnapshotFactory(
            date=day, scope_key=f"project:{project.pk}", metric=metric,
            value=None if is_date or value is None else D(value), value_date=value if is_date else None,
        )


def healthy(project, day=NIGHT):
    """All green: ahead, under budget, happy client."""
    snap(project, day, sv_t="2", spi_t="1.1", forecast_finish=project.due_date - dt.timedelta(days=3),
         cpi="1.25", eac="8000", bac_money="10000", cost="3000", margin_at_completion="0.6",
         csat="0.9", responses="10")


def rows(response):
    return list(response.context["page_obj"])


def by_code(response):
    return {row.project.code: row for row in rows(response)}


def settings_set(**fields):
    StudioSettings.objects.filter(pk=1).update(**fields)


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sv_t, finish_after_due, expected", [
    (None, False, GREY),
    ("-1.5", False, RED),  # −1.5 < −1 (schedule_behind_days)
    ("-1", False, AMBER),  # −1 is not below −1, but below 0
    ("-0.25", False, AMBER),
    ("0", True, AMBER),  # on time by SV(t), yet forecast after the due date
    ("0", False, GREEN),
    ("3", False, GREEN),
])
def test_schedule_status(sv_t, finish_after_due, expected):
    due = dt.date(2026, 12, 18)
    finish = due + dt.timedelta(days=1 if finish_after_due else -1)
    assert schedule_rag(None if sv_t is None else D(sv_t), finish, due, DEFAULTS).status == expected


def test_a_looser_schedule_threshold_turns_red_to_amber():
    due = dt.date(2026, 12, 18)
    # −1.5 < −1 is red; with 2 working days allowed, −1.5 is not below −2: amber.
    assert schedule_rag(D("-1.5"), None, due, DEFAULTS).status == RED
    assert schedule_rag(D("-1.5"), None, due, Thresholds(D("2"), D("0.9"), D("0.8"), D("0.75"))).status == AMBER


@pytest.mark.parametrize("figures, expected", [
    ({}, GREY),  # no approved budget
    ({"bac_money": "10000", "cost": "0", "eac": "10000"}, GREEN),  # nothing spent, CPI undefined: EAC = BACm
    ({"bac_money": "10000", "cost": "3000", "eac": "9000", "margin_at_completion": "0.1"}, GREEN),
    ({"bac_money": "10000", "cost": "10000", "eac": "10000"}, RED),  # AC ≥ BACm: over budget
    # EAC 11,200 × 0.9 = 10,080 > 10,000: beyond BACm / 0.9 (CPI = 10,000 / 11,200 = 0.89 < 0.9).
    ({"bac_money": "10000", "cost": "5600", "eac": "11200"}, RED),
    # EAC 11,000 × 0.9 = 9,900 ≤ 10,000, but 11,000 > 10,000: over the budget, within the tolerance.
    ({"bac_money": "10000", "cost": "5500", "eac": "11000"}, AMBER),
    # 9,100 > 0.9 × 10,000 = 9,000 spent, the forecast within budget.
    ({"bac_money": "10000", "cost": "9100", "eac": "9800"}, AMBER),
    # Within budget, yet the fee does not cover the forecast.
    ({"bac_money": "10000", "cost": "1000", "eac": "9000", "margin_at_completion": "-0.05"}, RED),
])
def test_budget_status(figures, expected):
    assert budget_rag({key: D(value) for key, value in figures.items()}, DEFAULTS).status == expected


@pytest.mark.parametrize("csat, expected", [
    (None, GREY),
    ("0.69", RED),  # below 0.80 − 0.10 = 0.70
    ("0.70", AMBER),  # not below 0.70, below 0.80
    ("0.79", AMBER),
    ("0.80", GREEN),
    ("1", GREEN),
])
def test_satisfaction_status(csat, expected):
    assert satisfaction_rag(None if csat is None else D(csat), D("5"), DEFAULTS).status == expected


@pytest.mark.parametrize("utilization, expected", [
    (None, GREY), ("0.64", RED), ("0.65", AMBER), ("0.74", AMBER), ("0.75", GREEN), ("1", GREEN), ("1.05", AMBER),
])
def test_utilization_status(utilization, expected):
    # Red below 0.75 − 0.10 = 0.65; amber below 0.75 or over 1 (over capacity).
    assert utilization_rag(None if utilization is None else D(utilization), DEFAULTS).status == expected


def test_the_status_says_why_with_the_figures():
    rag = satisfaction_rag(D("0.795"), D("4"), DEFAULTS)
    assert rag.label == "Amber"
    # 0.795 is shown to a tenth: a rounded "80 %" would contradict "below the target".
    assert rag.reason == "CSAT 79.5 % of 4 answers: below the target of 80 %."
    euros = Thresholds(D("1"), D("0.9"), D("0.8"), D("0.75"), currency="EUR")
    rag = budget_rag({"bac_money": D("10000"), "cost": D("5600"), "eac": D("11200")}, euros)
    # The limit: 10,000 / 0.9 = 11,111.11.
    assert rag.reason == (
        "Forecast at completion EUR 11,200.00: beyond EUR 11,111.11, the budget of EUR 10,000.00 ÷ 90 %."
    )


# --- the portfolio ----------------------------------------------------------------------------------


def test_each_project_with_its_statuses_as_of_the_night(client, pm, brand):
    ok = f.ProjectFactory(brand=brand, code="OK-1")
    healthy(ok)
    late = f.ProjectFactory(brand=brand, code="LATE-1")
    snap(late, sv_t="-4", spi_t="0.6", cpi="0.8", eac="12500", bac_money="10000", cost="4000", csat="0.5",
         responses="2")
    fresh = f.ProjectFactory(brand=brand, code="NEW-1")  # active, not computed on the night
    client.force_login(pm)

    response = client.get(URL)

    assert response.status_code == 200
    got = by_code(response)
    assert set(got) == {"OK-1", "LATE-1", "NEW-1"}
    assert (got["OK-1"].schedule.status, got["OK-1"].budget.status, got["OK-1"].satisfaction.status) == (
        GREEN, GREEN, GREEN)
    # −4 < −1; EAC 12,500 × 0.9 = 11,250 > 10,000; CSAT 0.5 < 0.7.
    assert (got["LATE-1"].schedule.status, got["LATE-1"].budget.status, got["LATE-1"].satisfaction.status) == (
        RED, RED, RED)
    assert (got["NEW-1"].schedule.status, got["NEW-1"].budget.status, got["NEW-1"].satisfaction.status) == (
        GREY, GREY, GREY)
    content = response.content.decode()
    assert "Figures as of the night of" in content and "Tue 24 Nov" in content
    # A status is a word as well as a colour.
    assert '<span class="rag rag-red"' in content and ">Red</span>" in content
    assert fresh.code in content


def test_the_colours_follow_the_csat_target(client, pm):
    project = f.ProjectFactory()
    snap(project, csat="0.75", responses="4")
    client.force_login(pm)

    def status():
        return rows(client.get(URL))[0].satisfaction.status

    assert status() == AMBER  # 0.75 < 0.80, not below 0.70
    settings_set(csat_target=D("0.7"))
    assert status() == GREEN  # 0.75 ≥ 0.70
    settings_set(csat_target=D("0.9"))
    assert status() == RED  # 0.75 < 0.90 − 0.10 = 0.80


def test_the_colours_follow_the_schedule_and_budget_thresholds(client, pm):
    project = f.ProjectFactory()
    snap(project, sv_t="-1.5", bac_money="10000", cost="8500", eac="9500")
    client.force_login(pm)
    row = rows(client.get(URL))[0]
    # −1.5 < −1; 8,500 ≤ 0.9 × 10,000 and 9,500 ≤ 10,000.
    assert (row.schedule.status, row.budget.status) == (RED, GREEN)

    settings_set(schedule_behind_days=D("2"), budget_warning_ratio=D("0.8"))
    row = rows(client.get(URL))[0]
    # −1.5 is not below −2; 8,500 > 0.8 × 10,000 = 8,000.
    assert (row.schedule.status, row.budget.status) == (AMBER, AMBER)


def test_the_nights_computation_reaches_the_page(client, pm, brand):
    """One deliverable of 100 planned hours over the 15 working days Mon 16 Nov – Fri 4 Dec,
    40 % complete on the 23rd."""
    project = f.ProjectFactory(brand=brand, code="CALC-1", planned_start=dt.date(2026, 11, 16),
                               due_date=dt.date(2026, 12, 4))
    work = f.DeliverableFactory(project=project, planned_hours=D("100"), planned_start=dt.date(2026, 11, 16),
                                due_date=dt.date(2026, 12, 4))
    f.DeliverableProgressFactory(deliverable=work, date=dt.date(2026, 11, 23), percent_complete=40,
                                 status="in_progress")
    metrics_compute_night(NIGHT)
    client.force_login(pm)

    row = by_code(client.get(URL))["CALC-1"]

    # EV = 40 h; PV(k) = 100 × k / 15, so PV(6) = 40 = EV: ES = 6. AT = 7 working days
    # (16–20, 23, 24 Nov). SV(t) = 6 − 7 = −1; SPI(t) = 6 / 7 = 0.857143.
    assert row.value("sv_t") == D("-1")
    assert row.value("spi_t") == D("0.857143")
    # ⌈15 / (6/7)⌉ = ⌈17.5⌉ = the 18th working day: Wed 9 Dec, after the due date.
    assert row.value("forecast_finish") == dt.date(2026, 12, 9)
    # −1 is not below −1, but the forecast is late: amber. No budget, no answers: grey.
    assert (row.schedule.status, row.budget.status, row.satisfaction.status) == (AMBER, GREY, GREY)


def test_active_projects_by_default_any_status_on_request(client, pm):
    healthy(f.ProjectFactory(code="ACT-1"))
    healthy(f.ProjectFactory(code="DONE-1", status="delivered"))
    client.force_login(pm)

    assert set(by_code(client.get(URL))) == {"ACT-1"}
    assert set(by_code(client.get(URL, {"status": "delivered"}))) == {"DONE-1"}
    assert set(by_code(client.get(URL, {"status": ""}))) == {"ACT-1", "DONE-1"}


def test_filters_by_brand_and_pm(client, pm, brand, other_brand):
    f.MetricSnapshotFactory(date=NIGHT)  # a night exists
    other_pm = f.UserFactory(role="pm")
    f.ProjectFactory(code="A-1", brand=brand, pm=pm)
    f.ProjectFactory(code="A-2", brand=brand, pm=other_pm)
    f.ProjectFactory(code="B-1", brand=other_brand, pm=pm)
    client.force_login(pm)

    assert set(by_code(client.get(URL, {"brand": brand.pk}))) == {"A-1", "A-2"}
    assert set(by_code(client.get(URL, {"pm": pm.pk}))) == {"A-1", "B-1"}
    assert set(by_code(client.get(URL, {"brand": brand.pk, "pm": pm.pk}))) == {"A-1"}


@pytest.fixture
def sortable(pm):
    f.MetricSnapshotFactory(date=NIGHT)  # a night exists
    low, high, none = (f.ProjectFactory(code=code) for code in ("P-LOW", "P-HIGH", "P-NONE"))
    snap(low, csat="0.5", sv_t="-3", cpi="0.7")
    snap(high, csat="0.95", sv_t="2", cpi="1.2")
    return {"low": low, "high": high, "none": none}


def codes(response):
    return [row.project.code for row in rows(response)]


@pytest.mark.parametrize("sort, expected", [
    ("csat", ["P-LOW", "P-HIGH", "P-NONE"]),  # 0.5, 0.95, then no value
    ("-csat", ["P-HIGH", "P-LOW", "P-NONE"]),  # no value last either way
    ("satisfaction", ["P-LOW", "P-HIGH", "P-NONE"]),  # red, green, grey: worst first
    ("-sv_t", ["P-HIGH", "P-LOW", "P-NONE"]),
    ("cpi", ["P-LOW", "P-HIGH", "P-NONE"]),
    ("-project", ["P-NONE", "P-LOW", "P-HIGH"]),
    ("garbage", ["P-HIGH", "P-LOW", "P-NONE"]),  # by project code
])
def test_sorted_by_any_column(client, pm, sortable, sort, expected):
    client.force_login(pm)
    response = client.get(URL, {"sort": sort})
    assert codes(response) == expected
    assert response.context["sort"] == (sort if sort != "garbage" else "project")


def test_a_brand_manager_cannot_sort_by_money(client, brand_manager, brand):
    f.MetricSnapshotFactory(date=NIGHT)
    for code, cpi in (("B-1", "0.7"), ("B-2", "1.5"), ("B-3", "0.2")):
        snap(f.ProjectFactory(brand=brand, code=code), cpi=cpi, csat="0.9")
    client.force_login(brand_manager)

    response = client.get(URL, {"sort": "-cpi"})

    assert response.context["sort"] == "project"
    assert codes(response) == ["B-1", "B-2", "B-3"]


@pytest.mark.parametrize("params", [
    {"sort": "garbage"},
    {"page": "abc"},
    {"page": "99999"},
    {"brand": "999999"},
    {"pm": "999999999999999999999"},
    {"status": "nonsense"},
    {"brand": "1\x00", "q": "a\x00b", "sort": "\x00", "page": "\x00"},
])
def test_bad_query_parameters_never_fail(client, pm, sortable, params):
    client.force_login(pm)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(rows(response)) <= 3


def test_htmx_gets_the_table_alone(client, pm, sortable):
    client.force_login(pm)
    response = client.get(URL, {"sort": "-csat"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="portfolio-results"')
    assert "<html" not in content and "P-HIGH" in content
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_money_reads_in_the_studio_currency(client, pm):
    settings_set(currency="GBP")
    healthy(f.ProjectFactory())
    client.force_login(pm)
    content = client.get(URL).content.decode()
    assert "Estimate at completion (GBP)" not in content
    assert "GBP 8,000.00" in content  # the EAC of `healthy`, in its table cell


def test_the_studio_figures_with_utilization_against_its_target(client, pm, executive, admin_user):
    f.MetricSnapshotFactory(date=NIGHT, scope_key="studio", metric="logged_utilization", value=D("0.7"))
    f.MetricSnapshotFactory(date=NIGHT, scope_key="studio", metric="csat", value=D("0.85"))
    client.force_login(pm)
    studio = client.get(URL).context["studio"]
    # 0.70: not below 0.75 − 0.10 = 0.65, below 0.75.
    assert studio.utilization["logged_utilization"].status == AMBER
    assert studio.satisfaction.status == GREEN  # 0.85 ≥ 0.80
    settings_set(utilization_target=D("0.7"))
    assert client.get(URL).context["studio"].utilization["logged_utilization"].status == GREEN
    # The admin role sees the studio, not the people metrics.
    client.force_login(admin_user)
    assert client.get(URL).context["studio"].utilization == {}


def test_no_night_yet_says_how_to_compute_one(client, pm, executive):
    f.ProjectFactory()
    client.force_login(pm)
    content = client.get(URL).content.decode()
    assert "No night's metrics have been computed yet." in content
    assert "python manage.py compute_metrics" in content
    # Executives do not recompute: the words without the command.
    client.force_login(executive)
    content = client.get(URL).content.decode()
    assert "computed yet" in content and "compute_metrics" not in content


def test_a_night_after_today_is_not_the_night_shown(client, pm):
    project = f.ProjectFactory()
    snap(project, csat="0.9")
    snap(project, day=TODAY + dt.timedelta(days=1), csat="0.1")
    client.force_login(pm)
    response = client.get(URL)
    assert response.context["night"] == NIGHT
    assert rows(response)[0].value("csat") == D("0.9")


# --- who sees what ----------------------------------------------------------------------------------


@pytest.fixture
def two_brands(brand, other_brand):
    own = f.ProjectFactory(brand=brand, code="OWN-1")
    other = f.ProjectFactory(brand=other_brand, code="OTHER-1")
    internal = f.ProjectFactory(brand=None, is_internal=True, code="INT-1")
    for project in (own, other, internal):
        healthy(project)
    return {"own": own, "other": other, "internal": internal}


@pytest.mark.parametrize("role", STUDIO_ROLES)
def test_the_studio_sees_every_project_and_its_money(client, request, role, two_brands):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert set(by_code(response)) == {"OWN-1", "OTHER-1", "INT-1"}
    assert all(row.budget is not None for row in rows(response))
    assert "Estimate at completion" in response.content.decode()
    assert client.get(tab_url(two_brands["other"])).status_code == 200


def test_a_brand_manager_sees_their_brands_schedule_and_satisfaction_only(client, brand_manager, two_brands):
    client.force_login(brand_manager)

    response = client.get(URL)

    assert set(by_code(response)) == {"OWN-1"}
    row = rows(response)[0]
    assert row.budget is None and set(row.figures) == {"sv_t", "spi_t", "forecast_finish", "csat", "responses"}
    content = response.content.decode()
    for money in ("Estimate at completion", "CPI", "Margin", "8,000.00", "10,000.00"):
        assert money not in content
    assert "studio" not in response.context  # the studio's figures span other brands
    # Asking for the other brand does not show it.
    assert set(by_code(client.get(URL, {"brand": two_brands["other"].brand_id}))) == {"OWN-1"}


@pytest.mark.parametrize("role", ["pm", "brand_manager"])
def test_every_row_has_a_cell_under_each_heading(client, request, role, two_brands):
    client.force_login(request.getfixturevalue(role))
    content = client.get(URL).content.decode()
    head = content.split("<thead>")[1].split("</thead>")[0]
    first_row = content.split("<tbody>")[1].split("</tr>")[0]
    # Sixteen columns for the studio; the five of money (budget, CPI, EAC, BAC, margin) dropped for a brand manager.
    assert head.count("<th ") == first_row.count("<th ") + first_row.count("<td") == (16 if role == "pm" else 11)


def test_a_brand_manager_cannot_open_another_brands_tab(client, brand_manager, two_brands):
    client.force_login(brand_manager)
    assert client.get(tab_url(two_brands["own"])).status_code == 200
    assert client.get(tab_url(two_brands["other"])).status_code == 404
    assert client.get(tab_url(two_brands["internal"])).status_code == 404


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_talent_may_not_see_the_metrics(client, request, role, two_brands):
    """Metrics are not theirs at all: a forbidden action, 403, on both pages."""
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.get(tab_url(two_brands["own"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, two_brands):
    for url in (URL, tab_url(two_brands["own"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_pages_only_read(client, pm, two_brands):
    client.force_login(pm)
    assert client.post(URL).status_code == 405
    assert client.post(tab_url(two_brands["own"])).status_code == 405


# --- the project tab ----------------------------------------------------------------------------------


def cards(response) -> dict:
    return {card.metric.key: card for family in response.context["tab"].families for card in family.cards}


def test_the_tab_shows_how_each_figure_is_computed(client, pm):
    project = f.ProjectFactory(code="TAB-1")
    snap(project, es="6", at="7", sv_t="-1", spi_t="0.857143", ev="40", pv="46.666667")
    client.force_login(pm)

    response = client.get(tab_url(project))

    card = cards(response)["sv_t"]
    # SV(t) = ES − AT = 6 − 7 = −1.
    assert [(i.metric.key, i.figure.value) for i in card.inputs] == [("es", D("6")), ("at", D("7"))]
    assert card.figure.value == D("-1")
    content = response.content.decode()
    assert "How is this computed?" in content
    assert str(CATALOGUE["sv_t"].formula) in content
    # SV = EV − PV's inputs; PV comes from the records alone.
    assert [i.metric.key for i in cards(response)["sv"].inputs] == ["ev", "pv"]
    assert cards(response)["pv"].inputs == []
    assert "Figures as of the night of" in content or "figures as of the night of" in content


def test_the_tab_holds_twelve_weeks_of_trend_and_no_more(client, pm):
    project = f.ProjectFactory()
    for weeks in range(12):
        snap(project, day=NIGHT - dt.timedelta(weeks=weeks), csat=str(D("0.5") + D("0.01") * weeks))
    snap(project, day=NIGHT - dt.timedelta(weeks=12), csat="0.01")  # the 13th week back: not read
    snap(project, day=NIGHT - dt.timedelta(days=3), csat="0.02")  # not on the night's weekday: not read
    client.force_login(pm)

    trend = cards(client.get(tab_url(project)))["csat"].trend

    assert [point.day for point in trend.points] == [NIGHT - dt.timedelta(weeks=n) for n in range(11, -1, -1)]
    # Oldest first: 11 weeks back held 0.50 + 0.11 = 0.61 … the night 0.50.
    assert [point.figure.value for point in trend.points] == [D("0.5") + D("0.01") * n for n in range(11, -1, -1)]
    assert len(trend.segments) == 1 and trend.dots == []


def test_a_sparkline_by_hand():
    days = [NIGHT - dt.timedelta(weeks=2), NIGHT - dt.timedelta(weeks=1), NIGHT]
    metric = CATALOGUE["csat"]
    # Width 120 over 2 steps: x = 0, 60, 120. Height 32 less 3 each side: 26 between 1 (y = 29) and 3 (y = 3);
    # 2 is half-way: 3 + 13 = 16.
    line = sparkline(metric, days, dict(zip(days, [D(1), D(3), D(2)], strict=True)))
    assert line.segments == ["0.0,29.0 60.0,3.0 120.0,16.0"] and line.dots == []
    # A week without a value breaks the line: two values alone are dots.
    gapped = sparkline(metric, days, {days[0]: D(1), days[2]: D(3)})
    assert gapped.segments == [] and gapped.dots == [("0.0", "29.0"), ("120.0", "3.0")]
    # All the same: a flat line across the middle (32 / 2 = 16).
    flat = sparkline(metric, days, dict.fromkeys(days, D(2)))
    assert flat.segments == ["0.0,16.0 60.0,16.0 120.0,16.0"]


def test_the_tab_draws_the_trend_as_svg_with_its_numbers_as_a_table(client, pm):
    project = f.ProjectFactory()
    snap(project, day=NIGHT - dt.timedelta(weeks=1), sv_t="-2")
    snap(project, sv_t="1")
    client.force_login(pm)
    content = client.get(tab_url(project)).content.decode()
    assert '<polyline class="spark-line"' in content and "<script" not in content.split("<main")[1]
    assert "The 12 weeks as a table" in content
    assert "Tue 17 Nov" in content and "Tue 24 Nov" in content
    assert "style=" not in content.split("<main")[1]


def test_a_brand_manager_sees_schedule_and_satisfaction_families_only(client, brand_manager, brand):
    project = f.ProjectFactory(brand=brand)
    healthy(project)
    snap(project, fee_in_force="20000", roi="0.5", margin="0.3")
    client.force_login(brand_manager)

    response = client.get(tab_url(project))

    assert [family.key for family in response.context["tab"].families] == ["schedule", "satisfaction"]
    assert response.context["tab"].budget is None
    content = response.content.decode()
    for money in ("Estimate at completion", "Cost performance", "Margin", "Return on investment", "8,000.00",
                  "20,000.00"):
        assert money not in content
    assert "Client satisfaction" in content


def test_the_studio_sees_the_money_family_with_its_inputs(client, executive):
    project = f.ProjectFactory()
    snap(project, bac_money="6000", cpi="1.714286", eac="3500", fee_in_force="10000", margin_at_completion="0.65")
    client.force_login(executive)

    response = client.get(tab_url(project))

    assert [family.key for family in response.context["tab"].families] == ["schedule", "money", "satisfaction"]
    card = cards(response)["margin_at_completion"]
    # (10,000 − 3,500) / 10,000 = 0.65.
    assert [(i.metric.key, i.figure.value) for i in card.inputs] == [("fee_in_force", D("10000")), ("eac", D("3500"))]
    assert card.figure.shown == D("65")
    content = response.content.decode()
    assert "EUR 3,500.00" in content and "65.0 %" in content


def test_a_project_without_figures_on_the_night_says_so(client, pm):
    f.MetricSnapshotFactory(date=NIGHT)
    project = f.ProjectFactory()
    client.force_login(pm)
    response = client.get(tab_url(project))
    assert response.status_code == 200
    assert response.context["tab"].has_tonight is False
    assert "No figures for this project on the night of Tue 24 Nov" in response.content.decode()


def test_the_tab_before_any_night(client, pm):
    project = f.ProjectFactory()
    client.force_login(pm)
    content = client.get(tab_url(project)).content.decode()
    assert "python manage.py compute_metrics" in content


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999"])
def test_an_unknown_project_is_a_404(client, pm, pk):
    client.force_login(pm)
    assert client.get(f"/metrics/projects/{pk}/").status_code == 404


# --- queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 8])
def test_the_portfolio_runs_a_fixed_number_of_queries(client, pm, brand, count, django_assert_num_queries):
    for _ in range(count):
        healthy(f.ProjectFactory(brand=brand))
    f.MetricSnapshotFactory(date=NIGHT, scope_key="studio", metric="csat", value=D("0.9"))
    client.force_login(pm)
    client.get(URL)  # the studio's time zone, cached

    # Session, user; the settings (context processor, thresholds); the night; the projects;
    # their snapshots; the studio's figures; the filter form's brands and production managers.
    with django_assert_num_queries(10):
        response = client.get(URL)
    assert len(rows(response)) == count


@pytest.mark.parametrize("weeks", [1, 12])
def test_the_tab_runs_a_fixed_number_of_queries(client, pm, weeks, django_assert_num_queries):
    project = f.ProjectFactory()
    for n in range(weeks):
        healthy(project, day=NIGHT - dt.timedelta(weeks=n))
    client.force_login(pm)
    client.get(tab_url(project))

    # Session, user; the project; the settings (context processor, thresholds); the night; the snapshots.
    with django_assert_num_queries(7):
        client.get(tab_url(project))
