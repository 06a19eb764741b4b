"""The utilization, forecast and who-is-free API (issue 5): same numbers and access as the pages.

TODAY is Wednesday 25 November 2026; the forecast's first week is Mon 23 Nov, from Thu 26.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URLS = ["/api/utilization/", "/api/utilization/people/", "/api/forecast/", "/api/who-is-free/"]
MON, FRI = dt.date(2026, 11, 30), dt.date(2026, 12, 4)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "role, status",
    [
        ("pm", 200),
        ("executive", 200),
        ("admin_user", 200),
        ("creative", 403),
        ("freelancer", 403),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_resource_endpoints_are_for_studio_managers_only(client, request, url, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", URLS)
def test_anonymous_callers_are_refused(client, url):
    assert client.get(url).status_code == 401


def test_forecast_gives_the_gap_and_its_cost_by_hand(client, pm):
    motion = f.DisciplineFactory(name="Motion", freelance_cost_rate=D("80"))
    f.TalentFactory(discipline=motion, hours_per_day=D("6"))
    f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        start_date=MON,
        end_date=FRI,
        hours_per_day=D("8"),
        status="tentative",
    )
    client.force_login(pm)
    data = client.get("/api/forecast/").json()
    assert data["weeks"][0] == "2026-11-23" and len(data["weeks"]) == 12
    (row,) = data["disciplines"]
    week = row["weeks"][1]
    # Week of 30 Nov: capacity 5 × 6 = 30, demand 5 × 8 = 40, gap 10 at 80 = 800.00; load 133 %.
    assert (week["capacity"], week["demand"], week["gap"], week["gap_cost"], week["load_percent"]) == (
        "30.00",
        "40.00",
        "10.00",
        "800.00",
        "133",
    )
    assert data["studio"][1]["gap_cost"] == "800.00"


def test_utilization_by_discipline_and_studio(client, executive):
    motion = f.DisciplineFactory(name="Motion")
    talent = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.BookingFactory(talent=talent, start_date=MON, end_date=FRI, hours_per_day=D("2"))
    client.force_login(executive)
    data = client.get("/api/utilization/", {"start": "2026-12-02", "weeks": 2}).json()
    (row,) = data["disciplines"]
    # Week of 30 Nov: capacity 40, booked 5 × 2 = 10 → 25 %.
    assert row["weeks"][0] == {
        "week": "2026-11-30",
        "capacity": "40.00",
        "booked": "10.00",
        "logged": "0.00",
        "booked_percent": "25",
        "logged_percent": "0",
    }
    assert data["studio"][0]["booked"] == "10.00" and len(data["studio"]) == 2


def test_utilization_per_person_hand_computed_with_logged_time(client, pm, django_assert_num_queries):
    motion, film = f.DisciplineFactory(name="Motion"), f.DisciplineFactory(name="Film")
    ana = f.TalentFactory(discipline=motion, hours_per_day=D("8"), user__first_name="Ana")
    f.TalentFactory(discipline=film, user__first_name="Bo")
    f.BookingFactory(talent=ana, start_date=MON, end_date=FRI, hours_per_day=D("6"))
    week = f.TimesheetFactory(talent=ana, week_start=MON, status="approved", approved_at="2026-12-05T10:00:00Z")
    f.TimeEntryFactory(timesheet=week, date=MON, hours=D("7"))
    f.TimeEntryFactory(timesheet=week, date=FRI, hours=D("5"))
    client.force_login(pm)

    response = client.get("/api/utilization/people/", {"start": "2026-12-01", "weeks": 1, "discipline": motion.pk})

    (row,) = response.json()["results"]
    assert (row["talent"], row["name"], row["discipline"]["id"]) == (ana.pk, str(ana.user), motion.pk)
    # Capacity 5 × 8 = 40; booked 5 × 6 = 30 (75 %); logged 7 + 5 = 12 (30 %).
    assert row["weeks"] == [{
        "week": "2026-11-30", "capacity": "40.00", "booked": "30.00", "logged": "12.00",
        "booked_percent": "75", "logged_percent": "30",
    }]
    for _n in range(5):
        f.TalentFactory(discipline=motion)
    # Session, user, count, page of people, capacity, booked, logged.
    with django_assert_num_queries(7):
        assert client.get("/api/utilization/people/", {"weeks": 2}).json()["count"] == 7


def test_utilization_per_person_refuses_bad_parameters(client, pm):
    client.force_login(pm)
    response = client.get("/api/utilization/people/", {"weeks": 0, "discipline": "x"})
    assert response.status_code == 400 and set(response.json()) == {"weeks", "discipline"}


def test_who_is_free_ranks_and_paginates(client, pm):
    motion = f.DisciplineFactory(name="Motion")
    busy, cheap, dear = (f.TalentFactory(discipline=motion, hours_per_day=D("8")) for _ in range(3))
    f.BookingFactory(talent=busy, start_date=MON, end_date=FRI, hours_per_day=D("5"))
    f.RateCardFactory(talent=cheap, cost_rate=D("40"))
    f.RateCardFactory(talent=dear, cost_rate=D("90"))
    client.force_login(pm)
    data = client.get("/api/who-is-free/", {"discipline": motion.pk}).json()
    # Next week by default: 40 free for cheap and dear (40 before 90), 40 − 25 = 15 for busy.
    assert [(r["talent"]["id"], r["free"], r["cost_rate"]) for r in data["results"]] == [
        (cheap.pk, "40.00", "40.00"),
        (dear.pk, "40.00", "90.00"),
        (busy.pk, "15.00", None),
    ]
    assert data["count"] == 3


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/who-is-free/", {"start": "2026-12-04", "end": "2026-12-01"}, "end"),
        ("/api/who-is-free/", {"start": "2026-12-01", "end": "2027-06-01"}, "end"),
        ("/api/who-is-free/", {"discipline": "999"}, "discipline"),
        ("/api/who-is-free/", {"start": "soon"}, "start"),
        ("/api/utilization/", {"weeks": "0"}, "weeks"),
        ("/api/utilization/", {"start": "yesterday"}, "start"),
    ],
)
def test_bad_parameters_answer_400_with_field_errors(client, pm, url, params, field):
    client.force_login(pm)
    response = client.get(url, params)
    assert response.status_code == 400 and field in response.json()


def test_utilization_refuses_a_start_at_the_ends_of_the_calendar(client, pm):
    client.force_login(pm)
    response = client.get("/api/utilization/", {"start": "9999-12-20"})
    assert response.status_code == 400 and "start" in response.json()
    page = client.get("/schedule/utilization/", {"start": "9999-12-20"})
    assert page.status_code == 200
