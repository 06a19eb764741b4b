"""Background jobs of surveys: thin wrappers that take ids and call a service."""

from celery import shared_task
from django.db import transaction

from projects.models import Deliverable, Project
from studio import clock

from .services import survey_reminders_send, survey_send


@shared_task
def survey_send_task(project_id: int, deliverable_id: int | None = None) -> int | None:
    """Send the survey of a delivered project (or approved deliverable); the survey's id if
    this run sent it."""
    project = Project.objects.select_related("brand").filter(pk=project_id).first()
    if project is None:
        return None
    deliverable = None
    if deliverable_id is not None:
        deliverable = Deliverable.objects.filter(pk=deliverable_id, project=project).first()
        if deliverable is None:
            return None
    survey = survey_send(project=project, deliverable=deliverable)
    return survey.pk if survey else None


@shared_task
def survey_reminders_send_task() -> int:
    """Each working day: the one reminder of those who have not answered in three working days."""
    return survey_reminders_send(today=clock.today())


def survey_send_on_commit(*, project_id: int, deliverable_id: int | None = None) -> None:
    """Queue the sending once the transaction that delivered the work commits, so the
    worker finds it delivered. Robust: a broker outage does not fail a status change that
    was saved (the error is logged; sending the survey is the only thing lost)."""
    transaction.on_commit(lambda: survey_send_task.delay(project_id, deliverable_id), robust=True)
