"""The productivity family (DESIGN §3, productivity and utilization): every figure worked out
by hand.

The night computed is Sun 22 Nov 2026: the 28 days ending it run from Mon 26 Oct to Sun 22 Nov,
four whole weeks (Mondays 26 Oct, 2, 9 and 16 Nov) with 20 weekdays. The clock stands at
Wed 25 Nov, so some records fall after the night."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from metrics.families.productivity import compute
from studio.clock import studio_zone
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

METRICS = ["output_units", "approved_hours", "productivity", "capacity", "logged_utilization", "booked_utilization"]


def oct_(day: int) -> dt.date:
    return dt.date(2026, 10, day)


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


NIGHT = nov(22)
# When the bookings were made, unless a test says otherwise: well before the night.
BOOKED_ON = oct_(1)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=studio_zone())


def q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def figures(day: dt.date = NIGHT) -> dict[str, dict[str, Decimal | None]]:
    """{scope key: {metric: value}} of `compute(day)`."""
    result: dict[str, dict] = {}
    for value in compute(day):
        result.setdefault(value.scope_key, {})[value.metric] = value.value
    return result


def of(talent) -> str:
    return f"talent:{talent.pk}"


def week(talent, monday: dt.date, status: str = "approved"):
    """The person's timesheet of the week of `monday`; an approved one was approved on its Friday."""
    approved_at = noon(monday + dt.timedelta(days=4)) if status == "approved" else None
    return f.TimesheetFactory(talent=talent, week_start=monday, status=status, approved_at=approved_at)


def log(sheet, project, day: dt.date, hours: str, deliverable=None):
    return f.TimeEntryFactory(timesheet=sheet, project=project, deliverable=deliverable, date=day, hours=Decimal(hours))


def approved(project, quantity: int, on: dt.date):
    """A deliverable of `quantity` units approved at noon on `on`."""
    return f.DeliverableFactory(
        project=project, quantity=quantity, status="approved", percent_complete=100, approved_at=noon(on)
    )


def book(
    talent, project, start: dt.date, end: dt.date, hours: str, status: str = "confirmed", made: dt.date = BOOKED_ON
):
    """A booking made (created) at noon on `made`."""
    return f.BookingFactory(
        talent=talent,
        project=project,
        start_date=start,
        end_date=end,
        hours_per_day=Decimal(hours),
        status=status,
        created_at=noon(made),
    )


def test_a_month_of_work_for_a_studio_of_three():
    design, motion = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Motion")
    ana = f.TalentFactory(discipline=design, hours_per_day=Decimal("8"))
    ben = f.TalentFactory(discipline=motion, hours_per_day=Decimal("7.5"))
    fay = f.FreelanceTalentFactory(
        discipline=motion, hours_per_day=Decimal("8"), contract_start=nov(9), contract_end=dt.date(2026, 12, 31)
    )
    f.HolidayFactory(date=nov(11), name="Studio day")  # a Wednesday
    f.TimeOffFactory(talent=ana, start_date=nov(3), end_date=nov(4), status="approved")  # Tue 3, Wed 4: full days
    f.TimeOffFactory(talent=ben, start_date=nov(5), end_date=nov(5), status="requested")  # not approved: no effect

    client = f.ProjectFactory()
    internal = f.ProjectFactory(brand=None, is_internal=True)
    x = approved(client, 3, nov(19))
    y = approved(client, 2, nov(20))
    z = approved(client, 5, nov(23))  # after the night: no output
    w = approved(client, 4, oct_(20))  # before the window: no output
    v = approved(internal, 1, nov(10))  # internal work is output too

    # Ana: 6 + 6 h on X, 6 h of internal work, 8 h on Z; a submitted week and a week after the night.
    sheet = week(ana, nov(9))
    log(sheet, client, nov(9), "6", x)
    log(sheet, client, nov(10), "6", x)
    log(sheet, internal, nov(12), "6")
    log(week(ana, nov(16)), client, nov(16), "8", z)
    log(week(ana, nov(2), status="submitted"), client, nov(5), "5", x)  # not approved: not counted
    log(week(ana, nov(23)), client, nov(23), "4", x)  # after the night: not counted, not in X's shares
    # Ben: 4 h on X before the window (it counts for his share of X), 4 h on X and 4 h on V in it.
    sheet = week(ben, oct_(19))
    log(sheet, client, oct_(20), "4", x)
    log(sheet, client, oct_(21), "2", w)  # before the window
    sheet = week(ben, nov(16))
    log(sheet, client, nov(17), "4", x)
    log(sheet, internal, nov(18), "4", v)
    # Fay, freelance: 6 h on Y.
    log(week(fay, nov(16)), client, nov(19), "6", y)

    book(ana, client, nov(2), nov(6), "4")  # lands Mon 2, Thu 5, Fri 6 (off Tue 3, Wed 4): 3 × 4 = 12
    book(ana, client, nov(9), nov(13), "8", status="tentative")  # tentative: not counted
    book(ana, internal, nov(16), nov(20), "2")  # internal: not counted
    book(ben, client, nov(9), nov(13), "6")  # Mon 9, Tue 10, Thu 12, Fri 13 (Wed 11 holiday): 4 × 6 = 24
    book(ben, client, nov(20), nov(24), "5")  # Fri 20 only (weekend, then after the night): 5
    book(ben, client, nov(16), nov(16), "2", made=nov(23))  # made after the night: not counted
    book(fay, client, nov(16), nov(20), "8")  # 5 × 8 = 40
    f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        project=client,
        start_date=nov(9),
        end_date=nov(13),
        status="tentative",
        created_at=noon(BOOKED_ON),
    )  # a placeholder: nobody

    got = figures()

    # Shares of X (3 units) by hours on it up to the night: Ana 6 + 6 = 12, Ben 4 + 4 = 8; of 20.
    assert got[of(ana)]["output_units"] == Decimal("1.8")  # 3 × 12/20
    assert got[of(ben)]["output_units"] == Decimal("2.2")  # 3 × 8/20 + V: 1 × 4/4
    assert got[of(fay)]["output_units"] == Decimal("2")  # Y: 2 × 6/6
    assert got[of(ana)]["approved_hours"] == Decimal("26")  # 6 + 6 + 6 + 8
    assert got[of(ben)]["approved_hours"] == Decimal("8")  # 4 + 4 (20 Oct is before the window)
    assert got[of(fay)]["approved_hours"] == Decimal("6")  # 21 Oct is before the window
    assert q4(got[of(ana)]["productivity"]) == Decimal("6.9231")  # 1.8 × 100 / 26 = 6.92307…
    assert got[of(ben)]["productivity"] == Decimal("27.5")  # 2.2 × 100 / 8
    assert q4(got[of(fay)]["productivity"]) == Decimal("33.3333")  # 2 × 100 / 6
    # Capacity: 20 weekdays − the holiday = 19 working days.
    assert got[of(ana)]["capacity"] == Decimal("136")  # (19 − 2 days off) × 8
    assert got[of(ben)]["capacity"] == Decimal("142.5")  # 19 × 7.5
    assert got[of(fay)]["capacity"] == Decimal("72")  # contract from Mon 9 Nov: 10 weekdays − holiday = 9 × 8
    # Logged on client work: Ana 6 + 6 + 8 = 20, Ben 4, Fay 6.
    assert q4(got[of(ana)]["logged_utilization"]) == Decimal("0.1471")  # 20 / 136 = 0.14705…
    assert q4(got[of(ben)]["logged_utilization"]) == Decimal("0.0281")  # 4 / 142.5 = 0.02807…
    assert q4(got[of(fay)]["logged_utilization"]) == Decimal("0.0833")  # 6 / 72
    assert q4(got[of(ana)]["booked_utilization"]) == Decimal("0.0882")  # 12 / 136 = 0.08823…
    assert q4(got[of(ben)]["booked_utilization"]) == Decimal("0.2035")  # (24 + 5) / 142.5 = 0.20350…
    assert q4(got[of(fay)]["booked_utilization"]) == Decimal("0.5556")  # 40 / 72

    assert got[f"discipline:{design.pk}"] == got[of(ana)]
    motion_figures = got[f"discipline:{motion.pk}"]  # Ben and Fay
    assert motion_figures["output_units"] == Decimal("4.2")  # 2.2 + 2
    assert motion_figures["approved_hours"] == Decimal("14")  # 8 + 6
    assert motion_figures["productivity"] == Decimal("30")  # 4.2 × 100 / 14
    assert motion_figures["capacity"] == Decimal("214.5")  # 142.5 + 72
    assert q4(motion_figures["logged_utilization"]) == Decimal("0.0466")  # (4 + 6) / 214.5 = 0.04662…
    assert q4(motion_figures["booked_utilization"]) == Decimal("0.3217")  # (29 + 40) / 214.5 = 0.32167…

    studio = got["studio"]
    assert studio["output_units"] == Decimal("6")  # X 3 + Y 2 + V 1
    assert studio["approved_hours"] == Decimal("40")  # 26 + 8 + 6
    assert studio["productivity"] == Decimal("15")  # 6 × 100 / 40
    assert studio["capacity"] == Decimal("350.5")  # 136 + 142.5 + 72
    assert q4(studio["logged_utilization"]) == Decimal("0.0856")  # (20 + 4 + 6) / 350.5 = 0.08559…
    assert q4(studio["booked_utilization"]) == Decimal("0.2311")  # (12 + 29 + 40) / 350.5 = 0.23109…
    assert set(got) == {"studio", f"discipline:{design.pk}", f"discipline:{motion.pk}", of(ana), of(ben), of(fay)}
    assert all(list(values) == METRICS for values in got.values())


def test_people_since_gone_count_for_the_studio_only():
    design = f.DisciplineFactory(name="Design")
    print_ = f.DisciplineFactory(name="Print", active=False)
    ana = f.TalentFactory(discipline=design)
    gus = f.TalentFactory(discipline=design, active=False)
    pia = f.TalentFactory(discipline=print_)
    client = f.ProjectFactory()
    x = approved(client, 2, nov(18))
    approved(client, 4, nov(19))  # nobody logged time on it: the studio's output alone
    log(week(ana, nov(16)), client, nov(16), "3", x)
    log(week(gus, nov(16)), client, nov(17), "1", x)

    got = figures()

    # X's 2 units: Ana 3 h, Gus 1 h of 4.
    assert got[of(ana)]["output_units"] == Decimal("1.5")  # 2 × 3/4
    assert got[of(ana)]["productivity"] == Decimal("50")  # 1.5 × 100 / 3
    assert got[f"discipline:{design.pk}"]["output_units"] == Decimal("1.5")  # Ana's; Gus has gone
    assert got[f"discipline:{design.pk}"]["approved_hours"] == Decimal("3")
    studio = got["studio"]
    assert studio["output_units"] == Decimal("6")  # 2 + 4
    assert studio["approved_hours"] == Decimal("4")  # Ana 3 + Gus 1
    assert studio["productivity"] == Decimal("150")  # 6 × 100 / 4
    assert studio["capacity"] == Decimal("320")  # Ana and Pia: 2 × 20 working days × 8
    assert studio["logged_utilization"] == Decimal("0.009375")  # Ana's 3 / 320: Gus's capacity is not counted
    assert studio["booked_utilization"] == Decimal("0")  # 0 / 320
    # Pia works in a discipline no longer in use: she has her own figures, the discipline none.
    assert got[of(pia)]["capacity"] == Decimal("160")
    assert set(got) == {"studio", f"discipline:{design.pk}", of(ana), of(pia)}


def test_undefined_without_hours_or_capacity():
    design = f.DisciplineFactory(name="Design")
    idle = f.FreelanceTalentFactory(discipline=design, contract_start=oct_(1), contract_end=oct_(23))

    got = figures()

    assert got[of(idle)] == {
        "output_units": Decimal("0"),
        "approved_hours": Decimal("0"),
        "productivity": None,  # no hours
        "capacity": Decimal("0"),  # the contract ended before the window
        "logged_utilization": None,
        "booked_utilization": None,
    }
    assert got["studio"]["productivity"] is None
    assert got["studio"]["logged_utilization"] is None


@pytest.mark.parametrize("size", [1, 3])
def test_query_count_does_not_grow_with_people(size, django_assert_num_queries):
    f.HolidayFactory(date=nov(11), name="Studio day")
    internal = f.ProjectFactory(brand=None, is_internal=True)
    for n in range(size):
        discipline = f.DisciplineFactory(name=f"Discipline {n}")
        people = [f.TalentFactory(discipline=discipline), f.FreelanceTalentFactory(discipline=discipline)]
        client = f.ProjectFactory()
        work = approved(client, 2, nov(18))
        for person in people:
            f.TimeOffFactory(talent=person, start_date=nov(3), end_date=nov(3))
            sheet = week(person, nov(16))
            log(sheet, client, nov(16), "5", work)
            log(sheet, internal, nov(17), "3")
            book(person, client, nov(9), nov(13), "4")
    studio_zone()  # the studio's time zone is read once and cached: not the family's query

    # Active people, active disciplines, hours by person, units approved, hours on them by
    # person, capacity, the confirmed bookings' hours.
    with django_assert_num_queries(7):
        values = compute(NIGHT)

    assert len(values) == 6 * (1 + size + 2 * size)
    assert {value.scope_key: value.value for value in values if value.metric == "output_units"}["studio"] == 2 * size
