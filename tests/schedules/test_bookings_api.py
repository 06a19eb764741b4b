"""The bookings API: who lists, reads and writes which bookings; field errors,
stale versions and clashes."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from schedules.models import Booking
from studio.models import AuditEvent
from studio.permissions import Scope
from tests import factories
from tests.conftest import role_fixtures

pytestmark = pytest.mark.django_db

THU = dt.date(2026, 12, 3)
FRI = dt.date(2026, 12, 4)


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def person(creative):
    return creative.talent


@pytest.fixture
def project(pm):
    return factories.ProjectFactory(pm=pm)


@pytest.fixture
def own_booking(person, project):
    return factories.BookingFactory(talent=person, project=project, start_date=THU, end_date=FRI)


@pytest.fixture
def other_booking(project):
    return factories.BookingFactory(project=project, start_date=THU, end_date=FRI)


def payload(person, project, changes=None):
    return {
        "talent": person.pk, "project": project.pk, "start_date": THU.isoformat(), "end_date": FRI.isoformat(),
        "hours_per_day": "6", **(changes or {}),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", role_fixtures("booking.view", Scope.ALL))
def test_the_studio_lists_every_booking(request, role, own_booking, other_booking):
    assert ids(client_for(request.getfixturevalue(role)).get("/api/bookings/")) == {own_booking.pk, other_booking.pk}


def test_creative_lists_and_reads_only_own_bookings(creative, own_booking, other_booking):
    client = client_for(creative)

    assert ids(client.get("/api/bookings/")) == {own_booking.pk}
    assert client.get(f"/api/bookings/{own_booking.pk}/").status_code == 200
    assert client.get(f"/api/bookings/{other_booking.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["brand_manager", "outsider"])
def test_brand_managers_see_no_bookings(request, who, own_booking):
    client = client_for(request.getfixturevalue(who))

    assert ids(client.get("/api/bookings/")) == set()
    assert client.get(f"/api/bookings/{own_booking.pk}/").status_code == 404


def test_anonymous_is_refused(own_booking):
    assert APIClient().get("/api/bookings/").status_code == 401


def test_list_filters_by_talent_project_and_overlapping_dates(pm, own_booking, other_booking):
    later = factories.BookingFactory(
        talent=own_booking.talent, start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 8)
    )
    client = client_for(pm)

    assert ids(client.get("/api/bookings/", {"talent": own_booking.talent_id})) == {own_booking.pk, later.pk}
    assert ids(client.get("/api/bookings/", {"project": own_booking.project_id})) == {
        own_booking.pk, other_booking.pk
    }
    # Overlapping Fri 4 Dec … Mon 7 Dec: the two December bookings end on Fri 4.
    assert ids(client.get("/api/bookings/", {"start": "2026-12-04", "end": "2026-12-07"})) == {
        own_booking.pk, other_booking.pk
    }
    assert ids(client.get("/api/bookings/", {"start": "2026-12-05"})) == {later.pk}


def test_list_runs_a_fixed_number_of_queries(pm, django_assert_num_queries):
    for _ in range(5):
        factories.BookingFactory()
    client = client_for(pm)

    # Session, user, count, page of bookings with talent, user and project joined.
    with django_assert_num_queries(4):
        response = client.get("/api/bookings/")
    assert response.json()["count"] == 5


def test_pm_creates_a_booking(pm, person, project):
    response = client_for(pm).post("/api/bookings/", payload(person, project), format="json")

    assert response.status_code == 201, response.content
    booking = Booking.objects.get()
    assert response.json()["id"] == booking.pk
    assert (booking.status, booking.created_by, booking.version) == ("tentative", pm, 1)
    assert AuditEvent.objects.for_object(booking).filter(action="booking.create").exists()


@pytest.mark.parametrize("who", ["creative", "freelancer", "executive", "admin_user", "brand_manager", "outsider"])
def test_others_cannot_create_bookings(request, who, person, project):
    response = client_for(request.getfixturevalue(who)).post(
        "/api/bookings/", payload(person, project), format="json"
    )

    assert response.status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2026-12-02"}, "end_date"),
        ({"hours_per_day": "0"}, "hours_per_day"),
        ({"hours_per_day": "25"}, "hours_per_day"),
        ({"project": 999999}, "project"),
    ],
)
def test_bad_input_answers_field_errors(pm, person, project, changes, field):
    response = client_for(pm).post("/api/bookings/", payload(person, project, changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Booking.objects.exists()


def test_pm_moves_a_booking_with_its_version(pm, own_booking):
    response = client_for(pm).patch(
        f"/api/bookings/{own_booking.pk}/",
        {"version": 1, "start_date": "2026-12-07", "end_date": "2026-12-08"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["start_date"], response.json()["version"]) == ("2026-12-07", 2)
    own_booking.refresh_from_db()
    assert own_booking.hours_per_day == Decimal("6")


def test_a_stale_move_answers_409_with_the_current_booking(pm, own_booking):
    client = client_for(pm)
    client.patch(f"/api/bookings/{own_booking.pk}/", {"version": 1, "hours_per_day": "4"}, format="json")

    response = client.patch(f"/api/bookings/{own_booking.pk}/", {"version": 1, "start_date": "2026-12-01"},
                            format="json")

    assert response.status_code == 409
    assert response.json()["current"]["hours_per_day"] == "4.00"
    assert response.json()["current"]["version"] == 2


def test_creative_cannot_move_own_booking(creative, own_booking):
    response = client_for(creative).patch(
        f"/api/bookings/{own_booking.pk}/", {"version": 1, "hours_per_day": "2"}, format="json"
    )

    assert response.status_code == 403


def test_confirm_over_capacity_answers_409_naming_the_clash(pm, person, project, own_booking):
    hold = factories.BookingFactory(
        talent=person, project=project, status="tentative", start_date=FRI, end_date=FRI, hours_per_day=Decimal("4")
    )

    response = client_for(pm).post(f"/api/bookings/{hold.pk}/confirm/", {"version": 1}, format="json")

    # Fri: 6 h confirmed + 4 h = 10 h > 8 h per day with no overtime.
    assert response.status_code == 409
    assert response.json()["clashes"] == [{"day": "2026-12-04", "bookings": [own_booking.pk]}]
    assert project.code in response.json()["detail"]


def test_pm_confirms_over_capacity_with_a_reason(pm, person, project, own_booking):
    hold = factories.BookingFactory(
        talent=person, project=project, status="tentative", start_date=FRI, end_date=FRI, hours_per_day=Decimal("4")
    )

    response = client_for(pm).post(
        f"/api/bookings/{hold.pk}/confirm/", {"version": 1, "override_reason": "Launch week"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["override_reason"]) == ("confirmed", "Launch week")


def test_admin_override_is_refused(admin_user, person, project, own_booking):
    hold = factories.BookingFactory(
        talent=person, project=project, status="tentative", start_date=FRI, end_date=FRI, hours_per_day=Decimal("4")
    )

    response = client_for(admin_user).post(
        f"/api/bookings/{hold.pk}/confirm/", {"version": 1, "override_reason": "Launch week"}, format="json"
    )

    assert response.status_code == 403


def test_confirm_without_version_answers_400(pm, own_booking):
    response = client_for(pm).post(f"/api/bookings/{own_booking.pk}/confirm/", {}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_pm_splits_a_booking(pm, own_booking):
    response = client_for(pm).post(
        f"/api/bookings/{own_booking.pk}/split/", {"version": 1, "on": "2026-12-04"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert [(row["start_date"], row["end_date"]) for row in response.json()] == [
        ("2026-12-03", "2026-12-03"), ("2026-12-04", "2026-12-04")
    ]


def test_pm_releases_a_booking(pm, own_booking):
    response = client_for(pm).post(f"/api/bookings/{own_booking.pk}/release/", {"version": 1}, format="json")

    assert response.status_code == 204
    assert not Booking.objects.exists()


def test_creative_cannot_release_and_others_cannot_find_it(creative, brand_manager, own_booking, other_booking):
    assert client_for(creative).post(
        f"/api/bookings/{own_booking.pk}/release/", {"version": 1}, format="json"
    ).status_code == 403
    assert client_for(creative).post(
        f"/api/bookings/{other_booking.pk}/release/", {"version": 1}, format="json"
    ).status_code == 404
    assert client_for(brand_manager).post(
        f"/api/bookings/{own_booking.pk}/release/", {"version": 1}, format="json"
    ).status_code == 404
    assert Booking.objects.count() == 2
