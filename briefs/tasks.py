"""Background work of the briefs app; thin wrappers that call services."""

from celery import shared_task

from studio import clock

from .services.briefs import brief_reminders_send


@shared_task
def brief_reminders_send_task() -> int:
    """Nightly: remind recipients who have not acknowledged a brief within a working day."""
    return brief_reminders_send(today=clock.today())
