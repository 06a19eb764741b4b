"""The portfolio API (`/api/metrics/portfolio/`): the portfolio page's rows as JSON, as each
role may read them (DESIGN §1): the studio's roles every project with its budget; a brand
manager their own brands' projects, schedule and satisfaction only, never money in any
field; creatives and freelancers 403; anyone signed out nothing. The statuses follow the
studio settings; filters and sort as the page's, but a bad question is a 400 with field
errors, never a 500; the queries do not grow with the projects.

The studio's today is Wed 25 Nov 2026; "the night" is Tue 24 Nov."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from metrics.portfolio import AMBER, GREEN, GREY, RED
from studio.permissions import Scope
from tests import factories as f
from tests.conftest import STUDIO_ROLES, role_fixtures
from tests.metrics.test_portfolio import NIGHT, settings_set, snap

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("studio_today"),
]

URL = "/api/metrics/portfolio/"
PAGE = "/metrics/"
# Money figures no other figure, name or date of these tests spells, in each form they could take.
EAC, BAC, COST, CPI, MARGIN = "8123.45", "10987.65", "3456.78", "1.234567", "0.612345"
MONEY_TEXT = (EAC, BAC, COST, "8,123.45", "10,987.65", "3,456.78", CPI, MARGIN, "61.2")
MONEY_KEYS = {"budget", "cpi", "eac", "bac_money", "cost", "margin_at_completion"}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def figures(project, day=NIGHT):
    """Ahead, within budget (EAC 8,123.45 × 0.9 < BAC 10,987.65), a happy client: all green."""
    snap(
        project,
        day,
        sv_t="2",
        spi_t="1.1",
        forecast_finish=project.due_date - dt.timedelta(days=3),
        cpi=CPI,
        eac=EAC,
        bac_money=BAC,
        cost=COST,
        margin_at_completion=MARGIN,
        csat="0.9",
        responses="10",
    )


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(response) -> list[str]:
    return [row["code"] for row in results(response)]


def keys_in(value) -> set[str]:
    """Every key anywhere in a JSON answer."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


@pytest.fixture
def two_brands(brand, other_brand, creative):
    """A project of the brand manager's brand (the creative is booked on it), one of another
    brand and an internal one, each with the night's figures."""
    own = f.ProjectFactory(brand=brand, code="OWN-1")
    other = f.ProjectFactory(brand=other_brand, code="OTHER-1")
    internal = f.ProjectFactory(brand=None, is_internal=True, code="INT-1")
    f.BookingFactory(talent=creative.talent, project=own)
    for project in (own, other, internal):
        figures(project)
    return {"own": own, "other": other, "internal": internal}


# --- who reads what -------------------------------------------------------------------------------

EVERY = {"OWN-1", "OTHER-1", "INT-1"}
READS = {
    "pm": EVERY,
    "executive": EVERY,
    "admin_user": EVERY,
    "brand_manager": {"OWN-1"},
    "outsider": {"OTHER-1"},
}
FORBIDDEN = ("creative", "freelancer")


def test_the_matrix_covers_the_permission_table():
    assert set(role_fixtures("metric.view")) == set(READS) - {"outsider"}
    assert set(role_fixtures("metric.view", Scope.BRAND)) == {"brand_manager"}
    assert set(role_fixtures("project.see_costs")) == set(STUDIO_ROLES)
    assert not set(FORBIDDEN) & set(role_fixtures("metric.view"))


@pytest.mark.parametrize("who", list(READS))
def test_each_role_reads_exactly_its_projects(request, two_brands, who):
    response = api(request.getfixturevalue(who)).get(URL)

    assert set(codes(response)) == READS[who]
    assert response.json()["count"] == len(READS[who])
    sees_costs = who in STUDIO_ROLES
    assert all(("budget" in row) is sees_costs for row in results(response))


@pytest.mark.parametrize("who", FORBIDDEN)
def test_creatives_and_freelancers_are_refused(request, two_brands, who):
    """The metrics are not theirs, not even of the project the creative is booked on: a
    forbidden action, 403, before any parameter is read."""
    client = api(request.getfixturevalue(who))

    for query in ({}, {"sort": "garbage"}, {"brand": two_brands["own"].brand_id}):
        response = client.get(URL, query)
        assert response.status_code == 403, query
        assert b"OWN-1" not in response.content


def test_anonymous_and_inactive_callers_read_nothing(two_brands):
    inactive = f.UserFactory(role="pm", is_active=False)

    for client in (api(), api(inactive)):
        response = client.get(URL)
        assert response.status_code == 401
        assert b"OWN-1" not in response.content and b"results" not in response.content


def test_a_bad_token_reads_nothing(two_brands):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.get(URL)

    assert response.status_code == 401
    assert b"OWN-1" not in response.content


@pytest.mark.parametrize("who", ["brand_manager", "outsider"])
def test_money_never_reaches_a_brand_manager(request, two_brands, who):
    client = api(request.getfixturevalue(who))

    for query in ({}, {"status": ""}, {"sort": "-csat"}, {"sort": "schedule"}, {"q": "1"}):
        response = client.get(URL, query)
        assert response.status_code == 200, query
        assert len(response.json()["results"]) == 1
        assert not keys_in(response.json()) & MONEY_KEYS, query
        for money in MONEY_TEXT:
            assert money.encode() not in response.content, (query, money)


def test_the_studio_reads_the_money_in_cents(pm, two_brands):
    # The same figures reach the studio's roles: the check above would catch them.
    body = api(pm).get(URL, {"q": "OWN"}).content.decode()

    for money in (EAC, BAC, COST, CPI, MARGIN):
        assert money in body


@pytest.mark.parametrize("who", ["brand_manager", "outsider"])
def test_a_brand_manager_may_not_sort_by_money(request, two_brands, who):
    """Sorting by a figure one may not see would tell its order: refused, not ignored."""
    client = api(request.getfixturevalue(who))

    for sort in ("budget", "-cpi", "eac", "bac", "-margin"):
        response = client.get(URL, {"sort": sort})
        assert response.status_code == 400, sort
        assert list(response.json()) == ["sort"]
        for money in MONEY_TEXT:
            assert money.encode() not in response.content


def test_another_brand_asked_for_is_the_same_refusal_as_none(brand_manager, two_brands):
    client = api(brand_manager)

    other = client.get(URL, {"brand": two_brands["other"].brand_id})
    missing = client.get(URL, {"brand": 999_999})

    assert other.status_code == missing.status_code == 400
    assert other.json() == missing.json() and list(other.json()) == ["brand"]
    assert b"OTHER-1" not in other.content


# --- each row -------------------------------------------------------------------------------------


def test_a_row_with_its_figures_and_statuses(pm, brand):
    project = f.ProjectFactory(brand=brand, code="ROW-1", name="Spring launch", due_date=dt.date(2026, 12, 18))
    snap(
        project,
        sv_t="-1.5",
        spi_t="0.857143",
        forecast_finish=dt.date(2026, 12, 21),
        cpi="1.25",
        eac="8000",
        bac_money="10000",
        cost="1234.565",
        margin_at_completion="0.6",
        csat="0.75",
        responses="4",
    )

    (row,) = results(api(pm).get(URL))

    assert row == {
        "id": project.pk,
        "code": "ROW-1",
        "name": "Spring launch",
        "brand": {"id": brand.pk, "name": brand.name},
        "pm": {"id": project.pm.pk, "name": project.pm.get_full_name()},
        "status": "active",
        "due_date": "2026-12-18",
        "night": "2026-11-24",
        "schedule": {
            "sv_t": "-1.500000",
            "spi_t": "0.857143",
            "forecast_finish": "2026-12-21",
            # −1.5 < −1 (schedule_behind_days): red, though the late finish alone would be amber.
            "status": RED,
            "reason": "SV(t) -1.5 working days: behind by more than the studio's limit of 1.0.",
        },
        "satisfaction": {
            "csat": "0.750000",
            "responses": "4.000000",
            # 0.75 < 0.80, not below 0.70.
            "status": AMBER,
            "reason": "CSAT 75 % of 4 answers: below the target of 80 %.",
        },
        "budget": {
            "cpi": "1.250000",
            "eac": "8000.00",
            "bac_money": "10000.00",
            # 1,234.565 to cents half-up: 1,234.57 (half-to-even would give 1,234.56).
            "cost": "1234.57",
            "margin_at_completion": "0.600000",
            # Spent 1,234.57 < 0.9 × 10,000; EAC 8,000 × 0.9 = 7,200 ≤ 10,000; margin ≥ 0.
            "status": GREEN,
            "reason": "Forecast at completion EUR 8,000.00: within the budget of EUR 10,000.00.",
        },
    }


def test_an_internal_project_has_no_brand(pm, two_brands):
    (row,) = results(api(pm).get(URL, {"q": "INT-1"}))

    assert row["brand"] is None and row["code"] == "INT-1"


def test_a_project_without_figures_on_the_night_is_grey(pm):
    f.MetricSnapshotFactory(date=NIGHT)  # a night exists, nothing of this project
    f.ProjectFactory(code="NEW-1")

    (row,) = results(api(pm).get(URL))

    assert row["night"] == "2026-11-24"
    assert row["schedule"] == {
        "sv_t": None,
        "spi_t": None,
        "forecast_finish": None,
        "status": GREY,
        "reason": "No SV(t) on this night: the project has not started or has no planned hours.",
    }
    assert row["satisfaction"]["status"] == row["budget"]["status"] == GREY
    assert row["budget"]["eac"] is None and row["satisfaction"]["csat"] is None


@pytest.mark.parametrize("who", ["pm", "brand_manager"])
def test_before_any_night_the_projects_are_listed_grey(request, brand, who):
    project = f.ProjectFactory(brand=brand, code="EARLY-1")
    snap(project, day=f.TODAY + dt.timedelta(days=1), csat="0.1", sv_t="-9")  # after today: not a night yet

    (row,) = results(api(request.getfixturevalue(who)).get(URL))

    assert row["code"] == "EARLY-1" and row["night"] is None
    assert (row["schedule"]["status"], row["satisfaction"]["status"]) == (GREY, GREY)
    assert row["schedule"]["sv_t"] is None and row["satisfaction"]["csat"] is None
    assert ("budget" in row) is (who == "pm")


def test_the_latest_night_up_to_today(pm):
    project = f.ProjectFactory()
    snap(project, day=NIGHT - dt.timedelta(days=1), csat="0.5")
    snap(project, csat="0.9")
    snap(project, day=f.TODAY + dt.timedelta(days=1), csat="0.1")

    (row,) = results(api(pm).get(URL))

    assert (row["night"], row["satisfaction"]["csat"]) == ("2026-11-24", "0.900000")


@pytest.mark.parametrize("who", ["pm", "brand_manager"])
def test_the_api_answers_the_pages_rows(client, request, two_brands, who):
    user = request.getfixturevalue(who)
    snap(f.ProjectFactory(brand=two_brands["own"].brand, code="OWN-2"), sv_t="-4", csat="0.5", responses="2")
    client.force_login(user)

    for query in ({}, {"sort": "-schedule"}, {"sort": "csat"}, {"status": ""}):
        page = [
            (row.project.code, row.schedule.status, row.satisfaction.status, row.budget and row.budget.status)
            for row in client.get(PAGE, query).context["page_obj"]
        ]
        answer = [
            (row["code"], row["schedule"]["status"], row["satisfaction"]["status"], row.get("budget", {}).get("status"))
            for row in results(api(user).get(URL, query))
        ]
        assert answer == page, query


# --- the studio's thresholds ----------------------------------------------------------------------


def statuses(user) -> tuple[str, str, str]:
    (row,) = results(api(user).get(URL))
    return row["schedule"]["status"], row["budget"]["status"], row["satisfaction"]["status"]


def test_the_statuses_follow_the_studio_settings(pm):
    project = f.ProjectFactory()
    snap(project, sv_t="-1.5", bac_money="10000", cost="8500", eac="9500", csat="0.75", responses="4")

    # −1.5 < −1; 8,500 ≤ 0.9 × 10,000 and 9,500 ≤ 10,000; 0.75 < 0.80, not below 0.70.
    assert statuses(pm) == (RED, GREEN, AMBER)
    settings_set(schedule_behind_days=D("2"), budget_warning_ratio=D("0.8"), csat_target=D("0.7"))
    # −1.5 is not below −2, but below 0; 8,500 > 0.8 × 10,000 = 8,000; 0.75 ≥ 0.70.
    assert statuses(pm) == (AMBER, AMBER, GREEN)
    settings_set(csat_target=D("0.9"))
    # 0.75 < 0.90 − 0.10 = 0.80.
    assert statuses(pm)[2] == RED


def test_the_reasons_name_the_studio_currency(pm):
    settings_set(currency="GBP")
    figures(f.ProjectFactory())

    (row,) = results(api(pm).get(URL))

    assert row["budget"]["reason"] == "Forecast at completion GBP 8,123.45: within the budget of GBP 10,987.65."


# --- filters --------------------------------------------------------------------------------------


def test_active_projects_by_default_any_status_on_request(pm):
    figures(f.ProjectFactory(code="ACT-1"))
    figures(f.ProjectFactory(code="DONE-1", status="delivered"))
    client = api(pm)

    assert codes(client.get(URL)) == ["ACT-1"]
    assert codes(client.get(URL, {"status": "delivered"})) == ["DONE-1"]
    assert codes(client.get(URL, {"status": ""})) == ["ACT-1", "DONE-1"]


def test_filters_by_brand_pm_and_words(pm, brand, other_brand):
    f.MetricSnapshotFactory(date=NIGHT)
    other_pm = f.UserFactory(role="pm")
    f.ProjectFactory(code="A-1", name="Winter sale", brand=brand, pm=pm)
    f.ProjectFactory(code="A-2", name="Spring launch", brand=brand, pm=other_pm)
    f.ProjectFactory(code="B-1", name="Summer film", brand=other_brand, pm=pm)
    client = api(pm)

    assert codes(client.get(URL, {"brand": brand.pk})) == ["A-1", "A-2"]
    assert codes(client.get(URL, {"pm": pm.pk})) == ["A-1", "B-1"]
    assert codes(client.get(URL, {"brand": brand.pk, "pm": pm.pk})) == ["A-1"]
    assert codes(client.get(URL, {"q": "spring"})) == ["A-2"]
    assert codes(client.get(URL, {"q": "b-"})) == ["B-1"]
    assert codes(client.get(URL, {"q": "nothing like it"})) == []


# --- sort and pages -------------------------------------------------------------------------------


@pytest.fixture
def sortable():
    f.MetricSnapshotFactory(date=NIGHT)  # a night exists
    low, high, _none = (f.ProjectFactory(code=code) for code in ("P-LOW", "P-HIGH", "P-NONE"))
    snap(low, csat="0.5", sv_t="-3", cpi="0.7")
    snap(high, csat="0.95", sv_t="2", cpi="1.2")


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", ["P-HIGH", "P-LOW", "P-NONE"]),  # by code
        ("project", ["P-HIGH", "P-LOW", "P-NONE"]),
        ("-project", ["P-NONE", "P-LOW", "P-HIGH"]),
        ("csat", ["P-LOW", "P-HIGH", "P-NONE"]),  # 0.5, 0.95, then no value
        ("-csat", ["P-HIGH", "P-LOW", "P-NONE"]),  # no value last either way
        ("satisfaction", ["P-LOW", "P-HIGH", "P-NONE"]),  # red, green, grey: worst first
        ("-satisfaction", ["P-HIGH", "P-LOW", "P-NONE"]),  # green, red, grey: grey last either way
        ("sv_t", ["P-LOW", "P-HIGH", "P-NONE"]),  # −3, 2
        ("-sv_t", ["P-HIGH", "P-LOW", "P-NONE"]),
        ("cpi", ["P-LOW", "P-HIGH", "P-NONE"]),  # 0.7, 1.2
        ("-cpi", ["P-HIGH", "P-LOW", "P-NONE"]),
    ],
)
def test_sorted_by_any_column(pm, sortable, sort, expected):
    assert codes(api(pm).get(URL, {"sort": sort})) == expected


def test_a_brand_manager_sorts_by_what_they_see(brand_manager, brand):
    f.MetricSnapshotFactory(date=NIGHT)
    for code, csat in (("B-1", "0.7"), ("B-2", "0.95"), ("B-3", "0.2")):
        snap(f.ProjectFactory(brand=brand, code=code), csat=csat)

    assert codes(api(brand_manager).get(URL, {"sort": "-csat"})) == ["B-2", "B-1", "B-3"]


def test_the_sort_spans_every_page(pm, sortable, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    client = api(pm)

    first = client.get(URL, {"sort": "-csat"}).json()
    second = client.get(URL, {"sort": "-csat", "page": 2}).json()

    assert first["count"] == second["count"] == 3
    assert [row["code"] for row in first["results"]] == ["P-HIGH", "P-LOW"]
    assert [row["code"] for row in second["results"]] == ["P-NONE"]
    assert "sort=-csat" in first["next"] and "page=2" in first["next"] and second["next"] is None


def test_a_page_past_the_last_is_not_found_as_on_every_list(pm, sortable):
    response = api(pm).get(URL, {"page": 2})

    assert response.status_code == 404


# --- bad questions: 400 with field errors, never a 500 --------------------------------------------

HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "field, value",
    [
        ("sort", "garbage"),
        ("sort", "-"),
        ("sort", "--csat"),
        ("sort", "CSAT"),
        ("sort", HUGE),
        ("sort", "csat\x00"),
        ("page", "abc"),
        ("page", "0"),
        ("page", "-1"),
        ("page", "1.5"),
        ("page", "\x00"),
        ("page", "9" * 5_000),
        ("status", "nonsense"),
        ("status", HUGE),
        ("status", "active\x00"),
        ("brand", "999999"),
        ("brand", "abc"),
        ("brand", "1\x00"),
        ("brand", "9" * 5_000),
        ("pm", "999999999999999999999"),
        ("pm", HUGE),
        ("q", "a\x00b"),
        ("q", HUGE),
        ("q", "x" * 201),
    ],
)
def test_bad_parameters_are_field_errors(pm, sortable, field, value):
    response = api(pm).get(URL, {field: value})

    assert response.status_code == 400, response.content[:200]
    assert field in response.json()
    # The refusal does not repeat the value back.
    assert len(response.content) < 200, response.content[:200]


def test_a_search_of_the_longest_length_is_answered(pm, sortable):
    assert codes(api(pm).get(URL, {"q": "x" * 200})) == []


@pytest.mark.parametrize(
    "field, values",
    [
        ("sort", ["csat", "-csat"]),
        ("sort", ["csat", "csat"]),
        ("page", ["1", "1"]),
        ("status", ["active", "delivered"]),
        ("q", ["P-", "LOW"]),
    ],
)
def test_a_parameter_given_twice_is_a_field_error(pm, sortable, field, values):
    response = api(pm).get(URL, {field: values})

    assert response.status_code == 400
    assert response.json() == {field: ["Give one value."]}


def test_brand_and_pm_given_twice_are_field_errors(pm, brand, other_brand):
    response = api(pm).get(URL, {"brand": [brand.pk, other_brand.pk], "pm": [pm.pk, pm.pk]})

    assert response.status_code == 400
    assert response.json() == {"brand": ["Give one value."], "pm": ["Give one value."]}


def test_the_api_only_reads(pm, two_brands):
    client = api(pm)

    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(URL, {}).status_code == 405, method
    assert client.get(f"{URL}{two_brands['own'].pk}/").status_code == 404


# --- queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm", "brand_manager"])
@pytest.mark.parametrize("count", [1, 6])
def test_the_queries_do_not_grow_with_the_projects(request, brand, who, count, django_assert_num_queries):
    for _ in range(count):
        figures(f.ProjectFactory(brand=brand, pm=f.UserFactory(role="pm")))
    client = api(request.getfixturevalue(who))
    client.get(URL)  # the studio's time zone, cached

    # The session, its user; the settings (thresholds); the night; the projects with their
    # brands and production managers; their snapshots of the night.
    with django_assert_num_queries(6):
        response = client.get(URL, {"sort": "-satisfaction"})
    assert len(response.json()["results"]) == count


def test_filters_add_one_query_each_for_their_choices(pm, brand, django_assert_num_queries):
    figures(f.ProjectFactory(brand=brand, pm=pm))
    client = api(pm)
    client.get(URL)

    # As above, and the brand and production manager checked against those the caller may choose.
    with django_assert_num_queries(8):
        response = client.get(URL, {"brand": brand.pk, "pm": pm.pk})
    assert len(response.json()["results"]) == 1


# --- the schema -----------------------------------------------------------------------------------


def test_the_schema_documents_each_roles_row(pm, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = api(pm).get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][URL]["get"]
    # Its own answers (200, 400, 403) and those every listing may meet (401, 404 past the last page).
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404"}
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {"sort", "page", "status", "brand", "pm", "q"}
    assert {"csat", "-csat", "cpi", "-project"} <= set(parameters["sort"]["schema"]["enum"])
    components = schema["components"]["schemas"]
    assert "budget" in components["PortfolioRowWithBudget"]["properties"]
    assert "budget" not in components["PortfolioRow"]["properties"]
    assert len(components["PortfolioRowForRole"]["oneOf"]) == 2
    assert components["PortfolioRow"]["properties"]["night"]["nullable"] is True
