"""Two rules of logged time: no hours on a day after the studio's today, and a week is
submitted only from its last working day on, so no day that has not happened yet is
locked. Both live in the time-entry services; the pages and the API go through them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Approval
from approvals.services import approval_decide
from schedules.models import TimeEntry, Timesheet
from schedules.services.timesheets import (
    DayRow,
    TimeNotSaved,
    entry_key,
    time_entries_set_day,
    time_entry_set,
    timesheet_submit,
    timesheet_submit_opens,
)
from schedules.timegrid import cell_name
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# TODAY is Wednesday 25 November 2026: its week runs Monday 23 to Sunday 29.
MONDAY = dt.date(2026, 11, 23)
TOMORROW = TODAY + dt.timedelta(days=1)
THURSDAY, FRIDAY, SATURDAY = TOMORROW, MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=5)
LAST_MONDAY = MONDAY - dt.timedelta(days=7)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)
UP_TO_TODAY = "You can log hours up to today, Wed 25 Nov."
FROM_FRIDAY = "You can submit this week from Fri 27 Nov."
HTMX = {"HTTP_HX_REQUEST": "true"}
ENTRIES, SHEETS = "/api/time-entries/", "/api/timesheets/"


@pytest.fixture
def talent(creative):
    return creative.talent


@pytest.fixture
def booked(talent):
    """Six hours a day from last Monday to next Friday, on a deliverable of ACME-1."""
    deliverable = f.DeliverableFactory(project__code="ACME-1", name="Key visual")
    return f.BookingFactory(
        talent=talent,
        project=deliverable.project,
        deliverable=deliverable,
        start_date=LAST_MONDAY,
        end_date=NEXT_MONDAY + dt.timedelta(days=4),
        hours_per_day=Decimal("6"),
    )


def set_cell(user, talent, booked, day, hours):
    return time_entry_set(
        user=user, talent=talent, project=booked.project, deliverable=booked.deliverable, day=day, hours=hours
    )


def logged(talent):
    return {entry.date: entry.hours for entry in TimeEntry.objects.filter(talent=talent)}


def week_url(talent, week=MONDAY):
    return f"{reverse('schedules:timesheet-person', args=[talent.pk])}?week={week.isoformat()}"


def input_of(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- hours up to today ------------------------------------------------------------------


def test_hours_are_logged_up_to_today_and_refused_from_tomorrow(creative, talent, booked):
    set_cell(creative, talent, booked, MONDAY, Decimal("6"))
    set_cell(creative, talent, booked, TODAY, Decimal("7.5"))
    for day in (TOMORROW, SATURDAY, NEXT_MONDAY):
        with pytest.raises(TimeNotSaved) as excinfo:
            set_cell(creative, talent, booked, day, Decimal("2"))
        assert excinfo.value.message_dict == {"date": [UP_TO_TODAY]}
        assert excinfo.value.rows == {(day, entry_key(booked.project_id, booked.deliverable_id)): [UP_TO_TODAY]}
    assert logged(talent) == {MONDAY: Decimal("6"), TODAY: Decimal("7.5")}
    # Refused before the week is opened: next week has no timesheet row.
    assert not Timesheet.objects.filter(talent=talent, week_start=NEXT_MONDAY).exists()


def test_a_day_of_several_rows_names_each_row_with_hours_and_saves_none(creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=MONDAY, end_date=FRIDAY)
    with pytest.raises(TimeNotSaved) as excinfo:
        time_entries_set_day(
            user=creative,
            talent=talent,
            day=TOMORROW,
            rows=[DayRow(booked.project, booked.deliverable, Decimal("3")), DayRow(other.project, None, None)],
        )
    assert list(excinfo.value.rows) == [(TOMORROW, entry_key(booked.project_id, booked.deliverable_id))]
    assert logged(talent) == {}


def test_hours_already_on_a_future_day_can_be_taken_off_but_not_raised(creative, talent, booked):
    # Logged before the rule: it may still be cleared.
    entry = f.TimeEntryFactory(
        timesheet__talent=talent,
        timesheet__week_start=MONDAY,
        project=booked.project,
        deliverable=booked.deliverable,
        date=FRIDAY,
        hours=Decimal("4"),
    )
    with pytest.raises(TimeNotSaved, match="up to today"):
        set_cell(creative, talent, booked, FRIDAY, Decimal("5"))
    assert logged(talent) == {FRIDAY: Decimal("4")}
    assert set_cell(creative, talent, booked, FRIDAY, None) is None
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_the_rule_moves_with_the_studio_clock(creative, talent, booked, move_clock):
    move_clock(FRIDAY)
    set_cell(creative, talent, booked, FRIDAY, Decimal("6"))
    with pytest.raises(TimeNotSaved, match="You can log hours up to today, Fri 27 Nov."):
        set_cell(creative, talent, booked, SATURDAY, Decimal("6"))
    assert logged(talent) == {FRIDAY: Decimal("6")}


def test_week_page_cell_for_tomorrow_says_why_next_to_the_cell(client, creative, talent, booked):
    client.force_login(creative)
    name = cell_name(booked.project_id, booked.deliverable_id, TOMORROW)
    response = client.post(reverse("schedules:timesheet-cell", args=[talent.pk]), {"cell": name, name: "6"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<small id="errors-{name}" class="field-error" role="alert">{UP_TO_TODAY}</small>' in html
    assert logged(talent) == {}


def test_week_page_save_all_refuses_tomorrow_and_keeps_today(client, creative, talent, booked):
    client.force_login(creative)
    today, tomorrow = (cell_name(booked.project_id, booked.deliverable_id, day) for day in (TODAY, TOMORROW))
    response = client.post(
        reverse("schedules:timesheet-save", args=[talent.pk]), {"week": MONDAY, today: "6", tomorrow: "6"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="errors-{tomorrow}"' in html and UP_TO_TODAY in html and f'id="errors-{today}"' not in html
    assert logged(talent) == {}  # the week is saved whole or not at all
    client.post(reverse("schedules:timesheet-save", args=[talent.pk]), {"week": MONDAY, today: "6"})
    assert logged(talent) == {TODAY: Decimal("6")}


def test_week_page_greys_out_the_days_after_today_and_says_why(client, creative, talent, booked):
    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()
    for day in (MONDAY, TODAY):
        assert "disabled" not in input_of(html, cell_name(booked.project_id, booked.deliverable_id, day))
    for day in (THURSDAY, FRIDAY, SATURDAY):
        cell = input_of(html, cell_name(booked.project_id, booked.deliverable_id, day))
        assert "disabled" in cell and f'title="{UP_TO_TODAY}"' in cell
    assert "data-future-note" in html
    last_week = client.get(week_url(talent, LAST_MONDAY)).content.decode()
    assert "data-future" not in last_week


def test_my_day_logs_the_studio_today_only(client, creative, talent, booked):
    """My day's form carries no date: the studio's today, taken on the server, is the day."""
    client.force_login(creative)
    key = entry_key(booked.project_id, booked.deliverable_id)
    response = client.post(reverse("schedules:my-day-time"), {f"hours-{key}": "5", "date": TOMORROW}, **HTMX)
    assert response.status_code == 200
    assert logged(talent) == {TODAY: Decimal("5")}


@pytest.mark.parametrize("role", ["creative", "pm"])
def test_api_answers_400_with_the_date_field_for_tomorrow(request, talent, booked, role):
    client = api_as(request.getfixturevalue(role))
    payload = {"project": booked.project_id, "deliverable": booked.deliverable_id, "hours": "6"}
    if role == "pm":
        payload["talent"] = talent.pk
    response = client.post(ENTRIES, {**payload, "date": TOMORROW.isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {"date": [UP_TO_TODAY]}
    assert logged(talent) == {}
    response = client.post(ENTRIES, {**payload, "date": TODAY.isoformat()}, format="json")
    assert response.status_code == 201
    assert logged(talent) == {TODAY: Decimal("6")}


def test_api_update_of_a_future_entry_is_refused_and_its_delete_allowed(creative, talent, booked):
    entry = f.TimeEntryFactory(
        timesheet__talent=talent,
        timesheet__week_start=MONDAY,
        project=booked.project,
        deliverable=booked.deliverable,
        date=FRIDAY,
        hours=Decimal("4"),
    )
    client = api_as(creative)
    response = client.patch(f"{ENTRIES}{entry.pk}/", {"hours": "6"}, format="json")
    assert (response.status_code, response.json()) == (400, {"date": [UP_TO_TODAY]})
    assert client.delete(f"{ENTRIES}{entry.pk}/").status_code == 204
    assert logged(talent) == {}


# --- submitting a week from its last working day on ---------------------------------------


def test_a_week_opens_for_submission_on_its_last_working_day():
    assert timesheet_submit_opens(MONDAY) == FRIDAY
    f.HolidayFactory(date=FRIDAY, name="Studio day")
    assert timesheet_submit_opens(MONDAY) == THURSDAY
    for n in range(4):
        f.HolidayFactory(date=MONDAY + dt.timedelta(days=n), name=f"Closed {n}")
    # A week of holidays only: from its Friday.
    assert timesheet_submit_opens(MONDAY) == FRIDAY


@pytest.mark.parametrize(
    ("day", "refused"),
    [(MONDAY, True), (TODAY, True), (THURSDAY, True), (FRIDAY, False), (SATURDAY, False), (NEXT_MONDAY, False)],
)
def test_this_week_is_submitted_from_its_friday(creative, talent, move_clock, day, refused):
    move_clock(day)
    if refused:
        with pytest.raises(ValidationError) as excinfo:
            timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
        assert excinfo.value.message_dict == {"week": [FROM_FRIDAY]}
        assert not Timesheet.objects.filter(status="submitted").exists()
    else:
        assert timesheet_submit(user=creative, talent=talent, week_start=MONDAY).status == "submitted"


def test_a_holiday_on_friday_opens_the_week_on_thursday(creative, talent, move_clock):
    f.HolidayFactory(date=FRIDAY, name="Studio day")
    with pytest.raises(ValidationError, match="You can submit this week from Thu 26 Nov."):
        timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    move_clock(THURSDAY)
    assert timesheet_submit(user=creative, talent=talent, week_start=MONDAY).status == "submitted"


def test_a_past_week_is_submitted_any_day_and_a_future_one_names_its_day(creative, talent):
    assert timesheet_submit(user=creative, talent=talent, week_start=LAST_MONDAY).status == "submitted"
    with pytest.raises(ValidationError, match="You can submit this week from Fri 4 Dec."):
        timesheet_submit(user=creative, talent=talent, week_start=NEXT_MONDAY)


def test_the_week_is_no_longer_locked_on_days_still_to_come(client, creative, talent, booked, pm, move_clock):
    """The issue's case: on Wednesday the week could be submitted and approved, and
    Thursday's my day was locked. Now it waits for Friday, and Thursday takes its hours."""
    with pytest.raises(ValidationError):
        timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    move_clock(THURSDAY)
    client.force_login(creative)
    key = entry_key(booked.project_id, booked.deliverable_id)
    client.post(reverse("schedules:my-day-time"), {f"hours-{key}": "6"}, **HTMX)
    move_clock(FRIDAY)
    client.post(reverse("schedules:my-day-time"), {f"hours-{key}": "6"}, **HTMX)
    sheet = timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    approval_decide(approval=Approval.objects.pending_for(sheet), user=pm, outcome="approve")
    sheet.refresh_from_db()
    assert sheet.status == "approved"
    assert logged(talent) == {THURSDAY: Decimal("6"), FRIDAY: Decimal("6")}


def test_week_page_explains_the_disabled_submit_button_before_friday(client, creative, talent, booked, move_clock):
    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()
    button = re.search(r'<button[^>]*id="timesheet-submit"[^>]*>', html).group(0)
    assert "disabled" in button and 'aria-describedby="timesheet-submit-waits"' in button
    assert f'<small id="timesheet-submit-waits" class="muted" data-submit-waits>{FROM_FRIDAY}</small>' in html

    response = client.post(reverse("schedules:timesheet-submit", args=[talent.pk]), {"week": MONDAY}, follow=True)
    assert FROM_FRIDAY in response.content.decode()
    assert not Timesheet.objects.filter(talent=talent, status="submitted").exists()

    move_clock(FRIDAY)
    html = client.get(week_url(talent)).content.decode()
    button = re.search(r'<button[^>]*id="timesheet-submit"[^>]*>', html).group(0)
    assert "disabled" not in button and "data-submit-waits" not in html
    client.post(reverse("schedules:timesheet-submit", args=[talent.pk]), {"week": MONDAY})
    assert Timesheet.objects.get(talent=talent, week_start=MONDAY).status == "submitted"


@pytest.mark.parametrize("role", ["pm", "executive"])
def test_others_see_no_submit_button_nor_its_wait(client, request, talent, booked, role):
    client.force_login(request.getfixturevalue(role))
    html = client.get(week_url(talent)).content.decode()
    assert "timesheet-submit" not in html and "data-submit-waits" not in html


def test_api_submit_before_friday_answers_400_with_the_week_field(creative, talent, booked, move_clock):
    sheet = f.TimesheetFactory(talent=talent, week_start=MONDAY)
    client = api_as(creative)
    response = client.post(f"{SHEETS}{sheet.pk}/submit/")
    assert (response.status_code, response.json()) == (400, {"week": [FROM_FRIDAY]})
    sheet.refresh_from_db()
    assert sheet.status == "open"
    move_clock(FRIDAY)
    assert client.post(f"{SHEETS}{sheet.pk}/submit/").json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("executive", 403), ("admin_user", 403), ("freelancer", 400), ("brand_manager", 400), ("outsider", 400)],
)
def test_api_who_may_not_log_the_time_is_refused_before_its_date_is_read(request, talent, booked, role, expected):
    """Who may not log the creative's time hears so (403), or that the person and project
    are not theirs to name (400 on those fields), whatever the day."""
    client = api_as(request.getfixturevalue(role))
    payload = {"project": booked.project_id, "deliverable": booked.deliverable_id, "hours": "6", "talent": talent.pk}
    for day in (TODAY, TOMORROW):
        response = client.post(ENTRIES, {**payload, "date": day.isoformat()}, format="json")
        assert response.status_code == expected
        assert "date" not in response.json()
    assert logged(talent) == {}
