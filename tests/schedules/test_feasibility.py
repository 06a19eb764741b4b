"""Feasibility of a request (DESIGN §2), with the verdicts worked out by hand.

TODAY is Wednesday 25 November 2026; the window starts tomorrow, Thursday 26:
    Thu 26  Fri 27  (Sat 28  Sun 29)  Mon 30  Tue 1 Dec  Wed 2  Thu 3  Fri 4  …  Wed 9
With a deadline of Wed 2 December the window holds 5 working days.

The studio in `studio` below: a designer (8 h a day) and a copywriter (4 h a day), both staff.
    Design: 20 freelance hours a week can be sourced, billed at 95.50 an hour.
    Copy:   10 freelance hours a week, billed at 80.00.
    A key visual takes 10 h of design and 2 h of copy; a manifesto 20 h of copy.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from schedules.feasibility import FITS, FREELANCE, IMPOSSIBLE, request_feasibility
from tests import factories as f
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

THU, FRI, SAT, SUN, MON, TUE, WED, THU2, FRI2 = (dt.date(2026, 11, 26) + dt.timedelta(days=n) for n in range(9))
WED2 = dt.date(2026, 12, 9)


@pytest.fixture
def studio():
    design = f.DisciplineFactory(name="Design", freelance_hours_per_week=D("20"), freelance_bill_rate=D("95.50"),
                                 freelance_cost_rate=D("60.00"))
    copy = f.DisciplineFactory(name="Copy", freelance_hours_per_week=D("10"), freelance_bill_rate=D("80.00"),
                               freelance_cost_rate=D("50.00"))
    key_visual = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=key_visual, discipline=design, hours_per_unit=D("10"))
    f.StandardHoursFactory(deliverable_type=key_visual, discipline=copy, hours_per_unit=D("2"))
    manifesto = f.DeliverableTypeFactory(name="Manifesto")
    f.StandardHoursFactory(deliverable_type=manifesto, discipline=copy, hours_per_unit=D("20"))
    designer = f.TalentFactory(discipline=design, hours_per_day=D("8"))
    writer = f.TalentFactory(discipline=copy, hours_per_day=D("4"))
    return type("Studio", (), locals())


def rows(result):
    return {row.discipline.name: (row.need, row.free) for row in result.disciplines}


def test_fits_when_every_discipline_has_the_free_hours(studio):
    result = request_feasibility(items=[(studio.key_visual, 3)], deadline=WED, today=TODAY)

    # Design: need 3 × 10 = 30, free 5 days × 8 = 40. Copy: need 3 × 2 = 6, free 5 × 4 = 20.
    assert rows(result) == {"Copy": (D("6"), D("20")), "Design": (D("30"), D("40"))}
    assert result.working_days == 5
    assert result.verdict == FITS
    assert result.extra_freelance_hours == 0 and result.extra_freelance_price == 0
    assert result.earliest_feasible_date is None


def test_needs_freelance_hours_within_what_the_studio_can_source(studio):
    result = request_feasibility(items=[(studio.key_visual, 5)], deadline=WED, today=TODAY)

    # Design: need 50, free 40, gap 10 ≤ 20 h a week × 5 working days / 5 = 20. Copy: 10 ≤ 20.
    assert result.verdict == FREELANCE
    assert result.extra_freelance_hours == D("10")
    # Priced at the freelance bill rate, never the cost rate: 10 × 95.50 = 955.00.
    assert result.extra_freelance_price == D("955.00")
    assert result.earliest_feasible_date is None


def test_freelance_hours_of_several_disciplines_are_added_up(studio):
    items = [(studio.key_visual, 5), (studio.manifesto, 1)]
    result = request_feasibility(items=items, deadline=WED, today=TODAY)

    # Design gap 50 − 40 = 10 ≤ 20. Copy: need 5 × 2 + 20 = 30, free 20, gap 10 ≤ 10 × 5 / 5 = 10.
    # 10 × 95.50 + 10 × 80.00 = 955.00 + 800.00 = 1755.00.
    assert result.verdict == FREELANCE
    assert result.extra_freelance_hours == D("20")
    assert result.extra_freelance_price == D("1755.00")


def test_cannot_be_met_names_the_earliest_deadline_that_works(studio):
    result = request_feasibility(items=[(studio.key_visual, 7)], deadline=WED, today=TODAY)

    # Design by Wed 2: need 70, free 40, gap 30 > 20 sourceable.
    # By Thu 3 (6 working days): free 48, gap 22 ≤ 20 × 6 / 5 = 24 → feasible with freelance help.
    assert result.verdict == IMPOSSIBLE
    assert result.earliest_feasible_date == THU2
    # The rows still describe the asked deadline.
    assert rows(result)["Design"] == (D("70"), D("40"))


def test_each_discipline_gap_must_fit_its_own_freelance_hours(studio):
    result = request_feasibility(items=[(studio.manifesto, 3)], deadline=WED, today=TODAY)

    # Copy needs 60. After n working days: free 4n, sourceable 10 × n / 5 = 2n; feasible
    # once 60 − 4n ≤ 2n, i.e. n ≥ 10: the 10th working day from Thu 26 is Wed 9 December.
    assert result.verdict == IMPOSSIBLE
    assert result.earliest_feasible_date == WED2


def test_booked_and_planned_work_takes_free_capacity(studio):
    f.BookingFactory(talent=studio.designer, start_date=THU, end_date=WED, hours_per_day=D("4"))
    result = request_feasibility(items=[(studio.key_visual, 3)], deadline=WED, today=TODAY)

    # Design: 40 − 5 working days × 4 booked = 20 free; need 30, gap 10 ≤ 20.
    assert rows(result)["Design"] == (D("30"), D("20"))
    assert result.verdict == FREELANCE
    assert result.extra_freelance_hours == D("10")


def test_freelancers_under_contract_add_capacity(studio):
    f.FreelanceTalentFactory(discipline=studio.design, hours_per_day=D("8"), contract_start=THU, contract_end=FRI)
    result = request_feasibility(items=[(studio.key_visual, 5)], deadline=WED, today=TODAY)

    # Design: 40 + the freelancer's Thu and Fri, 2 × 8 = 56 free ≥ 50 needed.
    assert rows(result)["Design"] == (D("50"), D("56"))
    assert result.verdict == FITS


def test_holidays_shorten_the_window_and_the_freelance_hours_with_it(studio):
    f.HolidayFactory(date=MON, name="Studio day")

    four = request_feasibility(items=[(studio.key_visual, 4)], deadline=WED, today=TODAY)
    # 4 working days: design free 32, need 40, gap 8 ≤ 20 × 4 / 5 = 16.
    assert (four.working_days, four.verdict, four.extra_freelance_hours) == (4, FREELANCE, D("8"))

    five = request_feasibility(items=[(studio.key_visual, 5)], deadline=WED, today=TODAY)
    # Need 50: gap 18 > 16. By Thu 3 (5 working days): free 40, gap 10 ≤ 20.
    assert five.verdict == IMPOSSIBLE and five.earliest_feasible_date == THU2


def test_the_price_is_rounded_half_up_to_cents_when_shown():
    retouch = f.DisciplineFactory(name="Retouch", freelance_hours_per_week=D("20"), freelance_bill_rate=D("10.10"))
    clean_up = f.DeliverableTypeFactory(name="Clean-up")
    f.StandardHoursFactory(deliverable_type=clean_up, discipline=retouch, hours_per_unit=D("40.25"))
    f.TalentFactory(discipline=retouch, hours_per_day=D("8"))

    result = request_feasibility(items=[(clean_up, 1)], deadline=WED, today=TODAY)

    # Need 40.25, free 40, gap 0.25 h × 10.10 = 2.525 → shown 2.53 (half-up, not half-even 2.52).
    assert result.extra_freelance_price == D("2.525")
    assert result.extra_freelance_price_shown == D("2.53")
    assert result.extra_freelance_hours_about == 1


def test_no_deadline_within_a_year_when_nobody_can_do_the_work():
    nobody = f.DisciplineFactory(name="Sound", freelance_hours_per_week=D("0"))
    mix = f.DeliverableTypeFactory(name="Mix")
    f.StandardHoursFactory(deliverable_type=mix, discipline=nobody, hours_per_unit=D("5"))

    result = request_feasibility(items=[(mix, 1)], deadline=WED, today=TODAY)

    assert result.verdict == IMPOSSIBLE
    assert result.earliest_feasible_date is None


def test_items_by_instance_or_id_add_up_and_types_without_standard_hours_are_named(studio):
    workshop = f.DeliverableTypeFactory(name="Workshop")
    items = [(studio.key_visual, 1), (studio.key_visual.pk, 2), (workshop.pk, 4)]

    result = request_feasibility(items=items, deadline=WED, today=TODAY)

    # 1 + 2 = 3 key visuals: design 30, copy 6.
    assert rows(result) == {"Copy": (D("6"), D("20")), "Design": (D("30"), D("40"))}
    assert [t.name for t in result.unestimated] == ["Workshop"]


def test_today_comes_from_the_studio_clock(studio, move_clock):
    move_clock(MON)
    result = request_feasibility(items=[(studio.key_visual, 1)], deadline=WED)
    # From Tue 1 to Wed 2: 2 working days, design free 16.
    assert (result.start, result.working_days, rows(result)["Design"]) == (TUE, 2, (D("10"), D("16")))


@pytest.mark.parametrize("deadline", [TODAY, TODAY - dt.timedelta(days=1)])
def test_the_deadline_must_be_after_today(studio, deadline):
    with pytest.raises(ValueError):
        request_feasibility(items=[(studio.key_visual, 1)], deadline=deadline, today=TODAY)
