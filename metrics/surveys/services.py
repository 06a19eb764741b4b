"""Writes of satisfaction surveys: sending a project's or a deliverable's survey once,
answering it once by its link, and the one reminder; and the reads their pages share.

A survey is one row per project (and per deliverable, when the studio surveys each);
each manager of the brand gets a response row of their own with an unguessable token.
The token is the credential of the e-mailed link: it opens that one response, answers
it once, and stops working at the end of the 30th day after sending."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Deliverable, DeliverableStatus, Project
from studio import clock
from studio.dates import day_text
from studio.models import Notification, StudioSettings, User
from studio.permissions import Scope, holders
from studio.services import audit_record, notification_create
from studio.versions import Conflict
from studio.workdays import WorkCalendar

from ..models import SatisfactionSurvey, SurveyResponse

# The e-mailed link works through the 30th day after sending (in the studio's zone):
# long enough for a brand manager back from two weeks away and a reminder, short enough
# that a link lying in a mailbox stops being a credential (docs/decisions.md).
LINK_VALID_DAYS = 30
# The one reminder goes out once this many working days have passed since sending.
REMINDER_AFTER_WORKING_DAYS = 3
COMMENT_MAX_CHARS = 5000
RATINGS = (1, 2, 3, 4, 5)
# Enough calendar days to hold three working days whatever the holidays.
_REMINDER_CALENDAR_DAYS = 40


class SurveyState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


class SurveyClosed(Conflict):
    """The response can no longer be answered; `response` is it as it stands now."""

    state = SurveyState.OPEN
    default_message = ""

    def __init__(self, response: SurveyResponse):
        super().__init__(str(self.default_message), code=self.state)
        self.response = response


class SurveyAlreadyAnswered(SurveyClosed):
    state = SurveyState.ANSWERED
    default_message = gettext_lazy("This survey was already answered; thank you.")


class SurveyExpired(SurveyClosed):
    state = SurveyState.EXPIRED
    default_message = gettext_lazy("This survey has closed.")


# --- a response's state ------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.studio_zone())


def last_day(survey: SatisfactionSurvey) -> dt.date:
    """The last day (in the studio's zone) its link works."""
    return timezone.localtime(survey.sent_at, clock.studio_zone()).date() + dt.timedelta(days=LINK_VALID_DAYS)


def expires_at(survey: SatisfactionSurvey) -> dt.datetime:
    return _start_of(last_day(survey) + dt.timedelta(days=1))


def state_of(response: SurveyResponse, now: dt.datetime | None = None) -> SurveyState:
    if response.responded_at is not None:
        return SurveyState.ANSWERED
    if (now or timezone.now()) >= expires_at(response.survey):
        return SurveyState.EXPIRED
    return SurveyState.OPEN


def answer_url(response: SurveyResponse) -> str:
    """The path of the response's own link: its token is the credential."""
    return reverse("surveys:answer", args=[response.token])


# --- sending -----------------------------------------------------------------------------


def survey_recipients(project: Project) -> QuerySet[User]:
    """The active managers of the project's brand whom the table lets see its surveys."""
    if project.brand_id is None:
        return User.objects.none()
    return User.objects.filter(holders("survey.view", Scope.BRAND), brands=project.brand_id).order_by("pk")


def _due_for_survey(project: Project, deliverable: Deliverable | None) -> bool:
    if project.is_internal or project.brand_id is None:
        return False
    if deliverable is None:
        # Closed as well: the task may run after a quick close; delivered it was.
        return project.status in (Project.Status.DELIVERED, Project.Status.CLOSED)
    return (
        deliverable.project_id == project.pk
        and deliverable.status in DeliverableStatus.done()
        and StudioSettings.load().survey_each_deliverable
    )


@transaction.atomic
def survey_send(*, project: Project, deliverable: Deliverable | None = None) -> SatisfactionSurvey | None:
    """Send the survey of a delivered project, or of an approved deliverable when the studio
    surveys each one, to each manager of the brand: one response row, one notification
    (and e-mail) each. Once per project and per deliverable: the survey this call sent, or
    None if there was nothing to send."""
    if not _due_for_survey(project, deliverable):
        return None
    recipients = list(survey_recipients(project))
    if not recipients:
        # Nobody to ask: no survey, so one is sent if the project is saved delivered again.
        return None
    # The unique constraints make this the claim: a concurrent sender waits for this
    # transaction on the index, then finds the survey and sends nothing.
    survey, created = SatisfactionSurvey.objects.get_or_create(project=project, deliverable=deliverable)
    if not created:
        return None
    responses = SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=survey, respondent=person) for person in recipients]
    )
    # Sent by the studio itself, when the project or deliverable is done.
    audit_record(actor=None, obj=survey, action="survey.sent",
                 after={"deliverable": survey.deliverable_id, "recipients": [person.pk for person in recipients]})
    for response in responses:
        survey_notify(response=response)
    return survey


def survey_notify(*, response: SurveyResponse, reminder: bool = False) -> Notification:
    """Invite (or remind) the respondent: a notification whose link, in the app and in the
    e-mail (immediate or digest), is their response's own token link."""
    survey = response.survey
    names = {"project": survey.project.name, "deliverable": survey.deliverable.name if survey.deliverable else ""}
    if survey.deliverable is None:
        subject = _("How did we do? Rate the work on %(project)s") % names
        done = _("%(project)s was delivered.") % names
    else:
        subject = _("How did we do? Rate “%(deliverable)s” (%(project)s)") % names
        done = _("“%(deliverable)s” of %(project)s was approved.") % names
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
        done = _("You have not rated it yet: %(done)s") % {"done": done}
    body = " ".join([
        done,
        _("Rate it from 1 (poor) to 5 (excellent) in one click; a comment is welcome, not needed."),
        _("The link is yours alone: it works once, until %(day)s.") % {"day": day_text(last_day(survey))},
    ])
    return notification_create(
        recipient=response.respondent, subject=subject, body=body, url=answer_url(response), target=response
    )


# --- answering ---------------------------------------------------------------------------


def answer_errors(rating, comment) -> dict[str, str]:
    """What is wrong with an answer, by field (empty when nothing is)."""
    errors = {}
    if isinstance(rating, bool) or rating not in RATINGS:
        errors["rating"] = _("Choose a rating from 1 to 5.")
    if not isinstance(comment, str):
        errors["comment"] = _("Write the comment as text.")
    elif "\x00" in comment:
        errors["comment"] = _("The comment holds a character that cannot be saved (a null character).")
    elif len(comment) > COMMENT_MAX_CHARS:
        errors["comment"] = _("Keep the comment to %(max)d characters; it has %(count)d.") % {
            "max": COMMENT_MAX_CHARS, "count": len(comment),
        }
    return errors


@transaction.atomic
def survey_answer(*, response: SurveyResponse, rating: int, comment: str = "") -> SurveyResponse:
    """Record the respondent's rating (1–5) and optional comment: once, while the link is open."""
    comment = comment.strip() if isinstance(comment, str) else comment
    errors = answer_errors(rating, comment)
    if errors:
        raise ValidationError(errors)
    # The row lock makes a second submit wait for the first, then find it answered.
    locked = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("survey", "respondent")
        .get(pk=response.pk)
    )
    state = state_of(locked)
    if state == SurveyState.ANSWERED:
        raise SurveyAlreadyAnswered(locked)
    if state == SurveyState.EXPIRED:
        raise SurveyExpired(locked)
    now = timezone.now()
    # Compare and set as well: SQLite takes no row locks, and there the filter is what
    # keeps a second submit from overwriting the first.
    claimed = SurveyResponse.objects.filter(pk=locked.pk, responded_at__isnull=True).update(
        rating=rating, comment=comment, responded_at=now
    )
    if not claimed:
        locked.refresh_from_db()
        raise SurveyAlreadyAnswered(locked)
    locked.rating, locked.comment, locked.responded_at = rating, comment, now
    audit_record(actor=locked.respondent, obj=locked, action="survey.answered",
                 after={"rating": rating, "comment": comment})
    # Answered from the e-mail, the invitation (and any reminder) in the app is done with too.
    Notification.objects.filter(
        recipient_id=locked.respondent_id,
        content_type=ContentType.objects.get_for_model(SurveyResponse),
        object_id=str(locked.pk),
    ).unread().update(read_at=now)
    return locked


# --- reminding ---------------------------------------------------------------------------


@transaction.atomic
def survey_reminders_send(*, today: dt.date) -> int:
    """Remind, once, each manager who has not answered once three working days have passed
    since the survey was sent, while its link still works. Runs on working days; a rerun
    sends nothing new. Returns how many were reminded."""
    calendar = WorkCalendar.between(today - dt.timedelta(days=_REMINDER_CALENDAR_DAYS), today)
    if not calendar.is_working_day(today):
        return 0
    # Today and the working days before it: sent before the first of these, a survey has
    # had them all (sent on a Thursday, it is reminded on the Tuesday: Fri, Mon, Tue).
    counted = list(calendar.days())[-REMINDER_AFTER_WORKING_DAYS:]
    due = list(
        SurveyResponse.objects.filter(
            responded_at__isnull=True,
            reminded_at__isnull=True,
            respondent__is_active=True,
            survey__sent_at__lt=_start_of(counted[0]),
            # Its link still works today.
            survey__sent_at__gte=_start_of(today - dt.timedelta(days=LINK_VALID_DAYS)),
        )
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("respondent", "survey__project", "survey__deliverable")
        .order_by("survey__sent_at", "pk")
    )
    now = timezone.now()
    reminded = 0
    for response in due:
        # Each row claimed by compare and set, so a run racing this one (SQLite takes no
        # row locks) cannot remind the same person twice.
        claimed = SurveyResponse.objects.filter(
            pk=response.pk, reminded_at__isnull=True, responded_at__isnull=True
        ).update(reminded_at=now)
        if claimed:
            response.reminded_at = now
            survey_notify(response=response, reminder=True)
            reminded += 1
    return reminded


# --- reading -----------------------------------------------------------------------------


def responses_to_answer() -> QuerySet[SurveyResponse]:
    """Responses as the answer page reads them; a deactivated person's link is dead."""
    return SurveyResponse.objects.filter(respondent__is_active=True).select_related(
        "respondent", "survey__project", "survey__deliverable"
    )


@dataclass(frozen=True)
class ResponseRow:
    response: SurveyResponse
    state: SurveyState


@dataclass(frozen=True)
class SurveyRow:
    """One survey of a project with who was asked, who answered and their average rating."""

    survey: SatisfactionSurvey
    rows: list[ResponseRow]
    last_day: dt.date

    @property
    def answered(self) -> int:
        return sum(row.state == SurveyState.ANSWERED for row in self.rows)

    @property
    def average_rating(self) -> Decimal | None:
        ratings = [row.response.rating for row in self.rows if row.state == SurveyState.ANSWERED]
        if not ratings:
            return None
        return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def project_surveys(*, project: Project, user: User) -> list[SurveyRow]:
    """The project's surveys the user may see, newest first, each with its responses."""
    surveys = (
        SatisfactionSurvey.objects.visible_to(user)
        .filter(project=project)
        .select_related("project", "deliverable")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=SurveyResponse.objects.select_related("respondent").order_by(
                    "respondent__first_name", "respondent__last_name", "respondent__username", "pk"
                ),
            )
        )
        .order_by("-sent_at", "-pk")
    )
    now = timezone.now()
    return [
        SurveyRow(
            survey=survey,
            rows=[ResponseRow(response, state_of(response, now)) for response in survey.responses.all()],
            last_day=last_day(survey),
        )
        for survey in surveys
    ]
