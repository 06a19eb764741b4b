"""Background jobs of metrics: thin wrappers over `metrics.nightly`."""

import datetime as dt

from celery import shared_task

from studio import clock

from .nightly import metrics_compute_night, metrics_compute_range


@shared_task
def metrics_compute_yesterday_task() -> int:
    """Nightly (beat): the night of yesterday, in the studio's time zone."""
    return metrics_compute_night(clock.today() - dt.timedelta(days=1))


@shared_task(bind=True)
def metrics_compute_range_task(self, first: str, last: str) -> int:
    """A range a production manager asked to recompute, its progress in the task's state
    (`PROGRESS` with done, total and the last day) for the page to poll."""

    def progress(done: int, total: int, day: dt.date) -> None:
        self.update_state(state="PROGRESS", meta={"done": done, "total": total, "day": day.isoformat()})

    return metrics_compute_range(dt.date.fromisoformat(first), dt.date.fromisoformat(last), progress)
