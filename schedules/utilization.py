"""Utilization by week: booked and logged hours against capacity, per person, per
discipline and for the studio (DESIGN §2, capacity; §3, logged time counts once its
timesheet is approved).

Capacity and booked hours come from the set-based queries of `capacity.py`; logged
hours are one aggregate over approved time entries. Three queries for any number of
people and weeks; the sums by week are made in Python over at most people × days rows.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncWeek

from studio.clock import week_start
from studio.models import Discipline, Talent

from .capacity import booked_by_discipline, booked_by_person, capacity_by_discipline, capacity_by_person
from .models import TimeEntry

# The utilization page and API: four weeks before this one and eight from it; the API
# may ask for up to half a year.
UTILIZATION_WEEKS = 12
WEEKS_BEFORE = 4
MAX_UTILIZATION_WEEKS = 26
ZERO = Decimal("0")
CENT = Decimal("0.01")
ONE_WEEK = dt.timedelta(days=7)


@dataclass
class Utilization:
    """A week's hours: capacity, booked (tentative and confirmed), logged (approved)."""

    capacity: Decimal = ZERO
    booked: Decimal = ZERO
    logged: Decimal = ZERO

    def __add__(self, other: "Utilization") -> "Utilization":
        return Utilization(self.capacity + other.capacity, self.booked + other.booked, self.logged + other.logged)

    @staticmethod
    def _percent(hours: Decimal, capacity: Decimal) -> Decimal | None:
        if not capacity:
            return None
        return (hours * 100 / capacity).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def booked_percent(self) -> Decimal | None:
        """Booked hours as a percentage of capacity; None without capacity."""
        return self._percent(self.booked, self.capacity)

    @property
    def logged_percent(self) -> Decimal | None:
        return self._percent(self.logged, self.capacity)

    def rounded(self) -> "Utilization":
        return Utilization(
            *(value.quantize(CENT, rounding=ROUND_HALF_UP) for value in (self.capacity, self.booked, self.logged))
        )


def weeks(start: dt.date, count: int) -> list[dt.date]:
    """The Mondays of `count` weeks from the week of `start`."""
    first = week_start(start)
    return [first + ONE_WEEK * n for n in range(count)]


def utilization_weeks(start: dt.date | None, count: int, *, today: dt.date) -> list[dt.date]:
    """The Mondays utilization shows: `count` weeks from the week of `start`, by default
    from the week WEEKS_BEFORE weeks before today's."""
    return weeks(start or today - WEEKS_BEFORE * ONE_WEEK, count)


def utilization_people(people: QuerySet) -> QuerySet:
    """The rows of utilization by person: the active people among `people`, by name."""
    return people.active().select_related("user", "discipline").order_by("user__first_name", "user__last_name", "pk")


ByWeek = dict[dt.date, Utilization]


def utilization_by_person(
    first_week: dt.date, week_count: int, talent: Iterable[int] | None = None
) -> dict[int, ByWeek]:
    """{talent id: {Monday: Utilization}} for each week from the week of `first_week`;
    every person asked for (or every active person) and every week has an entry."""
    mondays = weeks(first_week, week_count)
    start, end = mondays[0], mondays[-1] + dt.timedelta(days=6)
    ids = list(talent) if talent is not None else list(Talent.objects.active().values_list("pk", flat=True))
    result: dict[int, ByWeek] = {pk: {monday: Utilization() for monday in mondays} for pk in ids}
    for pk, days in capacity_by_person(start, end, ids).items():
        for day, hours in days.items():
            result[pk][week_start(day)].capacity += hours
    for pk, days in booked_by_person(start, end, ids).items():
        for day, by_status in days.items():
            result[pk][week_start(day)].booked += sum(by_status.values(), ZERO)
    for pk, monday, hours in _logged(start, end, "talent", talent__in=ids):
        result[pk][monday].logged += hours
    return {pk: {monday: value.rounded() for monday, value in by_week.items()} for pk, by_week in result.items()}


def utilization_by_discipline(first_week: dt.date, week_count: int) -> dict[int, ByWeek]:
    """{discipline id: {Monday: Utilization}}: the sums of the discipline's active people,
    grouped in the database (three queries, whatever the number of people)."""
    mondays = weeks(first_week, week_count)
    start, end = mondays[0], mondays[-1] + dt.timedelta(days=6)
    result: dict[int, ByWeek] = defaultdict(lambda: {monday: Utilization() for monday in mondays})
    for key, days in capacity_by_discipline(start, end).items():
        for day, hours in days.items():
            result[key][week_start(day)].capacity += hours
    for key, days in booked_by_discipline(start, end).items():
        for day, by_status in days.items():
            result[key][week_start(day)].booked += sum(by_status.values(), ZERO)
    for key, monday, hours in _logged(start, end, "talent__discipline"):
        result[key][monday].logged += hours
    return {key: {monday: value.rounded() for monday, value in by_week.items()} for key, by_week in result.items()}


def _logged(start: dt.date, end: dt.date, key: str, **filters) -> Iterable[tuple[int, dt.date, Decimal]]:
    """(key, Monday, hours) of approved time from `start` to `end`, grouped in the database."""
    rows = (
        TimeEntry.objects.approved()
        .filter(date__range=(start, end), **filters)
        .annotate(week=TruncWeek("date"))
        .order_by()
        .values(key, "week")
        .annotate(hours=Sum("hours"))
    )
    for row in rows:
        monday = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        yield row[key], monday, row["hours"]


def utilization_of_studio(by_discipline: dict[int, ByWeek]) -> ByWeek:
    """The studio's weeks: the sum of every discipline's."""
    result: ByWeek = defaultdict(Utilization)
    for by_week in by_discipline.values():
        for monday, value in by_week.items():
            result[monday] += value
    return dict(result)


def utilization_of_disciplines(mondays: list[dt.date]) -> tuple[list[tuple[Discipline, ByWeek]], ByWeek]:
    """The disciplines' weeks from `mondays[0]`, each with its discipline, by name; and the
    studio's weeks, their sum (four queries)."""
    by_discipline = utilization_by_discipline(mondays[0], len(mondays))
    disciplines = Discipline.objects.filter(pk__in=list(by_discipline)).order_by("name")
    rows = [(discipline, by_discipline[discipline.pk]) for discipline in disciplines]
    return rows, utilization_of_studio(by_discipline)
