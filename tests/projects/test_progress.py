"""Earned hours as of a day (DESIGN §3, schedule variance), from the progress history."""

import datetime as dt
from decimal import Decimal as D

import pytest

from projects.progress import NOTHING, Earned, earned_hours
from studio import clock
from tests import factories
from tests.conftest import studio_noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# Monday 23 November 2026; factories.TODAY is the Wednesday after it.
MON = factories.monday(factories.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def progress(deliverable, on, percent, status="in_progress", hour=12):
    factories.DeliverableProgressFactory(
        deliverable=deliverable,
        date=on,
        status=status,
        percent_complete=percent,
        recorded_at=dt.datetime.combine(on, dt.time(hour), tzinfo=dt.UTC),
    )


def planned_project():
    project = factories.ProjectFactory(planned_start=day(-21), due_date=day(11))
    # A: 40 h; 25 % on Mon 9 Nov, 40 % then 50 % on Mon 16 Nov (the later record wins),
    # 75 % on Wed 25 Nov.
    a = factories.DeliverableFactory(project=project, planned_hours=D("40"), status="in_progress")
    progress(a, day(-14), 25)
    progress(a, day(-7), 40, hour=9)
    progress(a, day(-7), 50, hour=15)
    progress(a, day(2), 75)
    # B: 20 h; 60 % on Mon 16 Nov, approved on Fri 20 Nov (history and approval time).
    b = factories.DeliverableFactory(
        project=project, planned_hours=D("20"), status="approved", approved_at=studio_noon(day(-3)), percent_complete=60
    )
    progress(b, day(-7), 60)
    progress(b, day(-3), 60, status="approved")
    # C: 30 h, cancelled: out of both EV and BAC.
    c = factories.DeliverableFactory(project=project, planned_hours=D("30"), status="cancelled")
    progress(c, day(-7), 80)
    # D: 10 h, nothing recorded yet.
    factories.DeliverableFactory(project=project, planned_hours=D("10"))
    # E: 16 h, approved on Fri 20 Nov with no history row: its approval time counts.
    factories.DeliverableFactory(
        project=project, planned_hours=D("16"), status="delivered", approved_at=studio_noon(day(-3))
    )
    return project


def test_earned_hours_follow_the_history_as_of_the_day():
    project = planned_project()
    empty = factories.ProjectFactory()

    on_monday = earned_hours([project, empty], day(0))
    # BAC = 40 + 20 + 10 + 16 = 86 h (C cancelled).
    # EV on Mon 23 Nov = 40 × 50 % + 20 × 100 % + 10 × 0 % + 16 × 100 % = 20 + 20 + 0 + 16 = 56 h.
    assert on_monday[project.pk] == Earned(ev=D("56"), bac=D("86"))
    assert on_monday[project.pk].fraction == D("56") / D("86")
    assert on_monday[empty.pk] == NOTHING
    assert NOTHING.fraction is None

    # On Thu 19 Nov: A 50 % (Mon 16 Nov), B 60 % (not yet approved), D 0, E 0 (approved the day after):
    # 20 + 12 + 0 + 0 = 32 h.
    assert earned_hours([project.pk], day(-4))[project.pk] == Earned(ev=D("32"), bac=D("86"))
    # On Wed 25 Nov A's 75 % counts: 30 + 20 + 0 + 16 = 66 h.
    assert earned_hours([project], day(2))[project.pk] == Earned(ev=D("66"), bac=D("86"))
    # Before anything was recorded: nothing earned.
    assert earned_hours([project], day(-15))[project.pk] == Earned(ev=D("0"), bac=D("86"))


def test_percent_of_hours_keeps_its_fractions():
    project = factories.ProjectFactory()
    deliverable = factories.DeliverableFactory(project=project, planned_hours=D("12.5"))
    progress(deliverable, day(-1), 33)
    # 12.5 × 33 % = 4.125 h, not rounded.
    assert earned_hours([project], day(0))[project.pk] == Earned(ev=D("4.125"), bac=D("12.5"))


def test_no_projects_no_query(django_assert_num_queries):
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(0):
        assert earned_hours([], day(0)) == {}


@pytest.mark.parametrize("size", [1, 8])
def test_earned_hours_take_one_query_whatever_the_number_of_projects(size, django_assert_num_queries):
    projects = [planned_project() for _n in range(size)]
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(1):
        earned = earned_hours(projects, day(0))
    assert {e.ev for e in earned.values()} == {D("56")}
