"""The metrics API, read-only: the nightly snapshots and the catalogue, as each role may
read them (DESIGN §1). The studio's roles read every metric, per discipline and person
with `metric.people`; money with `project.see_costs`; a brand manager their own brands'
and their projects' schedule health and satisfaction; creatives, freelancers and anyone
signed out, nothing. Bad parameters are 400s with field errors, never 500s."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from metrics.catalogue import METRICS
from metrics.models import MetricSnapshot, readable_catalogue
from studio.permissions import Scope, can
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("studio_today"),
]

SNAPSHOTS = "/api/metric-snapshots/"
CATALOGUE = "/api/metrics/catalogue/"
# Wed 25 November 2026: the nights are Mon 23 and Tue 24 November.
TODAY = f.TODAY
NIGHT = TODAY - dt.timedelta(days=1)  # Tue 24 November
EARLIER = TODAY - dt.timedelta(days=2)  # Mon 23 November
# Two ids far past any the sequences reach in a test: a brand of the brand manager and a
# project of another brand with the same number, so only the key's kind tells them apart.
TWIN_ID = 900_001


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(brand, other_brand, creative):
    """Brand A's project (the creative is booked on it) and brand B's, a discipline and a
    person, and one night's snapshots of each kind, money among them, by name."""
    own = f.ProjectFactory(brand=brand, code="A-OWN")
    other = f.ProjectFactory(brand=other_brand, code="B-OTHER")
    f.BookingFactory(talent=creative.talent, project=own)
    discipline, talent = f.DisciplineFactory(), f.TalentFactory()

    def snap(scope_key, metric, value=D("1.000000"), **kwargs):
        return f.MetricSnapshotFactory(date=NIGHT, scope_key=scope_key, metric=metric, value=value, **kwargs)

    rows = {
        "studio sv_t": snap("studio", "sv_t", D("-0.500000")),
        "studio share_ahead": snap("studio", "share_ahead", D("0.250000")),
        "studio cost": snap("studio", "cost", D("98765.430000")),
        "studio productivity": snap("studio", "productivity", D("3.125000")),
        "studio csat": snap("studio", "csat", D("0.800000")),
        "own spi": snap(f"project:{own.pk}", "spi", D("0.912500")),
        "own forecast_finish": snap(f"project:{own.pk}", "forecast_finish", None, value_date=TODAY),
        "own roi": snap(f"project:{own.pk}", "roi", D("0.333333")),
        "own csat": snap(f"project:{own.pk}", "csat", D("0.750000")),
        "other spi": snap(f"project:{other.pk}", "spi", D("1.100000")),
        "other csat": snap(f"project:{other.pk}", "csat", D("0.500000")),
        "brand csat": snap(f"brand:{brand.pk}", "csat", D("0.750000")),
        "brand revenue_earned": snap(f"brand:{brand.pk}", "revenue_earned", D("12345.670000")),
        "other brand csat": snap(f"brand:{other_brand.pk}", "csat", D("0.500000")),
        "discipline productivity": snap(f"discipline:{discipline.pk}", "productivity", D("2.500000")),
        "talent logged_utilization": snap(f"talent:{talent.pk}", "logged_utilization", D("0.875000")),
    }
    # A metric no longer in the catalogue: no unit, no formula, shown to nobody.
    snap(f"project:{own.pk}", "retired_metric")
    return {"own": own, "other": other, "discipline": discipline, "talent": talent, "rows": rows}


EVERY = {
    "studio sv_t", "studio share_ahead", "studio cost", "studio productivity", "studio csat", "own spi",
    "own forecast_finish", "own roi", "own csat", "other spi", "other csat", "brand csat", "brand revenue_earned",
    "other brand csat", "discipline productivity", "talent logged_utilization",
}
PEOPLE = {"discipline productivity", "talent logged_utilization"}
# Brand A's manager: the schedule health and satisfaction of brand A and its project.
BRAND_A = {"own spi", "own forecast_finish", "own csat", "brand csat"}
BRAND_B = {"other spi", "other csat", "other brand csat"}
# Who reads which of the night's rows.
READS = {
    "pm": EVERY,
    "executive": EVERY,
    "admin_user": EVERY - PEOPLE,
    "brand_manager": BRAND_A,
    "outsider": BRAND_B,
    "creative": set(),
    "freelancer": set(),
}


def test_the_matrix_covers_the_permission_table():
    # Who the table lets read the studio's metrics, people's, money, and a brand's.
    assert set(role_fixtures("metric.view", Scope.ALL)) == {"pm", "executive", "admin_user"}
    assert set(role_fixtures("metric.people")) == {"pm", "executive"}
    assert set(role_fixtures("project.see_costs")) == {"pm", "executive", "admin_user"}
    assert set(role_fixtures("metric.view", Scope.BRAND)) == {"brand_manager"}
    assert set(READS) >= set(role_fixtures("metric.view")) | {"creative", "freelancer", "outsider"}


def names(world, results) -> set[str]:
    by_key = {(row.scope_key, row.metric): name for name, row in world["rows"].items()}
    return {by_key[(row["scope_key"], row["metric"])] for row in results}


@pytest.mark.parametrize("who", list(READS))
def test_each_role_reads_exactly_its_rows(world, who, request):
    response = api(request.getfixturevalue(who)).get(SNAPSHOTS)

    assert response.status_code == 200
    assert names(world, response.json()["results"]) == READS[who]
    assert response.json()["count"] == len(READS[who])


@pytest.mark.parametrize("who", list(READS))
def test_visible_to_is_the_same_matrix(world, who, request):
    rows = MetricSnapshot.objects.visible_to(request.getfixturevalue(who))

    assert {name for name, row in world["rows"].items() if row in rows} == READS[who]


def test_signed_out_inactive_and_anonymous_read_nothing(world):
    inactive = f.UserFactory(role="pm", is_active=False)

    assert api().get(SNAPSHOTS).status_code == 401
    assert api().get(CATALOGUE).status_code == 401
    for nobody in (inactive, AnonymousUser()):
        assert not MetricSnapshot.objects.visible_to(nobody).exists()
        assert readable_catalogue(nobody) == []


def test_money_never_reaches_a_brand_manager_in_any_field(world, brand_manager, brand):
    own = world["own"]
    client = api(brand_manager)

    for query in ({}, {"metric": "roi"}, {"metric": "revenue_earned"}, {"scope": f"brand:{brand.pk}"},
                  {"scope": f"project:{own.pk}", "metric": "roi"}, {"scope": "studio"}):
        response = client.get(SNAPSHOTS, query)
        body = response.content.decode()
        assert response.status_code == 200, query
        # Neither the money rows' keys nor their values (12345.67, 0.333333, 98765.43).
        for money in ("roi", "revenue_earned", "cost", "12345.67", "0.333333", "98765.43"):
            assert money not in body, (query, money)
    catalogue = client.get(CATALOGUE).json()
    assert not [metric["key"] for metric in catalogue if metric["costs"]]
    assert {metric["family"] for metric in catalogue} == {"schedule", "satisfaction"}


def test_another_brands_rows_never_appear_even_asked_by_key(world, brand_manager, other_brand):
    client = api(brand_manager)

    for scope in (f"project:{world['other'].pk}", f"brand:{other_brand.pk}", "studio",
                  f"discipline:{world['discipline'].pk}", f"talent:{world['talent'].pk}"):
        response = client.get(SNAPSHOTS, {"scope": scope})
        assert response.status_code == 200
        assert response.json()["results"] == [], scope


def test_a_project_numbered_like_the_managers_brand_stays_hidden(world, other_brand):
    manager = f.UserFactory(role="brand_manager")
    f.BrandFactory(pk=TWIN_ID).managers.add(manager)
    f.ProjectFactory(pk=TWIN_ID, brand=other_brand)
    f.MetricSnapshotFactory(date=NIGHT, scope_key=f"brand:{TWIN_ID}", metric="csat")
    f.MetricSnapshotFactory(date=NIGHT, scope_key=f"project:{TWIN_ID}", metric="csat")

    results = api(manager).get(SNAPSHOTS).json()["results"]

    assert [row["scope_key"] for row in results] == [f"brand:{TWIN_ID}"]


def test_a_new_project_of_the_brand_is_read_at_once(world, brand, brand_manager):
    project = f.ProjectFactory(brand=brand)
    f.MetricSnapshotFactory(date=NIGHT, scope_key=f"project:{project.pk}", metric="sv_t", value=D("2.000000"))

    results = api(brand_manager).get(SNAPSHOTS, {"scope": f"project:{project.pk}"}).json()["results"]

    assert [(row["metric"], row["value"]) for row in results] == [("sv_t", "2.000000")]


def test_can_on_one_snapshot_follows_the_same_rule(world, brand_manager, outsider):
    rows = world["rows"]

    assert can(brand_manager, "metric.view", rows["own spi"])
    assert not can(brand_manager, "metric.view", rows["own roi"])
    assert not can(brand_manager, "metric.view", rows["other spi"])
    assert can(outsider, "metric.view", rows["other spi"])


# --- each row, its order and the filters ------------------------------------------------------


def test_a_row_carries_its_value_or_its_date_and_its_unit(world, brand_manager):
    own = world["own"]

    results = api(brand_manager).get(SNAPSHOTS, {"scope": f"project:{own.pk}"}).json()["results"]

    # In order of metric: csat, forecast_finish, spi (roi is money: not here).
    assert results == [
        {"date": "2026-11-24", "scope_key": f"project:{own.pk}", "metric": "csat", "value": "0.750000",
         "value_date": None, "unit": "ratio"},
        {"date": "2026-11-24", "scope_key": f"project:{own.pk}", "metric": "forecast_finish", "value": None,
         "value_date": "2026-11-25", "unit": "date"},
        {"date": "2026-11-24", "scope_key": f"project:{own.pk}", "metric": "spi", "value": "0.912500",
         "value_date": None, "unit": "ratio"},
    ]


def test_money_is_shown_in_cents_rounded_half_up_other_units_as_stored(pm):
    f.MetricSnapshotFactory(date=NIGHT, scope_key="studio", metric="cost", value=D("1234.565000"))
    f.MetricSnapshotFactory(date=NIGHT, scope_key="studio", metric="roi", value=D("0.125005"))
    f.MetricSnapshotFactory(date=NIGHT, scope_key="project:7", metric="cv", value=D("-10.004999"))
    f.MetricSnapshotFactory(date=NIGHT, scope_key="project:7", metric="pv", value=D("0.000000"))

    results = api(pm).get(SNAPSHOTS).json()["results"]

    # 1234.565 → 1234.57 (half-up, not to even); −10.004999 → −10.00; a ratio and hours keep six places.
    assert [(row["metric"], row["value"], row["unit"]) for row in results] == [
        ("cv", "-10.00", "money"),
        ("pv", "0.000000", "hours"),
        ("cost", "1234.57", "money"),
        ("roi", "0.125005", "ratio"),
    ]


def test_rows_are_ordered_by_date_then_scope_then_metric(pm):
    for day in (NIGHT, EARLIER):
        for scope_key in ("studio", "project:7", "brand:3"):
            for metric in ("sv_t", "csat"):
                if (scope_key, metric) != ("brand:3", "sv_t"):  # sv_t has no brand scope
                    f.MetricSnapshotFactory(date=day, scope_key=scope_key, metric=metric)

    results = api(pm).get(SNAPSHOTS).json()["results"]

    # Mon 23 first; within a night "brand:3" < "project:7" < "studio"; "csat" < "sv_t".
    night = [("brand:3", "csat"), ("project:7", "csat"), ("project:7", "sv_t"), ("studio", "csat"), ("studio", "sv_t")]
    assert [(row["date"], row["scope_key"], row["metric"]) for row in results] == [
        *(("2026-11-23", *key) for key in night), *(("2026-11-24", *key) for key in night)
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"scope": "studio"}, {"studio sv_t", "studio share_ahead", "studio cost", "studio productivity",
                               "studio csat"}),
        ({"scope_kind": "brand"}, {"brand csat", "brand revenue_earned", "other brand csat"}),
        ({"scope_kind": "discipline"}, {"discipline productivity"}),
        ({"scope_kind": "studio"}, {"studio sv_t", "studio share_ahead", "studio cost", "studio productivity",
                                    "studio csat"}),
        ({"metric": "csat"}, {"studio csat", "own csat", "other csat", "brand csat", "other brand csat"}),
        ({"metric": "csat", "scope_kind": "project"}, {"own csat", "other csat"}),
        ({"metric": "productivity", "scope": "studio"}, {"studio productivity"}),
    ],
)
def test_filters_by_scope_kind_and_metric(world, pm, query, expected):
    response = api(pm).get(SNAPSHOTS, query)

    assert response.status_code == 200
    assert names(world, response.json()["results"]) == expected


def test_a_scope_filter_names_the_project(world, pm):
    own = world["own"]

    results = api(pm).get(SNAPSHOTS, {"scope": f"project:{own.pk}"}).json()["results"]

    assert names(world, results) == {"own spi", "own forecast_finish", "own roi", "own csat"}


def test_dates_filter_both_ends_included(pm):
    # One studio csat a night, Fri 20 to Tue 24 November.
    for back in range(1, 6):
        f.MetricSnapshotFactory(date=TODAY - dt.timedelta(days=back), scope_key="studio", metric="csat")
    client = api(pm)

    def dates(query):
        return [row["date"] for row in client.get(SNAPSHOTS, query).json()["results"]]

    assert dates({"date_from": "2026-11-21", "date_to": "2026-11-23"}) == ["2026-11-21", "2026-11-22", "2026-11-23"]
    assert dates({"date_from": "2026-11-24"}) == ["2026-11-24"]
    assert dates({"date_to": "2026-11-20"}) == ["2026-11-20"]
    assert dates({"date_from": "2026-11-22", "date_to": "2026-11-22"}) == ["2026-11-22"]


def test_a_range_of_exactly_a_thousand_days_is_allowed(pm):
    # 1 Jan 2024 + 999 days = 26 Sep 2026: 1,000 days counted in.
    response = api(pm).get(SNAPSHOTS, {"date_from": "2024-01-01", "date_to": "2026-09-26"})

    assert response.status_code == 200


# --- bad input: 400 with field errors, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        ({"metric": "happiness"}, "metric"),
        ({"metric": "SPI"}, "metric"),
        ({"scope_kind": "planet"}, "scope_kind"),
        ({"scope": "project"}, "scope"),
        ({"scope": "project:abc"}, "scope"),
        ({"scope": "project:-1"}, "scope"),
        ({"scope": "client:4"}, "scope"),
        ({"scope": "studio:1"}, "scope"),
        ({"date_from": "25/11/2026"}, "date_from"),
        ({"date_from": "2026-02-30"}, "date_from"),
        # The backwards range is refused on its end.
        ({"date_from": "2026-11-24", "date_to": "2026-11-23"}, "date_to"),
        # 1 Jan 2024 + 1,000 days = 27 Sep 2026: 1,001 days counted in.
        ({"date_from": "2024-01-01", "date_to": "2026-09-27"}, "date_to"),
        # The studio's calendar: 1 Jan 2000 to 31 Dec 2099.
        ({"date_from": "1999-12-31"}, "date_from"),
        ({"date_to": "2100-01-01"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
    ],
)
def test_bad_parameters_are_field_errors(world, pm, query, field):
    response = api(pm).get(SNAPSHOTS, query)

    assert response.status_code == 400
    assert field in response.json()


def test_the_calendars_ends_are_allowed(pm):
    response = api(pm).get(SNAPSHOTS, {"date_from": "2000-01-01", "date_to": "2000-12-31"})
    assert response.status_code == 200
    response = api(pm).get(SNAPSHOTS, {"date_from": "2099-01-01", "date_to": "2099-12-31"})
    assert response.status_code == 200


GARBAGE = ["x" * 100_000, "a\x00b", "\x00", "project:1\x00", "2026-11-24\x00", "-1", "1e309", "[]", "{}"]


@pytest.mark.parametrize("field", ["scope", "scope_kind", "metric", "date_from", "date_to"])
def test_no_garbage_is_a_500(world, pm, field):
    client = api(pm)

    for value in GARBAGE:
        response = client.get(SNAPSHOTS, {field: value})
        assert response.status_code == 400, (field, value[:20])
        assert field in response.json(), (field, value[:20])


@pytest.mark.parametrize(
    "field, values",
    [("metric", ["spi", "csat"]), ("scope", ["studio", "studio"]), ("scope_kind", ["project", "brand"]),
     ("date_from", ["2026-11-01", "2026-11-02"]), ("date_to", ["2026-11-01", "2026-11-02"])],
)
def test_a_parameter_given_twice_is_a_field_error(world, pm, field, values):
    response = api(pm).get(SNAPSHOTS, {field: values})

    assert response.status_code == 400
    assert field in response.json()


def test_bad_parameters_are_refused_whoever_asks(world, creative):
    # The question is checked before the (empty) answer: the same 400 for everyone.
    response = api(creative).get(SNAPSHOTS, {"metric": "happiness"})

    assert response.status_code == 400
    assert "metric" in response.json()


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm", "brand_manager"])
@pytest.mark.parametrize("nights", [1, 40])
def test_the_list_runs_a_fixed_number_of_queries(world, who, nights, request, brand, django_assert_num_queries):
    client = api(request.getfixturevalue(who))
    project = f.ProjectFactory(brand=brand)
    for back in range(2, 2 + nights):
        day = TODAY - dt.timedelta(days=back)
        for metric in ("spi", "csat", "forecast_finish"):
            f.MetricSnapshotFactory(date=day, scope_key=f"project:{project.pk}", metric=metric)

    # The session, its user, the count and the page: whatever the rows.
    with django_assert_num_queries(4):
        response = client.get(SNAPSHOTS, {"scope_kind": "project"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(50, response.json()["count"])


# --- the catalogue ----------------------------------------------------------------------------


def catalogue_of(user) -> dict[str, dict]:
    response = api(user).get(CATALOGUE)
    assert response.status_code == 200
    return {metric["key"]: metric for metric in response.json()}


def test_the_studio_reads_the_whole_catalogue_in_its_order(pm, executive):
    for user in (pm, executive):
        response = api(user).get(CATALOGUE).json()
        # 13 schedule + 11 money + 6 productivity + 5 satisfaction = 35.
        assert len(response) == 35
        assert [metric["key"] for metric in response] == [metric.key for metric in METRICS]
    spi = catalogue_of(pm)["spi"]
    assert spi == {
        "key": "spi", "label": "Schedule performance index", "family": "schedule", "scopes": ["project"],
        "unit": "ratio", "formula": "EV / PV; undefined while PV is 0.", "higher_is_better": True, "costs": False,
    }
    assert catalogue_of(pm)["productivity"]["scopes"] == ["studio", "discipline", "talent"]
    assert catalogue_of(pm)["roi"]["costs"] is True


def test_the_admin_reads_people_metrics_for_the_studio_only(admin_user):
    catalogue = catalogue_of(admin_user)

    assert len(catalogue) == 35
    assert catalogue["productivity"]["scopes"] == ["studio"]
    assert catalogue["logged_utilization"]["scopes"] == ["studio"]
    assert catalogue["roi"]["scopes"] == ["project", "brand", "studio"]


def test_a_brand_manager_reads_schedule_health_and_satisfaction_of_projects_and_brands(brand_manager):
    catalogue = catalogue_of(brand_manager)

    # The schedule family but its three studio-only shares (13 − 3 = 10), and the five of
    # satisfaction: 15; no money, no productivity.
    assert list(catalogue) == [
        "pv", "ev", "bac", "sv", "spi", "es", "at", "sv_t", "spi_t", "forecast_finish",
        "responses", "csat", "average_rating", "first_pass_rate", "mean_revision_rounds",
    ]
    assert catalogue["sv_t"]["scopes"] == ["project"]
    assert catalogue["csat"]["scopes"] == ["project", "brand"]
    assert not any(metric["costs"] for metric in catalogue.values())


@pytest.mark.parametrize("who", ["creative", "freelancer"])
def test_creatives_and_freelancers_read_an_empty_catalogue(who, request):
    assert catalogue_of(request.getfixturevalue(who)) == {}


def test_the_catalogue_is_two_queries_the_session_and_its_user(pm, django_assert_num_queries):
    client = api(pm)

    with django_assert_num_queries(2):
        assert client.get(CATALOGUE).status_code == 200
