"""The timeline's read model (projects/timeline.py), on small plans worked out by hand.

The clock stands on Wednesday 25 November 2026:
    Mon 16 … Sun 22 | Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4 | … Sun 13
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from projects.timeline import MAX_DAYS, Scale, portfolio_timeline, project_timeline
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))
MON3 = dt.date(2026, 12, 7)


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm, planned_start=MON, due_date=FRI2, status="active")


def deliverable(project, name, start, due, **extra):
    return f.DeliverableFactory(project=project, name=name, planned_start=start, due_date=due, **extra)


def row_named(timeline, name):
    return next(row for row in timeline.rows if row.name == name)


@pytest.fixture
def plan(project):
    """Shoot → Edit → Grade, and apart from them Copy → Banner:
        Shoot  Mon 23 – Wed 25            Copy    Mon 23 – Tue 24
        Edit   Thu 26 – Fri 27 (Shoot)    Banner  Wed 25 – Thu 26 (Copy)
        Grade  Mon 30 – Tue 1  (Edit)
    """
    shoot = deliverable(project, "Shoot", MON, WED, status="in_progress", percent_complete=50)
    edit = deliverable(project, "Edit", THU, FRI)
    grade = deliverable(project, "Grade", MON2, TUE2)
    copy = deliverable(project, "Copy", MON, TUE, status="approved", approved_at=f.timezone.now())
    banner = deliverable(project, "Banner", WED, THU)
    f.DependencyFactory(predecessor=shoot, successor=edit)
    f.DependencyFactory(predecessor=edit, successor=grade)
    f.DependencyFactory(predecessor=copy, successor=banner)
    return {"shoot": shoot, "edit": edit, "grade": grade, "copy": copy, "banner": banner}


# --- the range and the bars --------------------------------------------------------------


def test_the_range_runs_from_the_week_before_the_start_to_the_week_after_the_due_date(project, plan):
    timeline = project_timeline(project, today=TODAY)

    # Earliest Mon 23 - 7 days = Mon 16; latest Fri 4 Dec + 7 = Fri 11, to its Sunday 13: 28 days.
    assert timeline.scale == Scale(dt.date(2026, 11, 16), dt.date(2026, 12, 13), "week")
    assert timeline.scale.days == 28


def test_bars_are_placed_in_percent_of_the_range(project, plan):
    timeline = project_timeline(project, today=TODAY)

    shoot = row_named(timeline, "Shoot").bar
    # Mon 23 is day 7 of 28: 7/28 = 25 %; three days wide: 3/28 = 10.7143 %.
    assert (shoot.offset, shoot.span, shoot.left, shoot.width) == (7, 3, "25%", "10.7143%")
    grade = row_named(timeline, "Grade").bar
    # Mon 30 is day 14: 50 %; two days: 7.1429 %.
    assert (grade.left, grade.width) == ("50%", "7.1429%")
    # Today, Wed 25, is day 9: its middle is 9.5/28 = 33.9286 %.
    assert timeline.today_line == "33.9286%"
    # Weekends: Sat 21 (day 5), Sat 28 (12), Sat 5 (19), Sat 12 (26), two days each (7.1429 %).
    assert [(band.left, band.width) for band in timeline.scale.weekends] == [
        ("17.8571%", "7.1429%"), ("42.8571%", "7.1429%"), ("67.8571%", "7.1429%"), ("92.8571%", "7.1429%"),
    ]
    assert [band.label for band in timeline.scale.weeks] == ["16 Nov", "23 Nov", "30 Nov", "7 Dec"]


def test_the_month_zoom_shows_whole_months(project, plan):
    timeline = project_timeline(project, today=TODAY, zoom="month")

    # Mon 16 Nov → 1 Nov; Fri 11 Dec → 31 Dec: 30 + 31 = 61 days.
    assert (timeline.scale.start, timeline.scale.end, timeline.scale.days) == (
        dt.date(2026, 11, 1), dt.date(2026, 12, 31), 61
    )
    assert [band.label for band in timeline.scale.months] == ["Nov 2026", "Dec 2026"]
    assert timeline.scale.weeks == []


def test_a_long_plan_is_shown_by_months_and_at_most_three_years_around_today(pm):
    project = f.ProjectFactory(pm=pm, planned_start=dt.date(2023, 1, 2), due_date=dt.date(2031, 6, 30))
    deliverable(project, "Long", dt.date(2023, 1, 2), dt.date(2031, 6, 30))

    timeline = project_timeline(project, today=TODAY)

    assert timeline.scale.zoom == "month"
    assert timeline.scale.days <= MAX_DAYS
    # From the first of the month 60 days before today: 26 Sep 2026 → 1 Sep 2026.
    assert timeline.scale.start == dt.date(2026, 9, 1)
    assert timeline.today_line is not None
    assert row_named(timeline, "Long").bar.starts_before and row_named(timeline, "Long").bar.ends_after


def test_rows_are_the_project_then_each_phase_with_its_deliverables_then_the_rest(project):
    design = f.PhaseFactory(project=project, name="Design", order=1, start_date=MON, end_date=WED)
    build = f.PhaseFactory(project=project, name="Build", order=2, start_date=THU, end_date=FRI2)
    deliverable(project, "Loose", MON, TUE)
    deliverable(project, "Mockup", TUE, WED, phase=design, percent_complete=40, planned_hours=D("10"))
    deliverable(project, "Sketch", MON, TUE, phase=design, percent_complete=100, planned_hours=D("30"))
    deliverable(project, "Site", THU, FRI2, phase=build)
    deliverable(project, "Dropped", MON, TUE, status="cancelled")

    timeline = project_timeline(project, today=TODAY)

    assert [(row.kind, row.name) for row in timeline.rows] == [
        ("project", str(project)), ("phase", "Design"), ("deliverable", "Sketch"), ("deliverable", "Mockup"),
        ("phase", "Build"), ("deliverable", "Site"), ("deliverable", "Loose"),
    ]
    assert [row.index for row in timeline.rows] == list(range(7))
    # Design: (30 h × 100 % + 10 h × 40 %) / 40 h = 85 %.
    assert row_named(timeline, "Design").percent == 85
    # The cancelled one is not drawn, only counted.
    assert timeline.cancelled == 1


# --- the baseline ------------------------------------------------------------------------


def test_each_row_shows_how_far_it_moved_from_the_latest_baseline(project, plan, pm):
    old = f.BaselineFactory(project=project, number=1, due_date=THU2)
    f.BaselineDeliverableFactory(baseline=old, deliverable=plan["shoot"], planned_start=MON, due_date=TUE)
    latest = f.BaselineFactory(project=project, number=2, planned_start=MON, due_date=WED2, planned_hours=D("150"))
    f.BaselineDeliverableFactory(baseline=latest, deliverable=plan["shoot"], planned_start=MON, due_date=MON,
                                 planned_hours=D("30"))
    f.BaselineDeliverableFactory(baseline=latest, deliverable=plan["edit"], planned_start=THU, due_date=FRI,
                                 planned_hours=D("40"))

    timeline = project_timeline(project, today=TODAY)

    shoot = row_named(timeline, "Shoot")
    # Against baseline 2: due Mon 23 → Wed 25 is 2 days later; 30 h → 40 h is 10 h more.
    assert (shoot.baseline_start, shoot.baseline_end, shoot.days_moved, shoot.hours_moved) == (MON, MON, 2, D("10"))
    assert shoot.moved_text == "2 days later"
    # Its baseline bar: Mon 23 (day 7) one day wide (1/28 = 3.5714 %).
    assert (shoot.baseline_bar.left, shoot.baseline_bar.width) == ("25%", "3.5714%")
    assert row_named(timeline, "Edit").days_moved == 0
    assert not row_named(timeline, "Grade").has_baseline
    assert row_named(timeline, "Grade").baseline_bar is None
    # The project: due Fri 4 Dec against Wed 2 Dec; five deliverables × 40 h = 200 h against 150 h.
    project_row = timeline.rows[0]
    assert (timeline.baseline.number, project_row.days_moved, project_row.hours_moved) == (2, 2, D("50"))


# --- the critical path, slack and flags ----------------------------------------------------


def test_the_critical_path_and_every_deliverables_slack(project, plan):
    timeline = project_timeline(project, today=TODAY)

    # Working days from Mon 23: Mon 0, Tue 1, Wed 2, Thu 3, Fri 4, Mon 5, Tue 6. The plan
    # finishes with Grade, Tue 1 Dec (6).
    #   Grade:  no successor, latest finish 6, due 6 → 0
    #   Edit:   latest finish = Grade's latest start (6 − 1) − 1 = 4, due 4 → 0
    #   Shoot:  latest finish = Edit's latest start (4 − 1) − 1 = 2, due 2 → 0
    #   Banner: latest finish 6, due 3 → 3
    #   Copy:   latest finish = Banner's latest start (6 − 1) − 1 = 4, due 1 → 3
    assert timeline.finish == TUE2
    assert {row.name: row.slack for row in timeline.deliverable_rows} == {
        "Shoot": 0, "Edit": 0, "Grade": 0, "Copy": 3, "Banner": 3,
    }
    assert [row.name for row in timeline.deliverable_rows if row.critical] == ["Shoot", "Edit", "Grade"]
    assert [(c.predecessor.name, c.successor.name, c.critical) for c in timeline.connectors] == [
        ("Shoot", "Edit", True), ("Edit", "Grade", True), ("Copy", "Banner", False),
    ]
    assert timeline.conflicts == 0


def test_slack_counts_working_days_only(project, plan):
    # A holiday on Mon 30 leaves Grade's Tuesday as the only day before the finish in its
    # week: Banner's slack shrinks from 3 to 2 working days.
    f.HolidayFactory(date=MON2, name="Studio day")

    timeline = project_timeline(project, today=TODAY)

    assert row_named(timeline, "Banner").slack == 2
    assert [(band.left, band.title) for band in timeline.holidays] == [("50%", "Studio day")]


def test_a_deliverable_starting_before_what_it_depends_on_is_due_is_flagged(project, plan):
    late = deliverable(project, "Late", TUE2, WED2)
    f.DependencyFactory(predecessor=plan["grade"], successor=late)  # Grade is due Tue 1: Late starts too early
    done = deliverable(project, "Done", TUE2, TUE2, status="delivered", approved_at=f.timezone.now())
    f.DependencyFactory(predecessor=plan["grade"], successor=done)  # finished work is no conflict

    timeline = project_timeline(project, today=TODAY)

    assert row_named(timeline, "Late").conflicts_with == [plan["grade"]]
    assert row_named(timeline, "Done").conflicts_with == []
    assert timeline.conflicts == 1
    assert [c.conflict for c in timeline.connectors if c.predecessor.name == "Grade"] == [True, False]
    # In conflict the chain has negative slack. Working days from Mon 23 as before; the plan
    # finishes with Late, Wed 2 (7). Late (Tue 1 – Wed 2, 6–7): due 7 → 0, latest start 7 − 1 = 6.
    # Done (Tue 1, 6): latest finish 7, due 6 → 1, latest start 7. Grade must end by
    # min(6, 7) − 1 = 5 but is due 6 → −1; Edit and Shoot before it → −1 each.
    slack = {row.name: row.slack for row in timeline.deliverable_rows}
    assert {name: slack[name] for name in ("Shoot", "Edit", "Grade", "Late", "Done")} == {
        "Shoot": -1, "Edit": -1, "Grade": -1, "Late": 0, "Done": 1,
    }
    assert [row.name for row in timeline.deliverable_rows if row.critical] == ["Shoot", "Edit", "Grade", "Late"]


def test_a_deliverable_outside_the_projects_dates_is_flagged(project):
    deliverable(project, "Inside", MON, FRI2)
    deliverable(project, "Runs over", THU2, MON3)
    deliverable(project, "Starts early", dt.date(2026, 11, 20), MON)

    timeline = project_timeline(project, today=TODAY)

    assert {row.name: row.outside_project for row in timeline.deliverable_rows} == {
        "Inside": False, "Runs over": True, "Starts early": True,
    }


def test_connectors_run_from_the_end_of_one_bar_to_the_start_of_the_next(project):
    first = deliverable(project, "First", MON, TUE)
    second = deliverable(project, "Second", FRI, MON2)
    f.DependencyFactory(predecessor=first, successor=second)

    link = project_timeline(project, today=TODAY).connectors[0]

    # First ends after Tue 24 (day 9 of the range from Mon 16) on row 1; Second starts Fri 27
    # (day 11) on row 2: along half a day, down to row 2's middle, along to day 11.
    assert link.path == "M9 1.5H9.5V2.5H11"


def test_the_portfolio_places_each_project_and_its_baseline(pm):
    first = f.ProjectFactory(planned_start=MON, due_date=FRI2, baseline_start=MON, baseline_due_date=WED2,
                             baseline_set_at=f.timezone.now())
    deliverable(first, "Half", MON, FRI2, percent_complete=50, planned_hours=D("30"))
    deliverable(first, "Done", MON, WED, status="approved", approved_at=f.timezone.now(), planned_hours=D("10"))
    second = f.ProjectFactory(planned_start=MON2, due_date=MON3)

    timeline = portfolio_timeline([first, second], today=TODAY)

    # By months: 1 Nov – 31 Dec (61 days). Mon 23 Nov is day 22 (36.0656 %).
    assert (timeline.scale.start, timeline.scale.days) == (dt.date(2026, 11, 1), 61)
    one, two = timeline.rows
    assert (one.bar.left, one.baseline_bar.left) == ("36.0656%", "36.0656%")
    # (30 h × 50 % + 10 h × 100 %) / 40 h = 62.5 → 62 %.
    assert (one.percent, one.days_moved, one.moved_text) == (62, 2, "2 days later")
    assert (two.baseline_bar, two.percent, two.days_moved) == (None, 0, None)
