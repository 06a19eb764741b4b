"""/api/approvals/: what waits on me, one approval, deciding it, with the pages' access rules."""

import pytest
from rest_framework.test import APIClient

from approvals.models import Decision
from approvals.services import approval_decide, approval_submit
from tests.factories import UserFactory

from .conftest import KIND, make_flow

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def waiting(pm_flow, budget, executive):
    return approval_submit(obj=budget, kind=KIND, submitted_by=executive)


def decide(user, approval, **data):
    return api(user).post(f"/api/approvals/{approval.pk}/decide/", data, format="json")


def test_list_shows_what_waits_on_me_and_all_shows_what_i_may_see(waiting, pm, brand_manager, outsider):
    mine = api(pm).get("/api/approvals/").json()
    assert [row["id"] for row in mine["results"]] == [waiting.pk]
    row = mine["results"][0]
    assert (row["kind"], row["status"], row["current_step_name"], row["url"]) == (
        KIND, "pending", "pm", f"/test-budgets/{waiting.object_id}/",
    )
    assert row["amount"] == "1500.00"

    assert api(brand_manager).get("/api/approvals/").json()["results"] == []
    assert [row["id"] for row in api(brand_manager).get("/api/approvals/?all=1").json()["results"]] == [waiting.pk]
    assert api(outsider).get("/api/approvals/?all=1").json()["results"] == []


def test_all_is_a_yes_or_no(waiting, brand_manager):
    client = api(brand_manager)

    assert [row["id"] for row in client.get("/api/approvals/?all=true").json()["results"]] == [waiting.pk]
    assert client.get("/api/approvals/?all=false").json()["results"] == []
    refused = client.get("/api/approvals/?all=AAA")
    assert (refused.status_code, list(refused.json())) == (400, ["all"])


@pytest.mark.parametrize(
    ("who", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("brand_manager", 200), ("creative", 404),
     ("freelancer", 404), ("outsider", 404)],
)
def test_detail_is_a_404_for_who_cannot_see_the_object(request, waiting, who, status):
    assert api(request.getfixturevalue(who)).get(f"/api/approvals/{waiting.pk}/").status_code == status


def test_deciding_returns_the_approval_with_its_decision(calls, waiting, pm):
    response = decide(pm, waiting, outcome="approve")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert [(d["outcome"], d["decided_by"]["id"]) for d in body["decisions"]] == [("approve", pm.pk)]


@pytest.mark.parametrize(
    ("who", "status"),
    [("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("creative", 404), ("freelancer", 404),
     ("outsider", 404)],
)
def test_deciding_is_403_for_who_may_see_but_not_decide_and_404_for_the_rest(request, calls, waiting, who, status):
    response = decide(request.getfixturevalue(who), waiting, outcome="reject", comment="No.")

    assert response.status_code == status
    assert not Decision.objects.exists()


def test_deciding_what_was_already_decided_is_a_409(calls, waiting, pm):
    approval_decide(approval=waiting, user=UserFactory(role="pm"), outcome="approve")

    response = decide(pm, waiting, outcome="approve", step=0)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("This was already decided")
    # The approval as it stands now, to start again from.
    assert (body["current"]["id"], body["current"]["status"]) == (waiting.pk, "approved")
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"outcome": "reject"}, "comment"), ({"outcome": "request_changes", "comment": " "}, "comment"),
     ({"outcome": "maybe"}, "outcome"), ({}, "outcome")],
)
def test_bad_decisions_are_400s_with_field_errors(calls, waiting, pm, data, field):
    response = decide(pm, waiting, **data)

    assert response.status_code == 400
    assert field in response.json()
    assert not Decision.objects.exists()


def test_anonymous_callers_are_refused(waiting):
    assert APIClient().get("/api/approvals/").status_code == 401



def test_a_brand_manager_gets_no_comment_of_the_internal_review(calls, budget, pm, brand_manager, executive):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    approval = approval_submit(obj=budget, kind=KIND, submitted_by=executive)
    approval_decide(approval=approval, user=pm, outcome="approve", comment="Internal: pad the hours.")

    decisions = api(brand_manager).get(f"/api/approvals/{approval.pk}/").json()["decisions"]
    assert [(d["outcome"], d["comment"]) for d in decisions] == [("approve", "")]
    decisions = api(executive).get(f"/api/approvals/{approval.pk}/").json()["decisions"]
    assert [(d["outcome"], d["comment"]) for d in decisions] == [("approve", "Internal: pad the hours.")]
