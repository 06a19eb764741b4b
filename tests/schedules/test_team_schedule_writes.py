"""Booking from the team schedule: the dialog's create, edit, confirm, split and release,
and the drag's move, each answering with the affected rows; refusals in place and
nothing saved; who may write."""

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from schedules.models import Booking
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON = dt.date(2026, 11, 23)
WED, THU = MON + dt.timedelta(days=2), MON + dt.timedelta(days=3)
SCHEDULE = reverse("schedules:team-schedule") + "?view=week&start=2026-11-23"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def person():
    return f.TalentFactory(hours_per_day=Decimal("8"))


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm, status="active", code="ACME-001")


@pytest.fixture
def pm_client(client, pm):
    client.force_login(pm)
    return client


def field_errors(response, field: str) -> str:
    """The errors shown next to a field of the booking dialog."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(match[1]) if match else ""


def form_errors(response) -> str:
    """The errors shown above the dialog's form, and those of its action buttons."""
    found = re.findall(r'<(?:div|p) class="form-error"[^>]*>(.*?)</(?:div|p)>', response.content.decode(), re.S)
    return html.unescape(" ".join(found))


def create(client, person, project, **values):
    data = {
        "talent": person.pk, "project": project.pk, "start_date": WED, "end_date": WED, "hours_per_day": "4",
        "status": "tentative", "next": SCHEDULE, **values,
    }
    return client.post(reverse("schedules:booking-new"), data, headers=HTMX)


def test_new_booking_dialog_is_prefilled_from_the_cell(pm_client, person):
    response = pm_client.get(
        reverse("schedules:booking-new"), {"talent": person.pk, "start": "2026-11-25", "end": "2026-11-27",
                                           "next": SCHEDULE}, headers=HTMX,
    )
    page = response.content.decode()
    assert f'name="talent" id="id_talent-value" value="{person.pk}"' in page
    assert 'name="start_date" value="2026-11-25"' in page and 'name="end_date" value="2026-11-27"' in page
    assert 'name="hours_per_day" value="8.00"' in page
    assert "<html" not in page


def test_creating_answers_with_the_persons_row_and_closes_the_dialog(pm_client, person, project):
    response = create(pm_client, person, project)

    booking = Booking.objects.get()
    assert (booking.talent, booking.start_date, booking.hours_per_day, booking.status) == (
        person, WED, Decimal("4"), "tentative"
    )
    html = response.content.decode()
    assert f'id="row-talent-{person.pk}"' in html and 'hx-swap-oob="outerHTML"' in html
    assert 'data-day="2026-11-25"' in html and "4<span" in html
    assert json.loads(response.headers["HX-Trigger"]) == {"bookingChanged": True, "bookingDialogClose": True}


def test_without_htmx_the_form_redirects_back_to_the_schedule(pm_client, person, project):
    data = {"talent": person.pk, "project": project.pk, "start_date": WED, "end_date": WED, "hours_per_day": "4",
            "status": "tentative", "next": SCHEDULE}
    response = pm_client.post(reverse("schedules:booking-new"), data)
    assert response.status_code == 302 and response.url == SCHEDULE
    assert Booking.objects.count() == 1


def test_next_pointing_elsewhere_falls_back_to_the_schedule(pm_client, person, project):
    data = {"talent": person.pk, "project": project.pk, "start_date": WED, "end_date": WED, "hours_per_day": "4",
            "status": "tentative", "next": "https://evil.example/schedule/team/"}
    response = pm_client.post(reverse("schedules:booking-new"), data)
    assert response.url == reverse("schedules:team-schedule")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"end_date": MON}, "end_date", "cannot end before it starts"),
        ({"hours_per_day": "0"}, "hours_per_day", "more than 0 and at most 24"),
        ({"hours_per_day": "24.5"}, "hours_per_day", "more than 0 and at most 24"),
        ({"start_date": "someday"}, "start_date", "Enter a valid date"),
        ({"talent": ""}, "talent", "Choose a person"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(pm_client, person, project, values, field, message):
    response = create(pm_client, person, project, **values)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert Booking.objects.count() == 0


def test_a_closed_project_cannot_be_booked(pm_client, person, pm):
    closed = f.ProjectFactory(pm=pm, status="closed")
    response = create(pm_client, person, closed)
    assert "Select a valid choice" in field_errors(response, "project")
    assert Booking.objects.count() == 0


def test_a_freelancer_outside_their_contract_is_refused(pm_client, project):
    freelancer = f.FreelanceTalentFactory(contract_start=MON, contract_end=WED)
    response = create(pm_client, freelancer, project, end_date=THU)
    assert "under contract from Mon 23 Nov to Wed 25 Nov only" in field_errors(response, "end_date")
    assert Booking.objects.count() == 0


def test_confirmed_creation_over_capacity_is_refused_naming_the_clash(pm_client, person, project):
    other = f.BookingFactory(talent=person, start_date=WED, end_date=WED, hours_per_day=Decimal("6"))
    response = create(pm_client, person, project, status="confirmed")
    errors = form_errors(response)
    assert "more than 8 confirmed hours" in errors and str(other) in errors
    assert Booking.objects.count() == 1


def test_pm_may_book_over_capacity_with_an_audited_reason(pm_client, person, project):
    f.BookingFactory(talent=person, start_date=WED, end_date=WED, hours_per_day=Decimal("6"))
    create(pm_client, person, project, status="confirmed", override_reason="Launch week; agreed with Cleo.")
    booking = Booking.objects.get(project=project)
    assert booking.status == "confirmed" and booking.override_reason == "Launch week; agreed with Cleo."
    assert AuditEvent.objects.filter(action="booking.create", reason="Launch week; agreed with Cleo.").exists()


def test_confirming_from_the_dialog_refuses_a_clash_then_accepts_a_reason(pm_client, person, project):
    f.BookingFactory(talent=person, start_date=WED, end_date=WED, hours_per_day=Decimal("6"))
    hold = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED,
                            hours_per_day=Decimal("4"), status="tentative")
    url = reverse("schedules:booking-confirm", args=[hold.pk])

    refused = pm_client.post(url, {"version": hold.version, "next": SCHEDULE}, headers=HTMX)
    assert "more than 8 confirmed hours" in form_errors(refused)
    assert 'name="override_reason"' in refused.content.decode()
    hold.refresh_from_db()
    assert hold.status == "tentative"

    done = pm_client.post(url, {"version": hold.version, "next": SCHEDULE, "override_reason": "Crunch"},
                          headers=HTMX)
    hold.refresh_from_db()
    assert hold.status == "confirmed" and hold.override_reason == "Crunch"
    assert f'id="row-talent-{person.pk}"' in done.content.decode()


def test_editing_changes_the_booking_and_a_stale_edit_is_refused(pm_client, person, project):
    booking = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED, status="tentative")
    url = reverse("schedules:booking-edit", args=[booking.pk])
    data = {"talent": person.pk, "project": project.pk, "start_date": WED, "end_date": THU, "hours_per_day": "5",
            "version": booking.version, "next": SCHEDULE}
    pm_client.post(url, data, headers=HTMX)
    booking.refresh_from_db()
    assert (booking.end_date, booking.hours_per_day, booking.version) == (THU, Decimal("5"), 2)

    stale = pm_client.post(url, {**data, "hours_per_day": "2"}, headers=HTMX)
    booking.refresh_from_db()
    assert booking.hours_per_day == Decimal("5")
    assert "changed this booking since you loaded" in stale.content.decode()
    assert json.loads(stale.headers["HX-Trigger"])["scheduleRefresh"] is True


def test_moving_by_drag_updates_both_peoples_rows(pm_client, person, project):
    other = f.TalentFactory()
    booking = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED, status="tentative")
    response = pm_client.post(
        reverse("schedules:booking-move", args=[booking.pk]),
        {"version": 1, "start_date": THU, "end_date": THU, "talent": other.pk, "next": SCHEDULE}, headers=HTMX,
    )
    booking.refresh_from_db()
    assert (booking.talent, booking.start_date, booking.version) == (other, THU, 2)
    html = response.content.decode()
    assert f'id="row-talent-{person.pk}"' in html and f'id="row-talent-{other.pk}"' in html


def test_a_refused_drag_redraws_the_row_as_it_was_with_the_reason(pm_client, person, project):
    f.BookingFactory(talent=person, start_date=THU, end_date=THU, hours_per_day=Decimal("6"))
    booking = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED,
                               hours_per_day=Decimal("4"))
    response = pm_client.post(
        reverse("schedules:booking-move", args=[booking.pk]),
        {"version": 1, "start_date": THU, "end_date": THU, "next": SCHEDULE}, headers=HTMX,
    )
    booking.refresh_from_db()
    assert booking.start_date == WED and booking.version == 1
    html = response.content.decode()
    assert 'role="alert"' in html and "more than 8 confirmed hours" in html
    assert f'data-booking="{booking.pk}" data-version="1" data-start="2026-11-25"' in html
    assert "bookingRefused" in json.loads(response.headers["HX-Trigger"])


def test_a_drag_with_a_stale_version_is_refused_and_the_grid_refreshes(pm_client, person, project):
    booking = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED, version=3)
    response = pm_client.post(
        reverse("schedules:booking-move", args=[booking.pk]),
        {"version": 2, "start_date": THU, "end_date": THU, "next": SCHEDULE}, headers=HTMX,
    )
    booking.refresh_from_db()
    assert booking.start_date == WED
    assert json.loads(response.headers["HX-Trigger"]) == {"scheduleRefresh": True, "bookingDialogClose": True}


def test_split_and_release_from_the_dialog(pm_client, person, project):
    booking = f.BookingFactory(talent=person, project=project, start_date=MON, end_date=THU)
    pm_client.post(reverse("schedules:booking-split", args=[booking.pk]),
                   {"version": 1, "on": WED, "next": SCHEDULE}, headers=HTMX)
    first, second = Booking.objects.order_by("start_date")
    assert (first.end_date, second.start_date, second.end_date) == (WED - dt.timedelta(days=1), WED, THU)

    bad = pm_client.post(reverse("schedules:booking-split", args=[second.pk]),
                         {"version": 1, "on": "", "next": SCHEDULE}, headers=HTMX)
    assert "Choose the day the second part starts." in form_errors(bad)

    pm_client.post(reverse("schedules:booking-release", args=[second.pk]),
                   {"version": 1, "next": SCHEDULE}, headers=HTMX)
    assert list(Booking.objects.all()) == [first]


# The admin role sees the schedule and takes no production decision (DESIGN §1).
@pytest.mark.parametrize("role", ["executive", "admin_user", "creative", "freelancer", "brand_manager", "outsider"])
def test_only_production_managers_change_bookings(client, request, role, person, project):
    booking = f.BookingFactory(talent=person, project=project, start_date=WED, end_date=WED, status="tentative")
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("schedules:booking-new")).status_code == 403
    assert create(client, person, project).status_code == 403
    for name in ("booking-edit", "booking-move", "booking-confirm", "booking-split", "booking-release"):
        response = client.post(reverse(f"schedules:{name}", args=[booking.pk]), {"version": 1})
        assert response.status_code == 403, name
    booking.refresh_from_db()
    assert (booking.status, booking.version, Booking.objects.count()) == ("tentative", 1, 1)


def test_an_unknown_booking_is_a_404(pm_client):
    assert pm_client.get(reverse("schedules:booking-edit", args=[999])).status_code == 404


def test_writes_answer_in_the_same_queries_whatever_the_row_holds(pm_client, person, project,
                                                                 django_assert_max_num_queries):
    for n in range(10):
        f.BookingFactory(talent=person, start_date=MON, end_date=THU, hours_per_day=Decimal("0.5"), note=str(n))
    with django_assert_max_num_queries(40):
        create(pm_client, person, project)
