"""A request's deadline falls inside the plan window and its quantities under a sane
maximum, on the form, in the API and in the service alike: never a 500.

TODAY is Wednesday 25 November 2026: the plan window runs from 1 Jan 2000 to 25 Nov 2036.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from briefs.models import Request
from briefs.services import requests as intake
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

WINDOW_MESSAGE = "Choose a date from Sat 1 Jan 2000 to Tue 25 Nov 2036."
AFTER_TODAY = "Choose a deadline after today."
TOO_MANY = "Ask for at most 10,000 units."
DEADLINES = [
    ("0001-01-01", AFTER_TODAY),
    ("9999-12-31", WINDOW_MESSAGE),
    ("2037-11-25", WINDOW_MESSAGE),  # eleven years ahead
]
QUANTITIES = [2**31, 10_001, 10**30]


@pytest.fixture
def key_visual():
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, hours_per_unit=Decimal("5"))
    return kind


# --- the form ----------------------------------------------------------------------------------


def form_data(brand, kind, *, deadline="2027-01-08", quantity=2):
    return {
        "title": "Winter launch", "brand": brand.pk, "objectives": "Sell the winter range.",
        "deadline": deadline, "budget": "15000.00",
        "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 1, "items-MAX_NUM_FORMS": 50,
        "items-0-deliverable_type": kind.pk, "items-0-quantity": quantity,
    }


def field_errors(response, field: str) -> str:
    """The errors Django renders next to a form field."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return match[1] if match else ""


@pytest.mark.parametrize(("deadline", "message"), DEADLINES)
def test_the_request_form_shows_a_far_deadline_next_to_the_field(client, brand_manager, brand, key_visual, deadline,
                                                                  message):
    client.force_login(brand_manager)
    response = client.post(reverse("briefs:request-create"), form_data(brand, key_visual, deadline=deadline))

    assert response.status_code == 200
    assert message in field_errors(response, "deadline")
    assert not Request.objects.exists()


@pytest.mark.parametrize("quantity", QUANTITIES)
def test_the_request_form_shows_a_huge_quantity_next_to_the_field(client, brand_manager, brand, key_visual, quantity):
    client.force_login(brand_manager)
    response = client.post(reverse("briefs:request-create"), form_data(brand, key_visual, quantity=quantity))

    assert response.status_code == 200
    assert TOO_MANY in field_errors(response, "items-0-quantity")
    assert not Request.objects.exists()


def test_the_request_form_takes_ten_thousand_units_on_the_last_day_of_the_window(client, brand_manager, brand,
                                                                                  key_visual):
    client.force_login(brand_manager)
    response = client.post(reverse("briefs:request-create"),
                           form_data(brand, key_visual, deadline="2036-11-25", quantity=10_000))

    assert response.status_code == 302
    brand_request = Request.objects.get()
    assert brand_request.deadline == dt.date(2036, 11, 25)
    assert [item.quantity for item in brand_request.items.all()] == [10_000]


# --- the API -----------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(brand, kind, *, deadline="2027-03-01", quantity=4):
    return {
        "title": "Spring teaser", "brand": brand.pk, "objectives": "Tease the spring range.", "deadline": deadline,
        "budget": "8000.00", "items": [{"deliverable_type": kind.pk, "quantity": quantity}],
    }


@pytest.mark.parametrize(("deadline", "message"), DEADLINES)
def test_the_api_answers_a_far_deadline_with_a_400_on_the_field(brand_manager, brand, key_visual, deadline, message):
    response = api(brand_manager).post("/api/requests/", payload(brand, key_visual, deadline=deadline), format="json")

    assert response.status_code == 400
    assert response.json() == {"deadline": [message]}
    assert not Request.objects.exists()


@pytest.mark.parametrize("quantity", QUANTITIES)
def test_the_api_answers_a_huge_quantity_with_a_400_on_the_field(brand_manager, brand, key_visual, quantity):
    response = api(brand_manager).post("/api/requests/", payload(brand, key_visual, quantity=quantity), format="json")

    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"quantity": [TOO_MANY]}}}
    assert not Request.objects.exists()


# --- the service -------------------------------------------------------------------------------


def submit(brand_manager, brand, kind, *, deadline=dt.date(2027, 1, 8), quantity=2):
    return intake.request_submit(
        submitted_by=brand_manager, brand=brand, title="Winter launch", objectives="Sell the winter range.",
        deadline=deadline, budget=Decimal("15000.00"), items=[(kind, quantity)], files=[],
    )


@pytest.mark.parametrize(("deadline", "message"), [(dt.date.fromisoformat(d), m) for d, m in DEADLINES])
def test_the_service_refuses_a_far_deadline(brand_manager, brand, key_visual, deadline, message):
    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, brand, key_visual, deadline=deadline)
    assert refused.value.message_dict == {"deadline": [message]}


@pytest.mark.parametrize("quantity", QUANTITIES)
def test_the_service_refuses_a_huge_quantity(brand_manager, brand, key_visual, quantity):
    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, brand, key_visual, quantity=quantity)
    assert refused.value.message_dict == {"items": [TOO_MANY]}
    assert not Request.objects.exists()
