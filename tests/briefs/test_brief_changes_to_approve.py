"""A brand manager asked to approve a new version of a brief reads, on the page where they
approve it, what changed since the version they approved last."""

import pytest
from django.urls import reverse

from approvals.models import Approval, Decision
from approvals.services import approval_decide
from briefs.models import Brief
from briefs.services import briefs as services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(brand):
    user = f.UserFactory(role="brand_manager")
    brand.managers.add(user)
    return user


@pytest.fixture
def brief(brand, pm):
    return f.BriefFactory(project__brand=brand, project__pm=pm, key_message="Made the way you like it.",
                          tone="Warm.", budget_summary="EUR 20,000 in all.")


def edit(brief, **values):
    brief.refresh_from_db()
    services.brief_update(brief=brief, edited_by=brief.project.pm, values=values, version=brief.version)


def submit(brief):
    brief.refresh_from_db()
    return services.brief_submit(brief=brief, user=brief.project.pm)


def approve(brief, manager):
    """Submitted by its PM (whose own step is skipped) and approved by `manager`."""
    approval_decide(approval=submit(brief), user=manager, outcome=Decision.Outcome.APPROVE)
    brief.refresh_from_db()


@pytest.fixture
def third_version(brief, brand_manager, second_manager):
    """v1 approved by the brand manager, v2 by their colleague, v3 waiting for approval."""
    approve(brief, brand_manager)
    edit(brief, key_message="Made the way you like it, now in three flavours.")
    approve(brief, second_manager)
    edit(brief, tone="Warm and playful.")
    submit(brief)
    brief.refresh_from_db()
    assert (brief.status, brief.current_version_number) == (Brief.Status.IN_REVIEW, 2)
    return brief


def page(client, user, brief):
    client.force_login(user)
    response = client.get(reverse("briefs:brief-detail", args=[brief.pk]))
    assert response.status_code == 200
    return response


def changed(response):
    return [section.name for section in response.context["changes_to_approve"].sections]


def test_the_approver_reads_the_changes_since_the_version_they_approved(client, brand_manager, third_version):
    response = page(client, brand_manager, third_version)
    content = response.content.decode()

    assert "What changed since version 1, the one you approved" in content
    assert changed(response) == ["key_message", "tone"]
    assert "<del>Warm.</del><ins>Warm and playful.</ins>" in content
    # On the page where they approve: the approval panel with its decision.
    panel = reverse("approvals:panel", args=["brief", third_version.pk])
    assert panel in content
    assert 'name="outcome" value="approve"' in client.get(panel).content.decode()


def test_another_approver_reads_the_changes_since_their_own_version(client, second_manager, third_version):
    response = page(client, second_manager, third_version)
    assert "What changed since version 2, the one you approved" in response.content.decode()
    assert changed(response) == ["tone"]


def test_who_approved_no_version_reads_the_changes_since_the_latest(client, pm, third_version):
    response = page(client, pm, third_version)
    assert "What changed since version 2, the latest approved" in response.content.decode()
    assert changed(response) == ["tone"]


def test_a_first_version_or_a_decided_brief_shows_no_changes(client, brand_manager, brief):
    submit(brief)
    response = page(client, brand_manager, brief)
    assert response.context["changes_to_approve"] is None
    assert 'id="changes-to-approve"' not in response.content.decode()
    approval_decide(approval=Approval.objects.pending_for(brief), user=brand_manager,
                    outcome=Decision.Outcome.APPROVE)
    assert page(client, brand_manager, brief).context["changes_to_approve"] is None


def test_a_budget_change_is_left_out_for_who_may_not_see_prices(brief, brand_manager, creative):
    approve(brief, brand_manager)
    edit(brief, budget_summary="EUR 25,000 in all.")
    submit(brief)
    brief.refresh_from_db()
    # The brand manager may see their brand's prices; an outsider to the money may not.
    assert [s.name for s in services.brief_changes_to_approve(brief=brief, user=brand_manager).sections] == [
        "budget_summary"
    ]
    no_prices = services.brief_changes_to_approve(brief=brief, user=creative)
    assert no_prices.sections == [] and not no_prices.theirs


def test_a_recipient_reads_their_own_changes_not_the_approvers(client, brand_manager, creative, brief):
    approve(brief, brand_manager)
    services.brief_distribute(brief=brief, sent_by=brief.project.pm, recipients=[creative])
    edit(brief, tone="Warm and playful.")
    submit(brief)
    response = page(client, creative, brief)
    assert response.context["changes_to_approve"] is None
