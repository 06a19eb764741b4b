"""Brief services: approval freezes versions, stale saves are refused, distribution is
idempotent and notifies, recipients acknowledge and ask, a new version asks again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from briefs.diff import diff_contents, diff_text
from briefs.models import Brief, BriefDistribution, BriefVersion
from briefs.services import briefs as services
from studio.models import Comment, Notification
from tests import factories as f

pytestmark = pytest.mark.django_db


def approve(brief, user=None):
    """What the approval engine does when the last step approves."""
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    brief.refresh_from_db()
    services.brief_on_approve(brief, None, user or brief.project.pm)
    brief.refresh_from_db()
    return brief.versions.get(number=brief.current_version_number)


def edit(brief, user=None, **values):
    brief.refresh_from_db()
    return services.brief_update(brief=brief, edited_by=user or brief.project.pm, values=values, version=brief.version)


@pytest.fixture
def project():
    return f.ProjectFactory()


@pytest.fixture
def brief(project):
    return f.BriefFactory(project=project, objectives="Sell the winter range.")


def test_approval_freezes_an_immutable_version(brief, brand_manager):
    version = approve(brief, brand_manager)

    assert (version.number, version.approved_by) == (1, brand_manager)
    assert version.content["objectives"] == "Sell the winter range."
    assert (brief.status, brief.current_version_number) == ("approved", 1)
    version.content["objectives"] = "Changed behind its back."
    with pytest.raises(ValidationError):
        version.save()
    assert BriefVersion.objects.get(pk=version.pk).content["objectives"] == "Sell the winter range."


def test_editing_an_approved_brief_starts_a_draft_of_the_next_version(brief):
    first = approve(brief)
    edit(brief, objectives="Sell the spring range.")

    brief.refresh_from_db()
    assert (brief.status, brief.current_version_number) == ("draft", 1)
    second = approve(brief)
    assert second.number == 2 and second.content["objectives"] == "Sell the spring range."
    first.refresh_from_db()
    assert first.content["objectives"] == "Sell the winter range."


def test_a_stale_save_is_refused_and_overwrites_nothing(brief):
    opened_at_version = brief.version
    services.brief_update(brief=brief, edited_by=brief.created_by, values={"tone": "Warm."}, version=opened_at_version)

    with pytest.raises(services.StaleBrief):
        services.brief_update(brief=brief, edited_by=brief.created_by, values={"tone": "Cold."},
                              version=opened_at_version)
    brief.refresh_from_db()
    assert brief.tone == "Warm."
    assert brief.version == opened_at_version + 1


def test_a_brief_in_review_cannot_be_edited(brief):
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        edit(brief, tone="Loud.")
    brief.refresh_from_db()
    assert brief.tone == ""


@pytest.mark.parametrize("handler", [services.brief_on_request_changes, services.brief_on_reject])
def test_changes_requested_or_rejected_sends_the_brief_back_to_draft(brief, brand_manager, handler):
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    brief.refresh_from_db()
    handler(brief, None, brand_manager)
    brief.refresh_from_db()
    assert (brief.status, brief.current_version_number) == ("draft", 0)
    assert not brief.versions.exists()


def test_brand_of_is_the_projects_brand(brief):
    assert services.brief_brand_of(brief) == brief.project.brand_id


def test_brief_from_request_is_a_prefilled_draft(project):
    key_visual = f.DeliverableTypeFactory(name="Key visual")
    cut = f.DeliverableTypeFactory(name="30-second cut")
    template = f.BriefTemplateFactory(deliverable_type=key_visual, background="Template background.",
                                      objectives="Template objectives.")
    request = f.RequestFactory(project=project, title="Winter launch", objectives="Win the winter.",
                               budget=Decimal("15000.00"), deadline=dt.date(2027, 1, 15))
    f.RequestItemFactory(request=request, deliverable_type=key_visual, quantity=2)
    f.RequestItemFactory(request=request, deliverable_type=cut, quantity=1)

    brief = services.brief_create_from_request(request=request, created_by=project.pm)

    assert (brief.status, brief.project, brief.request, brief.template) == ("draft", project, request, template)
    assert brief.title == "Winter launch"
    assert brief.objectives == "Win the winter."  # the request's own text wins over the template's
    assert brief.background == "Template background."
    assert brief.deliverables == "2 × Key visual\n1 × 30-second cut"
    assert brief.deadline == dt.date(2027, 1, 15)
    assert brief.budget_summary.startswith("EUR 15,000.00")


def test_brief_from_a_request_not_yet_accepted_is_refused():
    with pytest.raises(ValidationError):
        services.brief_create_from_request(request=f.RequestFactory(), created_by=f.UserFactory(role="pm"))


# --- distribution ---------------------------------------------------------------------


@pytest.fixture
def team(project):
    assigned = f.TalentFactory()
    f.DeliverableFactory(project=project).assignees.add(assigned)
    booked = f.FreelanceTalentFactory()
    f.BookingFactory(project=project, talent=booked)
    return [assigned.user, booked.user]


def test_an_unapproved_brief_cannot_be_sent(brief, team):
    with pytest.raises(ValidationError):
        services.brief_distribute(brief=brief, sent_by=brief.project.pm)
    assert not BriefDistribution.objects.exists()


def test_distribution_sends_the_latest_approved_version_to_the_team_and_anyone_added(
    brief, team, brand_manager, executive, admin_user
):
    approve(brief)
    edit(brief, tone="A draft of version 2, not approved.")
    added = f.UserFactory(role="creative")
    unbooked_freelancer = f.FreelanceTalentFactory().user

    # Who may be sent a brief is `brief.receive`: not brand managers, freelancers only
    # when booked on the project, and not the admin role (IT).
    sent = services.brief_distribute(
        brief=brief, sent_by=brief.project.pm,
        recipients=[added, brand_manager, unbooked_freelancer, executive, admin_user],
    )

    assert {d.recipient for d in sent} == {*team, added, executive}
    assert {d.version.number for d in sent} == {1}
    for person in [*team, added, executive]:
        notification = Notification.objects.get(recipient=person)
        assert notification.url == f"/briefs/{brief.pk}/"
    assert not Notification.objects.filter(recipient__in=[brand_manager, unbooked_freelancer, admin_user]).exists()


def test_sending_again_is_idempotent(brief, team):
    approve(brief)
    services.brief_distribute(brief=brief, sent_by=brief.project.pm)

    again = services.brief_distribute(brief=brief, sent_by=brief.project.pm)

    assert again == []
    assert BriefDistribution.objects.count() == 2
    assert Notification.objects.filter(recipient__in=team).count() == 2


def test_a_new_version_asks_every_earlier_recipient_again(brief, team):
    approve(brief)
    added = f.UserFactory(role="creative")
    services.brief_distribute(brief=brief, sent_by=brief.project.pm, recipients=[added])
    edit(brief, tone="Bolder.")
    approve(brief)

    sent = services.brief_distribute(brief=brief, sent_by=brief.project.pm)

    assert {d.recipient for d in sent} == {*team, added}
    assert {d.version.number for d in sent} == {2}
    assert Notification.objects.filter(recipient=added, subject__contains="new version").count() == 1


def test_acknowledging_twice_records_the_first_time(brief):
    approve(brief)
    distribution = f.BriefDistributionFactory(version=brief.versions.get())
    first = services.distribution_acknowledge(distribution=distribution, user=distribution.recipient).acknowledged_at

    again = services.distribution_acknowledge(distribution=distribution, user=distribution.recipient)

    assert first is not None and again.acknowledged_at == first
    assert again.opened_at == first


def test_nobody_acknowledges_for_someone_else(brief, pm):
    approve(brief)
    distribution = f.BriefDistributionFactory(version=brief.versions.get())
    with pytest.raises(PermissionDenied):
        services.distribution_acknowledge(distribution=distribution, user=pm)
    distribution.refresh_from_db()
    assert distribution.acknowledged_at is None


def test_a_question_goes_to_the_pm_and_the_answer_back_to_the_recipient(brief):
    approve(brief)
    distribution = f.BriefDistributionFactory(version=brief.versions.get())
    pm = brief.project.pm

    services.distribution_comment(distribution=distribution, author=distribution.recipient, body="Which logo?")
    services.distribution_comment(distribution=distribution, author=pm, body="The new one.")

    distribution.refresh_from_db()
    assert distribution.question == "Which logo?" and distribution.questioned_at is not None
    question = Notification.objects.get(recipient=pm)
    answer = Notification.objects.get(recipient=distribution.recipient)
    assert (question.body, question.url) == ("Which logo?", f"/briefs/distributions/{distribution.pk}/")
    assert (answer.body, answer.url) == ("The new one.", f"/briefs/{brief.pk}/")
    assert [c.body for c in services.distribution_comments(distribution)] == ["Which logo?", "The new one."]


def test_another_creative_cannot_join_the_thread(brief):
    approve(brief)
    distribution = f.BriefDistributionFactory(version=brief.versions.get())
    with pytest.raises(PermissionDenied):
        services.distribution_comment(distribution=distribution, author=f.UserFactory(role="creative"), body="Hi")
    assert not Comment.objects.exists()


def test_to_read_lists_only_the_latest_unacknowledged_versions(brief):
    first = approve(brief)
    creative = f.UserFactory(role="creative")
    old = f.BriefDistributionFactory(version=first, recipient=creative)
    edit(brief, tone="Bolder.")
    latest = f.BriefDistributionFactory(version=approve(brief), recipient=creative)
    other = f.BriefDistributionFactory(recipient=creative, acknowledged_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))

    assert list(services.distributions_to_read(creative)) == [latest]
    assert old not in services.distributions_to_read(creative) and other.acknowledged_at


# --- diff -------------------------------------------------------------------------------


def test_diff_marks_deleted_and_inserted_words():
    assert diff_text("The quick brown fox", "The quick red fox") == "The quick <del>brown</del><ins>red</ins> fox"
    assert diff_text("", "New text") == "<ins>New text</ins>"


def test_diff_escapes_the_text_it_marks_up():
    assert diff_text("a <b>", "a <i>") == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"


def test_diff_goes_section_by_section_and_can_hide_the_budget():
    old = {"objectives": "Sell more.", "budget_summary": "EUR 10,000"}
    new = {"objectives": "Sell much more.", "budget_summary": "EUR 12,000"}

    sections = {s.name: s for s in diff_contents(old, new, hidden=("budget_summary",))}

    assert "budget_summary" not in sections
    assert sections["objectives"].changed and sections["objectives"].html == "Sell <ins>much </ins>more."
    assert not sections["tone"].changed


# --- through the approval engine --------------------------------------------------------


def test_submitted_brief_is_frozen_when_the_brand_manager_approves(brand, brand_manager):
    from approvals.models import Decision
    from approvals.services import approval_decide

    brief = f.BriefFactory(project__brand=brand, objectives="Win the winter.")
    pm = brief.project.pm
    approval = services.brief_submit(brief=brief, user=pm, version=brief.version)
    brief.refresh_from_db()
    assert brief.status == "in_review"

    approval_decide(approval=approval, user=brand_manager, outcome=Decision.Outcome.APPROVE)

    brief.refresh_from_db()
    assert (brief.status, brief.current_version_number) == ("approved", 1)
    assert brief.versions.get().approved_by == brand_manager


def test_changes_requested_through_the_engine_reopen_the_draft(brand, brand_manager):
    from approvals.models import Decision
    from approvals.services import approval_decide

    brief = f.BriefFactory(project__brand=brand)
    approval = services.brief_submit(brief=brief, user=brief.project.pm, version=brief.version)
    approval_decide(approval=approval, user=brand_manager, outcome=Decision.Outcome.REQUEST_CHANGES,
                    comment="Sharper key message, please.")

    brief.refresh_from_db()
    assert (brief.status, brief.current_version_number) == ("draft", 0)


def test_a_withdrawn_submission_reopens_the_draft(brand):
    from approvals.services import approval_withdraw

    brief = f.BriefFactory(project__brand=brand)
    approval = services.brief_submit(brief=brief, user=brief.project.pm, version=brief.version)
    brief.refresh_from_db()
    assert brief.status == "in_review"

    approval_withdraw(approval=approval, user=brief.project.pm)

    brief.refresh_from_db()
    assert brief.status == "draft"


def test_submitting_a_stale_page_is_refused(brief):
    with pytest.raises(services.StaleBrief):
        services.brief_submit(brief=brief, user=brief.project.pm, version=brief.version + 1)
    brief.refresh_from_db()
    assert brief.status == "draft"
