"""Deliverables at risk: open, due from today through the fifth working day ahead, and
less complete than their planned fraction today (DESIGN §3). Every expected number is
worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.models import Deliverable
from projects.risk import deliverables_at_risk
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# TODAY is Wednesday 25 November 2026.
MON_16, WED_18, FRI_20 = dt.date(2026, 11, 16), dt.date(2026, 11, 18), dt.date(2026, 11, 20)
MON_23, TUE_24, WED_25, THU_26, FRI_27 = (dt.date(2026, 11, d) for d in (23, 24, 25, 26, 27))
MON_30, TUE_1, WED_2, THU_3 = dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3)


def deliverable(name, start, due, percent, **fields):
    return f.DeliverableFactory(name=name, planned_start=start, due_date=due, percent_complete=percent, **fields)


def at_risk():
    return {d.name: d.planned_today for d in deliverables_at_risk(Deliverable.objects.all(), TODAY)}


def test_below_the_planned_fraction_is_at_risk_and_on_it_is_not():
    # Mon 16 → Fri 27 Nov: 10 working days; Mon 16 → Wed 25 (today): 8. Planned 8/10 = 0.8.
    deliverable("behind", MON_16, FRI_27, 79)
    deliverable("on plan", MON_16, FRI_27, 80)
    # Due today: 3 working days of 3 planned (Mon 23 → Wed 25) = 1; 99 % is behind.
    deliverable("due today", MON_23, WED_25, 99)
    deliverable("done today", MON_23, WED_25, 100)

    assert at_risk() == {"behind": Decimal("0.8"), "due today": Decimal(1)}


def test_the_window_ends_on_the_fifth_working_day_after_today():
    # Working days after Wed 25: Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue 1 (4), Wed 2 (5).
    # Mon 23 → Wed 2 Dec: 8 working days, 3 of them by today: 3/8 = 0.375.
    deliverable("last day in", MON_23, WED_2, 37)
    deliverable("just on plan", MON_23, WED_2, 38)
    deliverable("a day too far", MON_23, THU_3, 0)
    # Overdue is its own section, not a risk.
    deliverable("overdue", MON_16, TUE_24, 0)

    assert at_risk() == {"last day in": Decimal("0.375")}


def test_a_holiday_moves_the_window_and_the_plan():
    f.HolidayFactory(date=FRI_27, name="Studio day")
    # The fifth working day is now Thu 3 Dec: Thu 26, Mon 30, Tue 1, Wed 2, Thu 3.
    # Mon 23 → Thu 3 Dec without Fri 27: 8 working days, 3 by today: 0.375.
    deliverable("now in the window", MON_23, THU_3, 0)
    # Mon 16 → Fri 27 without Fri 27: 9 working days, 8 by today: 8/9 = 0.888…, so 80 % is behind.
    deliverable("was on plan", MON_16, FRI_27, 80)

    risky = at_risk()

    assert risky["now in the window"] == Decimal("0.375")
    assert round(risky["was on plan"], 4) == Decimal("0.8889")


def test_past_holidays_count_from_a_plans_start():
    f.HolidayFactory(date=WED_18, name="Founders' day")
    # Mon 16 → Fri 27 without Wed 18: 9 working days; by today 7 (16, 17, 19, 20, 23, 24, 25).
    # 7/9 = 0.777…: 77 % is behind, 78 % is not.
    deliverable("behind", MON_16, FRI_27, 77)
    deliverable("ahead", MON_16, FRI_27, 78)

    assert list(at_risk()) == ["behind"]


def test_work_not_started_yet_and_closed_work_are_not_at_risk():
    # Starts tomorrow: nothing planned by today (0), and 0 % is not below 0.
    deliverable("starts tomorrow", THU_26, MON_30, 0)
    deliverable("approved", MON_16, FRI_27, 10, status="approved",
                approved_at=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    deliverable("cancelled", MON_16, FRI_27, 10, status="cancelled")
    # A weekend-only plan (Sat 28 → Sun 29) has no working day: 0 before its due date.
    deliverable("weekend", dt.date(2026, 11, 28), dt.date(2026, 11, 29), 0)

    assert at_risk() == {}


def test_soonest_due_first_in_two_queries_whatever_the_number(django_assert_num_queries):
    for n in range(6):
        deliverable(f"late {n}", FRI_20, WED_2 if n % 2 else THU_26, 0)
    with django_assert_num_queries(2):
        risky = deliverables_at_risk(Deliverable.objects.all(), TODAY)
    assert [d.due_date for d in risky] == [THU_26] * 3 + [WED_2] * 3
