"""`requests_feasibility`: the verdicts of a page of requests at once agree with
`request_feasibility` asked one request at a time, in a number of queries that does not
grow with the requests.

TODAY is Wednesday 25 November 2026; the window starts tomorrow, Thursday 26."""

import datetime as dt
from decimal import Decimal as D

import pytest

from schedules.feasibility import FITS, FREELANCE, IMPOSSIBLE, request_feasibility, requests_feasibility
from studio.workdays import plan_window
from tests import factories as f
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

THU, FRI, SAT, SUN, MON, TUE, WED = (dt.date(2026, 11, 26) + dt.timedelta(days=n) for n in range(7))


@pytest.fixture
def studio():
    design = f.DisciplineFactory(name="Design", freelance_hours_per_week=D("20"), freelance_bill_rate=D("95.50"))
    copy = f.DisciplineFactory(name="Copy", freelance_hours_per_week=D("10"), freelance_bill_rate=D("80.00"))
    key_visual = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=key_visual, discipline=design, hours_per_unit=D("10"))
    f.StandardHoursFactory(deliverable_type=key_visual, discipline=copy, hours_per_unit=D("2"))
    manifesto = f.DeliverableTypeFactory(name="Manifesto")
    f.StandardHoursFactory(deliverable_type=manifesto, discipline=copy, hours_per_unit=D("20"))
    workshop = f.DeliverableTypeFactory(name="Workshop")
    designer = f.TalentFactory(discipline=design, hours_per_day=D("8"))
    writer = f.TalentFactory(discipline=copy, hours_per_day=D("4"))
    # Demand, time off, a holiday and a freelancer under contract, so the days differ.
    f.BookingFactory(talent=designer, start_date=THU, end_date=FRI, hours_per_day=D("4"))
    f.BookingFactory(talent=writer, start_date=THU, end_date=FRI, hours_per_day=D("2"))
    f.HolidayFactory(date=MON, name="Studio day")
    f.FreelanceTalentFactory(discipline=design, hours_per_day=D("6"), contract_start=TUE, contract_end=WED)
    return type("Studio", (), locals())


def asks_of(studio):
    """Requests of every verdict, deadlines on working days and weekends, a type without
    standard hours and one with none at all."""
    kv, mf, ws = studio.key_visual, studio.manifesto, studio.workshop
    return {
        "fits": ([(kv, 1)], WED),
        "freelance": ([(kv, 4)], WED),
        "impossible": ([(kv, 9), (mf, 2)], WED),
        "weekend": ([(mf, 1)], SAT),
        "tomorrow": ([(kv, 1)], THU),
        "later": ([(kv.pk, 2), (mf.pk, 1), (ws.pk, 1)], WED + dt.timedelta(days=30)),
        "unestimated": ([(ws, 3)], TUE),
        "nothing": ([], FRI),
    }


def test_each_verdict_agrees_with_the_request_asked_alone(studio):
    asks = asks_of(studio)

    together = requests_feasibility(asks, today=TODAY)

    # To Wed 2 (Thu, Fri, Tue, Wed: Monday is a holiday): design 4 × 8 − 2 × 4 booked + the
    # freelancer's 2 × 6 = 36 free, 16 freelance; copy 4 × 4 − 2 × 2 = 12 free, 8 freelance.
    # By Saturday (Thu, Fri) copy has 4 free and 4 freelance hours for a manifesto's 20; by
    # tomorrow design has 4 free and 4 freelance hours for a key visual's 10.

    assert {key: result.verdict for key, result in together.items() if result.disciplines} == {
        "fits": FITS, "freelance": FREELANCE, "impossible": IMPOSSIBLE, "weekend": IMPOSSIBLE, "tomorrow": IMPOSSIBLE,
        "later": FITS,
    }
    for key, (items, deadline) in asks.items():
        alone = request_feasibility(items=items, deadline=deadline, today=TODAY)
        result = together[key]
        assert (result.verdict, result.disciplines, result.working_days, result.start, result.deadline) == (
            alone.verdict, alone.disciplines, alone.working_days, alone.start, alone.deadline
        ), key
        assert [kind.pk for kind in result.unestimated] == [kind.pk for kind in alone.unestimated], key
        assert result.extra_freelance_hours == alone.extra_freelance_hours, key
        # A list shows the verdict; the earliest date is looked for on the request's own page.
        assert result.earliest_feasible_date is None


def test_deadlines_outside_the_window_get_no_verdict(studio):
    far = plan_window(TODAY)[1] + dt.timedelta(days=1)
    one = [(studio.key_visual, 1)]
    asks = {"today": (one, TODAY), "past": (one, TODAY - dt.timedelta(days=3)), "far": (one, far), "fits": (one, WED)}
    result = requests_feasibility(asks, today=TODAY)
    assert result["today"] is None and result["past"] is None and result["far"] is None
    assert result["fits"].verdict == FITS
    assert requests_feasibility({}, today=TODAY) == {}


@pytest.mark.parametrize("size", [2, 10])
def test_the_queries_do_not_grow_with_the_requests(studio, size, django_assert_num_queries):
    asks = {n: ([(studio.key_visual, 1 + n), (studio.manifesto, 1)], WED + dt.timedelta(days=n)) for n in range(size)}
    # The types and their standard hours (2), holidays (1), capacity, the demand's calendar
    # bounds and demand (3).
    with django_assert_num_queries(6):
        result = requests_feasibility(asks, today=TODAY)
    assert all(result[n] is not None for n in range(size))
