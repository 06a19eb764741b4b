"""The Celery app, configured from Django settings, and its beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("callsheet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # A safety net: immediate notifications whose on-commit task was lost
    # (worker down, broker restart) still go out.
    "notifications-deliver-pending": {
        "task": "studio.tasks.notifications_deliver_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    # Crontabs run in CELERY_TIMEZONE, the studio's zone (DESIGN §2).
    "notifications-send-digests": {
        "task": "studio.tasks.notifications_send_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Just after midnight: holds that expired yesterday are released.
    "bookings-release-expired-holds": {
        "task": "schedules.tasks.bookings_release_expired_holds_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # In the evening, after the working day the reminders are counted in.
    "brief-reminders-send": {
        "task": "briefs.tasks.brief_reminders_send_task",
        "schedule": crontab(hour=19, minute=0, day_of_week="mon-fri"),
    },
    "timesheet-reminders-send": {
        "task": "schedules.tasks.timesheet_reminders_send_task",
        "schedule": crontab(hour=18, minute=30, day_of_week="mon-fri"),
    },
}
