"""Brief pages as each role uses them: who may see what, writing with a stale-save
guard, the diff, the distribution board, and a recipient opening, acknowledging and
asking."""

import pytest
from django.urls import reverse

from briefs.models import Brief, BriefDistribution
from briefs.services import briefs as services
from studio.models import Comment
from tests import factories as f

pytestmark = pytest.mark.django_db

BUDGET = "EUR 20,000 in all."


def approve(brief):
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    brief.refresh_from_db()
    services.brief_on_approve(brief, None, brief.project.pm)
    brief.refresh_from_db()
    return brief.versions.get(number=brief.current_version_number)


def edit(brief, **values):
    brief.refresh_from_db()
    services.brief_update(brief=brief, edited_by=brief.project.pm, values=values, version=brief.version)


def url(name, obj):
    return reverse(f"briefs:{name}", args=[obj.pk])


@pytest.fixture
def brief(brand, pm):
    return f.BriefFactory(project__brand=brand, project__pm=pm, objectives="Win the winter.", budget_summary=BUDGET)


@pytest.fixture
def sent_brief(brief, creative):
    """Approved and sent to the creative."""
    f.BriefDistributionFactory(version=approve(brief), recipient=creative)
    return brief


def get(client, user, path, **kwargs):
    client.force_login(user)
    return client.get(path, **kwargs)


def user_of(request, role):
    """The fixture of `role`; None for an anonymous visitor."""
    return None if role == "anonymous" else request.getfixturevalue(role)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("brand_manager", 200), ("outsider", 404),
     ("creative", 200), ("freelancer", 404), ("anonymous", 302)],
)
def test_brief_page_answers_only_those_who_may_see_it(client, request, sent_brief, role, status):
    assert as_user(client, user_of(request, role)).get(url("brief-detail", sent_brief)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("brand_manager", 404), ("outsider", 404),
     ("creative", 404), ("freelancer", 404)],
)
def test_a_first_draft_is_the_studios_alone(client, request, brief, role, status):
    assert get(client, request.getfixturevalue(role), url("brief-detail", brief)).status_code == status


def test_anonymous_visitor_is_sent_to_login(client, brief):
    response = client.get(url("brief-detail", brief))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("role", "shown"), [("creative", False), ("brand_manager", True), ("pm", True),
                                             ("executive", True), ("admin_user", True)])
def test_budget_section_is_hidden_from_talent(client, request, sent_brief, role, shown):
    content = get(client, request.getfixturevalue(role), url("brief-detail", sent_brief)).content.decode()
    assert "Win the winter." in content
    assert (BUDGET in content) is shown


def test_brand_manager_reads_the_approved_version_not_the_next_draft(client, sent_brief, brand_manager):
    edit(sent_brief, objectives="A draft nobody approved.")
    content = get(client, brand_manager, url("brief-detail", sent_brief)).content.decode()
    assert "Win the winter." in content
    assert "A draft nobody approved." not in content


def test_brief_list_shows_creatives_only_briefs_sent_to_them(client, sent_brief, creative):
    f.BriefFactory(title="Not for you")
    response = get(client, creative, reverse("briefs:brief-list"))
    assert list(response.context["page_obj"]) == [sent_brief]


def test_brief_list_query_count_does_not_grow_with_rows(client, pm, django_assert_num_queries):
    client.force_login(pm)
    list_url = reverse("briefs:brief-list")
    client.get(list_url)  # warm the session and settings rows
    for size in (2, 8):
        f.BriefFactory.create_batch(size)
        # session, user, studio settings, count, page of briefs with their projects
        with django_assert_num_queries(5):
            assert client.get(list_url).status_code == 200


# --- writing ---------------------------------------------------------------------------


def form_data(brief, **changes):
    data = {"title": brief.title, "version": brief.version, **{name: "" for name in ("background", "audience")}}
    data.update(changes)
    return data


def test_pm_saves_a_brief(client, pm, brief):
    client.force_login(pm)
    response = client.post(url("brief-edit", brief), form_data(brief, tone="Warm and bold."))
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.tone == "Warm and bold."


def test_a_stale_save_is_refused_with_the_current_text_shown(client, pm, brief):
    client.force_login(pm)
    opened = form_data(brief, tone="Mine.")
    edit(brief, tone="Theirs, saved first.")

    response = client.post(url("brief-edit", brief), opened)

    assert response.status_code == 409
    content = response.content.decode()
    assert "This brief changed since you opened it" in content
    assert "Theirs, saved first." in content and "Mine." in content
    brief.refresh_from_db()
    assert brief.tone == "Theirs, saved first."


def test_the_template_picker_fills_only_empty_sections(client, pm, brief):
    template = f.BriefTemplateFactory(tone="Template tone.", objectives="Template objectives.")
    client.force_login(pm)
    response = client.post(
        url("brief-edit", brief), form_data(brief, objectives="Ours.", template=template.pk, fill_template="1")
    )
    form = response.context["form"]
    assert form["tone"].value() == "Template tone." and form["objectives"].value() == "Ours."
    brief.refresh_from_db()
    assert brief.tone == ""  # filled in the form, not saved


@pytest.mark.parametrize(
    ("role", "status"),
    [("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("outsider", 403), ("creative", 403),
     ("freelancer", 403), ("anonymous", 302)],
)
@pytest.mark.parametrize("name", ["brief-edit", "brief-submit", "brief-distribute"])
def test_only_pms_write_submit_and_send_briefs(client, request, sent_brief, role, status, name):
    data = form_data(sent_brief, tone="Hijacked.")
    response = as_user(client, user_of(request, role)).post(url(name, sent_brief), data)
    assert response.status_code == status
    sent_brief.refresh_from_db()
    assert (sent_brief.tone, sent_brief.status) == ("", "approved")
    assert BriefDistribution.objects.count() == 1


def test_outsider_is_refused_the_board_and_never_sees_the_diff(client, outsider, sent_brief):
    client.force_login(outsider)
    assert client.get(url("brief-board", sent_brief)).status_code == 403  # a PM page: no secret
    assert client.get(url("brief-diff", sent_brief)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "rows"),
    # The studio sees every recipient; a recipient only their own copy.
    [("pm", 200, 2), ("executive", 200, 2), ("admin_user", 200, 2), ("creative", 200, 1),
     ("freelancer", 404, None), ("brand_manager", 403, None), ("outsider", 403, None), ("anonymous", 302, None)],
)
def test_the_board_shows_each_reader_the_distributions_they_may_see(client, request, sent_brief, role, status, rows):
    f.BriefDistributionFactory(version=sent_brief.versions.get(), recipient=f.UserFactory(role="creative"))
    response = as_user(client, user_of(request, role)).get(url("brief-board", sent_brief))
    assert response.status_code == status
    if rows is not None:
        assert len(response.context["rows"]) == rows


# --- diff ------------------------------------------------------------------------------


def test_diff_page_marks_changes_between_two_versions(client, pm, brief):
    approve(brief)
    edit(brief, objectives="Win the whole winter.", budget_summary="EUR 25,000 in all.")
    approve(brief)

    response = get(client, pm, url("brief-diff", brief), data={"a": 1, "b": 2})

    content = response.content.decode()
    assert "Win the <ins>whole </ins>winter." in content
    assert "EUR <del>20,000</del><ins>25,000</ins> in all." in content


def test_diff_page_hides_the_budget_from_talent(client, brief, creative):
    f.BriefDistributionFactory(version=approve(brief), recipient=creative)
    edit(brief, budget_summary="EUR 25,000 in all.")
    f.BriefDistributionFactory(version=approve(brief), recipient=creative)

    response = get(client, creative, url("brief-diff", brief), data={"a": 1, "b": 2})

    assert response.status_code == 200
    assert "25,000" not in response.content.decode()
    assert "budget_summary" not in [section.name for section in response.context["sections"]]


def test_diff_of_a_version_the_user_was_not_sent_is_404(client, sent_brief, creative):
    edit(sent_brief, tone="New.")
    approve(sent_brief)
    assert get(client, creative, url("brief-diff", sent_brief), data={"a": 1, "b": 2}).status_code == 404


# --- distribution board ----------------------------------------------------------------


def test_pm_distributes_and_the_board_shows_the_recipients(client, pm, brief):
    approve(brief)
    assigned = f.TalentFactory(user__first_name="Ada")
    f.DeliverableFactory(project=brief.project).assignees.add(assigned)
    client.force_login(pm)

    response = client.post(url("brief-distribute", brief), follow=True)

    assert response.redirect_chain[-1][0] == url("brief-board", brief)
    assert [row.recipient for row in response.context["rows"]] == [assigned.user]


def test_board_counts_opened_acknowledged_and_questions(client, pm, brief):
    version = approve(brief)
    f.BriefDistributionFactory(version=version)
    f.BriefDistributionFactory(version=version, opened_at="2026-11-20T10:00Z")
    f.BriefDistributionFactory(version=version, opened_at="2026-11-20T10:00Z", acknowledged_at="2026-11-20T11:00Z")
    f.BriefDistributionFactory(version=version, opened_at="2026-11-20T10:00Z", questioned_at="2026-11-20T12:00Z",
                               question="Which logo?")

    context = get(client, pm, url("brief-board", brief)).context

    assert (len(context["rows"]), context["opened"], context["acknowledged"], context["questioned"]) == (4, 3, 1, 1)


def test_board_query_count_does_not_grow_with_recipients(client, pm, brief, django_assert_num_queries):
    version = approve(brief)
    client.force_login(pm)
    client.get(url("brief-board", brief))
    for size in (2, 10):
        f.BriefDistributionFactory.create_batch(size, version=version)
        # session, user, studio settings, brief with project, distributions with recipients
        with django_assert_num_queries(5):
            response = client.get(url("brief-board", brief))
        assert len(response.context["rows"]) == BriefDistribution.objects.count()


def test_board_is_a_fragment_for_htmx(client, pm, sent_brief):
    response = get(client, pm, url("brief-board", sent_brief), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="brief-board"') and "<html" not in content


# --- the recipient ---------------------------------------------------------------------


def test_first_view_marks_the_brief_opened(client, sent_brief, creative):
    distribution = BriefDistribution.objects.get(recipient=creative)
    get(client, creative, url("brief-detail", sent_brief))
    distribution.refresh_from_db()
    first = distribution.opened_at

    get(client, creative, url("brief-detail", sent_brief))

    distribution.refresh_from_db()
    assert first is not None and distribution.opened_at == first


def test_pm_viewing_does_not_mark_it_opened(client, pm, sent_brief):
    get(client, pm, url("brief-detail", sent_brief))
    assert BriefDistribution.objects.get().opened_at is None


def test_recipient_acknowledges_with_one_htmx_click(client, sent_brief, creative):
    distribution = BriefDistribution.objects.get(recipient=creative)
    client.force_login(creative)

    response = client.post(url("distribution-acknowledge", distribution), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "briefAcknowledged" in response.headers["HX-Trigger"]
    assert "Acknowledged" in response.content.decode()
    distribution.refresh_from_db()
    assert distribution.acknowledged_at is not None


def test_pm_cannot_acknowledge_for_the_recipient(client, pm, sent_brief):
    distribution = BriefDistribution.objects.get()
    client.force_login(pm)
    assert client.post(url("distribution-acknowledge", distribution)).status_code == 403


def test_another_creative_cannot_acknowledge_it(client, sent_brief):
    distribution = BriefDistribution.objects.get()
    client.force_login(f.UserFactory(role="creative"))
    assert client.post(url("distribution-acknowledge", distribution)).status_code == 404


def test_recipient_asks_and_the_pm_answers_in_the_thread(client, pm, sent_brief, creative):
    distribution = BriefDistribution.objects.get(recipient=creative)
    client.force_login(creative)
    client.post(url("distribution-comment", distribution), {"body": "Which logo?"})
    client.force_login(pm)
    page = client.get(url("distribution-detail", distribution))
    assert "Which logo?" in page.content.decode()

    client.post(url("distribution-comment", distribution), {"body": "The new one."}, headers={"HX-Request": "true"})

    assert list(Comment.objects.values_list("author", "body")) == [
        (creative.pk, "Which logo?"), (pm.pk, "The new one."),
    ]
    distribution.refresh_from_db()
    assert distribution.questioned_at is not None


def test_a_new_version_asks_again_and_shows_what_changed(client, sent_brief, creative):
    client.force_login(creative)
    client.post(url("distribution-acknowledge", BriefDistribution.objects.get(recipient=creative)))
    edit(sent_brief, objectives="Win the whole winter.")
    approve(sent_brief)
    services.brief_distribute(brief=sent_brief, sent_by=sent_brief.project.pm)

    response = client.get(url("brief-detail", sent_brief))

    content = response.content.decode()
    assert "What changed since version 1" in content
    assert "Win the <ins>whole </ins>winter." in content
    assert "Acknowledge: I have read this brief" in content
    to_read = client.get(reverse("briefs:briefs-to-read")).context["distributions"]
    assert [d.version.number for d in to_read] == [2]


def test_briefs_to_read_empties_once_acknowledged(client, sent_brief, creative):
    client.force_login(creative)
    assert sent_brief.title in client.get(reverse("briefs:briefs-to-read")).content.decode()
    client.post(url("distribution-acknowledge", BriefDistribution.objects.get(recipient=creative)))
    assert sent_brief.title not in client.get(reverse("briefs:briefs-to-read")).content.decode()


def test_pm_submits_for_approval_and_the_page_loads_the_approvals_panel(client, pm, brief):
    client.force_login(pm)
    response = client.post(url("brief-submit", brief), {"version": brief.version}, follow=True)

    brief.refresh_from_db()
    assert brief.status == "in_review"
    panel = reverse("approvals:panel", args=["brief", brief.pk])
    assert f'hx-get="{panel}"' in response.content.decode()


def test_submitting_from_a_stale_page_is_refused(client, pm, brief):
    client.force_login(pm)
    stale = brief.version
    edit(brief, tone="Changed meanwhile.")
    response = client.post(url("brief-submit", brief), {"version": stale}, follow=True)
    assert "This brief changed since you opened it" in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == "draft"
