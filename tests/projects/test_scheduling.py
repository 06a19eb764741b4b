"""The plan on the working calendar (projects/scheduling.py), every date worked out by hand.

The calendar of November and December 2026:
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Sat 28  Sun 29 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4
"""

import datetime as dt
import random

import pytest

from projects.scheduling import (
    Task,
    WorkingDays,
    conflicts,
    push_forward,
    slack,
    topological_order,
    would_cycle,
)
from studio.workdays import WorkCalendar
from tests import factories as f

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(7))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))


def days():
    return WorkingDays.between(MON, dt.date(2027, 1, 31))


def test_working_days_index_skips_weekends_and_holidays():
    f.HolidayFactory(date=TUE2, name="Studio day")
    index = days()
    assert index.length(MON, FRI) == 5
    assert index.length(FRI, MON2) == 2  # Fri, (Sat, Sun), Mon
    assert index.length(MON2, WED2) == 2  # Tue 1 is a holiday
    assert index.length(SAT, SUN) == 0


def test_a_dependent_is_pushed_to_the_next_working_day_keeping_its_length():
    tasks = {
        1: Task(1, MON, WED),
        2: Task(2, THU, FRI, predecessors=(1,)),
        3: Task(3, MON2, TUE2, predecessors=(2,)),
    }
    # A moves to Mon 23 – Fri 27: B (2 working days) must start Mon 30 → Mon 30 – Tue 1;
    # C (2 working days) then starts Wed 2 → Wed 2 – Thu 3.
    move = push_forward(tasks, 1, MON, FRI, days())
    assert move.dates == {1: (MON, FRI), 2: (MON2, TUE2), 3: (WED2, THU2)}
    assert move.pushed == [2, 3]


def test_pushes_step_over_holidays():
    f.HolidayFactory(date=MON2, name="Studio day")
    tasks = {1: Task(1, MON, WED), 2: Task(2, THU, FRI, predecessors=(1,))}
    # A now ends Fri 27; Mon 30 is a holiday: B starts Tue 1 and, two working days long, ends Wed 2.
    assert push_forward(tasks, 1, MON, FRI, days()).dates[2] == (TUE2, WED2)


def test_a_dependent_with_room_to_spare_stays_and_nothing_moves_back():
    tasks = {1: Task(1, MON, TUE), 2: Task(2, MON2, TUE2, predecessors=(1,))}
    # A stretched to Thu 26 still ends before B starts on Mon 30: B stays.
    assert push_forward(tasks, 1, MON, THU, days()).dates == {1: (MON, THU)}
    # A moved earlier: B is not pulled back.
    assert push_forward(tasks, 1, MON - dt.timedelta(days=7), TUE - dt.timedelta(days=7), days()).pushed == []


def test_only_what_depends_on_the_moved_deliverable_is_pushed():
    tasks = {
        1: Task(1, MON, TUE),
        2: Task(2, WED, THU, predecessors=(1,)),
        3: Task(3, MON, WED),
        4: Task(4, WED, THU, predecessors=(3,)),  # already in conflict with 3, but 3 does not move
    }
    move = push_forward(tasks, 1, MON, WED, days())
    assert move.dates == {1: (MON, WED), 2: (THU, FRI)}


def test_a_successor_waits_for_its_latest_predecessor():
    tasks = {
        1: Task(1, MON, TUE),
        2: Task(2, MON, THU),
        3: Task(3, FRI, FRI, predecessors=(1, 2)),
    }
    # A moves to end Wed 25: C must still wait for B (due Thu 26), so it is not pushed.
    assert push_forward(tasks, 1, MON, WED, days()).pushed == []
    # B stretched to Fri 27: C (one day) moves to Mon 30.
    assert push_forward(tasks, 2, MON, FRI, days()).dates[3] == (MON2, MON2)


def test_slack_and_the_critical_path():
    tasks = {
        1: Task(1, MON, TUE),
        2: Task(2, WED, FRI, predecessors=(1,)),
        3: Task(3, MON, WED),
    }
    result = slack(tasks, days())
    # The project finishes Fri 27 with B. B: no successor, due Fri → slack 0. A must end the
    # working day before B's latest start (Wed) → by Tue, as planned → 0. C may end Fri → 2.
    assert result.finish == FRI
    assert result.slack == {1: 0, 2: 0, 3: 2}
    assert result.critical == {1, 2}


def test_a_gap_before_a_successor_is_slack():
    tasks = {1: Task(1, MON, TUE), 2: Task(2, MON2, TUE2, predecessors=(1,))}
    # B's latest start is Mon 30, so A may end as late as Fri 27: Wed, Thu, Fri = 3 days.
    assert slack(tasks, days()).slack == {1: 3, 2: 0}


def test_a_conflict_has_negative_slack_and_is_reported():
    tasks = {1: Task(1, MON, WED), 2: Task(2, TUE, THU, predecessors=(1,))}
    # B starts Tue, before A is due (Wed): A would have to end the Mon before → 2 days over.
    assert conflicts(tasks) == {(1, 2)}
    result = slack(tasks, days())
    assert result.slack == {1: -2, 2: 0}
    assert result.critical == {1, 2}


def test_cycles_are_found_before_they_are_made():
    tasks = {1: Task(1, MON, TUE), 2: Task(2, WED, THU, (1,)), 3: Task(3, FRI, FRI, (2,))}
    assert would_cycle(tasks, 3, 1)  # 1 → 2 → 3 → 1
    assert would_cycle(tasks, 2, 2)
    assert not would_cycle(tasks, 1, 3)
    assert topological_order(tasks) == [1, 2, 3]
    with pytest.raises(ValueError):
        topological_order({1: Task(1, MON, TUE, (2,)), 2: Task(2, MON, TUE, (1,))})


def test_counting_working_days_by_arithmetic_matches_walking_them():
    for day in (MON2, dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2026, 12, 26)):
        f.HolidayFactory(date=day, name=f"Day off {day}")
    calendar = WorkCalendar.between(dt.date(2026, 11, 1), dt.date(2027, 2, 28))
    rng = random.Random(7)
    for _ in range(300):
        start = dt.date(2026, 11, 1) + dt.timedelta(days=rng.randrange(110))
        end = start + dt.timedelta(days=rng.randrange(-3, 60))
        walked = sum(1 for _day in calendar.days(start, end))
        assert calendar.count(start, end) == walked, (start, end)
