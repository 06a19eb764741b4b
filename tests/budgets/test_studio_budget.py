"""The studio budget's freelance pool as of a day (DESIGN §3, "The studio budget"), what a
proposed booking would do to it, and the projects it funds; hand-computed figures."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import timezone

from budgets.models import StudioBudget
from budgets.studio_budget import funded_projects, pool_after_booking, pool_figures
from projects.models import Project
from schedules.models import Booking, Timesheet
from studio import clock
from studio.models import Holiday
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# Monday 23 November 2026; factories.TODAY is Wednesday 25 November (day(2)).
MON = factories.monday(factories.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def log(talent, project, on, hours, status="approved"):
    sheet, _created = Timesheet.objects.get_or_create(
        talent=talent,
        week_start=factories.monday(on),
        defaults={"status": status, "approved_at": timezone.now() if status == "approved" else None},
    )
    assert sheet.status == status
    factories.TimeEntryFactory(timesheet=sheet, project=project, date=on, hours=D(hours))


def rate(talent, cost, valid_from):
    factories.RateCardFactory(talent=talent, cost_rate=D(cost), valid_from=valid_from)


def freelancer(start, end, *rates):
    talent = factories.FreelanceTalentFactory(contract_start=start, contract_end=end)
    for cost, valid_from in rates:
        rate(talent, cost, valid_from)
    return talent


def quarter(pool="5000"):
    """Q4 2026: Thu 1 Oct (day(-53)) to Thu 31 Dec (day(38))."""
    return factories.StudioBudgetFactory(period_start=day(-53), period_end=day(38), freelance_pool=D(pool))


def the_pool():
    # F1 under contract Tue 1 Sep – Thu 31 Dec; 40 an hour, 50 from Tue 1 Dec.
    f1 = freelancer(day(-83), day(38), ("40", day(-365)), ("50", day(8)))
    # F2 under contract Sun 1 Nov – Sun 31 Jan 2027; 30 an hour.
    f2 = freelancer(day(-22), day(69), ("30", day(-365)))
    s = factories.TalentFactory()
    rate(s, "50", day(-365))
    p = factories.ProjectFactory()

    # Approved freelance hours: F1 Mon 28 Sep (before the period: out), Mon 5 Oct 8 × 40 = 320,
    # Tue 17 and Thu 19 Nov 16 × 40 = 640; F2 Fri 20 Nov 5 × 30 = 150. F2's Tue 24 Nov is not
    # approved; S is staff. Labour actual = 320 + 640 + 150 = 1,110.
    log(f1, p, day(-56), "8")
    log(f1, p, day(-49), "8")
    log(f1, p, day(-6), "8")
    log(f1, p, day(-4), "8")
    log(f2, p, day(-3), "5")
    log(f2, p, day(1), "8", status="submitted")
    log(s, p, day(-5), "8")

    # Freelance costs counted in the period: F1's fixed fee of 700 invoiced Tue 10 Nov. Not: F2's
    # committed fixed fee, F1's hourly invoice (reconciled), an expense, a fee paid before the period.
    cost = factories.CostFactory
    cost(project=p, kind="freelance_fixed", talent=f1, amount=D("700"), date=day(-13), status="invoiced")
    cost(project=p, kind="freelance_fixed", talent=f2, amount=D("2000"), date=day(-3), status="committed")
    cost(
        project=p,
        kind="freelance_hourly_invoice",
        talent=f1,
        amount=D("960"),
        date=day(2),
        status="invoiced",
        period_start=day(-49),
        period_end=day(-4),
    )
    cost(project=p, kind="expense", amount=D("500"), date=day(-11), status="invoiced")
    cost(project=p, kind="freelance_fixed", talent=f1, amount=D("400"), date=day(-64), status="paid")

    # A studio holiday on Tue 29 Dec.
    Holiday.objects.create(date=day(36), name="Studio day")

    booking = factories.BookingFactory
    # Confirmed, from Thu 26 Nov to the period's end, at the rate valid on Wed 25 Nov:
    # F1 Mon 23 Nov – Fri 4 Dec, 6 h: Thu 26, Fri 27 Nov, Mon 30 Nov – Fri 4 Dec = 7 days, 42 h × 40 = 1,680
    # (not 50, December's rate). F2 Mon 28 Dec – Fri 8 Jan, 4 h: Mon 28, Wed 30, Thu 31 Dec
    # (Tue 29 is a holiday, January is past the period) = 12 h × 30 = 360. Committed = 2,040 for 54 h.
    booking(talent=f1, project=p, start_date=day(0), end_date=day(11), hours_per_day=D("6"), status="confirmed")
    booking(talent=f2, project=p, start_date=day(35), end_date=day(46), hours_per_day=D("4"), status="confirmed")
    # Tentative: F2 Mon 7 – Fri 11 Dec, 8 h = 40 h × 30 = 1,200; F1 in January: past the period.
    hold = booking(talent=f2, project=p, start_date=day(14), end_date=day(18), hours_per_day=D("8"), status="tentative")
    booking(talent=f1, project=p, start_date=day(42), end_date=day(46), hours_per_day=D("8"), status="tentative")
    # Staff and a role still to staff do not draw on the pool.
    booking(talent=s, project=p, start_date=day(8), end_date=day(12), hours_per_day=D("8"), status="confirmed")
    booking(
        talent=None,
        placeholder_discipline=s.discipline,
        project=p,
        start_date=day(8),
        end_date=day(12),
        hours_per_day=D("8"),
        status="tentative",
    )
    return SimpleNamespace(f1=f1, f2=f2, s=s, project=p, hold=hold)


def test_pool_figures_as_of_wednesday():
    case = the_pool()
    figures = pool_figures(quarter(), day(2))

    assert figures.pool == D("5000")
    assert figures.actual_labour == D("1110")
    assert figures.actual_costs == D("700")
    assert figures.actual == D("1810")
    assert (figures.committed_hours, figures.committed) == (D("54"), D("2040"))
    assert (figures.tentative_hours, figures.if_holds_confirmed) == (D("40"), D("1200"))
    assert figures.remaining == D("1150")  # 5,000 − 1,810 − 2,040
    assert figures.remaining_if_holds_confirmed == D("-50")  # 1,150 − 1,200
    assert figures.spent_fraction == D("0.362")  # 1,810 / 5,000
    assert figures.over_pool is False
    assert figures.unrated_hours == D("0")

    # The 28 days ending Wed 25 Nov (from Thu 29 Oct): 640 + 150 + 700 = 1,490 over 20 working
    # days = 74.5 a day. (5,000 − 1,810) / 74.5 = 42.8 → the 43rd working day after Wed 25 Nov:
    # 26–27 Nov (2), 30 Nov – 25 Dec (22), 28, 30, 31 Dec and Fri 1 Jan (26), 4–22 Jan (41),
    # Mon 25 (42), Tue 26 Jan 2027 (43).
    assert figures.spent_last_28_days == D("1490")
    assert figures.burn_rate == D("74.5")
    assert figures.run_out_date == day(64)
    assert case.hold.status == "tentative"


def test_a_pool_spent_has_no_run_out_date():
    the_pool()
    figures = pool_figures(quarter(pool="1500"), day(2))
    assert figures.over_pool is True
    assert figures.run_out_date is None
    assert figures.remaining == D("-2350")  # 1,500 − 1,810 − 2,040


def test_the_pool_before_the_period_and_after_it():
    the_pool()
    budget = quarter()
    # As of Wed 30 Sep, the day before the period: nothing spent in it; everything booked lands ahead.
    before = pool_figures(budget, day(-54))
    assert before.actual == D("0")
    # F1 Mon 23 Nov – Fri 4 Dec = 10 days × 6 = 60 h × 40 = 2,400; F2 as on Wednesday 360.
    assert (before.committed_hours, before.committed) == (D("72"), D("2760"))
    # As of Fri 1 Jan 2027, after it: no more commitments.
    after = pool_figures(budget, day(39))
    assert (after.committed, after.if_holds_confirmed) == (D("0"), D("0"))
    assert after.actual == D("1810")


@pytest.mark.parametrize("size", [1, 8])
def test_pool_figures_take_the_same_queries_for_1_or_8_freelancers(size, django_assert_num_queries):
    project = factories.ProjectFactory()
    for _n in range(size):
        f = freelancer(day(-83), day(38), ("40", day(-365)))
        log(f, project, day(-6), "8")
        factories.BookingFactory(talent=f, project=project, start_date=day(3), end_date=day(4), status="confirmed")
    budget = quarter()
    # Freelancers' rates, labour in the period and in the last 28 days, costs, bookings landing, holidays.
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(6):
        figures = pool_figures(budget, day(2))
    assert figures.actual == D("320") * size  # 8 h × 40 each
    assert figures.committed == D("480") * size  # Thu 26 and Fri 27 Nov, 6 h × 40 each


# --- what a proposed booking does to the pool ------------------------------------------------


def test_a_new_freelancer_booking_before_it_is_saved():
    case = the_pool()
    budget = quarter()
    proposed = Booking(
        talent=case.f1,
        project=case.project,
        start_date=day(21),
        end_date=day(25),
        hours_per_day=D("8"),
        status="confirmed",
    )
    after = pool_after_booking(budget, proposed, day(2))
    # Mon 14 – Fri 18 Dec: 5 days × 8 h = 40 h × 40 (F1's rate on Wed 25 Nov) = 1,600.
    assert (after.hours, after.cost, after.replaced_cost) == (D("40"), D("1600"), D("0"))
    assert after.committed == D("3640")  # 2,040 + 1,600
    assert after.remaining == D("-450")  # 5,000 − 1,810 − 3,640
    assert after.remaining_if_holds_confirmed == D("-1650")  # − 1,200
    assert after.exceeds_pool is True
    assert after.before.remaining == D("1150")
    assert proposed.pk is None


def test_confirming_a_hold_moves_its_money_from_tentative_to_committed():
    case = the_pool()
    case.hold.status = "confirmed"
    after = pool_after_booking(quarter(), case.hold, day(2))
    # Its 40 h × 30 = 1,200 leave "if every hold is confirmed" and join committed.
    assert (after.cost, after.replaced_cost) == (D("1200"), D("1200"))
    assert after.committed == D("3240")  # 2,040 + 1,200
    assert after.if_holds_confirmed == D("0")
    assert after.remaining == D("-50")  # 5,000 − 1,810 − 3,240
    assert Booking.objects.get(pk=case.hold.pk).status == "tentative"


def test_a_booking_given_as_fields_counts_only_the_days_after_today():
    case = the_pool()
    after = pool_after_booking(
        quarter(),
        {
            "talent": case.f2,
            "project": case.project,
            "start_date": day(0),
            "end_date": day(4),
            "hours_per_day": D("4"),
            "status": "tentative",
        },
        day(2),
    )
    # Mon 23 – Fri 27 Nov, but only Thu 26 and Fri 27 are ahead: 8 h × 30 = 240, a hold.
    assert (after.hours, after.cost) == (D("8"), D("240"))
    assert after.committed == D("2040")
    assert after.if_holds_confirmed == D("1440")  # 1,200 + 240
    assert after.remaining == D("1150")


def test_a_staff_booking_leaves_the_pool_alone():
    case = the_pool()
    staff = Booking(
        talent=case.s,
        project=case.project,
        start_date=day(21),
        end_date=day(25),
        hours_per_day=D("8"),
        status="confirmed",
    )
    after = pool_after_booking(quarter(), staff, day(2))
    assert after.affects_pool is False
    assert (after.cost, after.remaining) == (D("0"), D("1150"))


# --- the projects it funds -----------------------------------------------------------------------


def test_funded_projects_are_those_active_in_the_period(django_assert_num_queries):
    project = factories.ProjectFactory
    running = project(code="A-1", planned_start=day(-21), due_date=day(4))
    overdue = project(code="A-2", planned_start=day(-114), due_date=day(-69))  # Aug – Sep, still active
    delivered = project(code="A-3", status="delivered", planned_start=day(-83), due_date=day(-44))  # into Oct
    project(code="B-1", status="intake", planned_start=day(-21), due_date=day(4))
    project(code="B-2", status="planned", planned_start=day(41), due_date=day(60))  # January
    project(code="B-3", status="cancelled", planned_start=day(-21), due_date=day(4))
    project(code="B-4", status="closed", planned_start=day(-144), due_date=day(-100))  # summer
    budget = factories.BudgetFactory(project=running, status="approved", approved_at=timezone.now())
    factories.BudgetLineFactory(budget=budget, amount=D("1000"))

    period = quarter()
    # The projects, then their health: earned hours, baselines, change orders, labour, costs, holidays.
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(7):
        funded = funded_projects(period, day(2))
    assert [row.project for row in funded] == [running, overdue, delivered]
    assert funded[0].health.bac == D("1000")
    assert funded[1].health.bac is None

    mine = funded_projects(period, day(2), projects=Project.objects.filter(pk=overdue.pk))
    assert [row.project for row in mine] == [overdue]


def test_studio_budgets_covering_a_day_shortest_first():
    q4 = quarter()
    year = factories.StudioBudgetFactory(
        period_start=dt.date(day(0).year, 1, 1), period_end=dt.date(day(0).year, 12, 31)
    )
    assert list(StudioBudget.objects.covering(day(2))) == [q4, year]
    assert list(StudioBudget.objects.covering(day(60))) == []


def test_pool_after_booking_takes_a_fixed_number_of_queries(django_assert_num_queries):
    case = the_pool()
    budget = quarter()
    proposed = Booking(
        talent=case.f1,
        project=case.project,
        start_date=day(21),
        end_date=day(25),
        hours_per_day=D("8"),
        status="confirmed",
    )
    # The pool's six, then the booking's landing days: the person's bookings, holidays, days off.
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(9):
        pool_after_booking(budget, proposed, day(2))
    case.hold.status = "confirmed"
    # And for a change, the saved booking and its landing days.
    with django_assert_num_queries(13):
        pool_after_booking(budget, case.hold, day(2))
