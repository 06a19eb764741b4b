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
}
