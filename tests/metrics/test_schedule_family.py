"""The schedule family (DESIGN §3, schedule variance): every figure worked out by hand.

The calendar of November and December 2026: Mondays are 2, 9, 16, 23 and 30 November, 7 and
14 December. No studio holiday exists unless a test adds one."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from metrics.families.schedule import compute
from studio.clock import studio_zone
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

PROJECT_METRICS = {"pv", "ev", "bac", "sv", "spi", "es", "at", "sv_t", "spi_t", "forecast_finish"}
STUDIO_METRICS = {"sv_t", "share_ahead", "share_on_time", "share_behind"}


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def dec(day: int) -> dt.date:
    return dt.date(2026, 12, day)


def q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def project(start: dt.date, due: dt.date):
    return f.ProjectFactory(planned_start=start, due_date=due)


def deliverable(project, hours, start, due, **fields):
    return f.DeliverableFactory(
        project=project, planned_hours=Decimal(hours), planned_start=start, due_date=due, **fields
    )


def progress(deliverable, day, percent, status="in_progress"):
    return f.DeliverableProgressFactory(deliverable=deliverable, date=day, percent_complete=percent, status=status)


def approved(project, hours, start, due, on: dt.date):
    """A deliverable approved at noon (studio time) on `on`."""
    at = dt.datetime.combine(on, dt.time(12), tzinfo=studio_zone())
    return deliverable(project, hours, start, due, status="approved", percent_complete=100, approved_at=at)


def figures(day: dt.date, scope: str) -> dict:
    """{metric: value} of one scope (`project:<id>` or `studio`) in `compute(day)`."""
    rows = [value for value in compute(day) if value.scope_key == scope]
    return {value.metric: value.value for value in rows}


def of(project) -> str:
    return f"project:{project.pk}"


def test_project_behind_schedule():
    p = project(nov(2), nov(20))
    # 40 h over Mon 2 – Fri 6 Nov (5 working days), 60 h over Mon 9 – Fri 20 Nov (10).
    design = deliverable(p, "40", nov(2), nov(6))
    build = deliverable(p, "60", nov(9), nov(20))
    progress(design, nov(6), 80)
    progress(build, nov(10), 10)

    got = figures(nov(11), of(p))  # Wed 11 Nov: working day 8 of 15

    assert got["bac"] == Decimal("100")  # 40 + 60
    assert got["ev"] == Decimal("38")  # 40 × 0.80 + 60 × 0.10 = 32 + 6
    assert got["pv"] == Decimal("58")  # 40 × 1 + 60 × 3/10 = 40 + 18
    assert got["sv"] == Decimal("-20")  # 38 − 58
    assert q4(got["spi"]) == Decimal("0.6552")  # 38 / 58 = 0.65517…
    # PV(k) = 8k for k = 1…5, then 40 + 6(k − 5): PV(4) = 32 ≤ 38 < PV(5) = 40, so w = 4.
    assert got["es"] == Decimal("4.75")  # 4 + (38 − 32) / (40 − 32) = 4 + 6/8
    assert got["at"] == Decimal("8")  # Mon 2 – Wed 11 Nov: 5 + 3
    assert got["sv_t"] == Decimal("-3.25")  # 4.75 − 8
    assert got["spi_t"] == Decimal("0.59375")  # 4.75 / 8
    # ⌈15 / 0.59375⌉ = ⌈25.26…⌉ = 26: days 16–20 are 23–27 Nov, 21–25 are 30 Nov – 4 Dec, 26 is Mon 7 Dec.
    assert got["forecast_finish"] == dec(7)


def test_project_ahead_of_schedule():
    p = project(nov(16), nov(27))
    # 50 h over Mon 16 – Fri 27 Nov (10 working days): PV(k) = 5k.
    work = deliverable(p, "50", nov(16), nov(27))
    progress(work, nov(19), 70)

    got = figures(nov(20), of(p))  # Fri 20 Nov: working day 5

    assert got["ev"] == Decimal("35")  # 50 × 0.70
    assert got["pv"] == Decimal("25")  # 50 × 5/10
    assert got["sv"] == Decimal("10")  # 35 − 25
    assert got["spi"] == Decimal("1.4")  # 35 / 25
    assert got["es"] == Decimal("7")  # PV(7) = 35 ≤ 35 < PV(8) = 40: 7 + (35 − 35) / 5
    assert got["at"] == Decimal("5")
    assert got["sv_t"] == Decimal("2")  # 7 − 5
    assert got["spi_t"] == Decimal("1.4")  # 7 / 5
    assert got["forecast_finish"] == nov(25)  # ⌈10 / 1.4⌉ = ⌈7.14…⌉ = 8: Mon 23 = 6, Tue 24 = 7, Wed 25 = 8


def test_finished_project_keeps_its_final_figures():
    p = project(nov(2), nov(13))
    # 20 h over Mon 2 – Fri 6 Nov and 30 h over Mon 9 – Fri 13 Nov: N = 10. Both approved, the
    # last on Wed 11 Nov, two days before it was due.
    approved(p, "20", nov(2), nov(6), on=nov(5))
    approved(p, "30", nov(9), nov(13), on=nov(11))

    on_approval = figures(nov(11), of(p))

    assert on_approval["ev"] == on_approval["bac"] == Decimal("50")  # all approved: 20 + 30
    assert on_approval["pv"] == Decimal("38")  # 20 × 1 + 30 × 3/5 = 20 + 18
    assert on_approval["sv"] == Decimal("12")  # 50 − 38
    assert q4(on_approval["spi"]) == Decimal("1.3158")  # 50 / 38 = 1.31578…
    assert on_approval["es"] == Decimal("10")  # EV = BAC: ES = N
    assert on_approval["at"] == Decimal("8")  # Mon 2 – Wed 11 Nov
    assert on_approval["sv_t"] == Decimal("2")  # 10 − 8
    assert on_approval["spi_t"] == Decimal("1.25")  # 10 / 8
    assert on_approval["forecast_finish"] == nov(11)  # ⌈10 / 1.25⌉ = 8: Wed 11 Nov
    # Ten days on (Sat 21 Nov, past the due date), AT still stops at Wed 11 Nov, and PV with it.
    assert figures(nov(21), of(p)) == on_approval


def test_deliverable_over_a_weekend_and_a_holiday():
    f.HolidayFactory(date=nov(23), name="Studio day")
    p = project(nov(19), nov(25))
    # 24 h from Thu 19 to Wed 25 Nov: Thu 19, Fri 20, (weekend, Mon 23 holiday) Tue 24, Wed 25 = 4 working days.
    work = deliverable(p, "24", nov(19), nov(25))
    progress(work, nov(20), 25)

    on_holiday = figures(nov(23), of(p))

    assert on_holiday["pv"] == Decimal("12")  # 24 × 2/4: the holiday adds nothing
    assert on_holiday["ev"] == Decimal("6")  # 24 × 0.25
    assert on_holiday["spi"] == Decimal("0.5")  # 6 / 12
    assert on_holiday["es"] == Decimal("1")  # PV(k) = 6k: PV(1) = 6 ≤ 6 < 12
    assert on_holiday["at"] == Decimal("2")  # Thu 19, Fri 20
    assert on_holiday["sv_t"] == Decimal("-1")  # 1 − 2
    # ⌈4 / 0.5⌉ = 8: Thu 19, Fri 20, Tue 24, Wed 25, Thu 26, Fri 27, Mon 30, Tue 1 Dec.
    assert on_holiday["forecast_finish"] == dec(1)

    next_day = figures(nov(24), of(p))

    assert next_day["pv"] == Decimal("18")  # 24 × 3/4
    assert next_day["at"] == Decimal("3")
    assert next_day["sv_t"] == Decimal("-2")  # 1 − 3
    assert q4(next_day["spi_t"]) == Decimal("0.3333")  # 1 / 3
    # ⌈4 / (1/3)⌉ = 12: … Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 Dec (working days 8 to 12).
    assert next_day["forecast_finish"] == dec(7)


def test_deliverable_with_no_working_day_counts_from_its_due_date():
    p = project(nov(16), nov(27))
    # 30 h over Mon 16 – Fri 20 Nov, 10 h on the weekend Sat 21 – Sun 22 (no working day),
    # 20 h over Mon 23 – Fri 27 Nov: N = 10, BAC = 60.
    design = deliverable(p, "30", nov(16), nov(20))
    weekend = deliverable(p, "10", nov(21), nov(22))
    deliverable(p, "20", nov(23), nov(27))
    progress(design, nov(20), 100, status="internal_review")
    progress(weekend, nov(23), 50)

    assert figures(nov(21), of(p))["pv"] == Decimal("30")  # Saturday, before the weekend work is due: 30 + 0
    assert figures(nov(22), of(p))["pv"] == Decimal("40")  # Sunday, its due date: 30 + 10

    got = figures(nov(24), of(p))  # Tue 24 Nov: working day 7

    assert got["bac"] == Decimal("60")
    assert got["pv"] == Decimal("48")  # 30 + 10 + 20 × 2/5
    assert got["ev"] == Decimal("35")  # 30 × 1 + 10 × 0.5 + 20 × 0
    assert got["sv"] == Decimal("-13")  # 35 − 48
    assert q4(got["spi"]) == Decimal("0.7292")  # 35 / 48 = 0.72916…
    # PV(k) = 6k for k = 1…5 (the weekend's 10 h not yet due on Friday), then 40 + 4(k − 5):
    # PV(5) = 30 ≤ 35 < PV(6) = 44, so w = 5.
    assert q4(got["es"]) == Decimal("5.3571")  # 5 + (35 − 30) / (44 − 30) = 5 + 5/14 = 5.35714…
    assert got["at"] == Decimal("7")
    assert q4(got["sv_t"]) == Decimal("-1.6429")  # 5.35714… − 7 = −1.64285…
    assert q4(got["spi_t"]) == Decimal("0.7653")  # (75/14) / 7 = 75/98 = 0.76530…
    # ⌈10 / (75/98)⌉ = ⌈980/75⌉ = ⌈13.07⌉ = 14: days 11–15 are Mon 30 Nov – Fri 4 Dec, 14 is Thu 3 Dec.
    assert got["forecast_finish"] == dec(3)


def test_earned_schedule_stops_at_n_when_the_last_work_has_no_working_day():
    p = project(nov(16), nov(22))
    # 10 h over Mon 16 – Fri 20 Nov, then 10 h on the weekend of 21–22 Nov: N = 5, PV(5) = 10, PV(6) = 20.
    design = deliverable(p, "10", nov(16), nov(20))
    weekend = deliverable(p, "10", nov(21), nov(22))
    progress(design, nov(20), 100, status="internal_review")
    progress(weekend, nov(20), 50)

    got = figures(nov(20), of(p))

    assert got["ev"] == Decimal("15")  # 10 + 10 × 0.5
    # w = 5 = N: 5 + (15 − 10) / (20 − 10) = 5.5 would pass N, and would fall back to 5 once
    # the weekend work is finished; ES stops at N = 5.
    assert got["es"] == Decimal("5")
    assert got["sv_t"] == Decimal("0")  # 5 − 5


def test_project_not_started_yet():
    p = project(nov(23), dec(1))
    # 40 h over Wed 25 Nov – Tue 1 Dec: 25, 26, 27, 30 Nov, 1 Dec = 5 working days.
    deliverable(p, "40", nov(25), dec(1))

    got = figures(nov(24), of(p))  # Tue 24 Nov: the project is planned, its work starts tomorrow

    assert got["pv"] == got["ev"] == got["sv"] == Decimal("0")
    assert got["bac"] == Decimal("40")
    assert got["spi"] is None  # PV = 0
    assert got["es"] == Decimal("0")  # PV(0) = 0 ≤ 0 < PV(1) = 8: 0 + 0/8
    assert got["at"] == Decimal("0")  # before the start
    assert got["sv_t"] == Decimal("0")  # 0 − 0
    assert got["spi_t"] is None  # AT = 0
    assert got["forecast_finish"] is None  # SPI(t) undefined


def test_nothing_earned_after_the_start_has_no_forecast():
    p = project(nov(16), nov(27))
    deliverable(p, "50", nov(16), nov(27))  # 5 h a working day, no progress recorded

    got = figures(nov(18), of(p))  # Wed 18 Nov: working day 3

    assert got["ev"] == Decimal("0")
    assert got["es"] == Decimal("0")  # PV(0) = 0 ≤ 0 < PV(1) = 5: 0 + 0/5
    assert got["sv_t"] == Decimal("-3")  # 0 − 3
    assert got["spi_t"] == Decimal("0")  # 0 / 3
    assert got["forecast_finish"] is None  # SPI(t) = 0: never, at this pace


def test_progress_recorded_after_the_day_is_not_counted():
    p = project(nov(16), nov(20))
    # 40 h over Mon 16 – Fri 20 Nov: PV(k) = 8k. Approved since, on Fri 20 Nov.
    work = approved(p, "40", nov(16), nov(20), on=nov(20))
    progress(work, nov(17), 30)
    progress(work, nov(19), 90)
    progress(work, nov(20), 100, status="approved")

    past = figures(nov(18), of(p))  # recomputed after the fact for Wed 18 Nov

    assert past["ev"] == Decimal("12")  # 40 × 0.30: the 90 % of the 19th and the approval come later
    assert past["pv"] == Decimal("24")  # 40 × 3/5
    assert past["es"] == Decimal("1.5")  # PV(1) = 8 ≤ 12 < PV(2) = 16: 1 + 4/8
    assert past["at"] == Decimal("3")  # not approved yet on the 18th: AT runs on
    assert past["sv_t"] == Decimal("-1.5")  # 1.5 − 3
    assert past["spi_t"] == Decimal("0.5")  # 1.5 / 3
    assert past["forecast_finish"] == nov(27)  # ⌈5 / 0.5⌉ = 10: Fri 27 Nov

    done = figures(nov(20), of(p))

    assert done["ev"] == Decimal("40")
    assert done["es"] == done["at"] == Decimal("5")  # ES = N; AT stops at the approval on Fri 20 Nov
    assert done["spi_t"] == Decimal("1")


def test_cancelled_deliverables_are_not_in_the_plan():
    p = project(nov(9), dec(4))
    work = deliverable(p, "20", nov(16), nov(20))
    # Cancelled: were it counted, the start would move to Mon 9 Nov, N to 20 and BAC to 120.
    deliverable(p, "100", nov(9), dec(4), status="cancelled")
    progress(work, nov(18), 40)

    got = figures(nov(18), of(p))  # Wed 18 Nov: working day 3 from Mon 16 Nov

    assert got["bac"] == Decimal("20")
    assert got["ev"] == Decimal("8")  # 20 × 0.40
    assert got["pv"] == Decimal("12")  # 20 × 3/5
    assert got["es"] == Decimal("2")  # PV(k) = 4k: PV(2) = 8 ≤ 8 < 12
    assert got["at"] == Decimal("3")
    assert got["sv_t"] == Decimal("-1")  # 2 − 3
    assert q4(got["spi_t"]) == Decimal("0.6667")  # 2 / 3
    assert got["forecast_finish"] == nov(25)  # ⌈5 / (2/3)⌉ = ⌈7.5⌉ = 8: Mon 23 = 6, Tue 24 = 7, Wed 25 = 8


def test_project_without_planned_hours_has_no_earned_schedule():
    p = project(nov(16), nov(27))
    deliverable(p, "0", nov(16), nov(27))

    got = figures(nov(20), of(p))

    assert got["bac"] == got["ev"] == got["pv"] == got["sv"] == Decimal("0")
    assert got["at"] == Decimal("5")  # Mon 16 – Fri 20 Nov
    assert got["spi"] is got["es"] is got["sv_t"] is got["spi_t"] is got["forecast_finish"] is None


def test_plan_past_the_longest_span_has_no_earned_schedule():
    p = project(nov(16), nov(27))
    # Mon 16 Nov 2026 to Fri 31 Dec 2038: far more than 3,000 working days.
    deliverable(p, "100", nov(16), dt.date(2038, 12, 31))

    got = figures(nov(20), of(p))

    assert got["bac"] == Decimal("100")
    assert got["at"] == Decimal("5")
    assert got["es"] is got["sv_t"] is got["spi_t"] is got["forecast_finish"] is None


def test_every_metric_is_answered_for_every_scope():
    p = project(nov(16), nov(27))
    deliverable(p, "50", nov(16), nov(27))

    values = compute(nov(20))

    assert {(value.scope_key, value.metric) for value in values} == {
        *((of(p), metric) for metric in PROJECT_METRICS),
        *(("studio", metric) for metric in STUDIO_METRICS),
    }


def test_studio_shares_of_active_projects():
    # Each project: 10 h over Mon 16 – Fri 27 Nov, so PV(k) = k and, EV being whole, ES = EV;
    # on Fri 20 Nov AT = 5 and SV(t) = EV − 5.
    for percent in (80, 60, 40, 30):  # EV 8, 6, 4, 3: SV(t) +3 (ahead), +1 and −1 (on time), −2 (behind)
        work = deliverable(project(nov(16), nov(27)), "10", nov(16), nov(27))
        progress(work, nov(19), percent)
    # Finished on Wed 18 Nov (SV(t) = 10 − 3 = +7): no longer active, so not in the studio's figures.
    approved(project(nov(16), nov(27)), "10", nov(16), nov(27), on=nov(18))
    # No planned hours, so no SV(t): not counted either.
    deliverable(project(nov(16), nov(27)), "0", nov(16), nov(27))

    studio = figures(nov(20), "studio")

    assert studio["sv_t"] == Decimal("0.25")  # (3 + 1 − 1 − 2) / 4
    assert studio["share_ahead"] == Decimal("0.25")  # 1 / 4
    assert studio["share_on_time"] == Decimal("0.5")  # 2 / 4: ±1 is on time
    assert studio["share_behind"] == Decimal("0.25")  # 1 / 4


def test_studio_figures_without_projects_are_undefined():
    assert figures(nov(20), "studio") == dict.fromkeys(STUDIO_METRICS)


@pytest.mark.parametrize("projects", [1, 6])
def test_query_count_does_not_grow_with_projects(projects, django_assert_num_queries):
    f.HolidayFactory(date=nov(23), name="Studio day")
    for n in range(projects):
        p = project(nov(2), nov(27))
        for week in range(4):
            work = deliverable(p, "40", nov(2 + 7 * week), nov(6 + 7 * week))
            progress(work, nov(6 + 7 * week), 10 * (n + week))
        approved(p, "8", nov(2), nov(3), on=nov(4))
        deliverable(p, "16", nov(9), nov(27), status="cancelled")
    studio_zone()  # the studio's time zone is read once and cached: not the family's query

    # The projects with whether each is active, their deliverables with their percent complete, the holidays.
    with django_assert_num_queries(3):
        values = compute(nov(25))

    assert len(values) == 10 * projects + 4
