"""Working days: Monday to Friday minus the studio's holidays (DESIGN §3), in
Python for a few dates and as a SQL calendar for set-based queries."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from . import clock
from .dates import day_text
from .models import Holiday

ONE_DAY = dt.timedelta(days=1)
WEEKDAYS = "12345"
# The days a studio plans in: a date asked for outside them is a typo, not a plan, and
# weeks counted from the ends of Python's calendar would overflow it.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2099, 12, 31)
# A plan reaches at most this many years past today.
PLAN_YEARS_AHEAD = 10


def plan_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a planned date (a project's, a deliverable's, a booking's)
    may take: not before the studio's calendar starts, not more than ten years ahead."""
    try:
        last = today.replace(year=today.year + PLAN_YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + PLAN_YEARS_AHEAD, day=28)
    return EARLIEST_DAY, min(last, LATEST_DAY)


def plan_date_errors(today: dt.date, **dates: dt.date | None) -> dict[str, ValidationError]:
    """The dates outside the plan window, each with its message, by field."""
    first, last = plan_window(today)
    return {
        name: ValidationError(
            _("Choose a date from %(first)s to %(last)s.")
            % {"first": day_text(first, today=today), "last": day_text(last, today=today)},
            code="out_of_window",
        )
        for name, day in dates.items()
        if isinstance(day, dt.date) and not first <= day <= last
    }


def check_plan_dates(today: dt.date, **dates: dt.date | None) -> None:
    """Refuse, field by field, dates outside the plan window."""
    errors = plan_date_errors(today, **dates)
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class WorkCalendar:
    """The studio's working days between two dates, with its holidays loaded once."""

    start: dt.date
    end: dt.date
    holidays: frozenset[dt.date]

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "WorkCalendar":
        holidays = Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True)
        return cls(start, end, frozenset(holidays))

    def is_working_day(self, day: dt.date) -> bool:
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the calendar {self.start}–{self.end}.")
        return day.isoweekday() <= 5 and day not in self.holidays

    def days(self, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[dt.date]:
        """Working days from `start` to `end`, both included (the whole calendar by default)."""
        day, last = max(start or self.start, self.start), min(end or self.end, self.end)
        while day <= last:
            if self.is_working_day(day):
                yield day
            day += ONE_DAY

    def count(self, start: dt.date | None = None, end: dt.date | None = None) -> int:
        """Working days from `start` to `end`, both included, by arithmetic: it costs the
        same for a week as for ten years."""
        first, last = max(start or self.start, self.start), min(end or self.end, self.end)
        if last < first:
            return 0
        full_weeks, extra = divmod((last - first).days + 1, 7)
        weekdays = full_weeks * 5 + sum(1 for n in range(extra) if (first.weekday() + n) % 7 < 5)
        return weekdays - sum(1 for day in self.holidays if first <= day <= last and day.isoweekday() <= 5)


def window_errors(obj, *, exclude: list[str] | None = None, validate_unique: bool = True,
                  **dates: dt.date | None) -> dict[str, list[str]]:
    """The field errors of `obj.full_clean()` and of the plan window's check of `dates`,
    together (empty when there are none), for a service to add its own to."""
    errors: dict[str, list[str]] = {}
    checks = (
        lambda: obj.full_clean(exclude=exclude, validate_unique=validate_unique),
        lambda: check_plan_dates(clock.today(), **dates),
    )
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    return errors


def full_clean_in_window(obj, *, exclude: list[str] | None = None, **dates: dt.date | None) -> None:
    """`obj.full_clean()` and the plan window's check of `dates`, their field errors raised
    together. Called before anything walks the dates' days."""
    errors = window_errors(obj, exclude=exclude, **dates)
    if errors:
        raise ValidationError(errors)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day (Monday to Friday, not a studio holiday) after `day`."""
    calendar = WorkCalendar.between(day + ONE_DAY, day + dt.timedelta(days=60))
    return next(calendar.days(), calendar.end + ONE_DAY)


def calendar_sql(connection: BaseDatabaseWrapper) -> str:
    """CTE definitions ending in `cal(day, dow, holiday)`: one row per calendar day
    from %(cal_start)s to %(cal_end)s, with its ISO weekday (1 = Monday … 7 = Sunday)
    and whether it is a studio holiday. Put it after `WITH RECURSIVE`."""
    holiday = connection.ops.quote_name(Holiday._meta.db_table)
    if connection.vendor == "postgresql":
        return f"""
        cal(day, dow, holiday) AS (
            SELECT s.day, CAST(EXTRACT(ISODOW FROM s.day) AS integer), h.date IS NOT NULL
            FROM (
                SELECT CAST(%(cal_start)s AS date) + i AS day
                FROM generate_series(0, CAST(%(cal_end)s AS date) - CAST(%(cal_start)s AS date)) AS i
            ) AS s
            LEFT JOIN {holiday} h ON h.date = s.day
        )"""
    if connection.vendor == "sqlite":
        # No generate_series in SQLite's core: a recursive CTE counts the days.
        return f"""
        cal_series(day) AS (
            SELECT date(%(cal_start)s)
            UNION ALL
            SELECT date(day, '+1 day') FROM cal_series WHERE day < date(%(cal_end)s)
        ),
        cal(day, dow, holiday) AS (
            SELECT s.day,
                   CAST(CASE strftime('%%w', s.day) WHEN '0' THEN '7' ELSE strftime('%%w', s.day) END AS integer),
                   h.date IS NOT NULL
            FROM cal_series s
            LEFT JOIN {holiday} h ON h.date = s.day
        )"""
    raise NotImplementedError(f"No calendar for the {connection.vendor} database.")


def calendar_join(connection: BaseDatabaseWrapper, alias: str, start: str, end: str) -> str:
    """`JOIN cal <alias>` on the calendar days from the SQL expression `start` to `end`
    (both included), for a row with a date range such as a booking's."""
    # A range join on both databases. PostgreSQL could generate each row's own days
    # (a LATERAL generate_series) instead, but it cannot estimate a series per row and
    # plans it worse: at `seed_demo --scale 10` the range join is 2-3 times faster.
    return f"JOIN cal {alias} ON {alias}.day BETWEEN {start} AND {end}"
