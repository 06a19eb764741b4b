"""The time-off API: the same access rules and services as the pages."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from approvals.models import Approval
from schedules.models import TimeOff
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

WED, THU = dt.date(2026, 11, 25), dt.date(2026, 11, 26)
URL = "/api/time-off/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def cancel_url(time_off):
    return f"{URL}{time_off.pk}/cancel/"


def test_creative_requests_time_off_for_themselves(api, creative, pm):
    response = as_user(api, creative).post(URL, {"start_date": WED, "end_date": THU, "reason": "Move"}, format="json")
    assert response.status_code == 201, response.data
    time_off = TimeOff.objects.get(pk=response.data["id"])
    assert (time_off.talent.user, response.data["status"]) == (creative, "requested")
    assert Approval.objects.pending_for(time_off).kind == "time_off"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_date": THU, "end_date": WED}, "end_date"),
        ({"start_date": WED, "end_date": WED, "full_day": False}, "hours_per_day"),
        ({"start_date": WED, "end_date": WED, "full_day": False, "hours_per_day": "25"}, "hours_per_day"),
        ({"start_date": WED, "end_date": WED, "full_day": False, "hours_per_day": "-1"}, "hours_per_day"),
        ({"end_date": WED}, "start_date"),
    ],
)
def test_bad_input_answers_field_errors(api, creative, payload, field):
    response = as_user(api, creative).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not TimeOff.objects.exists()


def test_creative_cannot_request_for_a_teammate(api, creative):
    teammate = f.TalentFactory()
    project = f.ProjectFactory()
    f.BookingFactory(talent=creative.talent, project=project)
    f.BookingFactory(talent=teammate, project=project)
    response = as_user(api, creative).post(URL, {"talent": teammate.pk, "start_date": WED, "end_date": THU})
    assert response.status_code == 403
    assert not TimeOff.objects.exists()


def test_pm_requests_for_a_person(api, pm, creative):
    response = as_user(api, pm).post(URL, {"talent": creative.talent.pk, "start_date": WED, "end_date": THU})
    assert response.status_code == 201
    assert response.data["talent"] == creative.talent.pk


def test_creative_lists_only_own_time_off(api, creative):
    own = f.TimeOffFactory(talent=creative.talent)
    f.TimeOffFactory()
    response = as_user(api, creative).get(URL)
    assert [row["id"] for row in response.data["results"]] == [own.pk]


def test_pm_lists_all_time_off_by_status(api, pm):
    requested = f.TimeOffFactory(status="requested")
    f.TimeOffFactory(status="approved")
    response = as_user(api, pm).get(URL, {"status": "requested"})
    assert [row["id"] for row in response.data["results"]] == [requested.pk]


def test_brand_manager_sees_no_time_off_and_cannot_request(api, brand_manager, creative):
    f.TimeOffFactory(talent=creative.talent)
    client = as_user(api, brand_manager)
    assert client.get(URL).data["results"] == []
    response = client.post(URL, {"talent": creative.talent.pk, "start_date": WED, "end_date": THU})
    assert response.status_code == 400  # the person is not one they may see
    assert TimeOff.objects.count() == 1


def test_anonymous_is_refused(api):
    assert api.get(URL).status_code == 401


def test_creative_cancels_own_request(api, creative, pm):
    client = as_user(api, creative)
    created = client.post(URL, {"start_date": WED, "end_date": THU}, format="json").data
    time_off = TimeOff.objects.get(pk=created["id"])
    response = client.post(cancel_url(time_off))
    assert response.status_code == 200
    assert response.data["status"] == "declined"
    assert Approval.objects.for_object(time_off).get().status == Approval.Status.WITHDRAWN


def test_another_persons_time_off_is_not_found(api, creative):
    other = f.TimeOffFactory(status="requested")
    client = as_user(api, creative)
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.post(cancel_url(other)).status_code == 404
    other.refresh_from_db()
    assert other.status == TimeOff.Status.REQUESTED


def test_decided_time_off_cannot_be_cancelled(api, creative):
    approved = f.TimeOffFactory(talent=creative.talent, status="approved")
    assert as_user(api, creative).post(cancel_url(approved)).status_code == 400


def test_executive_may_see_but_not_cancel_a_persons_request(api, executive):
    requested = f.TimeOffFactory(status="requested")
    client = as_user(api, executive)
    assert client.get(f"{URL}{requested.pk}/").status_code == 200
    assert client.post(cancel_url(requested)).status_code == 403
