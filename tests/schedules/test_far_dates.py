"""Dates far outside any plan: refused on the way in, and harmless when already stored.

The plan window (`studio.workdays.plan_window`) runs from 1 Jan 2000 to ten years after
today. TODAY is Wednesday 25 November 2026, so the window ends on Tuesday 25 November
2036. Rows dated in year 1 or 9999 are written straight to the database, as old data or
an import could have left them; every page and API that walks days must answer with
the same work as without them: the same number of queries, and the same days walked
where a Python loop walks days. Nothing here times anything.
"""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import Deliverable
from schedules import capacity
from schedules.capacity import demand_by_discipline
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from schedules.querysets import BookingQuerySet
from schedules.services.time import time_off_approve
from studio.workdays import WorkCalendar
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

YEAR_1, YEAR_9999 = dt.date(1, 1, 1), dt.date(9999, 12, 31)
WINDOW_FIRST, WINDOW_LAST = dt.date(2000, 1, 1), dt.date(2036, 11, 25)
ELEVEN_YEARS = dt.date(2037, 11, 25)
FAR = [YEAR_1, YEAR_9999, ELEVEN_YEARS]
WINDOW_MESSAGE = "Choose a date from Sat 1 Jan 2000 to Tue 25 Nov 2036."
THIS_MONDAY, THU, FRI = dt.date(2026, 11, 23), dt.date(2026, 11, 26), dt.date(2026, 11, 27)
FIRST_FORECAST_WEEK = dt.date(2026, 11, 23)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def key_visual():
    """Design 3 h and copy 1 h per unit: hours split ¾ design, ¼ copy."""
    kind = f.DeliverableTypeFactory(name="Key visual")
    design, copy = f.DisciplineFactory(name="Design"), f.DisciplineFactory(name="Copy")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("3"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=copy, hours_per_unit=D("1"))
    return kind, design, copy


@pytest.fixture
def studio(creative, key_visual):
    """An ordinary week: the creative (a designer) booked on a deliverable due next week,
    a day off, a placeholder and an hour logged."""
    kind, design, _copy = key_visual
    talent = creative.talent
    talent.discipline = design
    talent.save()
    deliverable = f.DeliverableFactory(deliverable_type=kind, due_date=dt.date(2026, 12, 4))
    deliverable.assignees.add(talent)
    f.BookingFactory(talent=talent, project=deliverable.project, deliverable=deliverable,
                     start_date=THU, end_date=FRI, hours_per_day=D("4"))
    f.BookingFactory(talent=None, placeholder_discipline=design, status="tentative", start_date=THU, end_date=FRI)
    f.TimeOffFactory(talent=talent, start_date=dt.date(2026, 12, 7), end_date=dt.date(2026, 12, 7))
    f.TimeEntryFactory(timesheet__talent=talent, timesheet__week_start=THIS_MONDAY, project=deliverable.project,
                       date=THIS_MONDAY)
    return {"talent": talent, "kind": kind, "design": design, "project": deliverable.project}


def store_far_rows(studio):
    """A deliverable from year 1 to 9999 with a booking over the same days, a placeholder
    to 9999, approved and requested time off from year 1 to 9999, and time logged on the
    last day of 9999 and the first of year 1: written past the services, which refuse them."""
    talent, project = studio["talent"], studio["project"]
    deliverable = f.DeliverableFactory(project=project, deliverable_type=studio["kind"], planned_hours=D("400"))
    deliverable.assignees.add(talent)
    Deliverable.objects.filter(pk=deliverable.pk).update(planned_start=YEAR_1, due_date=YEAR_9999)
    late = f.DeliverableFactory(project=project, deliverable_type=studio["kind"])
    Deliverable.objects.filter(pk=late.pk).update(due_date=YEAR_9999)
    bookings = [
        f.BookingFactory(talent=talent, project=project, deliverable=deliverable, hours_per_day=D("1")),
        f.BookingFactory(talent=None, placeholder_discipline=studio["design"], project=project, status="tentative",
                         hold_expires_on=TODAY),
    ]
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(start_date=YEAR_1, end_date=YEAR_9999)
    Booking.objects.filter(pk=bookings[1].pk).update(hold_expires_on=YEAR_9999)
    days_off = [
        f.TimeOffFactory(talent=talent, status="approved", full_day=False, hours_per_day=D("1")),
        f.TimeOffFactory(talent=talent, status="requested"),
    ]
    TimeOff.objects.filter(pk__in=[o.pk for o in days_off]).update(start_date=YEAR_1, end_date=YEAR_9999)
    for day, monday in ((YEAR_9999, dt.date(9999, 12, 27)), (YEAR_1, YEAR_1)):
        entry = f.TimeEntryFactory(timesheet__talent=talent, project=project)
        Timesheet.objects.filter(pk=entry.timesheet_id).update(
            week_start=monday, status="approved", approved_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
        )
        TimeEntry.objects.filter(pk=entry.pk).update(date=day)


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers=HTMX)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


@pytest.fixture
def days_walked(monkeypatch):
    """How many days Python's loops over the working calendar look at."""
    walked = []
    is_working_day = WorkCalendar.is_working_day

    def counting(self, day):
        walked.append(day)
        return is_working_day(self, day)

    monkeypatch.setattr(WorkCalendar, "is_working_day", counting)
    return walked


@pytest.fixture
def demand_calendars(monkeypatch):
    """The first and last day of every demand query's calendar of days."""
    calendars = []
    demand_query = capacity._demand_query

    def recording(*args, **kwargs):
        sql, params = demand_query(*args, **kwargs)
        calendars.append((params["cal_start"], params["cal_end"]))
        return sql, params

    monkeypatch.setattr(capacity, "_demand_query", recording)
    return calendars


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# --- every page and API that walks days answers, with the same work -------------------------

PAGES = [
    # (who asks, URL name, query)
    ("pm", "schedules:forecast", {}),
    ("pm", "schedules:forecast-cell", {"discipline": "design", "week": FIRST_FORECAST_WEEK.isoformat()}),
    ("brand_manager", "schedules:feasibility", {"deadline": "2026-12-04", "items-0-deliverable_type": "kind",
                                                "items-0-quantity": "2"}),
    ("pm", "schedules:utilization", {}),
    ("pm", "schedules:who-is-free", {"discipline": "design"}),
    ("pm", "schedules:team-schedule", {"view": "4weeks"}),
    ("creative", "schedules:my-day", {}),
    ("creative", "schedules:my-day-ahead", {}),
    ("creative", "schedules:my-day-time", {}),
    ("creative", "schedules:timesheet-person", {"week": THIS_MONDAY.isoformat()}),
    ("creative", "schedules:ical", {}),
    ("pm", "/api/schedule/", {"start": "2026-11-23", "end": "2027-02-22"}),
    ("pm", "/api/utilization/", {}),
    ("pm", "/api/utilization/people/", {}),
    ("pm", "/api/forecast/", {}),
    ("pm", "/api/who-is-free/", {"start": "2026-11-30", "end": "2027-02-26"}),
]


def _url_and_params(name, params, studio):
    args = {"schedules:ical": [studio["talent"].ical_token], "schedules:timesheet-person": [studio["talent"].pk]}
    named = {"design": studio["design"].pk, "kind": studio["kind"].pk}
    url = name if name.startswith("/") else reverse(name, args=args.get(name))
    return url, {key: named.get(value, value) for key, value in params.items()}


@pytest.mark.parametrize(("role", "name", "params"), PAGES, ids=[page[1] for page in PAGES])
def test_pages_answer_with_the_same_queries_whatever_dates_are_stored(
    client, request, studio, role, name, params, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(role))
    url, params = _url_and_params(name, params, studio)
    count_queries(client, url, params)  # the session and the studio's time zone, cached
    ordinary = count_queries(client, url, params)

    store_far_rows(studio)

    with django_assert_num_queries(ordinary):
        response = client.get(url, params, headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "name", "params"),
    [page for page in PAGES if page[1] in ("schedules:feasibility", "schedules:my-day-ahead")],
)
def test_python_loops_walk_the_same_days_whatever_dates_are_stored(
    client, request, studio, days_walked, role, name, params
):
    client.force_login(request.getfixturevalue(role))
    url, params = _url_and_params(name, params, studio)
    count_queries(client, url, params)
    ordinary = list(days_walked)
    days_walked.clear()

    store_far_rows(studio)
    count_queries(client, url, params)

    assert days_walked == ordinary and ordinary


def test_the_demand_calendar_never_runs_past_the_plan_window(client, pm, studio, demand_calendars):
    client.force_login(pm)
    count_queries(client, reverse("schedules:forecast"), {})
    # Without far rows: from the booking of Thu 26 Nov to the deliverable due Fri 4 Dec,
    # or the forecast's last day, Sunday 14 February 2027 (12 weeks from Mon 23 Nov).
    assert [tuple(map(_day, days)) for days in demand_calendars] == [(THU, dt.date(2027, 2, 14))]
    demand_calendars.clear()

    store_far_rows(studio)
    count_queries(client, reverse("schedules:forecast"), {})

    # Year 1 and 9999 are cut to the window: at most its 13,478 days, not 3.65 million.
    assert [tuple(map(_day, days)) for days in demand_calendars] == [(WINDOW_FIRST, WINDOW_LAST)]


def test_time_off_approved_over_the_ends_of_the_calendar_walks_only_the_plan_window(pm, studio, monkeypatch):
    walked = []
    landing_days = BookingQuerySet.landing_days

    def recording(self, talent, start, end, **kwargs):
        walked.append((start, end))
        return landing_days(self, talent, start, end, **kwargs)

    monkeypatch.setattr(BookingQuerySet, "landing_days", recording)
    time_off = f.TimeOffFactory(talent=studio["talent"], status="requested")
    TimeOff.objects.filter(pk=time_off.pk).update(start_date=YEAR_1, end_date=YEAR_9999)
    time_off.refresh_from_db()

    impact = time_off_approve(time_off=time_off, user=pm)

    assert walked == [(WINDOW_FIRST, WINDOW_LAST)]
    # Thu 26 and Fri 27 November, 4 h each, no longer land.
    assert impact.lost_hours == D("8")


def test_the_ical_feed_keeps_events_from_the_ends_of_the_calendar_within_the_plan_window(client, studio):
    store_far_rows(studio)

    response = client.get(reverse("schedules:ical", args=[studio["talent"].ical_token]))

    assert response.status_code == 200
    body = response.content.decode()
    # DTEND is exclusive: the day after the window's last day.
    assert "DTSTART;VALUE=DATE:20000101" in body and "DTEND;VALUE=DATE:20361126" in body
    assert "00010101" not in body and "99991231" not in body and "100000101" not in body


# --- demand inside the plan window, worked out by hand --------------------------------------

def demand(start, end):
    return demand_by_discipline(start, end, today=TODAY)


def test_a_spread_due_after_the_window_runs_to_the_windows_last_day(key_visual):
    kind, design, copy = key_visual
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("10"))
    Deliverable.objects.filter(pk=deliverable.pk).update(planned_start=dt.date(2036, 11, 24), due_date=YEAR_9999)

    # 10 h over Mon 24 and Tue 25 November 2036, the window's last day: 5 h a day,
    # design ¾ = 3.75, copy ¼ = 1.25; nothing on Wed 26 or later.
    assert demand(dt.date(2036, 11, 24), dt.date(2036, 11, 28)) == {
        design.pk: {dt.date(2036, 11, 24): D("3.75"), WINDOW_LAST: D("3.75")},
        copy.pk: {dt.date(2036, 11, 24): D("1.25"), WINDOW_LAST: D("1.25")},
    }


def test_a_deliverable_planned_to_start_after_the_window_adds_nothing(key_visual):
    kind, _design, _copy = key_visual
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("10"))
    Deliverable.objects.filter(pk=deliverable.pk).update(planned_start=dt.date(9999, 1, 1), due_date=YEAR_9999)

    assert demand(dt.date(2036, 11, 24), dt.date(2036, 11, 28)) == {}


def test_bookings_before_the_window_are_not_read_back(key_visual):
    kind, design, copy = key_visual
    deliverable = f.DeliverableFactory(deliverable_type=kind, planned_hours=D("8"), planned_start=THU, due_date=FRI)
    booking = f.BookingFactory(talent=f.TalentFactory(discipline=design), project=deliverable.project,
                               deliverable=deliverable, hours_per_day=D("8"))
    Booking.objects.filter(pk=booking.pk).update(start_date=YEAR_1, end_date=dt.date(1, 1, 5))

    # The 8 h booked in year 1 lie before the window: all 8 h are still unbooked, over
    # Thu 26 and Fri 27: 4 h a day, design 3, copy 1.
    assert demand(THU, FRI) == {design.pk: {THU: D("3"), FRI: D("3")}, copy.pk: {THU: D("1"), FRI: D("1")}}


# --- dates refused on the way in: API 400 with the field, pages with the error in place ------

def api(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm)


def booking_payload(talent, project, **changes):
    return {"talent": talent.pk, "project": project.pk, "start_date": "2026-12-03", "end_date": "2026-12-04",
            "hours_per_day": "6", "status": "tentative", **changes}


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("field", ["start_date", "end_date", "hold_expires_on"])
def test_the_bookings_api_refuses_dates_outside_the_plan_window(pm, creative, project, field, day):
    changes = {field: day.isoformat()}
    if field == "start_date" and day > YEAR_1:
        changes["end_date"] = day.isoformat()
    response = api(pm).post("/api/bookings/", booking_payload(creative.talent, project, **changes), format="json")

    assert response.status_code == 400
    assert WINDOW_MESSAGE in response.json()[field]
    assert not Booking.objects.exists()


def test_moving_a_booking_through_the_api_to_9999_is_refused(pm, creative, project):
    booking = f.BookingFactory(talent=creative.talent, project=project)
    response = api(pm).patch(f"/api/bookings/{booking.pk}/", {"version": 1, "end_date": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"end_date": [WINDOW_MESSAGE]}
    booking.refresh_from_db()
    assert booking.version == 1


def field_errors(response, field: str) -> str:
    """The errors Django renders next to a form field."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return match[1] if match else ""


@pytest.mark.parametrize("day", FAR)
def test_the_booking_dialog_shows_the_window_next_to_the_field(client, pm, creative, project, day):
    client.force_login(pm)
    data = booking_payload(creative.talent, project, end_date=day.isoformat())
    if day == YEAR_1:
        data["start_date"] = day.isoformat()

    response = client.post(reverse("schedules:booking-new"), data, headers=HTMX)

    assert response.status_code == 200
    field = "start_date" if day == YEAR_1 else "end_date"
    assert WINDOW_MESSAGE in field_errors(response, field)
    assert not Booking.objects.exists()


def test_a_drag_to_9999_snaps_back_with_the_reason(client, pm, creative, project):
    booking = f.BookingFactory(talent=creative.talent, project=project)
    client.force_login(pm)
    response = client.post(reverse("schedules:booking-move", args=[booking.pk]),
                           {"version": 1, "start_date": booking.start_date, "end_date": "9999-12-31"}, headers=HTMX)

    assert response.status_code == 200 and WINDOW_MESSAGE in response.content.decode()
    booking.refresh_from_db()
    assert booking.version == 1


@pytest.mark.parametrize("user", ["creative", "pm"])
def test_the_time_off_api_refuses_the_ends_of_the_calendar(request, creative, user):
    data = {"start_date": "0001-01-01", "end_date": "9999-12-31"}
    if user == "pm":
        data["talent"] = creative.talent.pk  # a PM's request is approved at once: it must not walk the days
    response = api(request.getfixturevalue(user)).post("/api/time-off/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {"start_date": [WINDOW_MESSAGE], "end_date": [WINDOW_MESSAGE]}
    assert not TimeOff.objects.exists()


def test_the_time_off_form_shows_the_window_next_to_the_fields(client, creative):
    client.force_login(creative)
    response = client.post(reverse("schedules:time-off-request"),
                           {"start_date": "2026-12-01", "end_date": ELEVEN_YEARS.isoformat(), "full_day": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"end_date": [WINDOW_MESSAGE]}
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("day", FAR)
def test_the_time_entries_api_refuses_days_outside_the_plan_window(creative, project, day):
    f.BookingFactory(talent=creative.talent, project=project)
    response = api(creative).post("/api/time-entries/", {"project": project.pk, "date": day.isoformat(),
                                                         "hours": "2"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"date": [WINDOW_MESSAGE]}
    assert not Timesheet.objects.exists()


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", ELEVEN_YEARS.isoformat()])
def test_a_timesheet_week_outside_the_window_shows_this_week(client, creative, week):
    client.force_login(creative)
    response = client.get(reverse("schedules:timesheet-person", args=[creative.talent.pk]), {"week": week})

    assert response.status_code == 200
    assert response.context["grid"].week_start == THIS_MONDAY


def test_a_timesheet_cell_outside_the_window_is_not_found(client, creative, project):
    client.force_login(creative)
    name = f"h-{project.pk}-0-9999-12-31"
    response = client.post(reverse("schedules:timesheet-cell", args=[creative.talent.pk]), {"cell": name, name: "2"},
                           headers=HTMX)

    assert response.status_code == 404
    assert not Timesheet.objects.exists()


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2027-02-15"])
def test_the_forecast_cell_refuses_weeks_the_forecast_does_not_show(client, pm, week):
    # The forecast's twelve weeks run from Mon 23 Nov 2026 to the week of Mon 8 Feb 2027.
    client.force_login(pm)
    response = client.get(reverse("schedules:forecast-cell"), {"discipline": f.DisciplineFactory().pk, "week": week})
    assert response.status_code == 400


@pytest.mark.parametrize(("deadline", "message"), [
    ("0001-01-01", "The deadline must be after today."),
    ("9999-12-31", "Capacity is known for the next two years only"),
    (ELEVEN_YEARS.isoformat(), "Capacity is known for the next two years only"),
])
def test_the_feasibility_fragment_answers_far_deadlines_with_a_message(client, brand_manager, key_visual, deadline,
                                                                       message):
    client.force_login(brand_manager)
    response = client.get(reverse("schedules:feasibility"), {
        "deadline": deadline, "items-0-deliverable_type": key_visual[0].pk, "items-0-quantity": "1",
    }, headers=HTMX)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize(("quantity", "message"), [
    (str(2**31), "Ask for at most 10,000 units of a deliverable to see an estimate."),
    ("10001", "Ask for at most 10,000 units of a deliverable to see an estimate."),
    ("9" * 5000, "Add the deliverables you need"),  # more digits than Python reads as a number
    ("²", "Add the deliverables you need"),  # a digit to str.isdigit(), not to int()
])
def test_the_feasibility_fragment_answers_huge_or_odd_quantities_with_a_message(client, brand_manager, key_visual,
                                                                                quantity, message):
    client.force_login(brand_manager)
    response = client.get(reverse("schedules:feasibility"), {
        "deadline": "2026-12-04", "items-0-deliverable_type": key_visual[0].pk, "items-0-quantity": quantity,
    }, headers=HTMX)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize("day", FAR)
def test_the_utilization_page_shows_the_window_and_falls_back(client, pm, day):
    client.force_login(pm)
    response = client.get(reverse("schedules:utilization"), {"start": day.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors == {"start": [WINDOW_MESSAGE]}
    assert response.context["weeks"][0] == dt.date(2026, 10, 26)  # four weeks back, as without a date


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("url", ["/api/utilization/", "/api/utilization/people/"])
def test_the_utilization_api_refuses_the_window(pm, url, day):
    response = api(pm).get(url, {"start": day.isoformat()})
    assert response.status_code == 400
    assert response.json() == {"start": [WINDOW_MESSAGE]}


@pytest.mark.parametrize("day", FAR)
def test_who_is_free_shows_the_window_next_to_the_field(client, pm, day):
    client.force_login(pm)
    response = client.get(reverse("schedules:who-is-free"), {"start": day.isoformat(), "end": day.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors == {"start": [WINDOW_MESSAGE], "end": [WINDOW_MESSAGE]}
    assert response.context["start"] == dt.date(2026, 11, 30)  # next week, as without dates


@pytest.mark.parametrize("day", FAR)
def test_the_who_is_free_api_refuses_the_window(pm, day):
    response = api(pm).get("/api/who-is-free/", {"start": day.isoformat(), "end": day.isoformat()})
    assert response.status_code == 400
    assert response.json() == {"start": [WINDOW_MESSAGE], "end": [WINDOW_MESSAGE]}


def test_one_click_booking_over_the_ends_of_the_calendar_is_refused_without_ranking_them(
    client, pm, creative, project, monkeypatch
):
    ranked = []
    monkeypatch.setattr("schedules.views.resources.free_people", lambda **kwargs: ranked.append(kwargs) or [])
    client.force_login(pm)
    response = client.post(reverse("schedules:who-is-free-book", args=[creative.talent.pk]),
                           {"project": project.pk, "start_date": "0001-01-01", "end_date": "9999-12-31"},
                           headers=HTMX)

    assert response.status_code == 200 and WINDOW_MESSAGE in response.content.decode()
    assert not Booking.objects.exists()
    assert ranked == []


@pytest.mark.parametrize("day", FAR)
def test_the_schedule_api_refuses_the_window(pm, day):
    response = api(pm).get("/api/schedule/", {"start": day.isoformat(), "end": day.isoformat()})
    assert response.status_code == 400
    assert response.json() == {"start": [WINDOW_MESSAGE], "end": [WINDOW_MESSAGE]}


@pytest.mark.parametrize("day", FAR)
def test_the_team_schedule_falls_back_to_this_week(client, pm, day):
    client.force_login(pm)
    response = client.get(reverse("schedules:team-schedule"), {"view": "4weeks", "start": day.isoformat()})
    assert response.status_code == 200
    assert response.context["window"].start == THIS_MONDAY
