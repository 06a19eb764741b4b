"""The Celery app, configured from Django settings, and its beat schedule."""

import os

from celery import Celery, bootsteps
from celery.schedules import crontab

from studio.startup import refuse_unconfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("callsheet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RefuseUnconfigured(bootsteps.Step):
    """A worker missing its production settings stops before taking any task (a step of the
    worker's start, where an error stops it; a signal's receiver would only be logged)."""

    def __init__(self, parent, **kwargs):
        refuse_unconfigured()
        super().__init__(parent, **kwargs)


app.steps["worker"].add(RefuseUnconfigured)


class StudioCrontab(crontab):
    """A crontab in the studio's time zone, the one that decides "today" (studio.clock):
    read at each check, so moving the zone in the studio settings moves beat with it,
    whatever zone the Celery app runs in."""

    @property
    def tz(self):
        from django.db import close_old_connections, connection

        from studio import clock

        # Beat lives outside Django's request cycle, which is what drops a connection the
        # database closed (a restart) before it is used again.
        if not connection.in_atomic_block:
            close_old_connections()
        return clock.studio_zone()


app.conf.beat_schedule = {
    # A safety net: immediate notifications whose on-commit task was lost
    # (worker down, broker restart) still go out.
    "notifications-deliver-pending": {
        "task": "studio.tasks.notifications_deliver_pending_task",
        "schedule": StudioCrontab(minute="*/10"),
    },
    # 07:00 in the studio's zone (DESIGN §2), as every crontab here.
    "notifications-send-digests": {
        "task": "studio.tasks.notifications_send_digests_task",
        "schedule": StudioCrontab(hour=7, minute=0),
    },
    # Just after midnight: holds that expired yesterday are released.
    "bookings-release-expired-holds": {
        "task": "schedules.tasks.bookings_release_expired_holds_task",
        "schedule": StudioCrontab(hour=0, minute=15),
    },
    # Before the 07:00 digests, so a digest reader finds the night's budget alerts in it;
    # approvals of time and cost check their projects at once as well.
    "budget-alerts-send": {
        "task": "budgets.tasks.budget_alerts_send_task",
        "schedule": StudioCrontab(hour=6, minute=30),
    },
    # In the evening, after the working day the reminders are counted in.
    # The night's metrics, once the day is over in the studio's zone and before the
    # morning's digests and dashboards are read.
    "metrics-compute-yesterday": {
        "task": "metrics.tasks.metrics_compute_yesterday_task",
        "schedule": StudioCrontab(hour=2, minute=0),
    },
    # Mid-morning of working days: one reminder to whoever has not rated delivered work
    # three working days after it was sent.
    "survey-reminders-send": {
        "task": "metrics.surveys.tasks.survey_reminders_send_task",
        "schedule": StudioCrontab(hour=10, minute=0, day_of_week="mon-fri"),
    },
    "brief-reminders-send": {
        "task": "briefs.tasks.brief_reminders_send_task",
        "schedule": StudioCrontab(hour=19, minute=0, day_of_week="mon-fri"),
    },
    "timesheet-reminders-send": {
        "task": "schedules.tasks.timesheet_reminders_send_task",
        "schedule": StudioCrontab(hour=18, minute=30, day_of_week="mon-fri"),
    },
}
