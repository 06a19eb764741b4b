"""Delivered work is surveyed: projects sits below metrics and cannot call it, so metrics
listens to the saves that deliver a project or approve a deliverable and queues the
sending once they commit. The rules (who is asked, once, the studio's setting) are in
`survey_send`; a save that is not such a move queues nothing."""

from django.db.models.signals import post_save

from projects.models import Deliverable, DeliverableStatus, Project
from studio.models import StudioSettings

# Imported here, not in the handlers: connecting in MetricsConfig.ready() then registers
# the tasks with Celery (autodiscovery finds only each app's own `tasks` module).
from .tasks import survey_send_on_commit

PROJECT_UID = "metrics.surveys.project_saved"
DELIVERABLE_UID = "metrics.surveys.deliverable_saved"


def _status_saved(created: bool, update_fields) -> bool:
    return created or update_fields is None or "status" in update_fields


def project_saved(sender, instance: Project, created=False, update_fields=None, **kwargs) -> None:
    if instance.status == Project.Status.DELIVERED and _status_saved(created, update_fields):
        survey_send_on_commit(project_id=instance.pk)


def deliverable_saved(sender, instance: Deliverable, created=False, update_fields=None, **kwargs) -> None:
    if (
        instance.status in DeliverableStatus.done()
        and _status_saved(created, update_fields)
        # Read here too, so a studio that does not survey deliverables queues nothing.
        and StudioSettings.load().survey_each_deliverable
    ):
        survey_send_on_commit(project_id=instance.project_id, deliverable_id=instance.pk)


def connect() -> None:
    """Listen; called from MetricsConfig.ready(). Connecting twice is harmless."""
    post_save.connect(project_saved, sender=Project, dispatch_uid=PROJECT_UID)
    post_save.connect(deliverable_saved, sender=Deliverable, dispatch_uid=DELIVERABLE_UID)


def disconnect() -> bool:
    """Stop listening; True if it was listening."""
    project = post_save.disconnect(sender=Project, dispatch_uid=PROJECT_UID)
    deliverable = post_save.disconnect(sender=Deliverable, dispatch_uid=DELIVERABLE_UID)
    return project or deliverable
