"""Intake services: a brand manager's request from submission through triage.

Today is fixed at Wednesday 25 November 2026 (tests.factories.TODAY)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Approval, Decision
from approvals.services import approval_decide
from briefs.models import Brief, Request, RequestItem
from briefs.services import requests as intake
from projects.models import Deliverable, DeliverableProgress, Project
from studio.models import Attachment, AuditEvent, Comment, Notification
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

TODAY = f.TODAY  # a Wednesday
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def key_visual(db):
    design = f.DisciplineFactory(name="Design")
    copy = f.DisciplineFactory(name="Copy")
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=Decimal("6"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=copy, hours_per_unit=Decimal("2"))
    return kind


@pytest.fixture
def banner_set(db):
    kind = f.DeliverableTypeFactory(name="Banner set")
    f.StandardHoursFactory(
        deliverable_type=kind, discipline=f.DisciplineFactory(name="Design"), hours_per_unit=Decimal("4")
    )
    return kind


def submit(user, brand, items, **overrides):
    values = {
        "submitted_by": user,
        "brand": brand,
        "title": "Winter launch",
        "objectives": "Sell the winter range to commuters.",
        "deadline": dt.date(2027, 1, 8),
        "budget": Decimal("15000.00"),
        "items": items,
        "files": [],
    }
    return intake.request_submit(**(values | overrides))


def stored_files():
    """Every file in private storage, wherever it went."""
    root = Path(default_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- submission -------------------------------------------------------------------------


def test_submission_saves_request_items_and_file_and_starts_its_approval(brand_manager, brand, pm, key_visual):
    brief_pdf = SimpleUploadedFile("brief.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")

    brand_request = submit(brand_manager, brand, [(key_visual, 3)], files=[brief_pdf])

    assert brand_request.status == Request.Status.SUBMITTED
    assert [(i.deliverable_type, i.quantity) for i in brand_request.items.all()] == [(key_visual, 3)]
    attachment = Attachment.objects.get(object_id=str(brand_request.pk))
    assert (attachment.original_name, attachment.mime_type, attachment.size) == ("brief.pdf", "application/pdf", 109)
    assert attachment.file.name.startswith("attachments/")
    assert default_storage.exists(attachment.file.name)
    approval = Approval.objects.pending_for(brand_request)
    assert (approval.kind, approval.round, approval.submitted_by) == ("request", 1, brand_manager)
    # The engine tells the production managers it is waiting for them.
    assert Notification.objects.filter(recipient=pm).exists()
    assert AuditEvent.objects.for_object(brand_request).filter(action="request.submitted").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": TODAY}, "deadline"),
        ({"deadline": TODAY - dt.timedelta(days=1)}, "deadline"),
        ({"budget": Decimal("-0.01")}, "budget"),
    ],
)
def test_bad_field_is_refused_and_nothing_is_saved(brand_manager, brand, key_visual, overrides, field):
    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, brand, [(key_visual, 1)], **overrides)
    assert set(refused.value.message_dict) == {field}
    assert not Request.objects.exists()


def test_another_brands_request_is_refused_and_nothing_is_saved(brand_manager, other_brand, key_visual):
    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, other_brand, [(key_visual, 1)])
    assert refused.value.message_dict == {"brand": ["Choose one of your brands."]}
    assert not Request.objects.exists() and not Approval.objects.exists()


@pytest.mark.parametrize("quantity", [0, -2])
def test_zero_or_negative_quantity_is_refused(brand_manager, brand, key_visual, quantity):
    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, brand, [(key_visual, quantity)])
    assert "items" in refused.value.message_dict
    assert not RequestItem.objects.exists()


def test_the_same_type_twice_or_no_type_at_all_is_refused(brand_manager, brand, key_visual):
    with pytest.raises(ValidationError, match="once"):
        submit(brand_manager, brand, [(key_visual, 1), (key_visual, 2)])
    with pytest.raises(ValidationError, match="at least one"):
        submit(brand_manager, brand, [])
    assert not Request.objects.exists()


def test_one_bad_file_stores_no_file_and_no_request(brand_manager, brand, key_visual, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    good = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    too_big = SimpleUploadedFile("film.pdf", b"%PDF-" + b"x" * 200, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        submit(brand_manager, brand, [(key_visual, 1)], files=[good, too_big])

    assert refused.value.message_dict["files"] == ["“film.pdf” is 205\xa0bytes; files can be at most 100\xa0bytes."]
    assert not Request.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_files_stored_before_a_failure_are_removed(brand_manager, brand, key_visual, monkeypatch):
    real_add = intake.attachment_add
    added = []

    def second_upload_fails(**kwargs):
        if added:
            raise OSError("disk full")
        added.append(real_add(**kwargs))
        return added[-1]

    monkeypatch.setattr(intake, "attachment_add", second_upload_fails)
    files = [SimpleUploadedFile(name, PNG, content_type="image/png") for name in ("logo.png", "logo2.png")]

    with pytest.raises(OSError):
        submit(brand_manager, brand, [(key_visual, 1)], files=files)

    assert len(added) == 1
    assert not Request.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_only_brand_managers_submit(pm, brand, key_visual):
    with pytest.raises(PermissionDenied):
        submit(pm, brand, [(key_visual, 1)])


# --- accepting ----------------------------------------------------------------------------


@pytest.fixture
def northwind(brand_manager, brand):
    brand.name = "Northwind Coffee"
    brand.code_prefix = "NC"
    brand.save()
    return brand


def test_accept_creates_the_planned_project_its_deliverables_and_a_draft_brief(
    brand_manager, northwind, pm, key_visual, banner_set
):
    f.ProjectFactory(brand=northwind, code="NC-007")
    f.ProjectFactory(brand=northwind, code="NC-LEGACY")
    brand_request = submit(brand_manager, northwind, [(key_visual, 3), (banner_set, 2)])

    project = intake.request_accept(request=brand_request, accepted_by=pm, version=brand_request.version)

    # Next code after NC-007; fee = budget; Wed 25 Nov → next working day Thu 26 Nov.
    assert (project.code, project.name, project.brand, project.pm) == ("NC-008", "Winter launch", northwind, pm)
    assert (project.status, project.fee) == (Project.Status.PLANNED, Decimal("15000.00"))
    assert (project.planned_start, project.due_date) == (dt.date(2026, 11, 26), dt.date(2027, 1, 8))
    deliverables = {d.name: d for d in Deliverable.objects.filter(project=project)}
    # Key visual: (6 design + 2 copy) h × 3 = 24 h; banner set: 4 h × 2 = 8 h.
    assert {name: (d.quantity, d.planned_hours) for name, d in deliverables.items()} == {
        "Key visual": (3, Decimal("24.00")),
        "Banner set": (2, Decimal("8.00")),
    }
    assert all(
        (d.planned_start, d.due_date) == (dt.date(2026, 11, 26), dt.date(2027, 1, 8)) for d in deliverables.values()
    )
    assert DeliverableProgress.objects.filter(deliverable__project=project, status="not_started").count() == 2
    brief = Brief.objects.get(project=project)
    assert (brief.status, brief.request, brief.created_by) == (Brief.Status.DRAFT, brand_request, pm)
    assert "3 × Key visual" in brief.deliverables and "2 × Banner set" in brief.deliverables
    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.project) == (Request.Status.ACCEPTED, project)
    assert brand_request.version == 2
    # The pending approval was decided by the acceptance, and the engine told the brand manager.
    approval = Approval.objects.for_object(brand_request).get()
    assert approval.status == Approval.Status.APPROVED
    assert approval.decisions.get().decided_by == pm
    assert Notification.objects.filter(recipient=brand_manager, subject__contains="Winter launch").exists()


def test_accept_takes_a_given_pm_and_code_and_skips_holidays_and_weekends(
    brand_manager, northwind, pm, key_visual, move_clock
):
    move_clock(dt.date(2026, 12, 24))  # a Thursday
    f.HolidayFactory(date=dt.date(2026, 12, 25))
    other_pm = f.UserFactory(role="pm")
    brand_request = submit(brand_manager, northwind, [(key_visual, 1)])

    project = intake.request_accept(request=brand_request, accepted_by=pm, pm=other_pm, code="WINTER-1")

    # Fri 25 Dec is a holiday, 26–27 Dec a weekend: Monday 28 Dec.
    assert (project.code, project.pm, project.planned_start) == ("WINTER-1", other_pm, dt.date(2026, 12, 28))


def test_accept_refuses_a_code_in_use_and_leaves_the_request_open(brand_manager, northwind, pm, key_visual):
    f.ProjectFactory(code="TAKEN")
    brand_request = submit(brand_manager, northwind, [(key_visual, 1)])

    with pytest.raises(ValidationError) as refused:
        intake.request_accept(request=brand_request, accepted_by=pm, code="TAKEN")

    assert "code" in refused.value.message_dict
    brand_request.refresh_from_db()
    assert brand_request.status == Request.Status.SUBMITTED
    assert Approval.objects.pending_for(brand_request) is not None


def test_an_accepted_request_continues_its_brands_sequence_never_a_new_prefix(brand_manager, pm, key_visual):
    aurora = f.BrandFactory(name="Aurora Oats", code_prefix="AUR")
    aurora.managers.add(brand_manager)
    f.ProjectFactory(brand=aurora, code="AUR-012")
    project = intake.request_accept(request=submit(brand_manager, aurora, [(key_visual, 1)]), accepted_by=pm)
    assert project.code == "AUR-013"


def test_only_production_managers_triage(brand_manager, brand, executive, admin_user, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])
    for action in (
        lambda: intake.request_accept(request=brand_request, accepted_by=executive),
        lambda: intake.request_ask_info(request=brand_request, user=executive, question="Why?"),
        lambda: intake.request_decline(request=brand_request, user=brand_manager, reason="No."),
        # The admin role (IT) takes no production decision.
        lambda: intake.request_accept(request=brand_request, accepted_by=admin_user),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert Request.objects.get().status == Request.Status.SUBMITTED


# --- asking for information, answering, declining ----------------------------------------------


def test_ask_info_and_answer_cycle_runs_a_new_approval_round(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])

    intake.request_ask_info(request=brand_request, user=pm, question="Which markets?", version=1)
    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.version) == (Request.Status.INFO_REQUESTED, 2)
    assert Approval.objects.for_object(brand_request).get().status == Approval.Status.CHANGES_REQUESTED

    intake.request_answer(request=brand_request, user=brand_manager, answer="UK and Ireland.", version=2)
    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.version) == (Request.Status.SUBMITTED, 3)
    thread = [(c.author, c.body) for c in intake.request_comments(brand_request)]
    assert thread == [(pm, "Which markets?"), (brand_manager, "UK and Ireland.")]
    rounds = [(a.round, a.status) for a in Approval.objects.for_object(brand_request)]
    assert rounds == [(2, "pending"), (1, "changes_requested")]
    assert [e.action for e in intake.request_history(brand_request) if e.action.startswith("request.")] == [
        "request.submitted", "request.info_requested", "request.answered",
    ]


def test_only_the_brands_managers_answer_and_only_when_asked(brand_manager, outsider, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])
    with pytest.raises(ValidationError, match="not waiting"):
        intake.request_answer(request=brand_request, user=brand_manager, answer="Early reply")
    intake.request_ask_info(request=brand_request, user=pm, question="Which markets?")
    with pytest.raises(PermissionDenied):
        intake.request_answer(request=brand_request, user=outsider, answer="Meddling")
    with pytest.raises(PermissionDenied):
        intake.request_answer(request=brand_request, user=pm, answer="Answering myself")


def test_decline_needs_a_reason(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])
    with pytest.raises(ValidationError) as refused:
        intake.request_decline(request=brand_request, user=pm, reason="   ")
    assert set(refused.value.message_dict) == {"reason"}
    assert Request.objects.get().status == Request.Status.SUBMITTED

    intake.request_decline(request=brand_request, user=pm, reason="The studio is full in December.")
    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.decline_reason) == ("declined", "The studio is full in December.")
    assert Approval.objects.for_object(brand_request).get().status == Approval.Status.REJECTED


def test_a_stale_version_is_refused_and_nothing_is_overwritten(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])
    intake.request_ask_info(request=brand_request, user=pm, question="Which markets?", version=1)

    with pytest.raises(intake.StaleRequestError, match="changed since you opened it"):
        intake.request_decline(request=brand_request, user=pm, reason="Too late.", version=1)

    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.decline_reason) == (Request.Status.INFO_REQUESTED, "")


def test_a_closed_request_cannot_be_triaged_again(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])
    intake.request_decline(request=brand_request, user=pm, reason="No capacity.")
    with pytest.raises(ValidationError, match="declined"):
        intake.request_accept(request=brand_request, accepted_by=pm)
    assert not Project.objects.exists()


def test_without_an_approval_the_service_notifies_the_brand_manager_itself(brand_manager, brand, pm, key_visual):
    brand_request = f.RequestFactory(brand=brand, submitted_by=brand_manager)
    f.RequestItemFactory(request=brand_request, deliverable_type=key_visual)

    intake.request_ask_info(request=brand_request, user=pm, question="Which markets?")

    subjects = list(Notification.objects.filter(recipient=brand_manager).values_list("subject", flat=True))
    assert subjects == [f"The studio has a question about “{brand_request.title}”"]


# --- decided in the approval inbox (the kind's hooks) ------------------------------------------


def decide(brand_request, user, outcome, comment=""):
    approval = Approval.objects.pending_for(brand_request)
    return approval_decide(approval=approval, user=user, outcome=outcome, comment=comment)


def test_approving_in_the_inbox_accepts_with_the_approver_as_pm(brand_manager, northwind, pm, key_visual):
    brand_request = submit(brand_manager, northwind, [(key_visual, 2)])

    decide(brand_request, pm, Decision.Outcome.APPROVE)

    brand_request.refresh_from_db()
    project = brand_request.project
    assert brand_request.status == Request.Status.ACCEPTED
    # (6 + 2) h × 2 = 16 h.
    assert (project.code, project.pm, project.fee) == ("NC-001", pm, Decimal("15000.00"))
    assert Deliverable.objects.get(project=project).planned_hours == Decimal("16.00")
    assert Brief.objects.filter(project=project, status="draft").count() == 1


def test_changes_requested_in_the_inbox_ask_the_brand_manager(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])

    decide(brand_request, pm, Decision.Outcome.REQUEST_CHANGES, "Which markets?")

    brand_request.refresh_from_db()
    assert brand_request.status == Request.Status.INFO_REQUESTED
    assert [c.body for c in Comment.objects.filter(object_id=str(brand_request.pk))] == ["Which markets?"]


def test_rejecting_in_the_inbox_declines_with_the_comment(brand_manager, brand, pm, key_visual):
    brand_request = submit(brand_manager, brand, [(key_visual, 1)])

    decide(brand_request, pm, Decision.Outcome.REJECT, "Out of scope for the studio.")

    brand_request.refresh_from_db()
    assert (brand_request.status, brand_request.decline_reason) == ("declined", "Out of scope for the studio.")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_production_managers_accepting_at_once_make_one_project(brand_manager, northwind, pm, key_visual):
    import threading

    from django.db import connection

    other_pm = f.UserFactory(role="pm")
    brand_request = submit(brand_manager, northwind, [(key_visual, 1)])
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(user):
        try:
            barrier.wait()
            intake.request_accept(request=brand_request, accepted_by=user)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (pm, other_pm)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The second waits for the first's lock, then finds the request already accepted.
    assert sorted(outcomes) == ["accepted", "closed"]
    assert Project.objects.filter(brand=northwind).count() == 1
    assert Deliverable.objects.count() == 1
