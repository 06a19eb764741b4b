"""Deliverable review: submission, the internal → client review state machine, its
revision rounds and first-pass flag, and the dated progress history it writes."""

import datetime as dt
import pathlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import registry
from approvals.models import Approval, ApprovalFlow
from projects.models import Deliverable, DeliverableProgress
from projects.services import review as services
from studio.models import Attachment, Comment
from studio.permissions import can
from tests import factories as f

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64



class StudioDay:
    """The studio's today; setting `value` moves the clock there."""

    def __init__(self, move_clock):
        self._move_clock = move_clock
        self.value = MONDAY

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, day):
        self._value = day
        self._move_clock(day)


@pytest.fixture
def day(move_clock):
    """The studio's today, moved on by the test: progress rows must carry it."""
    return StudioDay(move_clock)


@pytest.fixture
def deliverable_flow(db):
    """The default flow: internal review by a PM, then client review by a brand manager."""
    flow, _ = ApprovalFlow.objects.get_or_create(kind="deliverable", defaults={"name": "Deliverable review"})
    if not flow.steps.exists():
        f.ApprovalStepFactory(flow=flow, order=1, name="Internal review", role="pm")
        f.ApprovalStepFactory(flow=flow, order=2, name="Client review", role="brand_manager")
    return flow


@pytest.fixture
def w(brand, brand_manager, pm, creative, freelancer, outsider, executive, admin_user):
    project = f.ProjectFactory(brand=brand)
    deliverable = f.DeliverableFactory(project=project, name="Hero film", status="in_progress", percent_complete=60)
    deliverable.assignees.add(creative.talent, freelancer.talent)
    f.BookingFactory(project=project, talent=freelancer.talent)
    bystander = f.TalentFactory().user
    f.BookingFactory(project=project, talent=bystander.talent)
    return SimpleNamespace(
        deliverable=deliverable, project=project, pm=pm, creative=creative, freelancer=freelancer,
        bystander=bystander, brand_manager=brand_manager, outsider=outsider, executive=executive,
        admin_user=admin_user, anonymous=AnonymousUser(),
    )


def fresh(deliverable):
    return Deliverable.objects.get(pk=deliverable.pk)


def history(deliverable):
    return list(
        DeliverableProgress.objects.filter(deliverable=deliverable)
        .order_by("recorded_at", "id")
        .values_list("date", "status", "percent_complete")
    )


def on_deliverable(model, deliverable):
    return model.objects.filter(
        content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(deliverable.pk)
    )


# --- the kind is registered -----------------------------------------------------------


def test_deliverable_kind_is_registered_with_its_handlers(w):
    kind = registry.get("deliverable")

    assert kind.model is Deliverable
    assert kind.on_step_approved is services.deliverable_on_step_approved
    assert kind.on_approve is services.deliverable_on_approve
    assert kind.brand_of(w.deliverable) == w.project.brand_id
    assert kind.url_of(w.deliverable) == f"/projects/deliverables/{w.deliverable.pk}/"
    assert kind.amount_of(w.deliverable) is None


def test_internal_projects_have_no_brand_for_client_review(pm):
    deliverable = f.DeliverableFactory(project=f.ProjectFactory(brand=None, is_internal=True, fee=0))

    assert registry.get("deliverable").brand_of(deliverable) is None


# --- the handlers, decision by decision -------------------------------------------------


class Review:
    """Plays the review decisions on a deliverable through the kind's handlers."""

    def __init__(self, deliverable, pm, brand_manager, day):
        self.deliverable, self.pm, self.brand_manager, self.day = deliverable, pm, brand_manager, day
        self.approval = f.ApprovalFactory(subject=deliverable, kind="deliverable", submitted_by=pm)

    def _call(self, hook, user, on):
        self.day.value = on
        hook(fresh(self.deliverable), self.approval, user)
        return fresh(self.deliverable)

    def back_to_review(self, on):
        # What a resubmission does before the engine takes over.
        self.day.value = on
        deliverable = fresh(self.deliverable)
        deliverable.status = "internal_review"
        deliverable.save()
        return deliverable

    def internal_ok(self, on):
        return self._call(services.deliverable_on_step_approved, self.pm, on)

    def internal_changes(self, on):
        return self._call(services.deliverable_on_request_changes, self.pm, on)

    def client_ok(self, on):
        return self._call(services.deliverable_on_approve, self.brand_manager, on)

    def client_changes(self, on):
        return self._call(services.deliverable_on_request_changes, self.brand_manager, on)

    def client_reject(self, on):
        return self._call(services.deliverable_on_reject, self.brand_manager, on)


@pytest.fixture
def review(w, day):
    w.deliverable.status = "internal_review"
    w.deliverable.save()
    return Review(w.deliverable, w.pm, w.brand_manager, day)


def test_passing_internal_review_sends_it_to_the_client(review):
    deliverable = review.internal_ok(on=MONDAY)

    assert deliverable.status == "client_review"
    assert deliverable.revision_rounds == 0
    assert deliverable.passed_first_client_review is None
    assert history(deliverable) == [(MONDAY, "client_review", 60)]


def test_changes_at_internal_review_then_pass_at_first_client_review_is_a_first_pass(review):
    tue, wed, thu = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))

    deliverable = review.internal_changes(on=MONDAY)
    assert (deliverable.status, deliverable.revision_rounds) == ("changes_requested", 1)
    # Internal changes say nothing about the client's first verdict.
    assert deliverable.passed_first_client_review is None

    review.back_to_review(on=tue)
    review.internal_ok(on=wed)
    deliverable = review.client_ok(on=thu)

    assert deliverable.status == "approved"
    assert deliverable.revision_rounds == 1  # one request for changes, at internal review
    assert deliverable.passed_first_client_review is True
    assert deliverable.percent_complete == 100
    assert deliverable.approved_at is not None
    assert history(deliverable) == [
        (MONDAY, "changes_requested", 60),
        (wed, "client_review", 60),
        (thu, "approved", 100),
    ]


def test_changes_at_first_client_review_fail_first_pass_even_when_approved_later(review):
    days = [MONDAY + dt.timedelta(days=n) for n in range(6)]

    review.internal_ok(on=days[0])
    deliverable = review.client_changes(on=days[1])
    assert (deliverable.status, deliverable.revision_rounds) == ("changes_requested", 1)
    assert deliverable.passed_first_client_review is False

    review.back_to_review(on=days[2])
    review.internal_changes(on=days[2])  # and the PM asks for more: round 2
    review.back_to_review(on=days[3])
    review.internal_ok(on=days[4])
    deliverable = review.client_ok(on=days[5])

    assert deliverable.status == "approved"
    assert deliverable.revision_rounds == 2  # once by the client, once by the PM
    assert deliverable.passed_first_client_review is False
    assert history(deliverable) == [
        (days[0], "client_review", 60),
        (days[1], "changes_requested", 60),
        (days[2], "changes_requested", 60),
        (days[4], "client_review", 60),
        (days[5], "approved", 100),
    ]


def test_rejection_sends_it_back_to_work_and_is_not_a_first_pass(review):
    review.internal_ok(on=MONDAY)
    deliverable = review.client_reject(on=MONDAY + dt.timedelta(days=1))

    assert deliverable.status == "in_progress"
    assert deliverable.revision_rounds == 0  # a rejection is not a request for changes
    assert deliverable.passed_first_client_review is False
    assert history(deliverable)[-1] == (MONDAY + dt.timedelta(days=1), "in_progress", 60)


def test_progress_rows_remember_who_decided(review, w):
    review.internal_ok(on=MONDAY)
    review.client_ok(on=MONDAY)

    rows = DeliverableProgress.objects.filter(deliverable=w.deliverable).order_by("id")
    recorders = list(rows.values_list("recorded_by", flat=True))
    assert recorders == [w.pm.pk, w.brand_manager.pk]


# --- submitting: who, when, what ----------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["pm", "bystander", "brand_manager", "executive", "admin_user", "outsider", "anonymous"]
)
def test_only_assignees_and_production_managers_may_submit(w, who):
    allowed = who == "pm"
    user = getattr(w, who)

    assert can(user, "deliverable.work", w.deliverable) is allowed
    assert can(w.creative, "deliverable.work", w.deliverable)
    assert can(w.freelancer, "deliverable.work", w.deliverable)


@pytest.mark.parametrize("who", ["bystander", "brand_manager", "executive", "admin_user", "outsider"])
def test_submission_by_someone_else_is_refused_and_changes_nothing(w, who):
    with pytest.raises(PermissionDenied):
        services.deliverable_submit_for_review(deliverable=w.deliverable, user=getattr(w, who), link="https://x.test")

    assert fresh(w.deliverable).status == "in_progress"
    assert not DeliverableProgress.objects.exists()


@pytest.mark.parametrize("status", ["internal_review", "client_review", "approved", "delivered", "cancelled"])
def test_submission_in_the_wrong_status_is_refused_with_a_clear_message(w, status):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status=status, approved_at=w.project.created_at)

    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(
            deliverable=w.deliverable, user=w.creative, link="https://review.test/cut-3"
        )

    label = Deliverable.Status(status).label
    assert error.value.messages == [f"“Hero film” cannot be submitted for review while it is “{label}”."]
    assert fresh(w.deliverable).status == status
    assert not DeliverableProgress.objects.exists()
    assert not Approval.objects.exists()


def test_submission_needs_a_link_or_a_file(w):
    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(deliverable=w.deliverable, user=w.creative, note="Here it is")

    assert error.value.messages == ["Add a link to the work or attach a file."]
    assert not on_deliverable(Comment, w.deliverable).exists()


def stored_files(settings):
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    return [p for p in pathlib.Path(root).rglob("*") if p.is_file()]


def test_a_file_too_large_is_refused_and_nothing_is_stored(w, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    upload = SimpleUploadedFile("cut.png", PNG, content_type="image/png")  # 72 bytes

    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(deliverable=w.deliverable, user=w.creative, file=upload, note="v3")

    assert list(error.value.message_dict) == ["file"]
    assert "at most" in error.value.message_dict["file"][0]
    assert not on_deliverable(Attachment, w.deliverable).exists()
    assert not on_deliverable(Comment, w.deliverable).exists()
    assert stored_files(settings) == []
    assert fresh(w.deliverable).status == "in_progress"
    assert not DeliverableProgress.objects.exists()


def test_a_refused_file_type_is_refused_and_nothing_is_stored(w, settings):
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 8, content_type="application/x-msdownload")

    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(deliverable=w.deliverable, user=w.creative, file=upload)

    assert "application/x-msdownload" in error.value.message_dict["file"][0]
    assert stored_files(settings) == []
    assert fresh(w.deliverable).status == "in_progress"


def test_a_file_that_is_not_what_it_claims_is_refused(w, settings):
    upload = SimpleUploadedFile("cut.png", b"just some text, not an image", content_type="image/png")

    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(deliverable=w.deliverable, user=w.creative, file=upload)

    assert "file" in error.value.message_dict
    assert stored_files(settings) == []


# --- progress updates -------------------------------------------------------------------


def test_progress_update_writes_a_dated_row_and_starts_the_work(w, day):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="not_started", percent_complete=0)

    deliverable = services.deliverable_progress_update(deliverable=w.deliverable, user=w.creative, percent_complete=35)

    assert (deliverable.status, deliverable.percent_complete) == ("in_progress", 35)
    assert history(deliverable) == [(MONDAY, "in_progress", 35)]
    assert DeliverableProgress.objects.get().recorded_by == w.creative


def test_progress_update_keeps_a_review_status(w, day):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="changes_requested")

    deliverable = services.deliverable_progress_update(deliverable=w.deliverable, user=w.pm, percent_complete=80)

    assert history(deliverable) == [(MONDAY, "changes_requested", 80)]


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_outside_0_to_100_is_refused(w, percent):
    with pytest.raises(ValidationError) as error:
        services.deliverable_progress_update(deliverable=w.deliverable, user=w.creative, percent_complete=percent)

    assert list(error.value.message_dict) == ["percent_complete"]
    assert not DeliverableProgress.objects.exists()


def test_progress_of_an_approved_deliverable_cannot_change(w):
    Deliverable.objects.filter(pk=w.deliverable.pk).update(status="approved", approved_at=w.project.created_at)

    with pytest.raises(ValidationError):
        services.deliverable_progress_update(deliverable=w.deliverable, user=w.pm, percent_complete=50)

    assert fresh(w.deliverable).percent_complete == 60


def test_progress_by_someone_else_is_refused(w):
    with pytest.raises(PermissionDenied):
        services.deliverable_progress_update(deliverable=w.deliverable, user=w.bystander, percent_complete=90)


# --- through the approval engine ------------------------------------------------------------


@pytest.fixture
def engine():
    from approvals import services as approval_services

    return approval_services


def pending(deliverable):
    return Approval.objects.get(
        content_type=ContentType.objects.get_for_model(Deliverable), object_id=str(deliverable.pk), status="pending"
    )


def test_submission_starts_internal_review_with_the_note_and_file(w, day, deliverable_flow, settings):
    upload = SimpleUploadedFile("cut-3.png", PNG, content_type="image/png")

    deliverable = services.deliverable_submit_for_review(
        deliverable=w.deliverable, user=w.creative, link="https://review.test/cut-3", file=upload, note="Third cut."
    )

    assert deliverable.status == "internal_review"
    approval = pending(deliverable)
    assert (approval.kind, approval.round, approval.submitted_by) == ("deliverable", 1, w.creative)
    assert history(deliverable) == [(MONDAY, "internal_review", 60)]
    note = on_deliverable(Comment, deliverable).get()
    assert (note.author, note.body) == (w.creative, "https://review.test/cut-3\n\nThird cut.")
    attachment = on_deliverable(Attachment, deliverable).get()
    assert (attachment.original_name, attachment.mime_type, attachment.uploaded_by) == (
        "cut-3.png", "image/png", w.creative,
    )
    assert len(stored_files(settings)) == 1


def test_full_review_changes_at_internal_then_first_client_pass(w, day, deliverable_flow, engine):
    tue, wed, thu = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))
    submit = services.deliverable_submit_for_review

    submit(deliverable=w.deliverable, user=w.creative, link="https://review.test/v1")
    day.value = tue
    engine.approval_decide(
        approval=pending(w.deliverable), user=w.pm, outcome="request_changes", comment="Logo too small."
    )
    assert fresh(w.deliverable).status == "changes_requested"
    day.value = wed
    submit(deliverable=w.deliverable, user=w.creative, link="https://review.test/v2")
    engine.approval_decide(approval=pending(w.deliverable), user=w.pm, outcome="approve")
    assert fresh(w.deliverable).status == "client_review"
    day.value = thu
    engine.approval_decide(approval=pending(w.deliverable), user=w.brand_manager, outcome="approve")

    deliverable = fresh(w.deliverable)
    assert deliverable.status == "approved"
    assert deliverable.revision_rounds == 1
    assert deliverable.passed_first_client_review is True
    assert history(deliverable) == [
        (MONDAY, "internal_review", 60),
        (tue, "changes_requested", 60),
        (wed, "internal_review", 60),
        (wed, "client_review", 60),
        (thu, "approved", 100),
    ]


def test_full_review_changes_at_first_client_review_is_never_a_first_pass(w, day, deliverable_flow, engine):
    submit = services.deliverable_submit_for_review

    submit(deliverable=w.deliverable, user=w.creative, link="https://review.test/v1")
    engine.approval_decide(approval=pending(w.deliverable), user=w.pm, outcome="approve")
    engine.approval_decide(
        approval=pending(w.deliverable), user=w.brand_manager, outcome="request_changes", comment="Warmer grade."
    )
    deliverable = fresh(w.deliverable)
    assert (deliverable.status, deliverable.revision_rounds, deliverable.passed_first_client_review) == (
        "changes_requested", 1, False,
    )

    submit(deliverable=w.deliverable, user=w.freelancer, link="https://review.test/v2")
    engine.approval_decide(approval=pending(w.deliverable), user=w.pm, outcome="approve")
    engine.approval_decide(approval=pending(w.deliverable), user=w.brand_manager, outcome="approve")

    deliverable = fresh(w.deliverable)
    assert (deliverable.status, deliverable.revision_rounds, deliverable.passed_first_client_review) == (
        "approved", 1, False,
    )
    rounds = Approval.objects.filter(object_id=str(deliverable.pk), kind="deliverable").order_by("round")
    assert [(a.round, a.status) for a in rounds] == [(1, "changes_requested"), (2, "approved")]


def test_a_second_submission_while_in_review_is_refused(w, deliverable_flow):
    services.deliverable_submit_for_review(deliverable=w.deliverable, user=w.creative, link="https://review.test/v1")

    with pytest.raises(ValidationError) as error:
        services.deliverable_submit_for_review(
            deliverable=w.deliverable, user=w.freelancer, link="https://review.test/v1b"
        )

    assert "“Internal review”" in error.value.messages[0]
    assert Approval.objects.filter(kind="deliverable").count() == 1
