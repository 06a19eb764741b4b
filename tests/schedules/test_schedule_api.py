"""The schedule API: a person's or the team's days over a range, with the same read
model, filters and access as the team schedule page."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import STUDIO_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = "/api/schedule/"
# Monday 21 to Sunday 27 December 2026; Friday the 25th is Christmas Day.
MON = dt.date(2026, 12, 21)
SUN = dt.date(2026, 12, 27)
WEEK = {"start": MON.isoformat(), "end": SUN.isoformat()}


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def talent_ids(response):
    return [row["talent"]["id"] for row in results(response) if row["talent"]]


def placeholder(**values):
    """A discipline still to be staffed: placeholders are always holds."""
    return factories.BookingFactory(talent=None, status="tentative", **values)


def day(date, capacity, confirmed, tentative, state, *, clash=False, holiday="", time_off=()):
    return {
        "date": date,
        "capacity": capacity,
        "confirmed": confirmed,
        "tentative": tentative,
        "booked": str(Decimal(confirmed) + Decimal(tentative)),
        "is_clash": clash,
        "state": state,
        "holiday": holiday,
        "time_off": list(time_off),
    }


def test_a_persons_week_counts_holiday_time_off_weekend_and_the_clash(client, creative):
    person = creative.talent  # 8 h a day, Monday to Friday, no overtime
    factories.HolidayFactory(date=dt.date(2026, 12, 25), name="Christmas Day")
    half = factories.TimeOffFactory(
        talent=person,
        start_date=dt.date(2026, 12, 22),
        end_date=dt.date(2026, 12, 22),
        full_day=False,
        hours_per_day=Decimal("4"),
    )
    full = factories.TimeOffFactory(talent=person, start_date=dt.date(2026, 12, 23), end_date=dt.date(2026, 12, 23))
    confirmed = factories.BookingFactory(
        talent=person, start_date=MON, end_date=dt.date(2026, 12, 25), hours_per_day=Decimal("6")
    )
    tentative = factories.BookingFactory(
        talent=person, start_date=MON, end_date=MON, hours_per_day=Decimal("3"), status="tentative"
    )

    [row] = results(client_for(creative).get(URL, WEEK))

    assert row["talent"] == {
        "id": person.pk,
        "name": str(creative),
        "employment": "staff",
        "hours_per_day": "8.00",
        "overtime_hours_per_day": "0.00",
        "discipline": {"id": person.discipline.pk, "name": person.discipline.name},
    }
    assert row["discipline"]["id"] == person.discipline.pk
    assert row["days"] == [
        # 6 confirmed + 3 tentative = 9 > 8 h plus 0 overtime: a clash.
        day("2026-12-21", "8.00", "6.00", "3.00", "clash", clash=True),
        # 8 - 4 h off = 4 h of capacity; the 6 h booked still land: over, not a clash (6 <= 8).
        day(
            "2026-12-22",
            "4.00",
            "6.00",
            "0.00",
            "over",
            time_off=[{"id": half.pk, "full_day": False, "hours_per_day": "4.00", "status": "approved"}],
        ),
        # A full day off takes the whole day, and bookings do not land on it.
        day(
            "2026-12-23",
            "0.00",
            "0.00",
            "0.00",
            "off",
            time_off=[{"id": full.pk, "full_day": True, "hours_per_day": None, "status": "approved"}],
        ),
        day("2026-12-24", "8.00", "6.00", "0.00", "part"),
        # A studio holiday: no capacity, and the booking's Friday does not land.
        day("2026-12-25", "0.00", "0.00", "0.00", "off", holiday="Christmas Day"),
        day("2026-12-26", "0.00", "0.00", "0.00", "off"),
        day("2026-12-27", "0.00", "0.00", "0.00", "off"),
    ]
    assert [(b["id"], b["status"], b["hours_per_day"]) for b in row["bookings"]] == [
        (confirmed.pk, "confirmed", "6.00"),
        (tentative.pk, "tentative", "3.00"),
    ]
    assert row["bookings"][0]["talent_name"] == str(creative)


def test_pm_sees_the_team_and_a_placeholder_after_the_people(pm):
    first, second = factories.TalentFactory(), factories.TalentFactory()
    hold = placeholder(placeholder_discipline=first.discipline, start_date=MON, end_date=MON)

    rows = results(client_for(pm).get(URL, WEEK))

    assert {row["talent"]["id"] for row in rows[:2]} == {first.pk, second.pk}
    # One row for the discipline's placeholders, with the booking as its bar.
    assert [(row["talent"], row["discipline"]["id"]) for row in rows[2:]] == [(None, first.discipline.pk)]
    assert [booking["id"] for booking in rows[2]["bookings"]] == [hold.pk]
    # The placeholder's 6 h land on its Monday, as tentative demand.
    assert rows[2]["days"][0]["tentative"] == "6.00"
    assert client_for(pm).get(URL, WEEK).json()["count"] == 2


def test_filters_pick_people_by_discipline_employment_talent_and_free_time(pm):
    editor = factories.TalentFactory(discipline=factories.DisciplineFactory(name="Edit"))
    designer = factories.TalentFactory(discipline=factories.DisciplineFactory(name="Design"))
    freelance = factories.FreelanceTalentFactory(discipline=designer.discipline)
    # The editor is booked full, 8 h on each of the five working days: no free time.
    factories.BookingFactory(talent=editor, start_date=MON, end_date=SUN, hours_per_day=Decimal("8"))
    placeholder(placeholder_discipline=editor.discipline, start_date=MON, end_date=MON)
    client = client_for(pm)

    by_discipline = client.get(URL, {**WEEK, "discipline": designer.discipline.pk})
    assert sorted(talent_ids(by_discipline)) == sorted([designer.pk, freelance.pk])
    # Only the editor's discipline has a placeholder; filtering by design leaves it out.
    assert all(row["talent"] for row in results(by_discipline))
    assert talent_ids(client.get(URL, {**WEEK, "employment": "freelance"})) == [freelance.pk]
    assert talent_ids(client.get(URL, {**WEEK, "talent": editor.pk})) == [editor.pk]
    free = results(client.get(URL, {**WEEK, "free": "true"}))
    assert {row["talent"]["id"] for row in free} == {designer.pk, freelance.pk}
    # Filters that pick people by what only people have leave the placeholders out.
    assert all(row["talent"] is not None for row in free)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pm", 200),
        ("executive", 200),
        ("admin_user", 200),
        ("creative", 200),
        ("freelancer", 200),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_who_may_read_the_schedule(request, role, status):
    assert client_for(request.getfixturevalue(role)).get(URL, WEEK).status_code == status


def test_anonymous_is_refused():
    assert APIClient().get(URL, WEEK).status_code == 401


@pytest.mark.parametrize("role", STUDIO_ROLES)
def test_studio_managers_see_everyone(request, role):
    people = {factories.TalentFactory().pk, factories.FreelanceTalentFactory().pk}
    assert set(talent_ids(client_for(request.getfixturevalue(role)).get(URL, WEEK))) == people


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_creatives_and_freelancers_see_only_their_own_row(request, role):
    user = request.getfixturevalue(role)
    project = factories.ProjectFactory()
    teammate = factories.TalentFactory()
    # On the same project, so the teammate is someone they may otherwise see by name.
    factories.BookingFactory(talent=user.talent, project=project, start_date=MON, end_date=MON)
    factories.BookingFactory(talent=teammate, project=project, start_date=MON, end_date=MON, note="theirs")
    placeholder(placeholder_discipline=teammate.discipline, start_date=MON, end_date=MON)
    client = client_for(user)

    rows = results(client.get(URL, WEEK))
    assert [row["talent"]["id"] for row in rows] == [user.talent.pk]
    assert all(booking["talent"] == user.talent.pk for booking in rows[0]["bookings"])
    assert results(client.get(URL, {**WEEK, "talent": teammate.pk})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"end": "2026-12-27"}, "start"),
        ({"start": "2026-12-21"}, "end"),
        ({"start": "2026-12-21", "end": "2026-12-20"}, "end"),
        # 21 December to 23 March is 93 days, one past the limit.
        ({"start": "2026-12-21", "end": "2027-03-23"}, "end"),
        ({"start": "21/12/2026", "end": "2026-12-27"}, "start"),
        ({**WEEK, "talent": "someone"}, "talent"),
        ({**WEEK, "employment": "contractor"}, "employment"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(pm, params, field):
    response = client_for(pm).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_92_days_is_the_longest_range(pm):
    # 21 December to 22 March, both counted in: 11 + 31 + 28 + 22 = 92 days.
    response = client_for(pm).get(URL, {"start": "2026-12-21", "end": "2027-03-22"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 10])
def test_the_schedule_runs_a_fixed_number_of_queries(pm, size, django_assert_num_queries):
    for n in range(size):
        person = factories.TalentFactory()
        factories.BookingFactory(talent=person, start_date=MON, end_date=SUN)
        factories.BookingFactory(talent=person, start_date=MON, end_date=MON, status="tentative")
        factories.TimeOffFactory(talent=person, start_date=MON, end_date=MON + dt.timedelta(days=n % 3))
    placeholder(placeholder_discipline=person.discipline, start_date=MON, end_date=MON)
    factories.HolidayFactory(date=dt.date(2026, 12, 25))
    client = client_for(pm)
    # session, user; count and page of people; holidays, capacity, booked hours,
    # bookings, time off; placeholders.
    with django_assert_num_queries(10):
        rows = results(client.get(URL, WEEK))
    assert len(rows) == size + 1
    assert all(len(row["bookings"]) == 2 for row in rows[:size])
