"""One rule decides which projects a person may log time on (`ProjectQuerySet.loggable_by`):
an open project they are booked on in the week of the day, or assigned to one of its
deliverables. My day, the timesheet and the API offer and accept the same projects, and
refuse the others with the same message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import Project
from schedules.models import TimeEntry
from schedules.services.timesheets import NOT_LOGGABLE, entry_key, time_entry_set
from schedules.timegrid import cell_name
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

HTMX = {"HTTP_HX_REQUEST": "true"}
# TODAY is Wednesday 25 November 2026.
MONDAY = dt.date(2026, 11, 23)
THURSDAY = TODAY + dt.timedelta(days=1)
FRIDAY = TODAY + dt.timedelta(days=2)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)
MY_DAY_TIME = reverse("schedules:my-day-time")
ENTRIES = "/api/time-entries/"
REFUSED = str(NOT_LOGGABLE)


@pytest.fixture
def talent(creative):
    return creative.talent


@pytest.fixture
def from_thursday(talent):
    """Booked on THU-1 from Thursday to Friday of this week, not today."""
    return f.BookingFactory(
        talent=talent, project__code="THU-1", start_date=THURSDAY, end_date=FRIDAY, hours_per_day=Decimal("6")
    )


@pytest.fixture
def next_week(talent):
    """Booked on NXT-1 next week only."""
    return f.BookingFactory(talent=talent, project__code="NXT-1", start_date=NEXT_MONDAY, end_date=NEXT_MONDAY)


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def week_url(talent):
    return f"{reverse('schedules:timesheet-person', args=[talent.pk])}?week={MONDAY.isoformat()}"


def cell_url(talent):
    return reverse("schedules:timesheet-cell", args=[talent.pk])


def logged(talent):
    return {(entry.project.code, entry.date): entry.hours for entry in TimeEntry.objects.filter(talent=talent)}


# --- the rule ---------------------------------------------------------------------------


def test_a_booking_opens_its_project_for_every_day_of_its_week(talent, from_thursday, next_week):
    for day in (MONDAY, TODAY, THURSDAY, MONDAY + dt.timedelta(days=6)):
        assert list(Project.objects.loggable_by(talent, day)) == [from_thursday.project]
    assert list(Project.objects.loggable_by(talent, MONDAY - dt.timedelta(days=1))) == []
    assert list(Project.objects.loggable_by(talent, NEXT_MONDAY)) == [next_week.project]


def test_an_assignment_opens_its_project_any_week(talent):
    deliverable = f.DeliverableFactory()
    deliverable.assignees.add(talent)
    for day in (MONDAY - dt.timedelta(days=30), TODAY, NEXT_MONDAY):
        assert list(Project.objects.loggable_by(talent, day)) == [deliverable.project]


@pytest.mark.parametrize("status", ["delivered", "closed", "cancelled"])
def test_a_project_no_longer_open_takes_no_time(talent, status):
    booked = f.BookingFactory(talent=talent, project__status=status, start_date=MONDAY, end_date=FRIDAY)
    assigned = f.DeliverableFactory(project=booked.project)
    assigned.assignees.add(talent)
    assert list(Project.objects.loggable_by(talent, TODAY)) == []


@pytest.mark.parametrize("status", ["intake", "planned", "active", "on_hold"])
def test_an_open_project_of_any_stage_takes_time(talent, status):
    booked = f.BookingFactory(talent=talent, project__status=status, start_date=MONDAY, end_date=FRIDAY)
    assert list(Project.objects.loggable_by(talent, TODAY)) == [booked.project]


def test_a_colleagues_booking_opens_nothing_for_the_person(talent):
    f.BookingFactory(start_date=MONDAY, end_date=FRIDAY)
    assert list(Project.objects.loggable_by(talent, TODAY)) == []


def test_a_freelancers_assignment_counts_only_on_a_project_they_may_see(freelancer):
    talent = freelancer.talent
    unbooked = f.DeliverableFactory()
    unbooked.assignees.add(talent)
    assert list(Project.objects.loggable_by(talent, TODAY)) == []


# --- the Thursday booking on my day, the timesheet and the API ---------------------------


def test_my_day_offers_and_saves_todays_hours_on_a_project_booked_from_thursday(
    client, creative, talent, from_thursday
):
    client.force_login(creative)
    html = client.get(MY_DAY_TIME, **HTMX).content.decode()
    assert f'<option value="{from_thursday.project.pk}">' in html

    response = client.post(MY_DAY_TIME, {"extra-project": from_thursday.project.pk, "extra-hours": "2"}, **HTMX)

    assert response.status_code == 200
    assert logged(talent) == {("THU-1", TODAY): Decimal("2")}


def test_timesheet_takes_wednesdays_hours_on_the_row_booked_from_thursday(client, creative, talent, from_thursday):
    client.force_login(creative)
    name = cell_name(from_thursday.project.pk, None, TODAY)
    assert f'name="{name}"' in client.get(week_url(talent)).content.decode()

    html = client.post(cell_url(talent), {"cell": name, name: "3"}, **HTMX).content.decode()

    assert REFUSED not in html
    assert logged(talent) == {("THU-1", TODAY): Decimal("3")}


def test_api_takes_wednesdays_hours_on_a_project_booked_from_thursday(creative, talent, from_thursday):
    payload = {"project": from_thursday.project.pk, "date": TODAY.isoformat(), "hours": "4"}
    response = api_as(creative).post(ENTRIES, payload, format="json")
    assert response.status_code == 201, response.data
    assert logged(talent) == {("THU-1", TODAY): Decimal("4")}


def test_a_project_booked_next_week_is_refused_with_one_message_everywhere(client, creative, talent, next_week):
    project = next_week.project
    f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)
    client.force_login(creative)
    # My day does not offer it; posted anyway, it is refused.
    assert f'<option value="{project.pk}">' not in client.get(MY_DAY_TIME, **HTMX).content.decode()
    html = client.post(MY_DAY_TIME, {"extra-project": project.pk, "extra-hours": "2"}, **HTMX).content.decode()
    assert REFUSED in html
    # The timesheet: its time logged last week, before the booking moved, gives it a row
    # this week; the row's new hours are refused.
    TimeEntry.objects.create(
        timesheet=f.TimesheetFactory(talent=talent, week_start=MONDAY), talent=talent, project=project,
        date=MONDAY, hours=Decimal(1),
    )
    name = cell_name(project.pk, None, TODAY)
    html = client.post(cell_url(talent), {"cell": name, name: "3"}, **HTMX).content.decode()
    assert REFUSED in html
    # The API: a field error on `project`.
    payload = {"project": project.pk, "date": TODAY.isoformat(), "hours": "4"}
    response = api_as(creative).post(ENTRIES, payload, format="json")
    assert (response.status_code, response.data) == (400, {"project": [REFUSED]})
    assert logged(talent) == {("NXT-1", MONDAY): Decimal(1)}


def test_the_api_answers_the_same_message_for_a_project_the_person_may_not_see(freelancer):
    stranger = f.ProjectFactory()
    payload = {"project": stranger.pk, "date": TODAY.isoformat(), "hours": "4"}
    response = api_as(freelancer).post(ENTRIES, payload, format="json")
    assert (response.status_code, response.data) == (400, {"project": [REFUSED]})


def test_a_closed_project_is_refused_on_the_timesheet_and_its_time_can_still_be_cleared(creative, talent):
    booked = f.BookingFactory(talent=talent, start_date=MONDAY, end_date=FRIDAY)
    time_entry_set(user=creative, talent=talent, project=booked.project, deliverable=None, day=MONDAY, hours=Decimal(5))
    Project.objects.filter(pk=booked.project.pk).update(status="closed")

    with pytest.raises(ValidationError, match="open projects"):
        time_entry_set(
            user=creative, talent=talent, project=booked.project, deliverable=None, day=TODAY, hours=Decimal(2)
        )
    time_entry_set(user=creative, talent=talent, project=booked.project, deliverable=None, day=MONDAY, hours=None)

    assert logged(talent) == {}


def test_the_timesheet_offers_the_projects_of_the_rule_only(client, creative, talent, from_thursday, next_week):
    assigned = f.DeliverableFactory(project__code="ASG-1")
    assigned.assignees.add(talent)
    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()
    # THU-1 has its row already; ASG-1 is offered; NXT-1 is next week's.
    assert f'<option value="{assigned.project.pk}">' in html
    assert f'<option value="{next_week.project.pk}">' not in html
    assert f'name="{cell_name(from_thursday.project.pk, None, MONDAY)}"' in html
    assert entry_key(from_thursday.project.pk, None) in html


def test_my_day_the_timesheet_and_the_api_agree_project_by_project(client, creative, talent, from_thursday, next_week):
    assigned = f.DeliverableFactory(project__code="ASG-1")
    assigned.assignees.add(talent)
    closed = f.BookingFactory(talent=talent, project__code="CLO-1", project__status="closed",
                              start_date=MONDAY, end_date=FRIDAY)
    colleagues = f.BookingFactory(project__code="COL-1", start_date=MONDAY, end_date=FRIDAY)
    projects = [from_thursday.project, assigned.project, next_week.project, closed.project, colleagues.project]
    rule = {project.code for project in Project.objects.loggable_by(talent, TODAY)}
    assert rule == {"THU-1", "ASG-1"}
    client.force_login(creative)
    my_day = client.get(MY_DAY_TIME, **HTMX).content.decode()
    api = api_as(creative)
    answers = {}
    for project in projects:
        offered = f'<option value="{project.pk}">' in my_day
        name = cell_name(project.pk, None, TODAY)
        # A project the grid has no row for has no cell to post to (a 404); one it has a
        # row for answers with the refusal.
        response = client.post(cell_url(talent), {"cell": name, name: "1"}, **HTMX)
        on_timesheet = response.status_code == 200 and REFUSED not in response.content.decode()
        payload = {"project": project.pk, "date": TODAY.isoformat(), "hours": "1"}
        on_api = api.post(ENTRIES, payload, format="json").status_code == 201
        answers[project.code] = (offered, on_timesheet, on_api)
    assert answers == {code: (code in rule,) * 3 for code in ("THU-1", "ASG-1", "NXT-1", "CLO-1", "COL-1")}
    assert {code for code, _day in logged(talent)} == rule
