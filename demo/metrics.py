"""The demo's metrics history: the nights a studio running Callsheet for a year would have,
so the dashboard's trends are not empty on the first visit. Each night is computed by the
nightly job itself (`metrics.nightly`) from the seeded history, as of the end of that day."""

import datetime as dt
from collections.abc import Callable

from metrics.nightly import metrics_compute_night

WEEK = dt.timedelta(days=7)


def demo_nights(today: dt.date, weeks: int) -> list[dt.date]:
    """The last seven nights, and the same weekday as yesterday for `weeks` weeks before
    them (the trends read one night a week), oldest first."""
    yesterday = today - dt.timedelta(days=1)
    daily = [yesterday - dt.timedelta(days=n) for n in range(7)]
    weekly = [yesterday - WEEK * n for n in range(1, weeks + 1)]
    return sorted(set(daily + weekly))


def build_metrics(today: dt.date, weeks: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Compute the demo's nights (each its own transaction); the snapshots written."""
    nights = demo_nights(today, weeks)
    written = 0
    for done, night in enumerate(nights, start=1):
        written += metrics_compute_night(night)
        if progress is not None:
            progress(done, len(nights))
    return written
