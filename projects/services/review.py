"""Writes to deliverables: progress, submission for review, and what their review decides.

A deliverable goes internal review (the production manager) → client review (a
brand manager of its brand) through the approval engine. Every change of status
or percent complete writes a dated `DeliverableProgress` row, so any past day
can be recomputed (DESIGN §2, §3).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Approval
from approvals.services import approval_submit
from studio import clock
from studio.attachments import attachment_add, attachment_check
from studio.models import Comment, User
from studio.permissions import can, require
from studio.services import audit_record
from studio.versions import lock_version

from ..models import Deliverable, DeliverableProgress, DeliverableStatus

APPROVAL_KIND = "deliverable"

# Work that may go (back) to review: not while it is in review, nor once it is done.
SUBMITTABLE_STATUSES = frozenset(
    {DeliverableStatus.NOT_STARTED, DeliverableStatus.IN_PROGRESS, DeliverableStatus.CHANGES_REQUESTED}
)


def _require_worker(user: User, deliverable: Deliverable) -> None:
    if not can(user, "deliverable.work", deliverable):
        raise PermissionDenied(_("Only its assignees and production managers can do that."))


def _locked(deliverable: Deliverable) -> Deliverable:
    # The row as it is now, held until the transaction ends: a review decision and a
    # progress update arriving together must not overwrite each other.
    return Deliverable.objects.select_for_update().get(pk=deliverable.pk)


def _record(deliverable: Deliverable, user: User | None, fields: list[str]) -> DeliverableProgress:
    """Save the changed fields and the dated progress row that remembers them."""
    deliverable.save(update_fields=fields)
    return DeliverableProgress.objects.create(
        deliverable=deliverable,
        date=clock.today(),
        status=deliverable.status,
        percent_complete=deliverable.percent_complete,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def deliverable_progress_update(*, deliverable: Deliverable, user: User, percent_complete: int) -> Deliverable:
    """Record how far the work is; starting it moves a not-started deliverable to in progress."""
    _require_worker(user, deliverable)
    if not 0 <= percent_complete <= 100:
        raise ValidationError({"percent_complete": _("Enter a percentage from 0 to 100.")})
    deliverable = _locked(deliverable)
    if deliverable.status in DeliverableStatus.closed():
        raise ValidationError(
            _("Progress no longer changes once a deliverable is “%(status)s”.")
            % {"status": deliverable.get_status_display()}
        )
    fields = ["percent_complete"]
    before = {"status": deliverable.status, "percent_complete": deliverable.percent_complete}
    deliverable.percent_complete = percent_complete
    if deliverable.status == DeliverableStatus.NOT_STARTED and percent_complete > 0:
        deliverable.status = DeliverableStatus.IN_PROGRESS
        fields.append("status")
    _record(deliverable, user, fields)
    audit_record(actor=user, obj=deliverable, action="deliverable.progress", before=before,
                 after={"status": deliverable.status, "percent_complete": percent_complete})
    return deliverable


def _check_file(upload: UploadedFile) -> None:
    try:
        attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


@transaction.atomic
def deliverable_submit_for_review(
    *,
    deliverable: Deliverable,
    user: User,
    link: str = "",
    file: UploadedFile | None = None,
    note: str = "",
) -> Deliverable:
    """Hand the work in (a link or a file, and a note) and start its review."""
    _require_worker(user, deliverable)
    deliverable = _locked(deliverable)
    if deliverable.status not in SUBMITTABLE_STATUSES:
        raise ValidationError(
            _("“%(name)s” cannot be submitted for review while it is “%(status)s”.")
            % {"name": deliverable.name, "status": deliverable.get_status_display()}
        )
    link, note = link.strip(), note.strip()
    if not link and file is None:
        raise ValidationError(_("Add a link to the work or attach a file."))
    if file is not None:
        # Checked before anything is written, so a refused file leaves nothing behind.
        _check_file(file)

    deliverable.status = DeliverableStatus.INTERNAL_REVIEW
    _record(deliverable, user, ["status"])
    approval = approval_submit(obj=deliverable, kind=APPROVAL_KIND, submitted_by=user)
    deliverable.refresh_from_db()
    if (
        approval.status == Approval.Status.PENDING
        and approval.current_step > 0
        and deliverable.status == DeliverableStatus.INTERNAL_REVIEW
    ):
        # The internal step was skipped (nobody reviews their own work): it is with the client now.
        deliverable.status = DeliverableStatus.CLIENT_REVIEW
        _record(deliverable, user, ["status"])

    text = "\n\n".join(part for part in (link, note) if part)
    if text:
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(Deliverable),
            object_id=str(deliverable.pk),
            author=user,
            body=text,
        )
    if file is not None:
        # Last: stored files do not roll back with the rows.
        attachment_add(obj=deliverable, uploaded_file=file, uploaded_by=user)
    return deliverable


# --- what the review decides (hooks of the `deliverable` approval kind) ---------------
# The engine calls each as hook(obj, approval, user) inside the deciding transaction.


def deliverable_on_step_approved(deliverable: Deliverable, approval, user: User) -> None:
    """The internal review passed: the work goes to the client."""
    deliverable = _locked(deliverable)
    deliverable.status = DeliverableStatus.CLIENT_REVIEW
    _record(deliverable, user, ["status"])


def deliverable_on_request_changes(deliverable: Deliverable, approval, user: User) -> None:
    """Changes asked for at either review: one more revision round."""
    deliverable = _locked(deliverable)
    fields = ["status", "revision_rounds"]
    # The first verdict of a client review is the one that counts for first-pass approval.
    if deliverable.status == DeliverableStatus.CLIENT_REVIEW and deliverable.passed_first_client_review is None:
        deliverable.passed_first_client_review = False
        fields.append("passed_first_client_review")
    deliverable.status = DeliverableStatus.CHANGES_REQUESTED
    deliverable.revision_rounds += 1
    _record(deliverable, user, fields)


def deliverable_on_approve(deliverable: Deliverable, approval, user: User) -> None:
    """The client approved it: done, and whether it passed its first client review."""
    deliverable = _locked(deliverable)
    fields = ["status", "approved_at", "percent_complete"]
    if deliverable.status == DeliverableStatus.CLIENT_REVIEW and deliverable.passed_first_client_review is None:
        deliverable.passed_first_client_review = True
        fields.append("passed_first_client_review")
    deliverable.status = DeliverableStatus.APPROVED
    deliverable.approved_at = timezone.now()
    deliverable.percent_complete = 100
    _record(deliverable, user, fields)


def deliverable_on_reject(deliverable: Deliverable, approval, user: User) -> None:
    """Turned down: back to work (a rejection at the first client review is not a pass)."""
    deliverable = _locked(deliverable)
    fields = ["status"]
    if deliverable.status == DeliverableStatus.CLIENT_REVIEW and deliverable.passed_first_client_review is None:
        deliverable.passed_first_client_review = False
        fields.append("passed_first_client_review")
    deliverable.status = DeliverableStatus.IN_PROGRESS
    _record(deliverable, user, fields)


def deliverable_brand_of(deliverable: Deliverable) -> int | None:
    return deliverable.project.brand_id


@transaction.atomic
def deliverable_cancel(
    *, deliverable: Deliverable, user: User, reason: str = "", version: int | None = None
) -> Deliverable:
    """Take a deliverable out of the plan; its history, time and bookings stay."""
    require(user, "project.change", deliverable.project)
    # Cancelling a plan someone has just changed is refused (None: a caller that saw no version).
    deliverable = lock_version(Deliverable.objects.all(), deliverable.pk, version)
    if deliverable.status in DeliverableStatus.closed():
        raise ValidationError(
            _("“%(name)s” is already “%(status)s”.")
            % {"name": deliverable.name, "status": deliverable.get_status_display()}
        )
    if deliverable.status in (DeliverableStatus.INTERNAL_REVIEW, DeliverableStatus.CLIENT_REVIEW):
        raise ValidationError(
            _("“%(name)s” is in review: wait for the decision, then cancel it.") % {"name": deliverable.name}
        )
    deliverable.status = DeliverableStatus.CANCELLED
    deliverable.version += 1
    _record(deliverable, user, ["status", "version"])
    audit_record(actor=user, obj=deliverable, action="deliverable.cancel", after={"status": deliverable.status},
                 reason=reason.strip())
    return deliverable
