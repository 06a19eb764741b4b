"""Unbooked hours of a deliverable split by its own planned hours by discipline
(`DeliverableHours`), with every expected number worked out by hand.

TODAY is Wednesday 25 November 2026, so tomorrow is Thursday 26 November:
    Thu 26  Fri 27  (Sat 28, Sun 29)  Mon 30
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from schedules.capacity import demand_by_discipline, demand_by_source
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

THU, FRI, MON = dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 30)


@pytest.fixture
def disciplines():
    return {name: f.DisciplineFactory(name=name) for name in ("Design", "Copy", "Motion")}


@pytest.fixture
def key_visual(disciplines):
    """The type's standard hours: design 3 h and copy 1 h per unit (¾ and ¼)."""
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=disciplines["Design"], hours_per_unit=D("3"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=disciplines["Copy"], hours_per_unit=D("1"))
    return kind


def planned(kind, hours: dict, **kwargs):
    """A deliverable due Friday with its planned hours by discipline (their sum as planned_hours)."""
    deliverable = f.DeliverableFactory(
        deliverable_type=kind, planned_hours=sum(hours.values(), D("0")), planned_start=THU, due_date=FRI, **kwargs
    )
    for discipline, value in hours.items():
        f.DeliverableHoursFactory(deliverable=deliverable, discipline=discipline, hours=value)
    return deliverable


def demand(**kwargs):
    return demand_by_discipline(THU, MON, today=TODAY, **kwargs)


def test_a_deliverables_own_hours_by_discipline_decide_the_split_not_its_type(key_visual, disciplines):
    design, copy, motion = disciplines["Design"], disciplines["Copy"], disciplines["Motion"]
    planned(key_visual, {design: D("2"), copy: D("4"), motion: D("6")})

    # 12 h over Thu and Fri = 6 h a day, split by the deliverable's own hours, not the
    # type's ¾ / ¼: design 2/12 × 6 = 1, copy 4/12 × 6 = 2, motion 6/12 × 6 = 3.
    assert demand() == {
        design.pk: {THU: D("1"), FRI: D("1")},
        copy.pk: {THU: D("2"), FRI: D("2")},
        motion.pk: {THU: D("3"), FRI: D("3")},
    }


def test_booked_hours_come_off_before_the_split(key_visual, disciplines):
    design, copy = disciplines["Design"], disciplines["Copy"]
    deliverable = planned(key_visual, {design: D("6"), copy: D("6")})
    f.BookingFactory(talent=f.TalentFactory(discipline=design), project=deliverable.project, deliverable=deliverable,
                     start_date=THU, end_date=THU, hours_per_day=D("4"))

    # Booked: design 4 h on Thu. Unbooked 12 − 4 = 8 h over Thu and Fri = 4 h a day,
    # half each (6 of 12): design 2, copy 2. Design on Thu: 4 booked + 2 = 6.
    assert demand() == {design.pk: {THU: D("6"), FRI: D("2")}, copy.pk: {THU: D("2"), FRI: D("2")}}


def test_a_discipline_with_no_hours_gets_no_share(key_visual, disciplines):
    design, copy = disciplines["Design"], disciplines["Copy"]
    planned(key_visual, {design: D("8"), copy: D("0")})

    # 8 h over Thu and Fri, all design: 4 h a day; copy's 0 h row adds nothing.
    assert demand() == {design.pk: {THU: D("4"), FRI: D("4")}}


def test_deliverables_without_hours_by_discipline_keep_the_types_split(key_visual, disciplines):
    design, copy, motion = disciplines["Design"], disciplines["Copy"], disciplines["Motion"]
    planned(key_visual, {motion: D("4")})
    f.DeliverableFactory(deliverable_type=key_visual, planned_hours=D("8"), planned_start=THU, due_date=FRI)

    # With rows: 4 h all motion, 2 h a day. Without rows, the type's split: 8 h over
    # Thu and Fri = 4 h a day, design ¾ = 3, copy ¼ = 1.
    assert demand() == {
        design.pk: {THU: D("3"), FRI: D("3")},
        copy.pk: {THU: D("1"), FRI: D("1")},
        motion.pk: {THU: D("2"), FRI: D("2")},
    }


def test_hours_by_discipline_win_over_the_assignees_disciplines(disciplines):
    design, motion = disciplines["Design"], disciplines["Motion"]
    workshop = f.DeliverableTypeFactory(name="Workshop")  # no standard hours
    deliverable = planned(workshop, {motion: D("4")})
    deliverable.assignees.add(f.TalentFactory(discipline=design))

    # 4 h over Thu and Fri, all motion, though the only assignee is a designer.
    assert demand() == {motion.pk: {THU: D("2"), FRI: D("2")}}


def test_the_drill_down_names_the_deliverable_for_its_planned_hours(key_visual, disciplines):
    motion = disciplines["Motion"]
    deliverable = planned(key_visual, {disciplines["Design"]: D("6"), motion: D("2")})

    # Motion's share: 2 of 8 h, all of it unbooked, Thu and Fri.
    assert demand_by_source(THU, MON, today=TODAY, disciplines=[motion.pk]) == [
        {"project": deliverable.project_id, "deliverable": deliverable.pk, "kind": "unbooked", "hours": D("2.00")}
    ]


@pytest.mark.parametrize("size", [1, 8])
def test_demand_reads_the_same_queries_whatever_the_rows(key_visual, disciplines, size, django_assert_num_queries):
    for n in range(size):
        planned(key_visual, {discipline: D(n + 1) for discipline in disciplines.values()})
        f.DeliverableFactory(deliverable_type=key_visual, planned_start=THU, due_date=FRI)
    # The calendar's bounds, then the demand itself: one query whatever the rows.
    with django_assert_num_queries(2):
        demand()
