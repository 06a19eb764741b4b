"""Utilization by week, hand-computed: capacity after holidays and time off, booked
hours (tentative too), and logged hours of approved timesheets only."""

import datetime as dt
from decimal import Decimal

import pytest

from schedules.utilization import (
    Utilization,
    utilization_by_discipline,
    utilization_by_person,
    utilization_of_studio,
    weeks,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 11, 23)
NEXT = MON + dt.timedelta(days=7)


def test_weeks_start_on_the_monday_of_the_first_day():
    assert weeks(MON + dt.timedelta(days=3), 2) == [MON, NEXT]


def test_a_persons_weeks_hand_computed():
    design = f.DisciplineFactory(name="Design")
    person = f.TalentFactory(discipline=design, hours_per_day=Decimal("8"))
    f.HolidayFactory(date=MON + dt.timedelta(days=1))  # Tuesday
    f.TimeOffFactory(talent=person, start_date=MON + dt.timedelta(days=4), end_date=MON + dt.timedelta(days=4),
                     full_day=False, hours_per_day=Decimal("4"))
    f.BookingFactory(talent=person, start_date=MON, end_date=NEXT + dt.timedelta(days=1), hours_per_day=Decimal("6"))
    f.BookingFactory(talent=person, start_date=NEXT, end_date=NEXT, hours_per_day=Decimal("2"), status="tentative")
    approved = f.TimesheetFactory(talent=person, week_start=MON, status="approved",
                                  approved_at="2026-11-30T10:00:00Z")
    f.TimeEntryFactory(timesheet=approved, date=MON, hours=Decimal("7.5"))
    f.TimeEntryFactory(timesheet=approved, date=MON + dt.timedelta(days=2), hours=Decimal("6"))
    open_week = f.TimesheetFactory(talent=person, week_start=NEXT, status="open")
    f.TimeEntryFactory(timesheet=open_week, date=NEXT, hours=Decimal("8"))  # not approved: not counted

    by_week = utilization_by_person(MON, 2, [person.pk])[person.pk]

    # Week 1: capacity Mon 8 + Wed 8 + Thu 8 + Fri 4 (half day off) = 28; the holiday is 0.
    # Booked: 6 h on Mon, Wed, Thu, Fri (not the holiday) = 24. Logged: 13.5 approved.
    assert by_week[MON] == Utilization(Decimal("28"), Decimal("24"), Decimal("13.5"))
    assert (by_week[MON].booked_percent, by_week[MON].logged_percent) == (86, 48)
    # Week 2: 40 h capacity; booked Mon 6 + 2 tentative, Tue 6 = 14; nothing approved.
    assert by_week[NEXT] == Utilization(Decimal("40"), Decimal("14"), Decimal("0"))


def test_disciplines_and_the_studio_sum_their_people():
    design, film = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Film")
    a = f.TalentFactory(discipline=design, hours_per_day=Decimal("8"))
    f.TalentFactory(discipline=design, hours_per_day=Decimal("6"))
    c = f.TalentFactory(discipline=film, hours_per_day=Decimal("8"))
    f.TalentFactory(discipline=film, active=False)
    f.BookingFactory(talent=a, start_date=MON, end_date=MON + dt.timedelta(days=4), hours_per_day=Decimal("8"))
    f.BookingFactory(talent=c, start_date=MON, end_date=MON, hours_per_day=Decimal("4"))

    by_discipline = utilization_by_discipline(MON, 1)
    studio = utilization_of_studio(by_discipline)

    # Design: 5 × 8 + 5 × 6 = 70 h; the inactive film person counts nothing.
    assert by_discipline[design.pk][MON] == Utilization(Decimal("70"), Decimal("40"), Decimal("0"))
    assert by_discipline[film.pk][MON] == Utilization(Decimal("40"), Decimal("4"), Decimal("0"))
    assert studio[MON] == Utilization(Decimal("110"), Decimal("44"), Decimal("0"))


def test_no_capacity_gives_no_percentage():
    assert Utilization().booked_percent is None
