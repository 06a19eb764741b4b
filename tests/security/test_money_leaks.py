"""The searches the matrix makes can find what they look for: the studio reads the seeded
figures in each format the matrix searches (so their absence elsewhere means something),
and the e-mails sent to a creative or a brand manager show no money they may not read."""

import pytest
from django.core import mail

from approvals.models import Approval
from approvals.services import approval_decide
from briefs.models import BriefDistribution
from briefs.services.briefs import brief_distribute
from projects.services.review import deliverable_submit_for_review
from tests.security.conftest import BRIEF_BUDGET, BUDGET_LINE_AMOUNT, COST_AMOUNT, COST_RATE, PROJECT_FEE, ROI
from tests.security.leaks import body_text, found, money_markers, ratio_written_as, written_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "figure"), [
    ("/api/costs/", COST_AMOUNT),  # JSON
    ("/budgets/projects/{project}/costs/", COST_AMOUNT),  # HTML, grouped in thousands
    ("/budgets/projects/{project}/export.csv", COST_AMOUNT),  # CSV
    ("/budgets/projects/{project}/export.xlsx", COST_AMOUNT),  # XLSX, unzipped
    ("/api/budget-lines/", BUDGET_LINE_AMOUNT),  # a line of a draft budget
    ("/studio/talent/{creative}/", COST_RATE),  # a person's rates
    ("/briefs/{brief}/", BRIEF_BUDGET),  # a brief's budget section
])
def test_the_studio_reads_the_seeded_figures_where_the_matrix_looks(world, clients, url, figure):
    url = url.format(project=world["project"].pk, creative=world["creative"].pk, brief=world["brief"].pk)
    response = clients["pm"].get(url)

    assert response.status_code == 200
    assert found(body_text(response), written_as(figure))


def test_the_studio_reads_the_return_on_investment(world, clients):
    assert found(body_text(clients["pm"].get("/api/metric-snapshots/")), ratio_written_as(ROI))


def test_a_brand_manager_reads_the_fee_at_bill_rates(world, clients):
    response = clients["brand_manager"].get(f"/budgets/projects/{world['project'].pk}/money/")

    assert response.status_code == 200
    assert found(body_text(response), written_as(PROJECT_FEE))


@pytest.mark.parametrize(("identity", "url", "own", "foreign"), [
    ("brand_manager", "/api/projects/", "ALPHA-1", "OMEGA-9"),
    ("other_brand_manager", "/api/projects/", "OMEGA-9", "ALPHA-1"),
    ("brand_manager", "/requests/", "Alpha winter ask", "Omega confidential ask"),
    ("creative", "/api/time-entries/", '"talent":{creative}', "Omega retouch"),
    ("creative", "/schedule/search/projects/", "ALPHA-1", "OMEGA-9"),
    ("freelancer", "/studio/talent/", "matrix-creative", "Zephyrine"),
    ("creative", "/api/bookings/", "Creative hold note", "Freelancer hold note"),
    ("freelancer", "/api/bookings/", "Freelancer hold note", "Creative hold note"),
])
def test_lists_show_the_own_rows_and_never_the_foreign_ones(world, clients, identity, url, own, foreign):
    """The other side's rows are absent from a list that does show the user's own."""
    text = body_text(clients[identity].get(url)).replace(" ", "")
    own = own.format(creative=world["creative"].pk).replace(" ", "")

    assert own in text
    assert foreign.replace(" ", "") not in text


def test_a_brand_manager_reads_the_briefs_budget_but_a_creative_does_not(world, clients):
    brief = world["brief"]
    as_manager = body_text(clients["brand_manager"].get(f"/briefs/{brief.pk}/"))
    as_creative = body_text(clients["creative"].get(f"/briefs/{brief.pk}/"))

    assert found(as_manager, written_as(BRIEF_BUDGET))
    assert not found(as_creative, written_as(BRIEF_BUDGET))


def _mail_to(user) -> str:
    messages = [message for message in mail.outbox if user.email in message.to]
    assert messages, f"no e-mail to {user}"
    return "\n".join(
        message.subject + message.body + "".join(str(content) for content, _type in message.alternatives)
        for message in messages
    )


def test_the_brief_sent_to_a_creative_by_e_mail_shows_no_money(world, django_capture_on_commit_callbacks):
    creative = world.user("creative")
    BriefDistribution.objects.filter(version__brief=world["brief"], version__number=2, recipient=creative).delete()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        brief_distribute(brief=world["brief"], sent_by=world.user("pm"), recipients=[creative])

    assert not found(_mail_to(creative), money_markers(creative))


def test_the_deliverable_sent_to_a_brand_manager_for_review_shows_no_internal_money(
    world, django_capture_on_commit_callbacks
):
    """The creative hands the work in, the PM approves the internal review: the client review is the brand's."""
    manager = world.user("brand_manager")
    deliverable = world["deliverable"]
    with django_capture_on_commit_callbacks(execute=True):
        deliverable_submit_for_review(deliverable=deliverable, user=world.user("creative"), link="https://example.com/kv")
    approval = Approval.objects.for_object(deliverable).pending().get()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(approval=approval, user=world.user("pm"), outcome="approve")

    assert not found(_mail_to(manager), money_markers(manager))
