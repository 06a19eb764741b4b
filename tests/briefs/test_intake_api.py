"""The requests API: same access and rules as the pages, DRF's field-error format.

Today is fixed at Wednesday 25 November 2026 (tests.factories.TODAY)."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from briefs.models import Request
from briefs.services import requests as intake
from projects.models import Project
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

TODAY = f.TODAY
LIST = "/api/requests/"


@pytest.fixture
def key_visual(db):
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, hours_per_unit=Decimal("5"))
    return kind


@pytest.fixture
def own_request(brand_manager, brand, key_visual):
    return intake.request_submit(
        submitted_by=brand_manager, brand=brand, title="Winter launch", objectives="Sell the winter range.",
        deadline=dt.date(2027, 1, 8), budget=Decimal("15000.00"), items=[(key_visual, 2)], files=[],
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(brand, key_visual, **overrides):
    data = {
        "title": "Spring teaser",
        "brand": brand.pk,
        "objectives": "Tease the spring range.",
        "deadline": "2027-03-01",
        "budget": "8000.00",
        "items": [{"deliverable_type": key_visual.pk, "quantity": 4}],
    }
    return data | overrides


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "listed", "detail"),
    [("pm", 1, 200), ("executive", 1, 200), ("admin_user", 1, 200), ("brand_manager", 1, 200),
     ("outsider", 0, 404), ("creative", 0, 404), ("freelancer", 0, 404)],
)
def test_each_role_reads_only_what_it_may_see(request, own_request, role, listed, detail):
    client = api(request.getfixturevalue(role))
    assert client.get(LIST).json()["count"] == listed
    assert client.get(f"{LIST}{own_request.pk}/").status_code == detail


def test_anonymous_is_refused(own_request, brand, key_visual):
    client = APIClient()
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}{own_request.pk}/").status_code == 401
    assert client.post(LIST, payload(brand, key_visual), format="json").status_code == 401
    assert client.post(f"{LIST}{own_request.pk}/accept/", {}, format="json").status_code == 401
    assert Request.objects.count() == 1


def test_detail_shows_items_version_and_attachments(brand_manager, own_request, key_visual):
    body = api(brand_manager).get(f"{LIST}{own_request.pk}/").json()
    assert body["status"] == "submitted" and body["version"] == 1 and body["budget"] == "15000.00"
    assert body["items"] == [
        {"deliverable_type": {"id": key_visual.pk, "name": "Key visual", "unit_name": "unit"}, "quantity": 2}
    ]
    assert body["attachments"] == []


def test_list_filters_by_status(pm, own_request, brand):
    f.RequestFactory(brand=brand, status="declined", decline_reason="No capacity.")
    results = api(pm).get(LIST, {"status": "declined"}).json()["results"]
    assert [r["status"] for r in results] == ["declined"]


@pytest.mark.parametrize("size", [1, 6])
def test_list_runs_a_fixed_number_of_queries(pm, brand, size, django_assert_num_queries):
    for _n in range(size):
        f.RequestItemFactory(request=f.RequestFactory(brand=brand))
    client = api(pm)
    # Count, the page of requests with brand, submitter and project, their items with types.
    with django_assert_num_queries(3):
        body = client.get(LIST).json()
    assert body["count"] == size


# --- creating --------------------------------------------------------------------------------


def test_brand_manager_creates_a_request(brand_manager, brand, key_visual):
    response = api(brand_manager).post(LIST, payload(brand, key_visual), format="json")

    assert response.status_code == 201, response.json()
    brand_request = Request.objects.get()
    assert response.json()["id"] == brand_request.pk
    assert (brand_request.title, brand_request.budget, brand_request.deadline) == (
        "Spring teaser", Decimal("8000.00"), dt.date(2027, 3, 1)
    )
    assert [(i.deliverable_type, i.quantity) for i in brand_request.items.all()] == [(key_visual, 4)]


@pytest.mark.parametrize("role", ["pm", "executive", "admin_user", "creative", "freelancer"])
def test_only_brand_managers_create(request, brand, key_visual, role):
    response = api(request.getfixturevalue(role)).post(LIST, payload(brand, key_visual), format="json")
    assert response.status_code == 403
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": "2026-11-25"}, "deadline"),
        ({"deadline": "2026-10-01"}, "deadline"),
        ({"budget": "-5.00"}, "budget"),
        ({"items": []}, "items"),
    ],
)
def test_bad_fields_are_400_field_errors(brand_manager, brand, key_visual, overrides, field):
    response = api(brand_manager).post(LIST, payload(brand, key_visual, **overrides), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert not Request.objects.exists()


def test_another_brand_is_a_field_error(brand_manager, brand, other_brand, key_visual):
    response = api(brand_manager).post(LIST, payload(other_brand, key_visual), format="json")
    assert response.status_code == 400
    assert response.json() == {"brand": ["Choose one of your brands."]}
    assert not Request.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_or_negative_quantity_is_a_field_error(brand_manager, brand, key_visual, quantity):
    items = [{"deliverable_type": key_visual.pk, "quantity": quantity}]
    response = api(brand_manager).post(LIST, payload(brand, key_visual, items=items), format="json")
    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"quantity": ["Ask for at least 1."]}}}
    assert not Request.objects.exists()


def test_the_same_type_twice_is_a_field_error(brand_manager, brand, key_visual):
    items = [{"deliverable_type": key_visual.pk, "quantity": 1}] * 2
    response = api(brand_manager).post(LIST, payload(brand, key_visual, items=items), format="json")
    assert response.status_code == 400
    assert response.json() == {"items": ["List each deliverable type once; add up the quantities instead."]}


# --- triage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("outsider", 404),
     ("creative", 404), ("freelancer", 404)],
)
@pytest.mark.parametrize(
    ("action", "data"),
    [("accept", {"version": 1}), ("ask-info", {"question": "Which markets?", "version": 1}),
     ("decline", {"reason": "No capacity.", "version": 1})],
)
def test_triage_actions_are_for_production_managers(request, own_request, role, status, action, data):
    response = api(request.getfixturevalue(role)).post(f"{LIST}{own_request.pk}/{action}/", data, format="json")
    assert response.status_code == status
    own_request.refresh_from_db()
    assert (own_request.status == Request.Status.SUBMITTED) == (status != 200)


def test_accept_returns_the_request_with_its_project(pm, own_request):
    response = api(pm).post(f"{LIST}{own_request.pk}/accept/", {"code": "WIN-9", "version": 1}, format="json")

    body = response.json()
    project = Project.objects.get(code="WIN-9")
    assert (body["status"], body["version"]) == ("accepted", 2)
    assert body["project"] == {"id": project.pk, "code": "WIN-9", "name": "Winter launch"}


def test_decline_without_a_reason_is_a_field_error(pm, own_request):
    response = api(pm).post(f"{LIST}{own_request.pk}/decline/", {"reason": "", "version": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason"}


@pytest.mark.parametrize(
    ("action", "data"),
    [("accept", {}), ("ask-info", {"question": "Which markets?"}), ("decline", {"reason": "No capacity."})],
)
def test_triage_without_a_version_is_a_field_error_and_changes_nothing(pm, own_request, action, data):
    response = api(pm).post(f"{LIST}{own_request.pk}/{action}/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    own_request.refresh_from_db()
    assert (own_request.status, own_request.version) == (Request.Status.SUBMITTED, 1)


def test_a_stale_version_is_409_and_changes_nothing(pm, own_request):
    intake.request_ask_info(request=own_request, user=pm, question="Which markets?")

    response = api(pm).post(f"{LIST}{own_request.pk}/decline/", {"reason": "Late.", "version": 1}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert "changed since you opened it" in body["detail"]
    # The request as it is now, to start again from.
    assert (body["current"]["id"], body["current"]["status"], body["current"]["version"]) == (
        own_request.pk, "info_requested", 2
    )
    own_request.refresh_from_db()
    assert own_request.status == Request.Status.INFO_REQUESTED


def test_brand_manager_answers_through_the_api(pm, admin_user, brand_manager, outsider, own_request):
    intake.request_ask_info(request=own_request, user=pm, question="Which markets?")
    url = f"{LIST}{own_request.pk}/answer/"

    assert api(outsider).post(url, {"answer": "Meddling"}, format="json").status_code == 404
    assert api(pm).post(url, {"answer": "Guessing", "version": 2}, format="json").status_code == 403
    assert api(admin_user).post(url, {"answer": "IT", "version": 2}, format="json").status_code == 403
    assert api(brand_manager).post(url, {"answer": "UK only."}, format="json").json() == {
        "version": ["This field is required."]
    }
    response = api(brand_manager).post(url, {"answer": "UK only.", "version": 2}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
