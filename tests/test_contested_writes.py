"""Contested writes under load (issue 15): on real PostgreSQL, through the real endpoints,
eight clients released together, 50 rounds each. Every round has exactly one winner; the
others are told it was a conflict (409 with a message in the API, a 409 page saying so),
never a 500; the row ends as the winner sent it and no row is written twice.

Each client runs in a thread of its own, so with a database connection of its own; a
barrier releases the eight at once. The blocking points are the services' row locks
(the person's talent row, the approval, the budget, the brief)."""

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from approvals.models import Approval, Decision
from briefs.models import SECTIONS, Brief
from budgets.models import BudgetLine
from schedules.models import Booking, Timesheet
from schedules.services.time import time_off_request
from schedules.services.timesheets import timesheet_submit
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("studio_today"),
]

CLIENTS = 8
ROUNDS = 50
# Thu 26 and Fri 27 Nov 2026, working days just after the studio's today (Wed 25 Nov).
FIRST_DAY = f.TODAY + dt.timedelta(days=1)
LAST_DAY = f.TODAY + dt.timedelta(days=2)


class Contenders:
    """`clients`, each sending its request from a thread of its own (and so on a database
    connection of its own), all released at once by a barrier."""

    def __init__(self, clients: list[Client]):
        self.clients = clients
        self.barrier = threading.Barrier(len(clients))
        self.pool = ThreadPoolExecutor(max_workers=len(clients))
        self.tally: Counter = Counter()

    def round(self, send, **values) -> list:
        """`send(client, index, **values)` from every client at once; their responses, in
        client order."""

        def run(index):
            self.barrier.wait(timeout=60)
            return send(self.clients[index], index, **values)

        futures = [self.pool.submit(run, index) for index in range(len(self.clients))]
        responses = [future.result(timeout=120) for future in futures]
        self.tally.update(response.status_code for response in responses)
        return responses

    def close(self):
        # Each thread closes its own connection, so none outlives the test's database;
        # a round that failed may have left the barrier broken.
        self.barrier.reset()

        def close():
            self.barrier.wait(timeout=60)
            connection.close()

        for future in [self.pool.submit(close) for _ in self.clients]:
            future.result(timeout=60)
        self.pool.shutdown()


def logged_in(users, client_class=APIClient) -> list[Client]:
    clients = []
    for user in users:
        client = client_class()
        # A server error answers 500 as it would in production, rather than raising here.
        client.raise_request_exception = False
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.fixture
def contenders():
    made = []

    def make(users, client_class=APIClient):
        made.append(Contenders(logged_in(users, client_class)))
        return made[-1]

    yield make
    for each in made:
        each.close()


def managers(count=CLIENTS):
    return [f.UserFactory(role="pm", is_staff=True) for _ in range(count)]


def one_winner(responses, won=200) -> int:
    """The index of the round's one winner; every other answer a 409 that says why."""
    statuses = [response.status_code for response in responses]
    winners = [index for index, code in enumerate(statuses) if code == won]
    assert len(winners) == 1 and statuses.count(409) == len(statuses) - 1, statuses
    for response in responses:
        if response.status_code == 409 and response.get("Content-Type", "").startswith("application/json"):
            assert response.json()["detail"]
    return winners[0]


def losers(responses) -> list:
    return [response for response in responses if response.status_code == 409]


# --- what each client sends ------------------------------------------------------------------


def confirm_one_each(client, i, holds):
    return client.post(f"/api/bookings/{holds[i].pk}/confirm/", {"version": 1}, format="json")


def book_confirmed(client, i, person, project):
    day = FIRST_DAY.isoformat()
    return client.post(
        "/api/bookings/",
        {
            "talent": person.pk, "project": project.pk, "start_date": day, "end_date": day, "hours_per_day": "6",
            "status": "confirmed", "note": f"client {i}",
        },
        format="json",
    )  # fmt: skip


def decide(client, i, approval, outcomes):
    body = {"outcome": outcomes[i], "step": 0, "comment": f"decided by client {i}"}
    return client.post(f"/api/approvals/{approval.pk}/decide/", body, format="json")


def save_line(client, i, line, version, amounts):
    return client.patch(f"/api/budget-lines/{line.pk}/", {"version": version, "amount": amounts[i]}, format="json")


def save_line_on_page(client, i, line, version, amounts):
    form = {"version": version, "kind": "expense", "description": "Stock photography", "amount": amounts[i]}
    return client.post(f"/budgets/lines/{line.pk}/edit/", form, headers={"HX-Request": "true"})


def brief_form(brief: Brief, version: int, **changes) -> dict:
    values = {name: getattr(brief, name) or "" for name in ("title", *SECTIONS)}
    values["deadline"] = brief.deadline.isoformat() if brief.deadline else ""
    return {**values, "template": "", "version": version, **changes}


def save_brief(client, i, brief, version, texts):
    return client.post(f"/briefs/{brief.pk}/edit/", brief_form(brief, version, objectives=texts[i]))


# --- 1. the same person's slot ------------------------------------------------------------


def test_eight_holds_of_one_person_confirmed_at_once_confirm_one(contenders):
    """A person with 8 hours a day and 2 of overtime; eight holds of 6 hours on the same two
    days, each confirmed by another manager at the same moment: one fits, seven clash."""
    race = contenders(managers())
    project = f.ProjectFactory()
    for _ in range(ROUNDS):
        person = f.TalentFactory(hours_per_day=Decimal("8"), overtime_hours_per_day=Decimal("2"))
        holds = [
            f.BookingFactory(
                talent=person, project=project, status="tentative", start_date=FIRST_DAY, end_date=LAST_DAY,
                hours_per_day=Decimal("6"),
            )
            for _ in range(CLIENTS)
        ]
        responses = race.round(confirm_one_each, holds=holds)
        winner = one_winner(responses)
        assert all("clash" in r.json()["detail"].lower() for r in responses if r.status_code == 409)
        confirmed = Booking.objects.filter(talent=person, status="confirmed")
        assert list(confirmed.values_list("pk", "version")) == [(holds[winner].pk, 2)]
        assert Booking.objects.filter(talent=person).count() == CLIENTS
    assert race.tally == {200: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


def test_eight_confirmed_bookings_made_at_once_over_one_day_make_one(contenders):
    race = contenders(managers())
    project = f.ProjectFactory()
    for _ in range(ROUNDS):
        person = f.TalentFactory(hours_per_day=Decimal("8"), overtime_hours_per_day=Decimal("2"))
        responses = race.round(book_confirmed, person=person, project=project)
        winner = one_winner(responses, won=201)
        booking = Booking.objects.get(talent=person)
        assert (booking.pk, booking.status, booking.note) == (
            responses[winner].json()["id"], "confirmed", f"client {winner}"
        )
    assert race.tally == {201: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


def test_eight_managers_confirming_the_same_hold_confirm_it_once(contenders):
    race = contenders(managers())
    project = f.ProjectFactory()
    for _ in range(ROUNDS):
        hold = f.BookingFactory(project=project, status="tentative", start_date=FIRST_DAY, end_date=LAST_DAY)
        responses = race.round(confirm_one_each, holds=[hold] * CLIENTS)
        one_winner(responses)
        # The losers are shown the booking as it is now: confirmed, at its new version.
        current = {(r.json()["current"]["status"], r.json()["current"]["version"]) for r in losers(responses)}
        assert current == {("confirmed", 2)}
        hold.refresh_from_db()
        assert (hold.status, hold.version) == ("confirmed", 2)
        assert AuditEvent.objects.filter(action="booking.confirm", object_id=str(hold.pk)).count() == 1
    assert race.tally == {200: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


# --- 2. the same approval step --------------------------------------------------------------


def test_eight_managers_deciding_one_time_off_request_decide_it_once(contenders):
    """Half approve, half reject: whichever comes first decides, and the request ends as
    that one said."""
    deciders = managers()
    race = contenders(deciders)
    outcomes = ["approve", "reject"] * (CLIENTS // 2)
    for _ in range(ROUNDS):
        person = f.TalentFactory()
        time_off = time_off_request(talent=person, user=person.user, start_date=FIRST_DAY, end_date=LAST_DAY)
        approval = Approval.objects.get(kind="time_off", object_id=str(time_off.pk))
        responses = race.round(decide, approval=approval, outcomes=outcomes)
        winner = one_winner(responses)
        decision = Decision.objects.get(approval=approval)
        assert (decision.decided_by_id, decision.outcome, decision.comment) == (
            deciders[winner].pk, outcomes[winner], f"decided by client {winner}"
        )
        approval.refresh_from_db()
        time_off.refresh_from_db()
        ends = {"approve": ("approved", "approved"), "reject": ("rejected", "declined")}[outcomes[winner]]
        assert (approval.status, time_off.status) == ends
    assert race.tally == {200: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


# --- 3. the same timesheet ------------------------------------------------------------------


def test_eight_managers_approving_one_timesheet_approve_it_once(contenders):
    deciders = managers()
    race = contenders(deciders)
    project = f.ProjectFactory()
    week = f.monday(f.TODAY - dt.timedelta(days=7))
    for _ in range(ROUNDS):
        sheet = f.TimesheetFactory(week_start=week)
        f.TimeEntryFactory(timesheet=sheet, project=project, date=week, hours=Decimal("7.5"))
        timesheet_submit(user=sheet.talent.user, timesheet=sheet)
        approval = Approval.objects.get(kind="timesheet", object_id=str(sheet.pk))
        responses = race.round(decide, approval=approval, outcomes=["approve"] * CLIENTS)
        winner = one_winner(responses)
        assert {r.json()["current"]["status"] for r in losers(responses)} == {"approved"}
        assert list(Decision.objects.filter(approval=approval).values_list("decided_by", flat=True)) == [
            deciders[winner].pk
        ]
        sheet.refresh_from_db()
        assert sheet.status == Timesheet.Status.APPROVED and sheet.approved_at is not None
        assert AuditEvent.objects.filter(action="approval.approve", object_id=str(sheet.pk)).count() == 1
    assert race.tally == {200: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


# --- 4. the same budget ---------------------------------------------------------------------


def test_eight_managers_saving_one_budget_line_at_one_version_save_one(contenders):
    race = contenders(managers())
    budget = f.BudgetFactory()
    line = f.BudgetLineFactory(budget=budget, amount=Decimal("1000.00"))
    for round_ in range(ROUNDS):
        budget.refresh_from_db()
        seen = budget.version
        amounts = [f"{1000 + round_ * 10 + i}.00" for i in range(CLIENTS)]
        responses = race.round(save_line, line=line, version=seen, amounts=amounts)
        winner = one_winner(responses)
        assert {r.json()["current"]["version"] for r in losers(responses)} == {seen + 1}
        line.refresh_from_db()
        budget.refresh_from_db()
        assert (line.amount, budget.version) == (Decimal(amounts[winner]), seen + 1)
        assert BudgetLine.objects.filter(budget=budget).count() == 1
    assert AuditEvent.objects.filter(action="budget_line.change", object_id=str(budget.pk)).count() == ROUNDS
    assert race.tally == {200: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


# --- 5. the same brief ----------------------------------------------------------------------


def test_eight_managers_saving_one_brief_at_one_version_save_one(contenders):
    """The brief is written on its page (the API reads briefs only): the winner is sent to
    the brief, the others get the form back (409) saying their text is not saved."""
    race = contenders(managers(), client_class=Client)
    brief = f.BriefFactory()
    for round_ in range(ROUNDS):
        brief.refresh_from_db()
        seen = brief.version
        texts = [f"Round {round_}: objectives as client {i} wrote them." for i in range(CLIENTS)]
        responses = race.round(save_brief, brief=brief, version=seen, texts=texts)
        winner = one_winner(responses, won=302)
        for response in losers(responses):
            assert b"This brief changed since you opened it. Your changes are not saved" in response.content
        brief.refresh_from_db()
        assert (brief.objectives, brief.version) == (texts[winner], seen + 1)
    assert Brief.objects.count() == 1
    assert AuditEvent.objects.filter(action="brief.edited", object_id=str(brief.pk)).count() == ROUNDS
    assert race.tally == {302: ROUNDS, 409: ROUNDS * (CLIENTS - 1)}


# --- the page: two sessions saving the same budget line with HTMX ----------------------------


def test_two_sessions_saving_one_budget_line_on_the_page_the_second_is_told(contenders):
    race = contenders(managers(2), client_class=Client)
    budget = f.BudgetFactory()
    line = f.BudgetLineFactory(budget=budget, amount=Decimal("1000.00"), description="Stock photography")
    for round_ in range(3):
        budget.refresh_from_db()
        seen = budget.version
        amounts = [f"{2000 + round_ * 10 + i}.00" for i in range(2)]
        responses = race.round(save_line_on_page, line=line, version=seen, amounts=amounts)
        winner = one_winner(responses)
        loser = responses[1 - winner]
        assert b"Line saved." in responses[winner].content
        assert b"Someone else changed this since you opened it." in loser.content
        line.refresh_from_db()
        assert line.amount == Decimal(amounts[winner])
        # The loser's fragment shows the winner's figure, not their own.
        assert amounts[winner].encode() in loser.content.replace(b",", b"")
    assert race.tally == {200: 3, 409: 3}


def decide_on_the_inbox(client, i, approval):
    form = {"outcome": "approve", "step": 0, "comment": ""}
    return client.post(f"/approvals/{approval.pk}/decide/", form, headers={"HX-Request": "true"})


def test_two_managers_approving_one_timesheet_in_their_inboxes_the_second_is_told(contenders):
    """The inbox answers each decision with its row: the late one's row says it was already
    decided, and shows no buttons to decide it again."""
    deciders = managers(2)
    race = contenders(deciders, client_class=Client)
    project = f.ProjectFactory()
    week = f.monday(f.TODAY - dt.timedelta(days=7))
    for _ in range(3):
        sheet = f.TimesheetFactory(week_start=week)
        f.TimeEntryFactory(timesheet=sheet, project=project, date=week, hours=Decimal("6"))
        timesheet_submit(user=sheet.talent.user, timesheet=sheet)
        approval = Approval.objects.get(kind="timesheet", object_id=str(sheet.pk))
        responses = race.round(decide_on_the_inbox, approval=approval)
        assert [response.status_code for response in responses] == [200, 200]
        told = [b"This was already decided" in response.content for response in responses]
        assert sorted(told) == [False, True]
        (decision,) = Decision.objects.filter(approval=approval)
        assert decision.decided_by == deciders[told.index(False)]
        sheet.refresh_from_db()
        assert sheet.status == Timesheet.Status.APPROVED
