"""The trends page: the charts' geometry, who sees which chart, the figures in the tables and
the CSV, brands and disciplines a group at a time, bad parameters, and the queries.

The studio's today is Wed 25 Nov 2026; the latest night is Tue 24 Nov, and the trends read
the Tuesdays before it."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest

from metrics.charts import Reference, Series, line_chart, nice_ticks, stacked_columns
from metrics.trends import GROUP_SIZE, trend_nights
from studio.models import StudioSettings
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

NIGHT = TODAY - dt.timedelta(days=1)  # Tue 24 Nov 2026
URL = "/metrics/trends/"


def csv_url(chart: str) -> str:
    return f"/metrics/trends/{chart}.csv"


def snap(scope: str, metric: str, value: str, weeks_ago: int = 0):
    f.MetricSnapshotFactory(date=NIGHT - dt.timedelta(weeks=weeks_ago), scope_key=scope, metric=metric,
                            value=D(value))


def sections(response) -> dict:
    return {section.spec.key: section for section in response.context["trends"].sections}


def chart(response, key: str):
    return next(item for section in response.context["trends"].sections for item in section.charts
                if item.key == key)


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# --- the geometry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("low, high, expected", [
    # (0.83 − 0) / 4 = 0.2075: the next round step is 0.25.
    (0, 0.83, [0, 0.25, 0.5, 0.75, 1.0]),
    # (2 − −3) / 4 = 1.25: step 2, from −4 up to 2.
    (-3, 2, [-4, -2, 0, 2]),
    # All the same: padded by a tenth either side, 4.5 to 5.5; 1/4 = 0.25.
    (5, 5, [4.5, 4.75, 5.0, 5.25, 5.5]),
    (0, 0, [-1, -0.5, 0, 0.5, 1]),
])
def test_round_ticks_span_the_values(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_a_line_is_drawn_in_the_plot_box():
    days = [NIGHT - dt.timedelta(weeks=2), NIGHT - dt.timedelta(weeks=1), NIGHT]
    drawn = line_chart(days, [Series("Studio", [D(0), D(1), D(2)])], y_label=str, day_label=str)
    # Ticks 0, 0.5 … 2 between y = 214 (the plot's bottom) and 10 (its top); x from 68 to 632.
    assert drawn.lines[0].segments == ["68.0,214.0 350.0,112.0 632.0,10.0"]
    assert [tick.label for tick in drawn.y_ticks] == ["0.0", "0.5", "1.0", "1.5", "2.0"]
    assert [(tick.at, tick.anchor) for tick in drawn.x_ticks] == [
        ("68.0", "start"), ("350.0", "middle"), ("632.0", "end")]


def test_a_night_without_a_value_breaks_the_line():
    days = [NIGHT - dt.timedelta(weeks=n) for n in (3, 2, 1, 0)]
    drawn = line_chart(days, [Series("Studio", [D(1), None, D(2), D(3)])], y_label=str, day_label=str)
    # The first value stands alone: a dot; the last two are a segment.
    assert len(drawn.lines[0].dots) == 1
    assert len(drawn.lines[0].segments) == 1 and drawn.lines[0].segments[0].count(",") == 2


def test_a_reference_widens_the_axis_to_be_seen():
    drawn = line_chart([NIGHT], [Series("Studio", [D("0.5")])], y_label=str, day_label=str,
                       references=[Reference(D("0.9"), "Target")])
    assert float(drawn.y_ticks[-1].label) >= 0.9
    assert drawn.references[0].label == "Target"


def test_shares_stack_to_the_top_of_the_plot():
    drawn = stacked_columns([NIGHT], [Series("Behind", [D("0.5")]), Series("On time", [D("0.25")]),
                                      Series("Ahead", [D("0.25")])], y_label=str, day_label=str, value_label=str)
    # The plot is 204 high (10 to 214): halves and quarters of it, stacked from the bottom.
    assert [(block.y, block.height) for block in drawn.blocks] == [
        ("112.0", "102.0"), ("61.0", "51.0"), ("10.0", "51.0")]


def test_a_trend_reads_the_same_weekday_back():
    nights = trend_nights(NIGHT, 12)
    assert len(nights) == 12 and nights[-1] == NIGHT and nights[0] == NIGHT - dt.timedelta(weeks=11)
    assert {night.weekday() for night in nights} == {NIGHT.weekday()}


# --- who sees which chart -------------------------------------------------------------------------

STUDIO_CHARTS = ["sv_t", "shares", "roi", "margin", "csat", "average_rating"]
PEOPLE_CHARTS = ["productivity", "logged_utilization", "booked_utilization"]


@pytest.mark.parametrize("role, expected", [
    ("pm", ["sv_t", "shares", "roi", "margin", *PEOPLE_CHARTS, "csat", "average_rating"]),
    ("executive", ["sv_t", "shares", "roi", "margin", *PEOPLE_CHARTS, "csat", "average_rating"]),
    # The admin sees the studio and its money, not people's figures (metric.people).
    ("admin_user", STUDIO_CHARTS),
    # A brand manager: satisfaction, their own brands; no money, no people.
    ("brand_manager", ["csat", "average_rating"]),
])
def test_each_role_sees_its_charts(client, request, role, expected):
    f.DisciplineFactory(name="Design")
    client.force_login(request.getfixturevalue(role))
    snap("studio", "sv_t", "-1")
    response = client.get(URL)
    assert response.status_code == 200
    shown = [item.key for section in response.context["trends"].sections for item in section.charts]
    assert shown == expected


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_talent_may_not_open_the_trends(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.get(csv_url("csat")).status_code == 403


def test_nobody_logged_in_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_brand_manager_sees_their_brands_satisfaction_and_no_money(client, brand_manager, brand, other_brand):
    snap(f"brand:{brand.pk}", "csat", "0.875")
    snap(f"brand:{other_brand.pk}", "csat", "0.3333")
    snap("studio", "csat", "0.6667")
    snap(f"brand:{brand.pk}", "roi", "0.4321")
    client.force_login(brand_manager)

    response = client.get(URL)

    csat = chart(response, "csat")
    assert csat.columns == [brand.name]
    assert [figure.value for figure in csat.rows[-1].figures] == [D("0.875")]
    content = response.content.decode()
    assert other_brand.name not in content and "33.3" not in content and "66.7" not in content
    assert "0.43" not in content and "43.2" not in content
    assert client.get(csv_url("roi")).status_code == 403
    assert client.get(csv_url("sv_t")).status_code == 403
    rows = read_csv(client.get(csv_url("csat")))
    assert rows[0] == ["Night", f"{brand.name} (ratio)"]
    assert rows[-1] == [NIGHT.isoformat(), "0.8750"]


def test_an_unknown_chart_is_not_found(client, pm):
    client.force_login(pm)
    snap("studio", "csat", "0.8")
    assert client.get(csv_url("nope")).status_code == 404


# --- the figures ----------------------------------------------------------------------------------


def test_the_studio_schedule_week_by_week(client, pm):
    # Two weeks ago −2.5, last week −1, the night +0.5; three weeks ago not computed.
    snap("studio", "sv_t", "-2.5", weeks_ago=2)
    snap("studio", "sv_t", "-1", weeks_ago=1)
    snap("studio", "sv_t", "0.5")
    for metric, value in (("share_behind", "0.25"), ("share_on_time", "0.5"), ("share_ahead", "0.25")):
        snap("studio", metric, value)
    # Another day of the week is not a night of the trend.
    f.MetricSnapshotFactory(date=NIGHT - dt.timedelta(days=1), scope_key="studio", metric="sv_t", value=D("-9"))
    client.force_login(pm)

    response = client.get(URL, {"weeks": "12"})

    sv = chart(response, "sv_t")
    assert [row.night for row in sv.rows] == trend_nights(NIGHT, 12)
    assert [row.figures[0].value for row in sv.rows][-4:] == [None, D("-2.5"), D("-1"), D("0.5")]
    assert len(sv.chart.lines[0].segments) == 1
    # The limit of the studio settings (1 working day behind) is drawn, and zero.
    assert [reference.label for reference in sv.chart.references] == ["On plan", "Behind limit"]
    shares = chart(response, "shares")
    assert shares.columns == ["Behind", "On time", "Ahead"]
    assert [figure.value for figure in shares.rows[-1].figures] == [D("0.25"), D("0.5"), D("0.25")]
    assert len(shares.chart.blocks) == 3
    content = response.content.decode()
    assert 'id="chart-sv_t"' in content and "<polyline" in content and "<rect" in content
    assert "Tue 24 Nov 2026" in content


def test_the_target_line_follows_the_studio_settings(client, pm):
    snap("studio", "csat", "0.9")
    snap("studio", "csat", "0.5", weeks_ago=1)
    client.force_login(pm)

    def target_and_point():
        drawn = chart(client.get(URL, {"weeks": "12"}), "csat").chart
        last = drawn.lines[0].segments[0].split()[-1].split(",")[1]
        return drawn.references[0].y, last

    target, point = target_and_point()
    assert target != point  # the default target is 0.8, the night 0.9
    StudioSettings.objects.filter(pk=1).update(csat_target=D("0.9"))
    target, point = target_and_point()
    assert target == point


def test_roi_and_margin_by_brand_a_group_at_a_time(client, pm):
    brands = [f.BrandFactory(name=f"Brand {n:02d}") for n in range(GROUP_SIZE + 2)]
    for n, brand in enumerate(brands):
        snap(f"brand:{brand.pk}", "roi", f"0.{n + 1:02d}")
        snap(f"brand:{brand.pk}", "margin", "0.2")
    client.force_login(pm)

    first = chart(client.get(URL), "roi")
    assert first.columns == [brand.name for brand in brands[:GROUP_SIZE]]
    assert len(first.chart.lines) == GROUP_SIZE
    second = client.get(URL, {"brands": "2"})
    assert chart(second, "roi").columns == ["Brand 08", "Brand 09"]
    assert [figure.value for figure in chart(second, "roi").rows[-1].figures] == [D("0.09"), D("0.10")]
    assert sections(second)["brands"].group_page.number == 2
    # A page past the end shows the last; a word, the first.
    assert chart(client.get(URL, {"brands": "99"}), "roi").columns == ["Brand 08", "Brand 09"]
    assert chart(client.get(URL, {"brands": "abc"}), "roi").columns[0] == "Brand 00"
    rows = read_csv(client.get(csv_url("roi"), {"brands": "2", "weeks": "12"}))
    assert rows[0] == ["Night", "Brand 08 (ratio)", "Brand 09 (ratio)"]
    assert len(rows) == 1 + 12
    assert rows[-1] == [NIGHT.isoformat(), "0.0900", "0.1000"]


def test_productivity_and_utilization_by_discipline(client, executive):
    design, motion = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Motion")
    snap(f"discipline:{design.pk}", "productivity", "4.5")
    snap(f"discipline:{motion.pk}", "logged_utilization", "0.8125")
    snap(f"talent:{f.TalentFactory(discipline=design).pk}", "productivity", "99")  # a person's: not on this page
    client.force_login(executive)

    response = client.get(URL, {"weeks": "12"})

    productivity = chart(response, "productivity")
    assert productivity.columns == ["Design", "Motion"]
    assert [figure.value for figure in productivity.rows[-1].figures] == [D("4.5"), None]
    assert [figure.value for figure in chart(response, "logged_utilization").rows[-1].figures] == [None, D("0.8125")]
    assert "81.2 %" in response.content.decode() or "81.3 %" in response.content.decode()
    rows = read_csv(client.get(csv_url("productivity"), {"weeks": "12"}))
    assert rows[0] == ["Night", "Design (units per 100 hours)", "Motion (units per 100 hours)"]
    assert rows[-1] == [NIGHT.isoformat(), "4.5000", ""]


def test_a_name_a_spreadsheet_would_run_is_quoted(client, pm):
    brand = f.BrandFactory(name="=HYPERLINK(\"http://x\")")
    snap(f"brand:{brand.pk}", "roi", "0.1")
    client.force_login(pm)
    rows = read_csv(client.get(csv_url("roi")))
    assert rows[0][1].startswith("'=")


def test_before_the_first_night_the_page_says_how_to_compute_one(client, pm):
    client.force_login(pm)
    response = client.get(URL)
    assert response.status_code == 200 and "trends" not in response.context
    assert client.get(csv_url("csat")).status_code == 404


# --- the question ---------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {"weeks": "abc"}, {"weeks": "-1"}, {"weeks": "100000"}, {"weeks": "7" * 5000}, {"weeks": "12\x00"},
    {"brands": "\x00"}, {"disciplines": "9" * 5000}, {"brands": "-3"},
])
def test_bad_parameters_never_fail(client, pm, params):
    snap("studio", "csat", "0.8")
    client.force_login(pm)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(response.context["trends"].nights) == 26  # the default: half a year
    assert client.get(csv_url("csat"), params).status_code == 200


def test_weeks_that_are_not_a_choice_are_told_next_to_the_field(client, pm):
    snap("studio", "csat", "0.8")
    client.force_login(pm)
    response = client.get(URL, {"weeks": "40"})
    assert response.context["form"].errors["weeks"]
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("brands, weeks", [(1, 12), (GROUP_SIZE * 3, 52)])
def test_the_page_runs_a_fixed_number_of_queries(client, pm, brands, weeks, django_assert_num_queries):
    for _n in range(brands):
        brand = f.BrandFactory()
        for week in range(weeks):
            snap(f"brand:{brand.pk}", "roi", "0.1", weeks_ago=week)
    for name in ("Design", "Motion"):
        f.DisciplineFactory(name=name)
    client.force_login(pm)
    client.get(URL)  # warm the session and settings caches
    # Session and user, the night, the brands (count, page), the disciplines (count, page),
    # the snapshots, the settings for the thresholds and for the page's currency.
    with django_assert_num_queries(10):
        response = client.get(URL, {"weeks": str(weeks)})
    assert response.status_code == 200
