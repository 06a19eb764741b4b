"""A request waiting for triage shows the production manager one set of decisions
(accept, ask for information, decline); each of them also settles the request's approval,
so nothing is left waiting in the approvals inbox, and the decided rounds show afterwards.

Today is Wednesday 25 November 2026 (tests.factories.TODAY)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import Approval
from briefs.models import Request
from briefs.services import requests as intake
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

DECISIONS = ("Accept the request", "Send the question", "Decline the request")
# What the approval panel's decision buttons would post to.
DECIDE_MARK = 'name="outcome"'


@pytest.fixture
def open_request(brand_manager, brand):
    kind = f.DeliverableTypeFactory(name="Key visual")
    return intake.request_submit(
        submitted_by=brand_manager, brand=brand, title="Winter launch", objectives="Sell the winter range.",
        deadline=dt.date(2027, 1, 8), budget=Decimal("15000.00"), items=[(kind, 2)], files=[],
    )


def url(brand_request, action=""):
    return reverse(f"briefs:request-{action}" if action else "briefs:request-detail", args=[brand_request.pk])


def panel_url(brand_request):
    return reverse("approvals:panel", args=["request", brand_request.pk])


def test_the_pm_sees_one_set_of_decisions_and_no_approval_buttons(client, pm, open_request):
    assert Approval.objects.pending_for(open_request) is not None
    client.force_login(pm)
    content = client.get(url(open_request)).content.decode()
    for label in DECISIONS:
        assert content.count(label) == 1
    for action in ("accept", "ask-info", "decline"):
        assert content.count(f'action="{url(open_request, action)}"') == 1
    assert panel_url(open_request) not in content
    # The panel itself would offer the PM the same decision a second time.
    assert DECIDE_MARK in client.get(panel_url(open_request)).content.decode()


@pytest.mark.parametrize("role", ["executive", "admin_user", "brand_manager"])
def test_those_who_do_not_triage_follow_the_approval_rounds(client, request, role, open_request):
    client.force_login(request.getfixturevalue(role))
    content = client.get(url(open_request)).content.decode()
    assert panel_url(open_request) in content
    assert not any(label in content for label in DECISIONS)


@pytest.mark.parametrize(
    ("action", "data", "status", "outcome"),
    [
        ("accept", {}, Request.Status.ACCEPTED, Approval.Status.APPROVED),
        ("ask-info", {"question": "Which markets?"}, Request.Status.INFO_REQUESTED, Approval.Status.CHANGES_REQUESTED),
        ("decline", {"reason": "Not this season."}, Request.Status.DECLINED, Approval.Status.REJECTED),
    ],
)
def test_each_decision_on_the_page_settles_the_approval(client, pm, open_request, action, data, status, outcome):
    approval = Approval.objects.pending_for(open_request)
    client.force_login(pm)
    form = client.get(url(open_request)).context[f"{action.replace('-', '_')}_form"]
    fields = {name: field.value() for name, field in ((name, form[name]) for name in form.fields)}
    response = client.post(url(open_request, action), {k: v for k, v in fields.items() if v is not None} | data)

    assert response.status_code == 302
    open_request.refresh_from_db()
    approval.refresh_from_db()
    assert (open_request.status, approval.status) == (status, outcome)
    assert not Approval.objects.waiting_on(pm).exists()
    # Decided, the page shows the rounds (who decided what), not the triage forms.
    content = client.get(url(open_request)).content.decode()
    if status != Request.Status.INFO_REQUESTED:
        assert panel_url(open_request) in content
        assert not any(label in content for label in DECISIONS)
        assert DECIDE_MARK not in client.get(panel_url(open_request)).content.decode()
