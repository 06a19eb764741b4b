"""The 12-week resource forecast by discipline (DESIGN §2, "Forecast"): demand against the
capacity of staff and contracted freelancers, and the gap as freelance hours to source,
priced at each discipline's freelance cost rate; and who is free over a range of days.

The forecast covers 12 weeks, Monday to Sunday, from this week on; the first is counted
from tomorrow (capacity and demand alike), since demand is only known from tomorrow on and
overdue work lands on the next working day: starting next Monday would hide it. Two
queries for capacity and demand of every discipline and week, one for the disciplines.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from projects.models import Deliverable, Project
from studio.clock import week_start
from studio.models import Discipline, RateCard, Talent

from .capacity import capacity_by_discipline, demand_by_discipline, demand_by_source, free_by_person, total

# About a quarter: longer ranges are a report, and free hours over them say little.
MAX_FREE_DAYS = 92

WEEKS = 12
ZERO = Decimal("0")
CENT = Decimal("0.01")
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)
LAST_DAY = dt.timedelta(days=6)
# Load bands for the heatmap's colours, in percent of capacity.
BANDS = ((50, "low"), (85, "fair"), (100, "full"))


def first_week(today: dt.date) -> dt.date:
    """The Monday of tomorrow's week: the forecast's first week."""
    return week_start(today + ONE_DAY)


def forecast_weeks(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    """The Mondays of the forecast's weeks: the only weeks its cells are asked for."""
    return [first_week(today) + ONE_WEEK * n for n in range(weeks)]


@dataclass
class Cell:
    """A discipline's (or the studio's) week: demand, capacity, the gap and its cost."""

    week: dt.date
    demand: Decimal = ZERO
    capacity: Decimal = ZERO
    gap: Decimal = ZERO
    gap_cost: Decimal = ZERO

    @property
    def load_percent(self) -> Decimal | None:
        """Demand as a percentage of capacity; None without capacity."""
        if not self.capacity:
            return None
        return (self.demand * 100 / self.capacity).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def band(self) -> str:
        """The heatmap's colour: low, fair, full or over (demand without capacity is over)."""
        load = self.load_percent
        if load is None:
            return "over" if self.demand else "none"
        return next((name for limit, name in BANDS if load <= limit), "over")


@dataclass
class Row:
    discipline: Discipline
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Forecast:
    weeks: list[dt.date]
    rows: list[Row]
    studio: list[Cell]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def resource_forecast(*, today: dt.date, weeks: int = WEEKS) -> Forecast:
    """Demand, capacity and the freelance gap of each active discipline (and of any
    other with demand or capacity) for `weeks` weeks from tomorrow's week, counted
    from tomorrow.
    The studio's gap is the sum of the disciplines' gaps: spare hours of one discipline
    do not staff another."""
    mondays = forecast_weeks(today, weeks)
    start, end = today + ONE_DAY, mondays[-1] + LAST_DAY
    capacity = capacity_by_discipline(start, end)
    demand = demand_by_discipline(start, end, today=today)
    ids = set(capacity) | set(demand)
    disciplines = Discipline.objects.filter(pk__in=ids) | Discipline.objects.filter(active=True)
    studio = [Cell(week=monday) for monday in mondays]
    rows = []
    for discipline in disciplines.distinct().order_by("name"):
        row = Row(discipline=discipline)
        for n, monday in enumerate(mondays):
            cell = _cell(monday, demand.get(discipline.pk, {}), capacity.get(discipline.pk, {}), discipline)
            row.cells.append(cell)
            total = studio[n]
            total.demand += cell.demand
            total.capacity += cell.capacity
            total.gap += cell.gap
            total.gap_cost += cell.gap_cost
        rows.append(row)
    return Forecast(weeks=mondays, rows=rows, studio=studio)


def _cell(monday: dt.date, demand: dict, capacity: dict, discipline: Discipline) -> Cell:
    week_end = monday + LAST_DAY
    hours, available = total(demand, monday, week_end), total(capacity, monday, week_end)
    gap = max(ZERO, hours - available)
    return Cell(
        week=monday, demand=hours, capacity=available, gap=gap, gap_cost=_cents(gap * discipline.freelance_cost_rate)
    )


@dataclass
class Source:
    """One piece of a week's demand: a project's bookings (of a deliverable, or not tied
    to one), its placeholders, or a deliverable's unbooked planned hours."""

    project: Project
    deliverable: Deliverable | None
    kind: str
    hours: Decimal


def forecast_sources(*, discipline: Discipline, week: dt.date, today: dt.date) -> list[Source]:
    """What makes `discipline`'s demand in the week of `week` (a forecast week), largest
    first: three queries whatever the number of bookings and deliverables."""
    monday = week_start(week)
    if monday not in forecast_weeks(today):
        raise ValueError(f"{monday} is not a week of the forecast.")
    start = max(monday, today + ONE_DAY)
    rows = demand_by_source(start, monday + LAST_DAY, today=today, disciplines=[discipline.pk])
    projects = Project.objects.in_bulk({row["project"] for row in rows})
    deliverables = Deliverable.objects.in_bulk({row["deliverable"] for row in rows if row["deliverable"]})
    return [
        Source(
            project=projects[row["project"]],
            deliverable=deliverables.get(row["deliverable"]),
            kind=row["kind"],
            hours=row["hours"],
        )
        for row in rows
    ]


# --- who is free ---------------------------------------------------------------------


@dataclass
class FreePerson:
    talent_id: int
    free: Decimal
    cost_rate: Decimal | None
    talent: Talent | None = None


def free_people(*, start: dt.date, end: dt.date, people: QuerySet[Talent] | None = None) -> list[FreePerson]:
    """The active ones of `people` (by default everyone, e.g. `WhoIsFreeFilter.qs`) with
    free hours from `start` to `end`, most free hours first, then the lowest cost rate in
    force on `start` (people without a rate last): four queries for any number of people."""
    people = (Talent.objects.all() if people is None else people).filter(active=True)
    ids = list(people.values_list("pk", flat=True).distinct())
    free = {pk: hours for pk, hours in free_by_person(start, end, ids).items() if hours > 0}
    rates = dict(RateCard.objects.valid_on(start).filter(talent__in=list(free)).values_list("talent_id", "cost_rate"))
    ranked = [FreePerson(talent_id=pk, free=hours, cost_rate=rates.get(pk)) for pk, hours in free.items()]
    ranked.sort(key=lambda p: (-p.free, p.cost_rate is None, p.cost_rate or ZERO, p.talent_id))
    return ranked


def with_talent(people: list[FreePerson]) -> list[FreePerson]:
    """The people of a page with their talent, user and discipline loaded in one query."""
    talent = Talent.objects.select_related("user", "discipline").in_bulk([p.talent_id for p in people])
    for person in people:
        person.talent = talent[person.talent_id]
    return people


def next_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Friday of the week after `today`: who is free's default range."""
    monday = week_start(today) + ONE_WEEK
    return monday, monday + dt.timedelta(days=4)
