"""The team schedule page: the window, hand-computed cells, filters, placeholders,
access for every role, and a query count that does not grow with the rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from schedules.capacity import booked_by_person, free_by_person
from schedules.team import Window, person_rows
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("schedules:team-schedule")
MON = dt.date(2026, 11, 23)
TUE, WED, THU, FRI, SAT, SUN = (MON + dt.timedelta(days=n) for n in range(1, 7))


@pytest.fixture
def person():
    return f.TalentFactory(
        user__first_name="Cleo", hours_per_day=Decimal("8"), overtime_hours_per_day=Decimal("1"),
        discipline=f.DisciplineFactory(name="Design"),
    )


def test_window_starts_weeks_on_monday_and_falls_back_on_bad_input():
    assert Window.parse("week", "2026-11-26", TODAY) == Window("week", MON)
    assert Window.parse("4weeks", "2026-11-29", TODAY).end == MON + dt.timedelta(days=27)
    assert Window.parse("day", "2026-11-26", TODAY).days == [THU]
    assert Window.parse("fortnight", "not-a-date", TODAY) == Window("week", MON)
    week = Window.parse(None, None, TODAY)
    assert (week.previous, week.next) == (MON - dt.timedelta(days=7), MON + dt.timedelta(days=7))


def test_cells_hand_computed_with_holiday_time_off_overtime_and_a_hold(pm, person):
    """Mon: half day off (4 h capacity), 6 h confirmed: over capacity, within 8 + 1 h.
    Tue: holiday: nothing lands. Wed: 6 h confirmed + 4 h tentative = 10 > 9: a clash.
    Thu: 6 of 8 h. Fri: a full day off: nothing lands. Weekend: not working days."""
    f.HolidayFactory(date=TUE, name="Studio day")
    f.TimeOffFactory(talent=person, start_date=MON, end_date=MON, full_day=False, hours_per_day=Decimal("4"))
    f.TimeOffFactory(talent=person, start_date=FRI, end_date=FRI)
    f.BookingFactory(talent=person, start_date=MON, end_date=SUN, hours_per_day=Decimal("6"))
    f.BookingFactory(talent=person, start_date=WED, end_date=WED, hours_per_day=Decimal("4"), status="tentative")

    (row,) = person_rows(pm, Window("week", MON), [person], today=TODAY)

    table = [(c.day, c.capacity, c.confirmed, c.tentative, c.state) for c in row.cells]
    assert table == [
        (MON, 4, 6, 0, "over"),
        (TUE, 0, 0, 0, "off"),
        (WED, 8, 6, 4, "clash"),
        (THU, 8, 6, 0, "part"),
        (FRI, 0, 0, 0, "off"),
        (SAT, 0, 0, 0, "off"),
        (SUN, 0, 0, 0, "off"),
    ]
    assert row.cells[1].note[0] == "Holiday" and row.cells[4].note[0] == "Off"
    assert row.cells[0].note[0] == "4 h off"
    assert (row.booked, row.capacity) == (Decimal("22"), Decimal("20"))
    assert row.has_clash and row.lanes == 2
    # The week's bar covers the whole window; the hold sits in its own lane.
    assert sorted((bar.column, bar.span, bar.lane) for bar in row.bars) == [(1, 7, 0), (3, 1, 1)]


def test_free_hours_subtract_every_booking_and_never_go_below_zero(person):
    other = f.TalentFactory(hours_per_day=Decimal("6"))
    f.BookingFactory(talent=person, start_date=MON, end_date=TUE, hours_per_day=Decimal("10"))
    f.BookingFactory(talent=person, start_date=WED, end_date=WED, hours_per_day=Decimal("3"), status="tentative")

    booked = booked_by_person(MON, FRI, [person.pk, other.pk])
    free = free_by_person(MON, FRI, [person.pk, other.pk])

    assert booked == {person.pk: {MON: {"confirmed": 10}, TUE: {"confirmed": 10}, WED: {"tentative": 3}}}
    # Mon and Tue over-booked count 0, not -2: Wed 5 + Thu 8 + Fri 8 = 21 h.
    assert free == {person.pk: Decimal("21.00"), other.pk: Decimal("30.00")}


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("creative", 403), ("freelancer", 403),
     ("brand_manager", 403), ("outsider", 403)],
)
def test_team_schedule_is_for_production_managers_and_executives(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == status


def test_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_pm_gets_bookable_cells_and_executive_reads_only(client, pm, executive, person):
    f.BookingFactory(talent=person, start_date=MON, end_date=TUE)
    client.force_login(pm)
    page = client.get(URL).content.decode()
    assert f'href="{reverse("schedules:booking-new")}?talent={person.pk}&amp;start={WED.isoformat()}"' in page
    assert 'class="bar bar-confirmed' in page
    client.force_login(executive)
    page = client.get(URL).content.decode()
    assert reverse("schedules:booking-new") not in page
    assert "bar-confirmed" in page and f'id="row-talent-{person.pk}"' in page


def test_htmx_request_gets_just_the_grid(client, pm, person):
    client.force_login(pm)
    response = client.get(URL, {"view": "day", "start": "2026-11-26"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="schedule"')
    assert "Thursday 26 November 2026" in html and "<html" not in html


def rows_of(response):
    return [row.talent for group in response.context["groups"] for row in group.rows]


def test_rows_are_grouped_by_discipline_with_placeholders_after_people(client, pm, person):
    animation = f.DisciplineFactory(name="Animation")
    animator = f.TalentFactory(discipline=animation, user__first_name="Ana")
    placeholder = f.BookingFactory(
        talent=None, placeholder_discipline=person.discipline, start_date=TUE, end_date=WED, status="tentative"
    )
    second = f.BookingFactory(
        talent=None, placeholder_discipline=person.discipline, start_date=WED, end_date=SAT, status="tentative",
        hours_per_day=Decimal("2"),
    )
    client.force_login(pm)
    response = client.get(URL)
    groups = response.context["groups"]
    assert [group.discipline.name for group in groups] == ["Animation", "Design"]
    assert rows_of(response) == [animator, person, None]
    # One row holds the discipline's placeholders; Saturday is not theirs to land on.
    placeholder_row = groups[1].rows[1]
    assert [bar.booking for bar in placeholder_row.bars] == [placeholder, second]
    assert [cell.tentative for cell in placeholder_row.cells] == [0, 6, 8, 2, 2, 0, 0]
    assert "Design, to be staffed" in response.content.decode()


def test_filters_pick_people_by_discipline_skill_project_employment_and_name(client, pm, person):
    lettering = f.SkillFactory(name="Lettering")
    person.skills.add(lettering)
    freelancer = f.FreelanceTalentFactory(user__first_name="Finn")
    assigned = f.TalentFactory(user__first_name="Asha")
    project = f.ProjectFactory()
    f.BookingFactory(talent=freelancer, project=project, start_date=WED, end_date=WED)
    f.DeliverableFactory(project=project).assignees.add(assigned)
    later = MON + dt.timedelta(days=14)
    f.BookingFactory(talent=person, project=project, start_date=later, end_date=later)  # another week
    client.force_login(pm)

    def people(**query):
        return [row for row in rows_of(client.get(URL, query)) if hasattr(row, "user")]

    assert people(discipline=person.discipline.pk) == [person]
    assert people(skill=lettering.pk) == [person]
    assert people(project=project.pk) == sorted([freelancer, assigned], key=lambda t: t.discipline.name)
    assert people(employment="freelance") == [freelancer]
    assert people(q="cle") == [person]


def test_only_free_time_leaves_out_the_fully_booked(client, pm, person):
    busy = f.TalentFactory(user__first_name="Bo", discipline=person.discipline)
    f.BookingFactory(talent=busy, start_date=MON, end_date=FRI, hours_per_day=Decimal("8"), status="tentative")
    client.force_login(pm)
    response = client.get(URL, {"free": "on"})
    assert rows_of(response) == [person]


def test_freelancers_outside_their_contract_are_not_listed(client, pm):
    f.FreelanceTalentFactory(contract_start=TODAY + dt.timedelta(days=30), contract_end=TODAY + dt.timedelta(days=60))
    current = f.FreelanceTalentFactory()
    client.force_login(pm)
    assert rows_of(client.get(URL)) == [current]


def test_people_are_paginated(client, pm, settings):
    from schedules.views import team as team_views

    discipline = f.DisciplineFactory(name="Design")
    for _n in range(team_views.ROWS_PER_PAGE + 2):
        f.TalentFactory(discipline=discipline)
    client.force_login(pm)
    assert len(rows_of(client.get(URL))) == team_views.ROWS_PER_PAGE
    assert len(rows_of(client.get(URL, {"page": 2}))) == 2


def _busy_studio(people: int):
    design = f.DisciplineFactory(name="Design")
    f.HolidayFactory(date=TUE)
    for n in range(people):
        talent = f.TalentFactory(discipline=design)
        talent.skills.add(f.SkillFactory(name=f"Skill {n % 3}"))
        f.BookingFactory(talent=talent, start_date=MON, end_date=FRI)
        f.BookingFactory(talent=talent, start_date=WED, end_date=WED, status="tentative", hours_per_day=Decimal("3"))
        f.TimeOffFactory(talent=talent, start_date=THU, end_date=THU)
    f.BookingFactory(talent=None, placeholder_discipline=design, status="tentative")
    unstaffed = f.DeliverableFactory(name="Hero KV", due_date=FRI, planned_hours=Decimal("16"))
    f.DeliverableHoursFactory(deliverable=unstaffed, discipline=design, hours=Decimal("16"))


@pytest.mark.parametrize("people", [2, 12])
def test_week_view_queries_do_not_grow_with_people_or_bookings(client, pm, people, django_assert_num_queries):
    _busy_studio(people)
    client.force_login(pm)
    client.get(URL)  # session and settings rows
    # Session, user, count, people page, holidays, capacity, booked hours, bookings, time
    # off, placeholders, the hours still to staff (the demand's bounds, the unbooked hours,
    # their deliverables and disciplines), studio settings, three filter choices.
    with django_assert_num_queries(18):
        response = client.get(URL)
    assert len(rows_of(response)) == people + 1
    # Nobody is booked on Hero KV: its 16 design hours show in the design placeholder row.
    assert "16 h to staff" in response.content.decode()


def test_free_text_in_cells_is_escaped(client, pm, person):
    f.HolidayFactory(date=TUE, name='<script>alert("x")</script>')
    f.TimeOffFactory(talent=person, start_date=WED, end_date=WED, reason="<b>moving</b>")
    client.force_login(pm)
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html and "<b>moving</b>" not in html
    assert 'title="Holiday &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in html
    assert "&lt;b&gt;moving&lt;/b&gt;" in html


@pytest.mark.parametrize("start", ["9999-12-30", "0001-01-01"])
def test_a_date_at_the_ends_of_the_calendar_falls_back_to_this_week(client, pm, start):
    client.force_login(pm)
    response = client.get(URL, {"start": start, "view": "4weeks"})
    assert response.status_code == 200
    assert response.context["window"].start == MON
