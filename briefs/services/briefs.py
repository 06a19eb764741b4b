"""Writes for briefs: drafting and editing (with a stale-save guard), approval and the
frozen versions it makes, distribution to the team, acknowledgement, questions and
the nightly reminders; and the reads the brief pages and API share."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from approvals.models import Approval
from approvals.services import approval_submit
from projects.models import Deliverable, DeliverableStatus, Project
from studio import clock
from studio.models import Comment, StudioSettings, User
from studio.money import format_money
from studio.permissions import RULES, Scope, can, require, scope_of
from studio.services import audit_record, notification_create
from studio.versions import StaleVersion
from studio.workdays import WorkCalendar, check_plan_dates

from ..diff import SectionDiff, diff_contents
from ..models import MONEY_SECTIONS, SECTIONS, Brief, BriefDistribution, BriefTemplate, BriefVersion, Request

# What the PM edits on the brief page; status and version numbers move only through services.
EDITABLE_FIELDS = ("title", "template", *SECTIONS)
# Sections a template can pre-fill (it has no deadline or budget).
TEMPLATE_SECTIONS = (
    "background", "objectives", "audience", "key_message", "mandatories", "tone", "deliverables", "references",
)


class StaleBrief(StaleVersion):
    """The brief was saved by someone else since the form was opened."""

    default_message = gettext_lazy("This brief changed since you opened it.")


def hidden_sections_for(user: User, project: Project) -> tuple[str, ...]:
    """Sections of this project's briefs the user may not read: the budget, unless they
    may see the project's prices."""
    return () if can(user, "project.see_prices", project) else MONEY_SECTIONS


def _priced_projects(user: User, project_ids) -> set[int]:
    """Of these projects, those whose prices the user may see (one query for a list)."""
    if not project_ids:
        return set()
    if scope_of(user, "project.see_prices") is Scope.ALL:
        return set(project_ids)
    return set(
        Project.objects.visible_to(user, "project.see_prices").filter(pk__in=project_ids).values_list("pk", flat=True)
    )


def _without(content: dict, hidden: tuple[str, ...]) -> dict:
    return {name: value for name, value in content.items() if name not in hidden}


def versions_content(versions, user: User) -> dict[int, dict]:
    """{version id: the sections of it the user may read}, for a list of versions."""
    priced = _priced_projects(user, {version.brief.project_id for version in versions})
    return {
        version.pk: _without(version.content, () if version.brief.project_id in priced else MONEY_SECTIONS)
        for version in versions
    }


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
    amount = format_money(request.budget, StudioSettings.load().currency)
    return _("%(amount)s in all, the budget the brand gave with its request.") % {"amount": amount}


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
def brief_update(*, brief: Brief, edited_by: User, values: dict, version: int) -> Brief:
    """Save the edited sections if nobody saved since `version` was read; editing an
    approved brief starts the draft of its next version."""
    changes = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    # A deadline in year 1 or 9999 is a slip, and reminders and pages would walk to it.
    check_plan_dates(clock.today(), deadline=changes.get("deadline"))
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
        raise StaleBrief(brief)
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
            raise StaleBrief(brief)
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
    """Active people who may be sent this brief (`brief.receive`): each role of the table
    within its scope, e.g. freelancers only when booked on the brief's project."""
    booked = Project.objects.filter(pk=brief.project_id).values("bookings__talent__user")
    within = {Scope.ALL: Q(), Scope.BOOKED: Q(pk__in=booked)}
    allowed = Q(pk__in=[])
    for role, scope in RULES["brief.receive"].scopes.items():
        allowed |= Q(role=role) & within[scope]
    return User.objects.active().filter(allowed)


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
    url = locked.get_absolute_url()
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


def brief_board(brief: Brief, *, user: User) -> list[BriefDistribution]:
    """Recipients of the brief's current version that the user may see, with when each
    opened, acknowledged or asked."""
    return list(
        BriefDistribution.objects.visible_to(user)
        .filter(version__brief=brief, version__number=brief.current_version_number)
        .select_related("recipient")
        .order_by("recipient__first_name", "recipient__last_name", "recipient__username")
    )


def distribution_open(*, distribution: BriefDistribution) -> BriefDistribution:
    """Record the first time the recipient opened the version; later views change nothing."""
    distributions_open([distribution])
    return distribution


def distributions_open(distributions: Sequence[BriefDistribution]) -> None:
    """Record the first time each recipient opened their version; later views change nothing."""
    unopened = [distribution for distribution in distributions if distribution.opened_at is None]
    if unopened:
        now = timezone.now()
        BriefDistribution.objects.filter(pk__in=[d.pk for d in unopened], opened_at__isnull=True).update(opened_at=now)
        for distribution in unopened:
            distribution.opened_at = now


@transaction.atomic
def distribution_acknowledge(*, distribution: BriefDistribution, user: User) -> BriefDistribution:
    """The recipient confirms they read the version; a second click changes nothing."""
    if distribution.recipient_id != user.pk:
        raise PermissionDenied
    now = timezone.now()
    acknowledged = BriefDistribution.objects.filter(pk=distribution.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, opened_at=Coalesce(F("opened_at"), now)
    )
    distribution.refresh_from_db()
    if acknowledged:
        audit_record(actor=user, obj=distribution, action="brief.acknowledged",
                     after={"version": distribution.version_id, "acknowledged_at": now})
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
    brief = distribution.version.brief
    asking = author.pk == distribution.recipient_id
    if not asking:
        require(author, "brief.answer", brief)
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(BriefDistribution), object_id=str(distribution.pk),
        author=author, body=body,
    )
    audit_record(actor=author, obj=distribution, action="brief.question" if asking else "brief.answer",
                 after={"comment": comment.pk, "body": body})
    if asking:
        now = timezone.now()
        BriefDistribution.objects.filter(pk=distribution.pk).update(
            question=body, questioned_at=now, opened_at=Coalesce(F("opened_at"), now)
        )
        distribution.refresh_from_db()
        notification_create(
            recipient=brief.project.pm, target=distribution, body=body, url=distribution.get_absolute_url(),
            subject=_("%(person)s asked a question about the brief “%(title)s”")
            % {"person": author, "title": distribution.version.title},
        )
    else:
        notification_create(
            recipient=distribution.recipient, target=distribution, body=body, url=brief.get_absolute_url(),
            subject=_("%(person)s answered your question about the brief “%(title)s”")
            % {"person": author, "title": distribution.version.title},
        )
    return comment


# --- reading -----------------------------------------------------------------------------


@dataclass
class BriefReading:
    """What one user reads of a brief, on its page or through the API."""

    title: str
    content: dict
    # The sections left out of `content` (and of any diff) for this user.
    hidden: tuple[str, ...] = ()
    version: BriefVersion | None = None
    is_draft: bool = False
    distribution: BriefDistribution | None = None
    # For a recipient of a new version: what changed since the version they acknowledged.
    changes_since: BriefVersion | None = None
    changes: list[SectionDiff] = field(default_factory=list)


def reads_live_drafts(user: User) -> bool:
    """Whether the user reads briefs as they are being written (the studio, who may read
    every brief); everyone else reads versions."""
    return scope_of(user, "brief.view") is Scope.ALL


def brief_readings(*, briefs: Sequence[Brief], user: User, opening: bool) -> dict[int, BriefReading]:
    """{brief id: what the user reads of it}, for briefs visible to them; decided here for
    the pages and the API alike. The studio reads the live draft; a brand manager the draft
    under review, otherwise the latest approved version; a recipient the latest version
    sent to them, with what changed since the one they acknowledged. With `opening`, the
    recipient's reading records that they opened that version."""
    scope = scope_of(user, "brief.view")
    priced = _priced_projects(user, {brief.project_id for brief in briefs})
    hidden = {brief.pk: () if brief.project_id in priced else MONEY_SECTIONS for brief in briefs}
    readings = {
        brief.pk: BriefReading(
            title=brief.title, content=_without(brief.content(), hidden[brief.pk]), hidden=hidden[brief.pk],
            is_draft=True,
        )
        for brief in briefs
        if scope is Scope.ALL or (scope is Scope.BRAND and brief.status == Brief.Status.IN_REVIEW)
    }
    rest = [brief for brief in briefs if brief.pk not in readings]
    if rest and scope is Scope.BRAND:
        current = BriefVersion.objects.filter(brief__in=rest, number=F("brief__current_version_number"))
        for version in current:
            readings[version.brief_id] = _version_reading(version, hidden[version.brief_id])
    elif rest and scope is Scope.SENT:
        readings.update(_recipient_readings(rest, user, hidden, opening=opening))
    if len(readings) < len(briefs):
        raise PermissionDenied
    return readings


def brief_reading(*, brief: Brief, user: User) -> BriefReading:
    """What the user reads of one brief (`brief_readings`); a recipient opens it by reading."""
    return brief_readings(briefs=[brief], user=user, opening=True)[brief.pk]


@dataclass(frozen=True)
class ChangesToApprove:
    """What a brief waiting for approval changes, for one of its readers."""

    since: BriefVersion
    # Whether `since` is the version this reader approved last; otherwise it is the latest
    # approved version (they approved none of them).
    theirs: bool
    # The changed sections only, without those the reader may not read.
    sections: list[SectionDiff]


def brief_changes_to_approve(*, brief: Brief, user: User) -> ChangesToApprove | None:
    """For a brief in review that was approved before: its draft against the version `user`
    approved last (the latest approved version when they approved none), so an approver
    reads what they are asked to approve anew. None for a first version or another status."""
    if brief.status != Brief.Status.IN_REVIEW or not brief.current_version_number:
        return None
    versions = BriefVersion.objects.filter(brief=brief).order_by("-number")
    since = versions.filter(approved_by=user).first() if user.is_authenticated else None
    theirs = since is not None
    since = since or versions.first()
    if since is None:
        return None
    hidden = hidden_sections_for(user, brief.project)
    changes = diff_contents(since.content, brief.content(), hidden=hidden)
    return ChangesToApprove(since, theirs, [section for section in changes if section.changed])


def _version_reading(version: BriefVersion, hidden: tuple[str, ...], **values) -> BriefReading:
    return BriefReading(
        title=version.title, content=_without(version.content, hidden), hidden=hidden, version=version, **values
    )


def _recipient_readings(briefs: list[Brief], user: User, hidden: dict, *, opening: bool) -> dict[int, BriefReading]:
    latest: dict[int, BriefDistribution] = {}
    sent = (
        BriefDistribution.objects.filter(recipient=user, version__brief__in=briefs)
        .select_related("version").order_by("version__brief", "-version__number")
    )
    for distribution in sent:
        latest.setdefault(distribution.version.brief_id, distribution)
    if opening:
        distributions_open(list(latest.values()))
    acknowledged: dict[int, list[BriefVersion]] = defaultdict(list)
    for version in BriefVersion.objects.filter(
        brief__in=briefs, distributions__recipient=user, distributions__acknowledged_at__isnull=False
    ).order_by("brief", "-number"):
        acknowledged[version.brief_id].append(version)
    readings = {}
    for brief_id, distribution in latest.items():
        version = distribution.version
        reading = _version_reading(version, hidden[brief_id], distribution=distribution)
        earlier = next((v for v in acknowledged[brief_id] if v.number < version.number), None)
        if earlier is not None:
            reading.changes_since = earlier
            reading.changes = [
                section for section in diff_contents(earlier.content, version.content, hidden=reading.hidden)
                if section.changed
            ]
        readings[brief_id] = reading
    return readings


# --- reminders ---------------------------------------------------------------------------


@transaction.atomic
def brief_reminders_send(*, today: dt.date) -> int:
    """Remind each recipient who has not acknowledged within a working day, and tell each
    project's PM who still has not (one note per brief). Runs on the evening of working
    days; a second run on the same day sends nothing. Returns how many were reminded."""
    if not WorkCalendar.between(today, today).is_working_day(today):
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
            recipient=distribution.recipient, target=distribution, url=brief.get_absolute_url(),
            subject=_("Reminder: please read and acknowledge the brief “%(title)s”")
            % {"title": distribution.version.title},
        )
    for brief, people in waiting.items():
        notification_create(
            recipient=brief.project.pm, target=brief, url=brief.get_board_url(),
            subject=ngettext(
                "%(count)d person has not acknowledged the brief “%(title)s”",
                "%(count)d people have not acknowledged the brief “%(title)s”",
                len(people),
            ) % {"count": len(people), "title": brief.title},
            body=", ".join(str(person) for person in people),
        )
    return len(due)
