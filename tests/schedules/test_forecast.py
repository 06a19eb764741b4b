"""The 12-week resource forecast (DESIGN §2, "Forecast"), every number worked out by hand.

TODAY is Wednesday 25 November 2026, so tomorrow is Thursday 26 November. The forecast's
first week is this one (Mon 23 Nov), counted from tomorrow; then Mon 30 Nov, Mon 7 Dec, …
Friday 27 November is a studio holiday.

Discipline "Motion" (freelance cost rate 80/h):
- Sam, staff, 8 h a day, Mon–Fri.
- Fran, freelance, 6 h a day, Mon–Fri, contract until Wednesday 2 December.
Discipline "Copy" (freelance cost rate 100/h): Cleo, staff, 7 h a day, nothing booked.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from schedules.forecast import first_week, forecast_sources, resource_forecast
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

THU, FRI = dt.date(2026, 11, 26), dt.date(2026, 11, 27)
W1, W2, W3, W4 = (dt.date(2026, 11, 23) + dt.timedelta(weeks=n) for n in range(4))


@pytest.fixture
def studio():
    motion = f.DisciplineFactory(name="Motion", freelance_cost_rate=D("80"))
    copy = f.DisciplineFactory(name="Copy", freelance_cost_rate=D("100"))
    f.HolidayFactory(date=FRI, name="Studio day")
    sam = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    fran = f.FreelanceTalentFactory(discipline=motion, hours_per_day=D("6"), contract_end=W2 + dt.timedelta(days=2))
    f.TalentFactory(discipline=copy, hours_per_day=D("7"))
    project = f.ProjectFactory(code="KV01")
    # Overdue since 20 Nov, nothing booked: its 20 h fall on the next working day, Thu 26 Nov.
    kind = f.DeliverableTypeFactory()
    f.StandardHoursFactory(deliverable_type=kind, discipline=motion, hours_per_unit=D("5"))
    overdue = f.DeliverableFactory(
        project=project,
        deliverable_type=kind,
        planned_hours=D("20"),
        planned_start=dt.date(2026, 11, 1),
        due_date=dt.date(2026, 11, 20),
        status="in_progress",
        name="Hero film",
    )
    # Fran, tentative 4 h a day Thu 26 Nov – Wed 2 Dec: Thu 26 (Fri holiday), Mon 30, Tue 1, Wed 2.
    f.BookingFactory(
        talent=fran,
        project=project,
        start_date=THU,
        end_date=W2 + dt.timedelta(days=2),
        hours_per_day=D("4"),
        status="tentative",
    )
    # A Motion placeholder, 8 h a day for the week of 30 Nov.
    f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        project=project,
        start_date=W2,
        end_date=W2 + dt.timedelta(days=4),
        hours_per_day=D("8"),
        status="tentative",
    )
    # Sam, confirmed 8 h a day the week of 7 Dec, and a second placeholder Mon–Tue 7–8 Dec at 5 h.
    f.BookingFactory(
        talent=sam,
        project=project,
        start_date=W3,
        end_date=W3 + dt.timedelta(days=4),
        hours_per_day=D("8"),
        status="confirmed",
    )
    f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        project=project,
        start_date=W3,
        end_date=W3 + dt.timedelta(days=1),
        hours_per_day=D("5"),
        status="tentative",
    )
    return {"motion": motion, "copy": copy, "project": project, "overdue": overdue}


def cells(forecast, discipline):
    row = next(row for row in forecast.rows if row.discipline == discipline)
    return row.cells


def test_forecast_starts_this_week_counted_from_tomorrow():
    assert first_week(TODAY) == W1
    # On a Sunday, tomorrow is next week's Monday.
    assert first_week(dt.date(2026, 11, 29)) == W2


def test_forecast_counts_capacity_demand_and_the_gap_by_hand(studio):
    forecast = resource_forecast(today=TODAY)

    assert len(forecast.weeks) == 12 and forecast.weeks[0] == W1 and forecast.weeks[-1] == dt.date(2027, 2, 8)
    w1, w2, w3, w4 = cells(forecast, studio["motion"])[:4]
    # Week 1 from Thu 26: capacity Sam 8 + Fran 6 (Fri holiday) = 14;
    # demand: overdue 20 on Thu + Fran's tentative 4 on Thu = 24; gap 24 − 14 = 10, at 80 = 800.
    assert (w1.capacity, w1.demand, w1.gap, w1.gap_cost) == (D("14"), D("24"), D("10"), D("800.00"))
    assert w1.load_percent == 171 and w1.band == "over"  # 24 / 14 = 171.4 %
    # Week 2: Sam 5 × 8 = 40 + Fran Mon–Wed 3 × 6 = 18 → 58; placeholder 5 × 8 = 40 + Fran 3 × 4 = 12 → 52.
    assert (w2.capacity, w2.demand, w2.gap, w2.gap_cost) == (D("58"), D("52"), D("0"), D("0"))
    assert w2.load_percent == 90 and w2.band == "full"  # 52 / 58 = 89.7 %
    # Week 3: Fran's contract has ended: Sam 40 only; Sam 5 × 8 = 40 + placeholder 2 × 5 = 10 → 50; gap 10 → 800.
    assert (w3.capacity, w3.demand, w3.gap, w3.gap_cost) == (D("40"), D("50"), D("10"), D("800.00"))
    # Week 4: Sam 40, nothing booked.
    assert (w4.capacity, w4.demand, w4.gap) == (D("40"), D("0"), D("0"))
    assert w4.band == "low"


def test_studio_gap_is_the_sum_of_the_disciplines_gaps(studio):
    forecast = resource_forecast(today=TODAY)

    copy_w1 = cells(forecast, studio["copy"])[0]
    # Cleo: Thu 7 (Fri holiday); no demand.
    assert (copy_w1.capacity, copy_w1.demand, copy_w1.gap) == (D("7"), D("0"), D("0"))
    studio_w1 = forecast.studio[0]
    # Demand 24, capacity 14 + 7 = 21; the gap is Motion's 10 (Copy's spare hours do not staff Motion), cost 800.
    assert (studio_w1.demand, studio_w1.capacity, studio_w1.gap, studio_w1.gap_cost) == (
        D("24"),
        D("21"),
        D("10"),
        D("800.00"),
    )


def test_drill_down_lists_what_makes_a_weeks_demand(studio):
    first = forecast_sources(discipline=studio["motion"], week=W1, today=TODAY)
    assert [(s.project, s.deliverable, s.kind, s.hours) for s in first] == [
        (studio["project"], studio["overdue"], "unbooked", D("20.00")),
        (studio["project"], None, "booked", D("4.00")),
    ]
    second = forecast_sources(discipline=studio["motion"], week=W2, today=TODAY)
    assert [(s.kind, s.hours) for s in second] == [("placeholder", D("40.00")), ("booked", D("12.00"))]
    # The sources add up to the week's demand: 40 + 12 = 52.
    assert sum(s.hours for s in second) == cells(resource_forecast(today=TODAY), studio["motion"])[1].demand


def test_a_booking_on_the_overdue_deliverable_takes_its_hours_out_of_unbooked(studio):
    sam = studio["motion"].talent.get(employment="staff")
    # 6 h on Tue 24 Nov (past) count as booked: 20 − 6 = 14 unbooked left, on Thu 26.
    f.BookingFactory(
        talent=sam,
        project=studio["project"],
        deliverable=studio["overdue"],
        start_date=dt.date(2026, 11, 24),
        end_date=dt.date(2026, 11, 24),
        hours_per_day=D("6"),
    )
    w1 = cells(resource_forecast(today=TODAY), studio["motion"])[0]
    assert w1.demand == D("18")  # 14 unbooked + Fran's 4
