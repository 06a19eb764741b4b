"""The personal calendar feed: bookings, time off and due dates as all-day events,
read back the way a calendar app reads them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from studio.models import AuditEvent
from tests import factories as f

# The studio's today: Wednesday 25 November 2026 (tests.factories.TODAY).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://callsheet.example.com"


def feed_url(talent):
    return reverse("schedules:ical", args=[talent.ical_token])


def fetch(client, talent):
    response = client.get(feed_url(talent))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def dates(event):
    return event.decoded("DTSTART"), event.decoded("DTEND")


def test_feed_is_a_calendar_document_anyone_with_the_link_can_read(client, creative):
    response = client.get(feed_url(creative.talent))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Callsheet" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]).startswith(str(creative))
    # How often Outlook and Apple Calendar fetch it again, as an RFC 5545 duration.
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content


def test_booking_is_an_all_day_event_with_an_exclusive_end(client, creative):
    project = f.ProjectFactory(code="ACME-7", name="Winter launch")
    booking = f.BookingFactory(
        talent=creative.talent, project=project, hours_per_day=Decimal("6.50"),
        deliverable=f.DeliverableFactory(project=project, name="Hero film"),
        start_date=dt.date(2026, 11, 25), end_date=dt.date(2026, 11, 27),
    )

    event = events_by_uid(fetch(client, creative.talent))[f"booking-{booking.pk}@callsheet.example.com"]

    # Wednesday 25 to Friday 27 inclusive: DTEND is the day after, Saturday 28.
    assert dates(event) == (dt.date(2026, 11, 25), dt.date(2026, 11, 28))
    # Dates, not date-times: all-day events in every calendar app.
    assert type(event.decoded("DTSTART")) is dt.date
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == "ACME-7 · Winter launch"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Hero film" in str(event["DESCRIPTION"])
    assert "Hours per day: 6.5" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event
    # A link back to the project, at the site's configured address whatever host fetched the feed.
    assert str(event["URL"]) == f"https://callsheet.example.com/projects/{project.pk}/"


def test_tentative_booking_is_marked(client, creative):
    booking = f.BookingFactory(
        talent=creative.talent, project__code="HOLD-1", project__name="Pitch", status="tentative",
        hold_expires_on=dt.date(2026, 11, 30),
    )
    event = events_by_uid(fetch(client, creative.talent))[f"booking-{booking.pk}@callsheet.example.com"]
    assert str(event["SUMMARY"]) == "HOLD-1 · Pitch (tentative)"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "Held until Mon 30 Nov" in str(event["DESCRIPTION"])


def test_time_off_approved_and_requested_are_marked_and_declined_left_out(client, creative):
    talent = creative.talent
    approved = f.TimeOffFactory(talent=talent, start_date=dt.date(2026, 12, 21), end_date=dt.date(2026, 12, 24))
    requested = f.TimeOffFactory(talent=talent, status="requested", full_day=False, hours_per_day=Decimal("4"),
                                 start_date=dt.date(2027, 1, 8), end_date=dt.date(2027, 1, 8))
    declined = f.TimeOffFactory(talent=talent, status="declined")

    events = events_by_uid(fetch(client, talent))

    off = events[f"timeoff-{approved.pk}@callsheet.example.com"]
    # Monday 21 to Thursday 24 December inclusive: DTEND Friday 25.
    assert dates(off) == (dt.date(2026, 12, 21), dt.date(2026, 12, 25))
    assert str(off["SUMMARY"]) == "Time off"
    part = events[f"timeoff-{requested.pk}@callsheet.example.com"]
    assert dates(part) == (dt.date(2027, 1, 8), dt.date(2027, 1, 9))
    assert str(part["SUMMARY"]) == "Time off, 4 h a day (requested)"
    assert str(part["STATUS"]) == "TENTATIVE"
    assert f"timeoff-{declined.pk}@callsheet.example.com" not in events


def test_due_dates_of_own_open_deliverables_are_all_day_events(client, creative):
    talent = creative.talent
    mine = f.DeliverableFactory(name="Key visual", project__code="KV-1", due_date=dt.date(2026, 12, 4))
    done = f.DeliverableFactory(name="Approved one", status="approved",
                                approved_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    for deliverable in (mine, done):
        deliverable.assignees.add(talent)
    not_mine = f.DeliverableFactory(name="Colleague's cut")
    not_mine.assignees.add(f.TalentFactory())

    events = events_by_uid(fetch(client, talent))

    due = events[f"due-{mine.pk}@callsheet.example.com"]
    assert dates(due) == (dt.date(2026, 12, 4), dt.date(2026, 12, 5))
    assert str(due["SUMMARY"]) == "Due: KV-1 · Key visual"
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert str(due["URL"]) == f"https://callsheet.example.com/projects/{mine.project_id}/"
    assert f"due-{done.pk}@callsheet.example.com" not in events
    assert f"due-{not_mine.pk}@callsheet.example.com" not in events


def test_feed_shows_no_one_elses_bookings_and_no_money(client, creative):
    project = f.ProjectFactory(code="SHARED-2", fee=Decimal("98765.00"))
    mine = f.BookingFactory(talent=creative.talent, project=project)
    theirs = f.BookingFactory(project=project, note="colleague's edit")

    response = client.get(feed_url(creative.talent))
    events = events_by_uid(Calendar.from_ical(response.content))

    assert set(events) == {f"booking-{mine.pk}@callsheet.example.com"}
    assert f"booking-{theirs.pk}" not in response.content.decode()
    assert "98765" not in response.content.decode()


def test_freelancer_feed_leaves_out_deliverables_of_projects_they_are_not_booked_on(client, freelancer):
    talent = freelancer.talent
    booked = f.BookingFactory(talent=talent, project__code="BOOKED-1")
    on_booked = f.DeliverableFactory(project=booked.project)
    elsewhere = f.DeliverableFactory(project__code="ELSEWHERE-1")
    for deliverable in (on_booked, elsewhere):
        deliverable.assignees.add(talent)

    events = events_by_uid(fetch(client, talent))

    assert f"due-{on_booked.pk}@callsheet.example.com" in events
    assert f"due-{elsewhere.pk}@callsheet.example.com" not in events


def test_feed_covers_90_days_back_to_365_days_ahead(client, creative):
    talent = creative.talent
    # 90 days before Wednesday 25 November 2026 is Thursday 27 August 2026;
    # 365 days after it is Thursday 25 November 2027.
    too_old = f.BookingFactory(talent=talent, start_date=dt.date(2026, 8, 20), end_date=dt.date(2026, 8, 26))
    just_in = f.BookingFactory(talent=talent, start_date=dt.date(2026, 8, 20), end_date=dt.date(2026, 8, 27))
    last_day = f.BookingFactory(talent=talent, start_date=dt.date(2027, 11, 25), end_date=dt.date(2027, 11, 26))
    too_far = f.BookingFactory(talent=talent, start_date=dt.date(2027, 11, 26), end_date=dt.date(2027, 11, 26))

    events = events_by_uid(fetch(client, talent))

    assert set(events) == {
        f"booking-{just_in.pk}@callsheet.example.com", f"booking-{last_day.pk}@callsheet.example.com",
    }
    assert f"booking-{too_old.pk}@callsheet.example.com" not in events
    assert f"booking-{too_far.pk}@callsheet.example.com" not in events


def test_uids_stay_the_same_from_one_fetch_to_the_next(client, creative):
    f.BookingFactory(talent=creative.talent)
    f.TimeOffFactory(talent=creative.talent)
    assert set(events_by_uid(fetch(client, creative.talent))) == set(events_by_uid(fetch(client, creative.talent)))


def test_unknown_token_is_not_found(client, creative):
    response = client.get(reverse("schedules:ical", args=["not-a-real-token"]))
    assert response.status_code == 404


@pytest.mark.parametrize("deactivate", ["talent", "user"])
def test_inactive_person_has_no_feed(client, creative, deactivate):
    if deactivate == "talent":
        creative.talent.active = False
        creative.talent.save()
    else:
        creative.is_active = False
        creative.save()
    assert client.get(feed_url(creative.talent)).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_feed_runs_a_fixed_number_of_queries(client, creative, size, django_assert_num_queries):
    talent = creative.talent
    for _ in range(size):
        deliverable = f.DeliverableFactory()
        deliverable.assignees.add(talent)
        f.BookingFactory(talent=talent, project=deliverable.project, deliverable=deliverable)
        f.TimeOffFactory(talent=talent)
    # talent by token, bookings, time off, deliverables due.
    with django_assert_num_queries(4):
        response = client.get(feed_url(talent))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3 * size


# --- a new link ---------------------------------------------------------------------


REGENERATE = reverse("schedules:ical-regenerate")


def test_regenerating_the_link_retires_the_old_one(client, creative):
    talent = creative.talent
    old_url = feed_url(talent)
    client.force_login(creative)

    response = client.post(REGENERATE, follow=True)

    talent.refresh_from_db()
    assert feed_url(talent) != old_url
    assert "The old link no longer works" in response.content.decode()
    assert feed_url(talent) in response.content.decode()
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(talent)).status_code == 200


def test_regenerating_is_audited_without_the_secret(client, creative):
    old_token = creative.talent.ical_token
    client.force_login(creative)
    client.post(REGENERATE)

    creative.talent.refresh_from_db()
    event = AuditEvent.objects.get(action="talent.ical_token_regenerated")
    assert event.actor == creative and event.object_id == str(creative.talent.pk)
    recorded = f"{event.before} {event.after} {event.reason}"
    assert old_token not in recorded and creative.talent.ical_token not in recorded


@pytest.mark.parametrize("role", ["pm", "brand_manager"])
def test_only_creatives_and_freelancers_regenerate_their_own_link(client, request, creative, role):
    token = creative.talent.ical_token
    client.force_login(request.getfixturevalue(role))
    assert client.post(REGENERATE).status_code == 403
    creative.talent.refresh_from_db()
    assert creative.talent.ical_token == token


def test_regenerating_needs_a_post(client, creative):
    client.force_login(creative)
    assert client.get(REGENERATE).status_code == 405


def test_anonymous_visitor_cannot_regenerate(client, creative):
    token = creative.talent.ical_token
    response = client.post(REGENERATE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    creative.talent.refresh_from_db()
    assert creative.talent.ical_token == token
