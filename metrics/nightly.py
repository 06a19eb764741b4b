"""The night's computation: every family of the catalogue for one date, stored as
`MetricSnapshot` rows that replace that date's rows in one transaction, so readers never
see a half-written night, a crash leaves the previous rows as they were, and a rerun on
the same data writes the same rows. Two runs for the same date take turns (a PostgreSQL
advisory lock; SQLite serialises writers by itself)."""

import datetime as dt
import zlib
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from .families import Value, money, productivity, satisfaction, schedule
from .models import MetricSnapshot

FAMILIES = (schedule, money, productivity, satisfaction)
SIX_PLACES = Decimal("0.000001")
# What `MetricSnapshot.value` holds (20 digits, 6 after the point); a figure beyond it is
# a ratio over a near-zero denominator, stored as undefined.
LARGEST = Decimal("1e14")
# A backfill walks at most this many days.
MAX_RANGE_DAYS = 1000


def night_values(day: dt.date) -> list[Value]:
    """Every family's values for `day`."""
    return [value for family in FAMILIES for value in family.compute(day)]


def _row(value: Value, day: dt.date, now) -> MetricSnapshot:
    row = MetricSnapshot(date=day, scope_key=value.scope_key, metric=value.metric, computed_at=now)
    if isinstance(value.value, dt.date):
        row.value_date = value.value
    elif value.value is not None and abs(value.value) < LARGEST:
        row.value = value.value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    return row


def _lock(day: dt.date) -> None:
    """Hold the night of `day` until the transaction ends: a second run waits its turn."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"metrics-night:{day.isoformat()}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def metrics_compute_night(day: dt.date) -> int:
    """Compute and store the night of `day`; the number of rows written."""
    with transaction.atomic():
        _lock(day)
        values = night_values(day)
        now = timezone.now()
        MetricSnapshot.objects.filter(date=day).delete()
        rows = MetricSnapshot.objects.bulk_create(_row(value, day, now) for value in values)
    return len(rows)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        raise ValueError("The range ends before it starts.")
    count = (last - first).days + 1
    if count > MAX_RANGE_DAYS:
        raise ValueError(f"A range covers at most {MAX_RANGE_DAYS} days.")
    return [first + dt.timedelta(days=n) for n in range(count)]


def metrics_compute_range(
    first: dt.date, last: dt.date, progress: Callable[[int, int, dt.date], None] | None = None
) -> int:
    """Compute each night from `first` to `last`, oldest first, each in its own
    transaction; `progress(done, total, day)` after each. The rows written."""
    days = days_between(first, last)
    written = 0
    for done, day in enumerate(days, start=1):
        written += metrics_compute_night(day)
        if progress is not None:
            progress(done, len(days), day)
    return written


def snapshot_values(day: dt.date, keys: Iterable[str] | None = None) -> dict[tuple[str, str], Decimal | dt.date | None]:
    """{(scope key, metric): value} stored for `day` (all scopes, or those of `keys`)."""
    rows = MetricSnapshot.objects.filter(date=day)
    if keys is not None:
        rows = rows.filter(scope_key__in=list(keys))
    return {
        (scope, metric): value_date if value_date is not None else value
        for scope, metric, value, value_date in rows.values_list("scope_key", "metric", "value", "value_date")
    }
