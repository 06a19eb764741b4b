"""Background jobs of schedules: thin wrappers that call a service."""

from celery import shared_task

from studio import clock

from .services.bookings import bookings_release_expired_holds
from .services.timesheets import timesheet_reminders_send


@shared_task
def bookings_release_expired_holds_task() -> int:
    return bookings_release_expired_holds(today=clock.today())


@shared_task
def timesheet_reminders_send_task() -> int:
    return timesheet_reminders_send(today=clock.today())
