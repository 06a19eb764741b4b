"""The timesheet and time-entry API: the same access rules and services as the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from approvals.models import Approval
from schedules.models import TimeEntry, Timesheet
from schedules.services.timesheets import NOT_LOGGABLE
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MONDAY = dt.date(2026, 11, 23)
SHEETS, ENTRIES = "/api/timesheets/", "/api/time-entries/"
ROLES = ("pm", "executive", "admin_user", "creative", "freelancer", "brand_manager", "outsider")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def booked(creative):
    return f.BookingFactory(talent=creative.talent, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=4))


def as_user(api, user):
    api.force_authenticate(user)
    return api


def entry_payload(booked, **changes):
    return {"project": booked.project_id, "date": MONDAY.isoformat(), "hours": "6", **changes}


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_a_creatives_timesheet_and_entries(api, request, creative, role):
    entry = f.TimeEntryFactory(timesheet__talent=creative.talent)
    client = as_user(api, request.getfixturevalue(role))
    sees = role in ("pm", "executive", "admin_user", "creative")
    assert [row["id"] for row in client.get(SHEETS).data["results"]] == ([entry.timesheet_id] if sees else [])
    assert [row["id"] for row in client.get(ENTRIES).data["results"]] == ([entry.pk] if sees else [])
    assert client.get(f"{SHEETS}{entry.timesheet_id}/").status_code == (200 if sees else 404)


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 201,
        "executive": 403,
        "admin_user": 403,
        "creative": 201,
        "freelancer": 400,
        "brand_manager": 400,
        "outsider": 400,
    }.items(),
)
def test_who_logs_time_for_a_creative(api, request, creative, booked, role, expected):
    client = as_user(api, request.getfixturevalue(role))
    # People the caller may not see (not on a shared project) are a field error, not a 403.
    response = client.post(ENTRIES, entry_payload(booked, talent=creative.talent.pk), format="json")
    assert response.status_code == expected, response.data
    assert TimeEntry.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"hours": "25"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": "abc"}, "hours"),
        ({"date": None}, "date"),
    ],
)
def test_bad_time_entries_answer_field_errors(api, creative, booked, payload, field):
    response = as_user(api, creative).post(ENTRIES, entry_payload(booked, **payload), format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not TimeEntry.objects.exists()


def test_time_on_a_project_the_person_is_not_on_that_week_is_a_field_error(api, creative, booked):
    next_week = MONDAY + dt.timedelta(days=7)
    other = f.BookingFactory(talent=creative.talent, start_date=next_week, end_date=next_week)
    response = as_user(api, creative).post(ENTRIES, entry_payload(other), format="json")
    assert response.status_code == 400
    assert response.data["project"] == [str(NOT_LOGGABLE)]


def test_more_than_24_hours_in_a_day_is_refused(api, creative, booked):
    other = f.BookingFactory(talent=creative.talent, start_date=MONDAY, end_date=MONDAY)
    client = as_user(api, creative)
    assert client.post(ENTRIES, entry_payload(booked, hours="20"), format="json").status_code == 201
    response = client.post(ENTRIES, entry_payload(other, hours="5"), format="json")
    assert response.status_code == 400
    assert "25 h" in str(response.data)


def test_creative_updates_and_deletes_own_entry(api, creative, booked):
    client = as_user(api, creative)
    created = client.post(ENTRIES, entry_payload(booked), format="json").data
    assert client.patch(f"{ENTRIES}{created['id']}/", {"hours": "7.5"}, format="json").data["hours"] == "7.50"
    assert client.delete(f"{ENTRIES}{created['id']}/").status_code == 204
    assert not TimeEntry.objects.exists()


def test_submit_then_pm_reopens_through_the_api(api, creative, booked, pm, move_clock):
    client = as_user(api, creative)
    created = client.post(ENTRIES, entry_payload(booked), format="json").data
    move_clock(MONDAY + dt.timedelta(days=4))  # the week may be submitted from its Friday
    sheet_url = f"{SHEETS}{created['timesheet']}/"
    assert client.post(f"{sheet_url}submit/").data["status"] == "submitted"
    assert Approval.objects.pending_for(Timesheet.objects.get()).kind == "timesheet"
    # Locked: changes are refused with the reason.
    response = client.patch(f"{ENTRIES}{created['id']}/", {"hours": "2"}, format="json")
    assert response.status_code == 400 and "submitted" in str(response.data)
    assert client.post(f"{sheet_url}reopen/", {"reason": "No"}).status_code == 403

    pm_client = APIClient()
    pm_client.force_authenticate(pm)
    assert pm_client.post(f"{sheet_url}reopen/", {}).status_code == 400
    # A reason is text: a number is refused, not turned into one (schemathesis found it taken).
    not_text = pm_client.post(f"{sheet_url}reopen/", {"reason": 5}, format="json")
    assert (not_text.status_code, list(not_text.data)) == (400, ["reason"])
    response = pm_client.post(f"{sheet_url}reopen/", {"reason": "Split Monday"})
    assert response.status_code == 200 and response.data["status"] == "open"
    assert response.data["entries"][0]["hours"] == "6.00"


def test_anonymous_is_refused(api):
    assert api.get(SHEETS).status_code == 401
    assert api.post(ENTRIES, {}).status_code == 401


def test_timesheet_list_queries_do_not_grow(api, pm, django_assert_num_queries):
    for _ in range(2):
        f.TimeEntryFactory(hours=Decimal("2"))
    client = as_user(api, pm)
    with django_assert_num_queries(3):
        client.get(SHEETS)
    for _ in range(5):
        f.TimeEntryFactory(hours=Decimal("2"))
    with django_assert_num_queries(3):
        assert len(client.get(SHEETS).data["results"]) == 7
