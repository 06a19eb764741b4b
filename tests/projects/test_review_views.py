"""The deliverable page, its submit-for-review and progress forms, and the API's submit
action: who may see, who may submit (404 / 403), errors in place, query counts."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Approval, ApprovalFlow
from projects.models import Deliverable, DeliverableProgress
from studio.models import Attachment, Comment
from tests import factories as f

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64



@pytest.fixture(autouse=True)
def _today(move_clock):
    move_clock(MONDAY)


@pytest.fixture
def deliverable_flow(db):
    flow, _ = ApprovalFlow.objects.get_or_create(kind="deliverable", defaults={"name": "Deliverable review"})
    if not flow.steps.exists():
        f.ApprovalStepFactory(flow=flow, order=1, name="Internal review", role="pm")
        f.ApprovalStepFactory(flow=flow, order=2, name="Client review", role="brand_manager")
    return flow


@pytest.fixture
def w(brand, brand_manager, pm, executive, admin_user, creative, freelancer, outsider):
    """A deliverable of `brand` assigned to the creative (not booked) and to a freelancer
    who is booked; a colleague booked on the project but not assigned; a freelancer
    assigned but never booked (so the project does not exist for them)."""
    project = f.ProjectFactory(brand=brand, code="WL-01", name="Winter launch")
    deliverable = f.DeliverableFactory(project=project, name="Hero film", status="in_progress", percent_complete=60)
    colleague = f.TalentFactory().user
    unbooked = f.FreelanceTalentFactory().user
    deliverable.assignees.add(creative.talent, freelancer.talent, unbooked.talent)
    f.BookingFactory(project=project, talent=freelancer.talent)
    f.BookingFactory(project=project, talent=colleague.talent)
    return SimpleNamespace(
        project=project, deliverable=deliverable, pm=pm, executive=executive, creative=creative,
        freelancer=freelancer, colleague=colleague, unbooked=unbooked, brand_manager=brand_manager,
        outsider=outsider, admin_user=admin_user,
    )


def page_url(deliverable):
    return f"/projects/deliverables/{deliverable.pk}/"


def submit_url(deliverable):
    return f"/projects/deliverables/{deliverable.pk}/submit/"


def progress_url(deliverable):
    return f"/projects/deliverables/{deliverable.pk}/progress/"


def fresh(deliverable):
    return Deliverable.objects.get(pk=deliverable.pk)


def on_deliverable(model, deliverable):
    return model.objects.filter(
        content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(deliverable.pk)
    )


def panel_url(deliverable):
    return reverse("approvals:panel", args=["deliverable", deliverable.pk])


# --- the page ---------------------------------------------------------------------------

PAGE_STATUS = {
    "pm": 200, "executive": 200, "admin_user": 200, "creative": 200, "freelancer": 200, "colleague": 200,
    "brand_manager": 200, "outsider": 404, "unbooked": 404,
}
CAN_SUBMIT = {"pm", "creative", "freelancer"}


@pytest.mark.parametrize("who", PAGE_STATUS)
def test_deliverable_page_is_seen_by_whoever_sees_its_project(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(page_url(w.deliverable))

    assert response.status_code == PAGE_STATUS[who]


@pytest.mark.parametrize(
    "who", ["pm", "executive", "admin_user", "creative", "freelancer", "colleague", "brand_manager"]
)
def test_only_assignees_and_pms_get_the_submit_and_progress_forms(client, w, who):
    client.force_login(getattr(w, who))

    content = client.get(page_url(w.deliverable)).content.decode()

    assert (submit_url(w.deliverable) in content) is (who in CAN_SUBMIT)
    assert (progress_url(w.deliverable) in content) is (who in CAN_SUBMIT)


def test_deliverable_page_asks_anonymous_visitors_to_log_in(client, w):
    response = client.get(page_url(w.deliverable))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


def test_deliverable_page_shows_status_rounds_assignees_and_submissions(client, w):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="changes_requested", revision_rounds=2)
    f.CommentFactory(subject=w.deliverable, author=w.creative, body="https://review.test/v2\n\nSecond cut.")
    client.force_login(w.creative)

    response = client.get(page_url(w.deliverable))

    content = response.content.decode()
    assert "Changes requested" in content
    assert response.context["deliverable"].revision_rounds == 2
    assert {t.user for t in response.context["assignees"]} == {w.creative, w.freelancer, w.unbooked}
    assert '<a href="https://review.test/v2"' in content
    assert "Second cut." in content


def test_brand_manager_sees_no_names_of_the_team(client, w):
    client.force_login(w.brand_manager)

    response = client.get(page_url(w.deliverable))

    assert list(response.context["assignees"]) == []
    assert str(w.creative.talent) not in response.content.decode()
    assert "Nobody is assigned yet." not in response.content.decode()  # no people section at all


def test_the_page_loads_the_approvals_panel_and_refreshes_it_after_decisions(client, w):
    client.force_login(w.brand_manager)

    content = client.get(page_url(w.deliverable)).content.decode()

    assert f'hx-get="{panel_url(w.deliverable)}" hx-trigger="load, approvalChanged from:body"' in content


@pytest.mark.parametrize("notes", [1, 6])
def test_deliverable_page_query_count_does_not_grow_with_submissions(
    client, w, notes, django_assert_num_queries
):
    for n in range(notes):
        f.CommentFactory(subject=w.deliverable, author=w.creative, body=f"Cut {n}")
        Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(w.deliverable.pk),
            file=f"attachments/x/{n}.png", original_name=f"{n}.png", mime_type="image/png", size=72,
            uploaded_by=w.creative,
        )
    client.force_login(w.creative)

    # session, user, deliverable with project/brand/type/phase, "is an assignee", studio settings,
    # assignees the creative may see, notes with their authors, attachments with their uploaders
    with django_assert_num_queries(8):
        response = client.get(page_url(w.deliverable))
    assert len(response.context["notes"]) == notes


def test_project_page_links_each_deliverable_and_offers_submission_to_its_assignees(client, w):
    other = f.DeliverableFactory(project=w.project, name="Banner set")
    client.force_login(w.creative)

    content = client.get(f"/projects/{w.project.pk}/").content.decode()

    assert f'href="{page_url(w.deliverable)}"' in content
    assert f'href="{page_url(other)}"' in content
    assert f'href="{page_url(w.deliverable)}#submit"' in content
    assert f'href="{page_url(other)}#submit"' not in content


# --- submitting through the page --------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("brand_manager", 403), ("executive", 403),
                                             ("admin_user", 403), ("outsider", 404), ("unbooked", 404)])
def test_submission_by_those_who_may_not_is_refused(client, w, who, status):
    client.force_login(getattr(w, who))

    response = client.post(submit_url(w.deliverable), {"link": "https://review.test/v1"})

    assert response.status_code == status
    assert fresh(w.deliverable).status == "in_progress"
    assert not DeliverableProgress.objects.exists()


def test_submit_form_needs_a_link_or_a_file(client, w):
    client.force_login(w.creative)

    response = client.post(submit_url(w.deliverable), {"note": "Here you go"})

    assert response.status_code == 200
    assert response.context["submit_form"].non_field_errors() == ["Add a link to the work or attach a file."]
    assert "Add a link to the work or attach a file." in response.content.decode()
    assert fresh(w.deliverable).status == "in_progress"


def test_submit_form_shows_a_bad_link_in_place(client, w):
    client.force_login(w.creative)

    response = client.post(submit_url(w.deliverable), {"link": "not a link at all"})

    assert list(response.context["submit_form"].errors) == ["link"]


def test_submit_form_shows_a_refused_file_in_place_and_stores_nothing(client, w):
    client.force_login(w.creative)
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" * 8, content_type="application/x-msdownload")

    response = client.post(submit_url(w.deliverable), {"file": upload})

    errors = response.context["submit_form"].errors
    assert list(errors) == ["file"]
    assert "cannot be attached" in errors["file"][0]
    assert not on_deliverable(Attachment, w.deliverable).exists()
    assert fresh(w.deliverable).status == "in_progress"


def test_submitting_in_review_is_refused_in_place(client, w):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="client_review")
    client.force_login(w.creative)

    response = client.post(submit_url(w.deliverable), {"link": "https://review.test/v1"})

    assert response.context["submit_form"].non_field_errors() == [
        "“Hero film” cannot be submitted for review while it is “Client review”."
    ]


def test_assignee_submits_a_file_and_lands_on_the_page_in_internal_review(client, w, deliverable_flow):
    client.force_login(w.freelancer)
    upload = SimpleUploadedFile("cut.png", PNG, content_type="image/png")

    response = client.post(submit_url(w.deliverable), {"file": upload, "note": "Please look at the end card."})

    assert response.status_code == 302
    assert response["Location"] == page_url(w.deliverable)
    assert fresh(w.deliverable).status == "internal_review"
    assert on_deliverable(Attachment, w.deliverable).get().original_name == "cut.png"
    assert on_deliverable(Comment, w.deliverable).get().body == "Please look at the end card."
    assert list(DeliverableProgress.objects.values_list("date", "status")) == [(MONDAY, "internal_review")]


def test_a_pm_submitting_skips_their_own_internal_review(client, w, deliverable_flow):
    client.force_login(w.pm)

    client.post(submit_url(w.deliverable), {"link": "https://review.test/v1"})

    approval = Approval.objects.get(kind="deliverable")
    assert approval.current_step == 1
    assert fresh(w.deliverable).status == "client_review"
    assert list(DeliverableProgress.objects.order_by("id").values_list("status", flat=True)) == [
        "internal_review", "client_review",
    ]


# --- progress ----------------------------------------------------------------------------------


def test_assignee_updates_progress_with_htmx_and_gets_the_fragment(client, w):
    client.force_login(w.creative)

    response = client.post(progress_url(w.deliverable), {"percent_complete": "75"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"deliverableChanged": {}}
    content = response.content.decode()
    assert 'id="deliverable-progress"' in content
    assert "<h1>" not in content
    assert "75 %" in content
    assert list(DeliverableProgress.objects.values_list("date", "percent_complete")) == [(MONDAY, 75)]


def test_progress_without_htmx_redirects_to_the_page(client, w):
    client.force_login(w.pm)

    response = client.post(progress_url(w.deliverable), {"percent_complete": "90"})

    assert response.status_code == 302
    assert fresh(w.deliverable).percent_complete == 90


@pytest.mark.parametrize("value", ["-5", "120", "lots"])
def test_bad_progress_is_shown_in_place(client, w, value):
    client.force_login(w.creative)

    response = client.post(progress_url(w.deliverable), {"percent_complete": value}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "percent_complete" in response.context["progress_form"].errors
    assert "HX-Trigger" not in response
    assert fresh(w.deliverable).percent_complete == 60


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("brand_manager", 403), ("executive", 403),
                                             ("admin_user", 403), ("outsider", 404), ("unbooked", 404)])
def test_progress_by_those_who_may_not_is_refused(client, w, who, status):
    client.force_login(getattr(w, who))

    assert client.post(progress_url(w.deliverable), {"percent_complete": "10"}).status_code == status
    assert not DeliverableProgress.objects.exists()


def test_a_review_decision_refreshes_the_progress_fragment(client, w):
    client.force_login(w.brand_manager)

    response = client.get(page_url(w.deliverable), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert 'id="deliverable-progress"' in content
    assert "<h1>" not in content


# --- the API ----------------------------------------------------------------------------------


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def api_submit_url(deliverable):
    return f"/api/deliverables/{deliverable.pk}/submit/"


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("brand_manager", 403), ("executive", 403),
                                             ("admin_user", 403), ("outsider", 404), ("unbooked", 404)])
def test_api_submit_refuses_those_who_may_not(w, who, status):
    response = api_for(getattr(w, who)).post(api_submit_url(w.deliverable), {"link": "https://review.test/v1"})

    assert response.status_code == status
    assert fresh(w.deliverable).status == "in_progress"


def test_api_submit_gives_field_errors(w):
    api = api_for(w.creative)

    bad_link = api.post(api_submit_url(w.deliverable), {"link": "nope"}, format="json")
    nothing = api.post(api_submit_url(w.deliverable), {"note": "hi"}, format="json")
    bad_file = api.post(
        api_submit_url(w.deliverable),
        {"file": SimpleUploadedFile("tool.exe", b"MZ" * 10, content_type="application/x-msdownload")},
        format="multipart",
    )

    assert bad_link.status_code == 400 and list(bad_link.json()) == ["link"]
    assert nothing.status_code == 400
    assert nothing.json() == {"non_field_errors": ["Add a link to the work or attach a file."]}
    assert bad_file.status_code == 400 and list(bad_file.json()) == ["file"]
    assert fresh(w.deliverable).status == "in_progress"


def test_api_submit_in_the_wrong_status_is_a_400(w):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="internal_review")

    response = api_for(w.creative).post(api_submit_url(w.deliverable), {"link": "https://review.test/v1"})

    assert response.status_code == 400
    assert "cannot be submitted" in response.json()["non_field_errors"][0]


def test_api_submit_starts_the_review_and_returns_the_deliverable(w, deliverable_flow):
    response = api_for(w.creative).post(
        api_submit_url(w.deliverable), {"link": "https://review.test/v1", "note": "First cut"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"]) == (w.deliverable.pk, "internal_review")
    assert "planned_hours" not in body
    assert Approval.objects.get(kind="deliverable").submitted_by == w.creative


def test_api_submit_takes_a_file_as_multipart(w, deliverable_flow):
    upload = SimpleUploadedFile("cut.png", PNG, content_type="image/png")

    response = api_for(w.pm).post(api_submit_url(w.deliverable), {"file": upload}, format="multipart")

    assert response.status_code == 200, response.content
    assert "planned_hours" in response.json()
    assert on_deliverable(Attachment, w.deliverable).get().uploaded_by == w.pm


def test_status_and_progress_move_only_through_the_review_not_a_plan_edit(w):
    api = api_for(w.pm)
    before = (w.deliverable.status, w.deliverable.percent_complete)

    response = api.patch(
        f"/api/deliverables/{w.deliverable.pk}/",
        {"status": "approved", "percent_complete": 100, "version": w.deliverable.version},
        format="json",
    )

    assert response.status_code == 200, response.json()
    w.deliverable.refresh_from_db()
    assert (w.deliverable.status, w.deliverable.percent_complete) == before


# --- the whole review, as its people click through it -----------------------------------------


def decide(client, user, approval, outcome, comment=""):
    client.force_login(user)
    data = {"outcome": outcome, "comment": comment, "step": approval.current_step, "view": "panel"}
    response = client.post(reverse("approvals:decide", args=[approval.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content
    return response


def test_submit_then_review_in_the_panel_through_to_approval(client, w, deliverable_flow):
    def waiting():
        return Approval.objects.get(kind="deliverable", status="pending")

    client.force_login(w.creative)
    client.post(submit_url(w.deliverable), {"link": "https://review.test/v1"})
    client.force_login(w.pm)
    panel = client.get(panel_url(w.deliverable))
    assert panel.status_code == 200

    decide(client, w.pm, waiting(), "request_changes", "Tighten the edit.")
    client.force_login(w.creative)
    client.post(submit_url(w.deliverable), {"link": "https://review.test/v2"})
    decide(client, w.pm, waiting(), "approve")
    assert fresh(w.deliverable).status == "client_review"
    decide(client, w.brand_manager, waiting(), "approve")

    deliverable = fresh(w.deliverable)
    assert (deliverable.status, deliverable.revision_rounds, deliverable.passed_first_client_review) == (
        "approved", 1, True,
    )
    client.force_login(w.brand_manager)
    content = client.get(page_url(w.deliverable)).content.decode()
    assert "Approved" in content
    assert f'hx-get="{panel_url(w.deliverable)}"' in content
