"""`manage.py compute_metrics --date D`, or `--from D1 --to D2` to backfill a range: the
nightly metrics, computed here and now, with a progress bar."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from metrics.nightly import MAX_RANGE_DAYS, days_between, metrics_compute_range
from studio import clock

BAR = 30


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Compute the nightly metrics for one date (default: yesterday) or a range of dates."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="One date, YYYY-MM-DD (default: yesterday).")
        parser.add_argument("--from", dest="first", type=_date, help="The first date of a range.")
        parser.add_argument("--to", dest="last", type=_date, help="The last date of a range.")

    def handle(self, *args, date=None, first=None, last=None, **options):
        if date and (first or last):
            raise CommandError("Give --date, or --from and --to, not both.")
        if bool(first) != bool(last):
            raise CommandError("A range needs both --from and --to.")
        if not first:
            first = last = date or clock.today() - dt.timedelta(days=1)
        try:
            days_between(first, last)
        except ValueError as error:
            raise CommandError(f"{error} (at most {MAX_RANGE_DAYS} days)") from None
        written = metrics_compute_range(first, last, self._progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{written} snapshots for {first} to {last}."))

    def _progress(self, done: int, total: int, day: dt.date) -> None:
        filled = BAR * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {day}", ending="")
        self.stdout.flush()
