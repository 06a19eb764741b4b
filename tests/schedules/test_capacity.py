"""Capacity and demand by day (DESIGN §2), with every expected number worked out by hand.

TODAY is Wednesday 25 November 2026, so tomorrow is Thursday 26 November:
    Thu 26  Fri 27  Sat 28  Sun 29  Mon 30  Tue 1 Dec  Wed 2  Thu 3  Fri 4
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from schedules.capacity import capacity_by_discipline, capacity_by_person, demand_by_discipline
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

THU, FRI, SAT, SUN, MON, TUE, WED, THU2, FRI2 = (dt.date(2026, 11, 26) + dt.timedelta(days=n) for n in range(9))
MON_BEFORE = dt.date(2026, 11, 23)


def person(discipline=None, **kwargs):
    kwargs.setdefault("discipline", discipline or f.DisciplineFactory())
    return f.TalentFactory(**kwargs)


def demand(start=THU, end=FRI2, **kwargs):
    return demand_by_discipline(start, end, today=TODAY, **kwargs)


# --- capacity -------------------------------------------------------------------

def test_capacity_skips_weekends_holidays_and_approved_time_off():
    talent = person(hours_per_day=D("8"))
    f.HolidayFactory(date=FRI, name="Studio day")
    f.TimeOffFactory(talent=talent, start_date=MON, end_date=MON, full_day=False, hours_per_day=D("3"))
    f.TimeOffFactory(talent=talent, start_date=TUE, end_date=TUE)  # a full day

    # Thu 8; Fri holiday 0; Sat, Sun not working days; Mon 8 − 3 = 5; Tue full day off 0; Wed 8.
    assert capacity_by_person(THU, WED) == {talent.pk: {THU: D("8"), MON: D("5"), WED: D("8")}}


def test_part_days_off_add_up_and_never_take_capacity_below_zero():
    full, short = person(hours_per_day=D("8")), person(hours_per_day=D("4"))
    f.TimeOffFactory(talent=full, start_date=THU, end_date=THU, full_day=False, hours_per_day=D("2"))
    f.TimeOffFactory(talent=full, start_date=THU, end_date=FRI, full_day=False, hours_per_day=D("3"))
    f.TimeOffFactory(talent=short, start_date=THU, end_date=THU, full_day=False, hours_per_day=D("6"))

    capacity = capacity_by_person(THU, FRI)

    # Thu: 8 − 2 − 3 = 3; Fri: 8 − 3 = 5.
    assert capacity[full.pk] == {THU: D("3"), FRI: D("5")}
    # Thu: 4 − 6 would be −2: floored at 0 (and left out); Fri: 4.
    assert capacity[short.pk] == {FRI: D("4")}


def test_time_off_not_yet_approved_leaves_capacity_alone():
    talent = person(hours_per_day=D("8"))
    f.TimeOffFactory(talent=talent, start_date=THU, end_date=FRI, status="requested")
    f.TimeOffFactory(talent=talent, start_date=THU, end_date=FRI, status="declined")
    assert capacity_by_person(THU, FRI) == {talent.pk: {THU: D("8"), FRI: D("8")}}


def test_weekend_workers_have_capacity_on_their_days_but_not_on_holidays():
    talent = person(hours_per_day=D("6"), working_days="3467")
    f.HolidayFactory(date=SUN, name="Sunday fair")
    # Working days Wed, Thu, Sat, Sun: Thu 6, Sat 6, Sun holiday 0, Wed 6 (Fri, Mon, Tue off).
    assert capacity_by_person(THU, WED) == {talent.pk: {THU: D("6"), SAT: D("6"), WED: D("6")}}


def test_freelancers_count_only_within_their_contract():
    talent = f.FreelanceTalentFactory(
        discipline=f.DisciplineFactory(), hours_per_day=D("7.5"), contract_start=MON, contract_end=WED
    )
    # Contract Mon 30 Nov to Wed 2 Dec: 7.5 h on Mon, Tue, Wed; nothing before or after.
    assert capacity_by_person(THU, FRI2) == {talent.pk: {MON: D("7.5"), TUE: D("7.5"), WED: D("7.5")}}


def test_inactive_talent_has_no_capacity():
    person(active=False)
    assert capacity_by_person(THU, FRI) == {}


def test_discipline_capacity_sums_its_people_and_can_be_limited_to_some_disciplines():
    design, copy = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Copy")
    person(design, hours_per_day=D("8"))
    person(design, hours_per_day=D("6"), working_days="1234")
    person(copy, hours_per_day=D("4"))

    # Design: Thu 8 + 6 = 14; Fri 8 (the second designer works Mon–Thu). Copy: 4 a day.
    assert capacity_by_discipline(THU, FRI) == {
        design.pk: {THU: D("14"), FRI: D("8")},
        copy.pk: {THU: D("4"), FRI: D("4")},
    }
    assert capacity_by_discipline(THU, FRI, [copy.pk]) == {copy.pk: {THU: D("4"), FRI: D("4")}}


# --- demand from bookings --------------------------------------------------------

def test_booking_hours_land_on_working_days_only_unless_weekends_are_included():
    design = f.DisciplineFactory()
    weekdays, weekends = person(design), person(design)
    f.BookingFactory(talent=weekdays, start_date=FRI, end_date=MON, hours_per_day=D("5"))
    f.BookingFactory(talent=weekends, start_date=FRI, end_date=MON, hours_per_day=D("2"), include_weekends=True)

    # Fri 5 + 2 = 7; Sat 2; Sun 2; Mon 5 + 2 = 7.
    assert demand() == {design.pk: {FRI: D("7"), SAT: D("2"), SUN: D("2"), MON: D("7")}}


def test_booking_hours_skip_holidays_and_full_days_off_but_not_part_days_off():
    talent = person(working_days="1235")  # not on Thursdays
    f.HolidayFactory(date=MON, name="Studio day")
    f.TimeOffFactory(talent=talent, start_date=TUE, end_date=TUE)
    f.TimeOffFactory(talent=talent, start_date=WED, end_date=WED, full_day=False, hours_per_day=D("4"))
    f.BookingFactory(talent=talent, start_date=THU, end_date=THU2, hours_per_day=D("6"), status="tentative")

    # Thu not a working day, Sat/Sun excluded, Mon holiday, Tue full day off: only Fri 6 and Wed 6
    # land (part-day time off removes capacity, not the booking's hours).
    assert demand() == {talent.discipline_id: {FRI: D("6"), WED: D("6")}}


def test_a_tentative_hold_past_its_expiry_no_longer_lands():
    talent = person()
    f.BookingFactory(talent=talent, start_date=THU, end_date=FRI, status="tentative", hold_expires_on=TODAY)
    f.BookingFactory(talent=talent, start_date=THU, end_date=THU, status="tentative",
                     hold_expires_on=TODAY - dt.timedelta(days=1), hours_per_day=D("3"))
    # The hold expiring today still stands (released after its day); yesterday's is gone.
    assert demand() == {talent.discipline_id: {THU: D("6"), FRI: D("6")}}


def test_placeholder_bookings_are_demand_of_their_discipline_on_weekdays():
    motion = f.DisciplineFactory()
    f.HolidayFactory(date=MON, name="Studio day")
    f.BookingFactory(talent=None, placeholder_discipline=motion, status="tentative",
                     start_date=FRI, end_date=TUE, hours_per_day=D("8"))
    # Fri 8; Sat, Sun not weekdays; Mon holiday; Tue 8.
    assert demand() == {motion.pk: {FRI: D("8"), TUE: D("8")}}


# --- demand from unbooked deliverable hours --------------------------------------

@pytest.fixture
def key_visual():
    """Design 3 h and copy 1 h per unit: deliverable hours split ¾ design, ¼ copy."""
    kind = f.DeliverableTypeFactory(name="Key visual")
    design, copy = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Copy")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("3"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=copy, hours_per_unit=D("1"))
    return kind, design, copy


def test_unbooked_hours_spread_over_working_days_by_standard_hours(key_visual):
    kind, design, copy = key_visual
    f.HolidayFactory(date=FRI, name="Studio day")
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("40"), due_date=WED)
    f.BookingFactory(talent=person(design), deliverable=deliverable, project=deliverable.project,
                     start_date=MON_BEFORE, end_date=MON_BEFORE + dt.timedelta(days=1), hours_per_day=D("5"))

    # Booked: Mon 23 and Tue 24, 5 h each = 10 h, in the past. Unbooked 40 − 10 = 30 h over the
    # working days tomorrow…Wed 2: Thu, Mon, Tue, Wed (Fri a holiday) = 4 days → 7.5 h a day,
    # design ¾ = 5.625, copy ¼ = 1.875.
    hours = demand(end=WED)
    assert hours[design.pk] == {day: D("5.625") for day in (THU, MON, TUE, WED)}
    assert hours[copy.pk] == {day: D("1.875") for day in (THU, MON, TUE, WED)}


def test_unbooked_hours_start_at_the_planned_start_when_later(key_visual):
    kind, design, copy = key_visual
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("12"), planned_start=MON, due_date=WED)
    # 12 h over Mon, Tue, Wed = 4 h a day: design 3, copy 1.
    hours = demand(end=WED)
    assert hours[design.pk] == {MON: D("3"), TUE: D("3"), WED: D("3")}
    assert hours[copy.pk] == {MON: D("1"), TUE: D("1"), WED: D("1")}


def test_booked_hours_in_the_window_count_once(key_visual):
    kind, design, copy = key_visual
    designer = person(design)
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("20"), planned_start=THU, due_date=FRI)
    f.BookingFactory(talent=designer, deliverable=deliverable, project=deliverable.project,
                     start_date=THU, end_date=FRI, hours_per_day=D("4"))
    # Booking: Thu 4, Fri 4 (design). Unbooked 20 − 8 = 12 over Thu, Fri = 6 a day:
    # design 4.5, copy 1.5. Design per day 4 + 4.5 = 8.5.
    hours = demand(end=FRI)
    assert hours[design.pk] == {THU: D("8.5"), FRI: D("8.5")}
    assert hours[copy.pk] == {THU: D("1.5"), FRI: D("1.5")}


def test_overdue_unbooked_hours_fall_on_the_next_working_day(key_visual):
    kind, design, copy = key_visual
    f.HolidayFactory(date=THU, name="Thanksgiving")
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("12"),
                         planned_start=MON_BEFORE - dt.timedelta(days=7), due_date=MON_BEFORE)
    # Due Mon 23, nothing booked: all 12 h on the next working day, Fri 27 (Thu is a holiday):
    # design 9, copy 3.
    assert demand() == {design.pk: {FRI: D("9")}, copy.pk: {FRI: D("3")}}


def test_hours_due_on_a_day_without_work_fall_on_the_next_working_day(key_visual):
    kind, design, copy = key_visual
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("4"), planned_start=SAT, due_date=SUN)
    # Sat–Sun holds no working day: the 4 h land on Mon 30: design 3, copy 1.
    assert demand() == {design.pk: {MON: D("3")}, copy.pk: {MON: D("1")}}


def test_closed_and_fully_booked_deliverables_add_no_unbooked_hours(key_visual):
    kind, design, copy = key_visual
    approved_at = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    for status in ("approved", "delivered"):
        f.DeliverableFactory(deliverable_type=kind, status=status, approved_at=approved_at, due_date=WED)
    f.DeliverableFactory(deliverable_type=kind, status="cancelled", due_date=WED)
    overbooked = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("4"), planned_start=THU, due_date=THU)
    f.BookingFactory(talent=person(design), deliverable=overbooked, project=overbooked.project,
                     start_date=THU, end_date=THU, hours_per_day=D("6"))
    # Only the booking's 6 h on Thu: 4 planned − 6 booked is not negative demand.
    assert demand() == {design.pk: {THU: D("6")}}


def test_a_type_without_standard_hours_splits_by_the_assignees_disciplines():
    kind = f.DeliverableTypeFactory(name="Workshop")
    design, copy = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Copy")
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("8"), planned_start=THU, due_date=FRI)
    deliverable.assignees.add(person(design), person(design), person(copy))
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("50"), planned_start=THU, due_date=FRI)  # nobody

    # 8 h over Thu, Fri = 4 a day, evenly over the two disciplines (not the three people): 2 each.
    # The unassigned deliverable has no discipline to count against and is left out.
    assert demand() == {design.pk: {THU: D("2"), FRI: D("2")}, copy.pk: {THU: D("2"), FRI: D("2")}}


def test_a_later_window_gets_its_share_of_a_spread_that_starts_tomorrow(key_visual):
    kind, design, copy = key_visual
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("20"), due_date=WED)
    # 20 h over Thu, Fri, Mon, Tue, Wed = 4 h a day (design 3, copy 1), wherever the window starts.
    assert demand(start=MON, end=WED) == {
        design.pk: {MON: D("3"), TUE: D("3"), WED: D("3")},
        copy.pk: {MON: D("1"), TUE: D("1"), WED: D("1")},
    }


def test_demand_can_be_limited_to_some_disciplines(key_visual):
    kind, design, copy = key_visual
    f.DeliverableFactory(deliverable_type=kind, planned_hours=D("8"), planned_start=THU, due_date=THU)
    assert demand(disciplines=[copy.pk]) == {copy.pk: {THU: D("2")}}


def test_demand_starts_after_today():
    with pytest.raises(ValueError):
        demand_by_discipline(TODAY, FRI, today=TODAY)
