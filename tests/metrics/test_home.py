"""The production manager's home: each section with hand-made data and the link to where it
is resolved, the scope switch, executives and PMs, access for every role, and a fixed
number of queries at two data sizes and for the demo studio at scale 1 and 2."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics import attention
from projects.models import Project
from studio import clock
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("metrics:dashboard")
# TODAY is Wednesday 25 November 2026; its week runs Monday 23 to Sunday 29.
MON_16, FRI_20, SUN_22 = dt.date(2026, 11, 16), dt.date(2026, 11, 20), dt.date(2026, 11, 22)
MON_23, TUE_24, THU_26, FRI_27 = (dt.date(2026, 11, d) for d in (23, 24, 26, 27))
SAT_28, SUN_29, MON_30 = dt.date(2026, 11, 28), dt.date(2026, 11, 29), dt.date(2026, 11, 30)
TUE_1, WED_2, TUE_8, WED_9 = (dt.date(2026, 12, d) for d in (1, 2, 8, 9))


@pytest.fixture
def mine(pm):
    """A project the signed-in PM manages."""
    return f.ProjectFactory(pm=pm, code="MINE-1")


@pytest.fixture
def theirs():
    """A project another PM manages."""
    return f.ProjectFactory(code="THEIRS-1", pm=f.UserFactory(role="pm", first_name="Rosa", last_name="Diaz"))


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def section(response, key) -> attention.Section:
    return next(s for s in response.context["home"].sections if s.key == key)


def at(local_day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(local_day, dt.time(hour), tzinfo=clock.studio_zone())


def timeline_of(project: Project) -> str:
    return reverse("projects:project-timeline", args=[project.pk])


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("creative", 403), ("freelancer", 403),
     ("brand_manager", 403), ("outsider", 403)],
)
def test_home_is_for_pms_and_executives_only(client, request, role, status):
    assert get(client, request.getfixturevalue(role)).status_code == status


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_calm_day_says_so_in_one_line_per_section(client, pm):
    response = get(client, pm)
    content = response.content.decode()

    assert response.context["home"].waiting == []
    assert "Nothing needs your attention today." in content
    assert "Nothing is overdue." in content and "No request is waiting for triage." in content
    assert 'href="/static/css/home.css"' in content
    assert "<style" not in content and "<script>" not in content


# --- sections about projects --------------------------------------------------------------


def test_overdue_deliverable_links_to_its_page_with_days_late(client, pm, mine):
    late = f.DeliverableFactory(project=mine, name="Storyboard", planned_start=MON_16, due_date=FRI_20,
                                percent_complete=60)
    f.DeliverableFactory(project=mine, name="Due today", planned_start=MON_16, due_date=TODAY)
    f.DeliverableFactory(project=mine, name="Approved late", planned_start=MON_16, due_date=FRI_20,
                         status="approved", approved_at=at(TUE_24))

    response = get(client, pm)
    overdue = section(response, "overdue")

    assert overdue.count == 1
    (item,) = overdue.items
    assert item.title == "Storyboard"
    assert item.url == reverse("projects:deliverable-detail", args=[late.pk])
    # Fri 20 → Wed 25: five days.
    assert item.flag == "5 days late"
    content = response.content.decode()
    assert f'href="{item.url}"' in content and "Fri 20 Nov" in content


def test_dependency_conflict_links_to_the_projects_timeline(client, pm, mine):
    toolkit = f.DeliverableFactory(project=mine, name="Motion toolkit", planned_start=MON_16, due_date=FRI_27)
    cut = f.DeliverableFactory(project=mine, name="30-second cut", planned_start=THU_26, due_date=WED_9)
    f.DependencyFactory(predecessor=toolkit, successor=cut)
    # Starts the day after its predecessor is due: as planned.
    later = f.DeliverableFactory(project=mine, name="Cut-downs", planned_start=SAT_28, due_date=WED_9)
    f.DependencyFactory(predecessor=toolkit, successor=later)

    (item,) = section(get(client, pm), "conflicts").items

    assert item.title == "30-second cut starts before Motion toolkit is due"
    assert item.url == timeline_of(mine)
    # Thu 26 and Fri 27 are inside the toolkit's time.
    assert item.flag == "2 days too early"


def test_deliverable_at_risk_shows_done_against_planned(client, pm, mine):
    # Mon 16 → Fri 27: 10 working days, 8 of them by Wed 25, so 80 % planned; 70 % done is behind.
    risky = f.DeliverableFactory(project=mine, name="Key visual", planned_start=MON_16, due_date=FRI_27,
                                 percent_complete=70)
    f.DeliverableFactory(project=mine, name="On plan", planned_start=MON_16, due_date=FRI_27, percent_complete=80)

    at_risk = section(get(client, pm), "at_risk")

    assert at_risk.count == 1
    (item,) = at_risk.items
    assert item.url == reverse("projects:deliverable-detail", args=[risky.pk])
    assert item.flag == "70 % done"
    assert "80 % planned by today" in item.meta


def test_briefs_not_acknowledged_after_two_working_days_link_to_the_board(client, pm, mine):
    version = f.BriefVersionFactory(brief__project=mine, brief__title="Winter brief")
    # Before Wed 25 the working days are Tue 24 and Mon 23: sent before Mon 23 has had both.
    f.BriefDistributionFactory(version=version, sent_at=at(FRI_20, 16))
    f.BriefDistributionFactory(version=version, sent_at=at(SUN_22))
    f.BriefDistributionFactory(version=version, sent_at=at(MON_23, 9))  # one working day: not yet
    f.BriefDistributionFactory(version=version, sent_at=at(FRI_20), acknowledged_at=at(MON_23))
    # Sent v1 early, then v2 yesterday: only v2 counts, and it is too recent.
    replaced = f.BriefDistributionFactory(version=version, sent_at=at(FRI_20))
    v2 = f.BriefVersionFactory(brief=version.brief, number=2)
    f.BriefDistributionFactory(version=v2, recipient=replaced.recipient, sent_at=at(TUE_24))

    briefs = section(get(client, pm), "briefs")

    assert briefs.count == 1
    (item,) = briefs.items
    assert item.title == "Winter brief"
    assert item.flag == "2 people"
    assert item.day == FRI_20
    assert item.url == reverse("briefs:brief-board", args=[version.brief.pk])
    assert briefs.summary == "2 people have not acknowledged after two working days."


# --- sections about decisions -------------------------------------------------------------


def test_approvals_waiting_on_me_with_the_oldest_ones_age(client, pm, mine):
    f.ApprovalFactory(submitted_at=at(MON_23))
    f.ApprovalFactory(submitted_at=at(FRI_20))
    # Their own submission is never theirs to decide.
    f.ApprovalFactory(submitted_by=pm, submitted_at=at(MON_16))

    approvals = section(get(client, pm), "approvals")

    assert approvals.count == 2
    # Fri 20 → Wed 25.
    assert approvals.summary == "The oldest has waited 5 days."
    assert [item.flag for item in approvals.items] == ["waiting 5 days", "waiting 2 days"]
    assert {item.url for item in approvals.items} == {reverse("approvals:inbox")}
    assert approvals.url == reverse("approvals:inbox")


def test_requests_waiting_for_triage_nearest_deadline_first(client, pm):
    later = f.RequestFactory(title="Spring teaser", deadline=dt.date(2027, 2, 1))
    sooner = f.RequestFactory(title="Winter launch", deadline=dt.date(2027, 1, 10))
    f.RequestFactory(title="Waiting on the brand", status="info_requested")
    f.RequestFactory(title="Accepted", status="accepted", project=f.ProjectFactory())

    requests = section(get(client, pm), "requests")

    assert requests.count == 2
    assert [item.url for item in requests.items] == [
        reverse("briefs:request-detail", args=[sooner.pk]), reverse("briefs:request-detail", args=[later.pk]),
    ]
    assert requests.url == reverse("briefs:request-list") + "?status=submitted"


def test_time_off_waiting_for_a_decision(client, pm):
    person = f.TalentFactory(user__first_name="Bea", user__last_name="Grant")
    f.TimeOffFactory(talent=person, start_date=WED_2, end_date=WED_9, status="requested")
    f.TimeOffFactory(start_date=WED_2, end_date=WED_2, status="approved")

    time_off = section(get(client, pm), "time_off")

    assert time_off.count == 1
    (item,) = time_off.items
    assert item.title == "Bea Grant" and item.day == WED_2
    assert item.meta == "until Wed 9 Dec"
    assert item.url == reverse("approvals:inbox")
    assert time_off.url == reverse("schedules:time-off-list") + "?status=requested"


def test_last_weeks_missing_timesheets_link_to_each_week(client, pm):
    owing = f.TalentFactory(user__first_name="Hana", user__last_name="Osei")
    f.TimesheetFactory(talent=owing, week_start=dt.date(2026, 11, 16), status="open")
    done = f.TalentFactory()
    f.TimesheetFactory(talent=done, week_start=dt.date(2026, 11, 16), status="submitted")

    timesheets = section(get(client, pm), "timesheets")

    assert timesheets.count == 1
    (item,) = timesheets.items
    assert item.title == "Hana Osei" and item.flag == "not submitted"
    assert item.url == reverse("schedules:timesheet-person", args=[owing.pk]) + "?week=2026-11-16"
    assert timesheets.url == reverse("schedules:timesheet-missing")


# --- sections about people ----------------------------------------------------------------


def test_clashes_and_over_capacity_in_the_next_two_weeks_link_to_the_schedule_week(client, pm):
    design = f.DisciplineFactory(name="Design")
    clash = f.TalentFactory(user__first_name="Cleo", discipline=design, overtime_hours_per_day=Decimal("1"))
    # Mon 30: 6 confirmed + 4 tentative = 10 h, past 8 + 1 overtime: a clash.
    f.BookingFactory(talent=clash, start_date=MON_30, end_date=TUE_1, hours_per_day=Decimal("6"))
    f.BookingFactory(talent=clash, start_date=MON_30, end_date=MON_30, hours_per_day=Decimal("4"), status="tentative")
    over = f.TalentFactory(user__first_name="Omar", discipline=design, overtime_hours_per_day=Decimal("2"))
    # Thu 26 and Fri 27: 9 h against 8, within 8 + 2: over capacity, not a clash.
    f.BookingFactory(talent=over, start_date=THU_26, end_date=FRI_27, hours_per_day=Decimal("9"))
    part_day = f.TalentFactory(user__first_name="Pia", discipline=design)
    # Tue 1: 4 h off leaves 4 h of capacity; 6 h booked is over it.
    f.TimeOffFactory(talent=part_day, start_date=TUE_1, end_date=TUE_1, full_day=False,
                     hours_per_day=Decimal("4"))
    f.BookingFactory(talent=part_day, start_date=TUE_1, end_date=TUE_1, hours_per_day=Decimal("6"))
    # Wed 9 Dec is the fifteenth day from today: outside the two weeks.
    f.BookingFactory(start_date=WED_9, end_date=WED_9, hours_per_day=Decimal("12"))
    f.BookingFactory(talent=f.TalentFactory(), start_date=TODAY, end_date=TUE_8, hours_per_day=Decimal("8"))

    clashes = section(get(client, pm), "clashes")

    assert clashes.count == 3
    # The earliest first: Omar from Thu 26, Cleo from Mon 30, Pia on Tue 1.
    assert [(i.title.split()[0], i.day, i.flag) for i in clashes.items] == [
        ("Omar", THU_26, "over capacity"), ("Cleo", MON_30, "clash"), ("Pia", TUE_1, "over capacity"),
    ]
    assert clashes.items[0].url == (
        reverse("schedules:team-schedule") + f"?start=2026-11-26&discipline={design.pk}"
    )
    assert "2 days over" in clashes.items[0].meta
    assert clashes.url == reverse("schedules:team-schedule") + "?start=2026-11-26"


def test_under_booked_this_week_most_free_first_links_to_who_is_free(client, pm):
    design = f.DisciplineFactory(name="Design")
    # Wed 25 → Sun 29: three working days of 8 h = 24 h; the 75 % target is 18 h.
    on_target = f.TalentFactory(discipline=design)
    f.BookingFactory(talent=on_target, start_date=TODAY, end_date=FRI_27, hours_per_day=Decimal("6"))  # 18 h
    light = f.TalentFactory(user__first_name="Lara", discipline=design)
    f.BookingFactory(talent=light, start_date=TODAY, end_date=FRI_27, hours_per_day=Decimal("5"))  # 15 h, 9 free
    idle = f.TalentFactory(user__first_name="Ivo", discipline=design)  # 24 h free
    # Monday's booking is past: it does not fill the rest of the week.
    f.BookingFactory(talent=idle, start_date=MON_23, end_date=TUE_24, hours_per_day=Decimal("8"))

    under = section(get(client, pm), "under_booked")

    assert under.count == 2
    assert [(i.title.split()[0], i.flag) for i in under.items] == [("Ivo", "24 h free"), ("Lara", "9 h free")]
    assert "15 of 24 h booked" in under.items[1].meta
    who_is_free = reverse("schedules:who-is-free")
    assert under.items[0].url == f"{who_is_free}?start=2026-11-25&end=2026-11-29&discipline={design.pk}"
    assert under.url == f"{who_is_free}?start=2026-11-25&end=2026-11-29"


def test_at_the_weekend_under_booked_looks_at_the_coming_week(client, pm, move_clock):
    move_clock(SAT_28)
    f.TalentFactory(user__first_name="Ivo")

    under = section(get(client, pm), "under_booked")

    # Mon 30 Nov → Sun 6 Dec: five days of 8 h.
    assert under.items[0].flag == "40 h free"
    assert "start=2026-11-30&end=2026-12-06" in under.url


# --- scope, roles, order ------------------------------------------------------------------


def test_pm_sees_their_projects_and_switches_to_all(client, pm, mine, theirs):
    f.DeliverableFactory(project=mine, name="My late cut", planned_start=MON_16, due_date=FRI_20)
    f.DeliverableFactory(project=theirs, name="Their late cut", planned_start=MON_16, due_date=FRI_20)
    f.DeliverableFactory(project=theirs, name="Their other cut", planned_start=MON_16, due_date=TUE_24)

    own = get(client, pm)
    assert [i.title for i in section(own, "overdue").items] == ["My late cut"]
    assert section(own, "overdue").by_pm == []
    assert 'href="?scope=all"' in own.content.decode()

    everything = client.get(URL, {"scope": "all"})
    overdue = section(everything, "overdue")
    assert {i.title for i in overdue.items} == {"My late cut", "Their late cut", "Their other cut"}
    assert [(pm_count.name, pm_count.count) for pm_count in overdue.by_pm] == [
        ("Rosa Diaz", 2), (str(pm), 1),
    ]
    assert "By production manager:" in everything.content.decode()


def test_executive_sees_the_whole_portfolio_by_pm_without_a_switch(client, executive, mine, theirs):
    f.DeliverableFactory(project=mine, name="My late cut", planned_start=MON_16, due_date=FRI_20)
    f.DeliverableFactory(project=theirs, name="Their late cut", planned_start=MON_16, due_date=FRI_20)

    response = get(client, executive)

    assert section(response, "overdue").count == 2
    assert len(section(response, "overdue").by_pm) == 2
    assert 'href="?scope=all"' not in response.content.decode()


def test_closed_projects_are_left_out(client, pm):
    delivered = f.ProjectFactory(pm=pm, status="delivered")
    f.DeliverableFactory(project=delivered, planned_start=MON_16, due_date=FRI_20)
    assert section(get(client, pm), "overdue").count == 0


def test_sections_come_most_urgent_first_and_the_calm_ones_last(client, pm, mine):
    f.DeliverableFactory(project=mine, name="Late", planned_start=MON_16, due_date=FRI_20)
    f.RequestFactory(title="Winter launch")
    f.TalentFactory()  # under-booked, and owes last week's timesheet

    response = get(client, pm)
    keys = [s.key for s in response.context["home"].waiting]
    content = response.content.decode()

    assert keys == ["overdue", "requests", "timesheets", "under_booked"]
    assert content.index('id="overdue"') < content.index('id="requests"') < content.index('id="under_booked"')
    assert content.index('id="under_booked"') < content.index('id="approvals"')  # calm, at the end


def test_a_section_without_a_page_of_its_own_opens_in_full(client, pm, mine):
    for n in range(7):
        f.DeliverableFactory(project=mine, name=f"Late {n}", planned_start=MON_16, due_date=FRI_20)

    response = get(client, pm)
    assert len(section(response, "overdue").items) == attention.ROWS == 5
    assert 'href="?expand=overdue#overdue"' in response.content.decode()

    assert len(section(client.get(URL, {"expand": "overdue"}), "overdue").items) == 7


def test_the_pms_home_shows_the_dependency_conflict_and_an_overdue_deliverable_with_links(client, pm, mine):
    toolkit = f.DeliverableFactory(project=mine, name="Motion toolkit", planned_start=MON_16, due_date=FRI_27)
    cut = f.DeliverableFactory(project=mine, name="30-second cut", planned_start=THU_26, due_date=WED_9)
    f.DependencyFactory(predecessor=toolkit, successor=cut)
    late = f.DeliverableFactory(project=mine, name="Packaging artwork", planned_start=MON_16, due_date=FRI_20)

    content = get(client, pm).content.decode()

    assert "30-second cut starts before Motion toolkit is due" in content
    assert f'href="{timeline_of(mine)}"' in content
    assert "Packaging artwork" in content
    assert f'href="{reverse("projects:deliverable-detail", args=[late.pk])}"' in content


def test_free_text_is_escaped(client, pm, mine):
    f.DeliverableFactory(project=mine, name="<b>late</b>", planned_start=MON_16, due_date=FRI_20)
    content = get(client, pm).content.decode()
    assert "<b>late</b>" not in content and "&lt;b&gt;late&lt;/b&gt;" in content


# --- queries ------------------------------------------------------------------------------


def busy_studio(size: int, pm) -> None:
    """`size` of everything every section reads, half on the PM's projects."""
    design = f.DisciplineFactory(name="Design")
    for n in range(size):
        project = f.ProjectFactory(pm=pm if n % 2 == 0 else f.UserFactory(role="pm"))
        person = f.TalentFactory(discipline=design)
        f.BookingFactory(talent=person, project=project, start_date=THU_26, end_date=FRI_27,
                         hours_per_day=Decimal("10"))
        f.TimeOffFactory(talent=person, start_date=WED_2, end_date=WED_2, status="requested")
        f.TalentFactory(discipline=design)  # under-booked, and owes last week's timesheet
        late = f.DeliverableFactory(project=project, planned_start=MON_16, due_date=FRI_20)
        f.DeliverableFactory(project=project, planned_start=MON_16, due_date=FRI_27, percent_complete=10)
        f.DependencyFactory(predecessor=late, successor=f.DeliverableFactory(
            project=project, planned_start=MON_16, due_date=WED_9))
        f.BriefDistributionFactory(version__brief__project=project, sent_at=at(FRI_20))
        f.ApprovalFactory(subject=f.BudgetFactory(project=project), submitted_at=at(MON_23))
        f.RequestFactory()


# What each section reads, whatever the data's size.
SECTION_QUERIES = {
    "overdue": 2,       # count, rows (+1 by PM)
    "conflicts": 2,     # count, rows (+1 by PM)
    "clashes": 4,       # booked hours, limits, capacity, the people shown
    "approvals": 2,     # count, rows
    "at_risk": 2,       # holidays, deliverables due within five working days
    "briefs": 3,        # holidays before today, totals, rows by brief (+1 by PM)
    "requests": 2,      # count, rows
    "time_off": 2,      # count, rows
    "timesheets": 2,    # count, rows
    "under_booked": 4,  # capacity, booked hours, the utilization target, the people shown
}
# Session, user, each section, and the studio settings for the page.
PAGE_QUERIES = 2 + sum(SECTION_QUERIES.values()) + 1
BY_PM_QUERIES = 3  # overdue, conflicts, briefs; at risk counts the rows it has


@pytest.mark.parametrize("size", [2, 8])
def test_each_section_reads_a_fixed_number_of_queries(pm, size, django_assert_num_queries):
    busy_studio(size, pm)
    projects = attention.scoped_projects(pm, attention.SCOPE_MINE)
    calls = {
        "overdue": lambda: attention.overdue_section(projects, TODAY),
        "conflicts": lambda: attention.conflicts_section(projects),
        "clashes": lambda: attention.clashes_section(pm, TODAY),
        "approvals": lambda: attention.approvals_section(pm, TODAY),
        "at_risk": lambda: attention.at_risk_section(projects, TODAY),
        "briefs": lambda: attention.briefs_section(projects, TODAY),
        "requests": lambda: attention.requests_section(pm, TODAY),
        "time_off": lambda: attention.time_off_section(pm, TODAY),
        "timesheets": lambda: attention.timesheets_section(pm, TODAY),
        "under_booked": lambda: attention.under_booked_section(pm, TODAY),
    }
    for key, call in calls.items():
        with django_assert_num_queries(SECTION_QUERIES[key]):
            result = call()
        assert result.count, key


@pytest.mark.parametrize("size", [2, 8])
def test_home_runs_a_fixed_number_of_queries(client, pm, executive, size, django_assert_num_queries):
    busy_studio(size, pm)
    client.force_login(pm)
    client.get(URL)  # the time zone is cached after the first request
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert section(response, "overdue").count == size // 2
    with django_assert_num_queries(PAGE_QUERIES + BY_PM_QUERIES):
        response = client.get(URL, {"scope": "all"})
    assert section(response, "overdue").count == size

    client.force_login(executive)
    with django_assert_num_queries(PAGE_QUERIES + BY_PM_QUERIES):
        client.get(URL)
