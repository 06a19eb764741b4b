"""Writes for briefs: drafting and editing (with a stale-save guard), approval and the
frozen versions it makes, distribution to the team, acknowledgement, questions and
the nightly reminders; and the reads the brief pages and API share."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import Approval
from approvals.services import approval_submit
from projects.models import Deliverable, DeliverableStatus, Project
from studio import clock
from studio.models import Comment, Role, StudioSettings, User
from studio.permissions import can_see_prices
from studio.services import audit_record, notification_create
from studio.workdays import WorkCalendar

from ..diff import SectionDiff, diff_contents
from ..models import MONEY_SECTIONS, SECTIONS, Brief, BriefDistribution, BriefTemplate, BriefVersion, Request

# What the PM edits on the brief page; status and version numbers move only through services.
EDITABLE_FIELDS = ("title", "template", *SECTIONS)
# Sections a template can pre-fill (it has no deadline or budget).
TEMPLATE_SECTIONS = (
    "background", "objectives", "audience", "key_message", "mandatories", "tone", "deliverables", "references",
)


class StaleBrief(ValidationError):
    """The brief was saved by someone else since the form was opened."""

    def __init__(self):
        super().__init__(_("This brief changed since you opened it."), code="stale")


def brief_url(brief: Brief) -> str:
    return reverse("briefs:brief-detail", args=[brief.pk])


def hidden_sections_for(user: User) -> tuple[str, ...]:
    """Sections the user may not read: the budget, for everyone who may not see money."""
    return () if can_see_prices(user) else MONEY_SECTIONS


def visible_content(content: dict, user: User) -> dict:
    hidden = hidden_sections_for(user)
    return {name: value for name, value in content.items() if name not in hidden}


# --- writing -----------------------------------------------------------------------------


def template_fill(*, values: dict, template: BriefTemplate | None) -> dict:
    """`values` with its empty sections taken from `template`; written sections stay as they are."""
    if template is None:
        return dict(values)
    filled = dict(values)
    for name in TEMPLATE_SECTIONS:
        if not (filled.get(name) or "").strip():
            filled[name] = getattr(template, name)
    return filled


def _budget_summary(request: Request) -> str:
    currency = StudioSettings.load().currency
    amount = formats.number_format(request.budget, 2, use_l10n=True, force_grouping=True)
    return _("%(currency)s %(amount)s in all, the budget the brand gave with its request.") % {
        "currency": currency, "amount": amount,
    }


@transaction.atomic
def brief_create_from_request(*, request: Request, created_by: User) -> Brief:
    """A draft brief for the project an accepted request became, pre-filled from the request."""
    if request.project_id is None:
        raise ValidationError(_("Accept the request into a project before drafting its brief."))
    items = list(request.items.select_related("deliverable_type"))
    type_ids = [item.deliverable_type_id for item in items]
    # The template of the first wanted deliverable type that has one.
    candidates = BriefTemplate.objects.filter(active=True, deliverable_type__in=type_ids)
    templates = {template.deliverable_type_id: template for template in candidates}
    template = next((templates[type_id] for type_id in type_ids if type_id in templates), None)
    values = template_fill(
        values={
            "objectives": request.objectives,
            "deliverables": "\n".join(f"{item.quantity} × {item.deliverable_type}" for item in items),
            "budget_summary": _budget_summary(request),
        },
        template=template,
    )
    brief = Brief.objects.create(
        project_id=request.project_id, request=request, template=template, title=request.title,
        deadline=request.deadline, created_by=created_by, **values,
    )
    audit_record(actor=created_by, obj=brief, action="brief.created", after=brief.content())
    return brief


@transaction.atomic
def brief_create(*, project: Project, created_by: User, title: str) -> Brief:
    """An empty draft brief for a project."""
    brief = Brief.objects.create(project=project, title=title, created_by=created_by)
    audit_record(actor=created_by, obj=brief, action="brief.created", after=brief.content())
    return brief


@transaction.atomic
def brief_update(*, brief: Brief, edited_by: User, values: dict, version: int) -> Brief:
    """Save the edited sections if nobody saved since `version` was read; editing an
    approved brief starts the draft of its next version."""
    changes = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    current = Brief.objects.select_for_update().get(pk=brief.pk)
    if current.status == Brief.Status.IN_REVIEW:
        raise ValidationError(_("This brief is waiting for approval; it cannot be edited until it is decided."))
    # Compare-and-set: the row changes only if it is still the version the editor read
    # (the lock already serialises editors on PostgreSQL; the filter does it on SQLite).
    updated = Brief.objects.filter(pk=brief.pk, version=version).update(
        **changes, status=Brief.Status.DRAFT, version=F("version") + 1, updated_at=timezone.now()
    )
    brief.refresh_from_db()
    if not updated:
        raise StaleBrief()
    before = current.content()
    audit_record(actor=edited_by, obj=brief, action="brief.edited", before=before, after=brief.content())
    return brief


# --- approval ----------------------------------------------------------------------------


@transaction.atomic
def brief_submit(*, brief: Brief, user: User, version: int | None = None) -> Approval:
    """Send a draft brief into its approval flow (PM → brand manager)."""
    drafts = Brief.objects.filter(pk=brief.pk, status=Brief.Status.DRAFT)
    if version is not None:
        drafts = drafts.filter(version=version)
    updated = drafts.update(status=Brief.Status.IN_REVIEW, version=F("version") + 1, updated_at=timezone.now())
    brief.refresh_from_db()
    if not updated:
        if version is not None and brief.version != version:
            raise StaleBrief()
        raise ValidationError(_("Only a draft can be submitted for approval."))
    return approval_submit(obj=brief, kind="brief", submitted_by=user)


@transaction.atomic
def brief_freeze(*, brief: Brief, approved_by: User | None) -> BriefVersion:
    """Freeze the approved brief as its next immutable version."""
    locked = Brief.objects.select_for_update().get(pk=brief.pk)
    number = locked.current_version_number + 1
    version = BriefVersion.objects.create(
        brief=locked, number=number, title=locked.title, content=locked.content(),
        approved_by=approved_by, approved_at=timezone.now(),
    )
    Brief.objects.filter(pk=locked.pk).update(
        status=Brief.Status.APPROVED, current_version_number=number, version=F("version") + 1,
        updated_at=timezone.now(),
    )
    brief.refresh_from_db()
    audit_record(actor=approved_by, obj=brief, action="brief.approved", after={"version": number})
    return version


@transaction.atomic
def brief_return_to_draft(*, brief: Brief, user: User | None, action: str) -> Brief:
    """A brief sent back from review is a draft again, to be edited and resubmitted."""
    Brief.objects.filter(pk=brief.pk, status=Brief.Status.IN_REVIEW).update(
        status=Brief.Status.DRAFT, version=F("version") + 1, updated_at=timezone.now()
    )
    brief.refresh_from_db()
    audit_record(actor=user, obj=brief, action=action)
    return brief


# Handlers of the `brief` approval kind (registered in BriefsConfig.ready()).

def brief_on_approve(brief: Brief, approval, user: User) -> None:
    brief_freeze(brief=brief, approved_by=user)


def brief_on_request_changes(brief: Brief, approval, user: User) -> None:
    brief_return_to_draft(brief=brief, user=user, action="brief.changes_requested")


def brief_on_reject(brief: Brief, approval, user: User) -> None:
    brief_return_to_draft(brief=brief, user=user, action="brief.rejected")


def brief_on_withdraw(brief: Brief, approval, user: User) -> None:
    brief_return_to_draft(brief=brief, user=user, action="brief.withdrawn")


def brief_brand_of(brief: Brief) -> int | None:
    return Project.objects.filter(pk=brief.project_id).values_list("brand_id", flat=True).first()


# --- distribution ------------------------------------------------------------------------


def brief_default_recipients(brief: Brief) -> QuerySet:
    """Who a version goes to without being added: the project's assigned and booked
    talent, and everyone an earlier version went to (a new version asks them again)."""
    project = brief.project_id
    assigned = (
        Deliverable.objects.filter(project=project)
        .exclude(status=DeliverableStatus.CANCELLED)
        .values("assignees__user")
    )
    booked = Project.objects.filter(pk=project).values("bookings__talent__user")
    earlier = BriefDistribution.objects.filter(version__brief=brief).values("recipient")
    return User.objects.filter(Q(pk__in=assigned) | Q(pk__in=booked) | Q(pk__in=earlier))


def brief_eligible_recipients(brief: Brief) -> QuerySet:
    """Active people who may read this project's brief: no brand managers (they read
    approved versions on their own pages), and freelancers only when booked on it."""
    booked = Project.objects.filter(pk=brief.project_id).values("bookings__talent__user")
    return (
        User.objects.active()
        .exclude(role=Role.BRAND_MANAGER)
        .filter(~Q(role=Role.FREELANCER) | Q(pk__in=booked))
    )


@transaction.atomic
def brief_distribute(*, brief: Brief, sent_by: User, recipients=()) -> list[BriefDistribution]:
    """Send the latest approved version to the team and anyone added; each new recipient is
    notified once. Sending again adds only the people who do not have this version yet."""
    # The row lock serialises two PMs sending at once; the unique constraint backs it up.
    locked = Brief.objects.select_for_update().select_related("project").get(pk=brief.pk)
    if not locked.current_version_number:
        raise ValidationError(_("Only an approved brief can be sent."))
    version = locked.versions.get(number=locked.current_version_number)
    wanted = Q(pk__in=brief_default_recipients(locked).values("pk")) | Q(pk__in=[user.pk for user in recipients])
    already = version.distributions.values("recipient")
    people = list(brief_eligible_recipients(locked).filter(wanted).exclude(pk__in=already).order_by("pk"))
    # Who has read an earlier version: their notification says a new one replaces it.
    earlier = set(
        BriefDistribution.objects.filter(version__brief=locked, recipient__in=people)
        .values_list("recipient", flat=True)
    )
    now = timezone.now()
    url = brief_url(locked)
    sent = []
    for person in people:
        distribution = BriefDistribution.objects.create(version=version, recipient=person, sent_by=sent_by, sent_at=now)
        subject = (
            _("Brief “%(title)s” has a new version (%(number)s): see what changed")
            if person.pk in earlier
            else _("Brief “%(title)s” is waiting for you to read it")
        ) % {"title": version.title, "number": version.number}
        notification_create(
            recipient=person, subject=subject, url=url, target=distribution,
            body=_("Read it and acknowledge it, or ask %(pm)s a question.") % {"pm": locked.project.pm},
        )
        sent.append(distribution)
    if sent:
        audit_record(
            actor=sent_by, obj=locked, action="brief.distributed",
            after={"version": version.number, "recipients": [d.recipient_id for d in sent]},
        )
    return sent


def distributions_current(queryset: QuerySet) -> QuerySet:
    """Distributions not replaced by a later version of the same brief sent to the same person."""
    newer = BriefDistribution.objects.filter(
        recipient=OuterRef("recipient"),
        version__brief=OuterRef("version__brief"),
        version__number__gt=OuterRef("version__number"),
    )
    return queryset.filter(~Exists(newer))


def distributions_to_read(user: User) -> QuerySet:
    """The user's distributions still to acknowledge, latest versions only, oldest first."""
    return (
        distributions_current(BriefDistribution.objects.filter(recipient=user, acknowledged_at__isnull=True))
        .select_related("version__brief__project")
        .order_by("sent_at", "pk")
    )


def brief_board(brief: Brief) -> list[BriefDistribution]:
    """Recipients of the brief's current version, with when each opened, acknowledged or asked."""
    return list(
        BriefDistribution.objects.filter(version__brief=brief, version__number=brief.current_version_number)
        .select_related("recipient")
        .order_by("recipient__first_name", "recipient__last_name", "recipient__username")
    )


def distribution_open(*, distribution: BriefDistribution) -> BriefDistribution:
    """Record the first time the recipient opened the version; later views change nothing."""
    if distribution.opened_at is None:
        now = timezone.now()
        if BriefDistribution.objects.filter(pk=distribution.pk, opened_at__isnull=True).update(opened_at=now):
            distribution.opened_at = now
    return distribution


@transaction.atomic
def distribution_acknowledge(*, distribution: BriefDistribution, user: User) -> BriefDistribution:
    """The recipient confirms they read the version; a second click changes nothing."""
    if distribution.recipient_id != user.pk:
        raise PermissionDenied
    now = timezone.now()
    BriefDistribution.objects.filter(pk=distribution.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, opened_at=Coalesce(F("opened_at"), now)
    )
    distribution.refresh_from_db()
    return distribution


def distribution_comments(distribution: BriefDistribution) -> QuerySet:
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(BriefDistribution), object_id=str(distribution.pk)
    ).select_related("author")


@transaction.atomic
def distribution_comment(*, distribution: BriefDistribution, author: User, body: str) -> Comment:
    """A message in the thread on one recipient's copy: the recipient asks, the PM answers."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    asking = author.pk == distribution.recipient_id
    if not (asking or author.sees_everything):
        raise PermissionDenied
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(BriefDistribution), object_id=str(distribution.pk),
        author=author, body=body,
    )
    brief = distribution.version.brief
    if asking:
        now = timezone.now()
        BriefDistribution.objects.filter(pk=distribution.pk).update(
            question=body, questioned_at=now, opened_at=Coalesce(F("opened_at"), now)
        )
        distribution.refresh_from_db()
        notification_create(
            recipient=brief.project.pm, target=distribution, body=body,
            url=reverse("briefs:distribution-detail", args=[distribution.pk]),
            subject=_("%(person)s asked a question about the brief “%(title)s”")
            % {"person": author, "title": distribution.version.title},
        )
    else:
        notification_create(
            recipient=distribution.recipient, target=distribution, body=body, url=brief_url(brief),
            subject=_("%(person)s answered your question about the brief “%(title)s”")
            % {"person": author, "title": distribution.version.title},
        )
    return comment


# --- reading -----------------------------------------------------------------------------


@dataclass
class BriefReading:
    """What one user reads on a brief's page."""

    title: str
    content: dict
    version: BriefVersion | None = None
    is_draft: bool = False
    distribution: BriefDistribution | None = None
    # For a recipient of a new version: what changed since the version they acknowledged.
    changes_since: BriefVersion | None = None
    changes: list[SectionDiff] = field(default_factory=list)


def brief_reading(*, brief: Brief, user: User) -> BriefReading:
    """The text of the brief this user may read: the studio reads the live draft; a brand
    manager the draft under review, otherwise the latest approved version; a recipient the
    latest version sent to them (opening it is recorded)."""
    hidden = hidden_sections_for(user)
    if user.sees_everything or (user.is_brand_manager and brief.status == Brief.Status.IN_REVIEW):
        return BriefReading(title=brief.title, content=visible_content(brief.content(), user), is_draft=True)
    if user.is_brand_manager:
        version = brief.versions.get(number=brief.current_version_number)
        return BriefReading(title=version.title, content=visible_content(version.content, user), version=version)
    distribution = (
        BriefDistribution.objects.filter(recipient=user, version__brief=brief)
        .select_related("version").order_by("-version__number").first()
    )
    if distribution is None:
        raise PermissionDenied
    distribution_open(distribution=distribution)
    version = distribution.version
    reading = BriefReading(
        title=version.title, content=visible_content(version.content, user), version=version, distribution=distribution
    )
    acknowledged = (
        BriefVersion.objects.filter(
            brief=brief, number__lt=version.number,
            distributions__recipient=user, distributions__acknowledged_at__isnull=False,
        ).order_by("-number").first()
    )
    if acknowledged is not None:
        reading.changes_since = acknowledged
        reading.changes = [s for s in diff_contents(acknowledged.content, version.content, hidden=hidden) if s.changed]
    return reading


# --- reminders ---------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, except the studio's holidays."""
    return WorkCalendar.between(day, day).is_working_day(day)


@transaction.atomic
def brief_reminders_send(*, today: dt.date) -> int:
    """Remind each recipient who has not acknowledged within a working day, and tell each
    project's PM who still has not (one note per brief). Runs on the evening of working
    days; a second run on the same day sends nothing. Returns how many were reminded."""
    if not is_working_day(today):
        return 0
    start_of_today = dt.datetime.combine(today, dt.time.min, tzinfo=clock.studio_zone())
    # Run on the evening of a working day, `today` is the working day that has just ended:
    # whatever was sent before it has had a whole working day.
    due = list(
        distributions_current(BriefDistribution.objects.filter(acknowledged_at__isnull=True))
        .filter(sent_at__lt=start_of_today)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_today))
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "version__brief__project__pm")
        .order_by("version__brief", "recipient__first_name", "recipient__last_name", "pk")
    )
    if not due:
        return 0
    BriefDistribution.objects.filter(pk__in=[d.pk for d in due]).update(reminded_at=timezone.now())
    waiting = defaultdict(list)
    for distribution in due:
        brief = distribution.version.brief
        waiting[brief].append(distribution.recipient)
        notification_create(
            recipient=distribution.recipient, target=distribution, url=brief_url(brief),
            subject=_("Reminder: please read and acknowledge the brief “%(title)s”")
            % {"title": distribution.version.title},
        )
    for brief, people in waiting.items():
        notification_create(
            recipient=brief.project.pm, target=brief,
            url=reverse("briefs:brief-board", args=[brief.pk]),
            subject=ngettext(
                "%(count)d person has not acknowledged the brief “%(title)s”",
                "%(count)d people have not acknowledged the brief “%(title)s”",
                len(people),
            ) % {"count": len(people), "title": brief.title},
            body=", ".join(str(person) for person in people),
        )
    return len(due)
