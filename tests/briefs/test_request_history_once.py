"""A triage appears once in a request's history: asking the brand manager a question
(on the request's page or in the approval inbox) is one event carrying the question,
not a status change plus the approval engine's record of the same decision.

Today is fixed at Wednesday 25 November 2026 (tests.factories.TODAY)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals.models import Approval
from approvals.services import approval_decide
from briefs.services import requests as intake
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

QUESTION = "Which markets does the launch cover?"


@pytest.fixture
def open_request(brand_manager, brand):
    return intake.request_submit(
        submitted_by=brand_manager,
        brand=brand,
        title="Winter launch",
        objectives="Sell the winter range.",
        deadline=dt.date(2027, 1, 8),
        budget=Decimal("15000.00"),
        items=[(f.DeliverableTypeFactory(), 2)],
    )


def detail_url(brand_request, action=""):
    return reverse(f"briefs:request-{action}" if action else "briefs:request-detail", args=[brand_request.pk])


def history_of(client, user, brand_request) -> list[tuple[str, str]]:
    client.force_login(user)
    response = client.get(detail_url(brand_request))
    assert response.status_code == 200
    return [(str(label), event.reason) for event, label in response.context["history"]]


def ask_on_the_page(client, pm, brand_request):
    client.force_login(pm)
    response = client.post(detail_url(brand_request, "ask-info"), {"question": QUESTION, "version": 1})
    assert response.status_code == 302


def decide_in_the_inbox(pm, brand_request, outcome, comment=""):
    approval = Approval.objects.pending_for(brand_request)
    approval_decide(approval=approval, user=pm, outcome=outcome, comment=comment)


def ask_in_the_inbox(client, pm, brand_request):
    decide_in_the_inbox(pm, brand_request, "request_changes", QUESTION)


@pytest.mark.parametrize("ask", [ask_on_the_page, ask_in_the_inbox])
@pytest.mark.parametrize("viewer", ["pm", "brand_manager", "executive"])
def test_a_question_is_one_event_with_its_text(client, request, pm, open_request, ask, viewer):
    ask(client, pm, open_request)

    history = history_of(client, request.getfixturevalue(viewer), open_request)

    assert [entry for entry in history if entry[1] == QUESTION] == [("Information requested", QUESTION)]
    assert "Changes requested" not in [label for label, _reason in history]
    # The audit trail itself keeps both records.
    actions = {event.action for event in AuditEvent.objects.for_object(open_request)}
    assert {"request.info_requested", "approval.request_changes"} <= actions


def test_the_page_shows_the_question_once_in_the_history(client, pm, open_request):
    ask_on_the_page(client, pm, open_request)
    client.force_login(pm)
    content = client.get(detail_url(open_request)).content.decode()
    history = content[content.index('id="history-heading"') :]
    assert history.count(QUESTION) == 1


def test_an_answer_and_a_second_question_each_stay_one_event(client, pm, brand_manager, open_request):
    ask_on_the_page(client, pm, open_request)
    intake.request_answer(request=open_request, user=brand_manager, answer="UK and Ireland.", version=2)
    intake.request_ask_info(request=open_request, user=pm, question="Which stores?", version=3)

    history = history_of(client, pm, open_request)

    questions = [entry for entry in history if entry[0] == "Information requested"]
    assert questions == [("Information requested", QUESTION), ("Information requested", "Which stores?")]
    assert [label for label, _reason in history].count("Answered") == 1
    assert "Changes requested" not in [label for label, _reason in history]


@pytest.mark.parametrize(
    ("decide", "label", "engine_label"),
    [
        (lambda pm, r: intake.request_decline(request=r, user=pm, reason="No capacity."), "Declined", "Rejected"),
        (lambda pm, r: intake.request_accept(request=r, accepted_by=pm), "Accepted", "Approved"),
        (lambda pm, r: decide_in_the_inbox(pm, r, "reject", "No capacity."), "Declined", "Rejected"),
        (lambda pm, r: decide_in_the_inbox(pm, r, "approve"), "Accepted", "Approved"),
    ],
)
def test_other_triage_outcomes_are_one_event_too(client, pm, open_request, decide, label, engine_label):
    decide(pm, open_request)
    labels = [entry[0] for entry in history_of(client, pm, open_request)]
    assert labels.count(label) == 1
    assert engine_label not in labels
