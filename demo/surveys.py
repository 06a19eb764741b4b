"""After the work: satisfaction surveys of delivered work, and the notifications people
have read by now."""

import datetime as dt

from django.db.models import F

from metrics.models import SatisfactionSurvey, SurveyResponse
from metrics.surveys.services import survey_notify
from projects.models import Project
from studio.models import Notification

from .context import Demo, moment

DAY = dt.timedelta(days=1)
# Notifications older than this were read a couple of hours after they came in.
UNREAD_DAYS = 2


def build_surveys(demo: Demo) -> None:
    """Delivered work was rated by most of its brand managers; `brand` still owes one answer.
    The rows are written at once (the surveys went out long ago); the invitation `brand` still
    owes an answer to is the service's own notification, with its link."""
    rng = demo.rng
    surveys, responses = [], []
    for plan in demo.plans:
        if plan.internal or plan.status not in (Project.Status.DELIVERED, Project.Status.CLOSED):
            continue
        sent = plan.due + DAY
        survey = SatisfactionSurvey(project=plan.project, sent_at=demo.at(sent, 10))
        surveys.append(survey)
        for manager in demo.managers_of[plan.brand.pk]:
            response = SurveyResponse(survey=survey, respondent=manager)
            answered = sent + dt.timedelta(days=rng.randint(0, 6))
            owed = manager.username == "brand" and plan.status == Project.Status.DELIVERED
            if answered < demo.today and not owed:
                response.rating = rng.choices((5, 4, 3, 2, 1), weights=(40, 35, 15, 7, 3))[0]
                response.responded_at = demo.at(answered, 13)
                if response.rating <= 3:
                    response.comment = "Good work in the end, but the second round took too long."
            responses.append(response)
    SatisfactionSurvey.objects.bulk_create(surveys)
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    owed = [r for r in responses if r.respondent == demo.users["brand"] and r.responded_at is None]
    if owed:
        # The latest one `brand` owes arrives as the service sends it: the link opens the survey.
        latest = max(owed, key=lambda response: response.survey.sent_at)
        with moment(latest.survey.sent_at):
            survey_notify(response=latest)


def read_notifications(demo: Demo) -> None:
    """Everyone has read what came in before the last two days, a couple of hours after it
    came: one update for them all, where `notification_mark_read` would take one a row."""
    cutoff = demo.at(demo.day(-UNREAD_DAYS), 0)
    Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=True).update(
        read_at=F("created_at") + dt.timedelta(hours=2)
    )
