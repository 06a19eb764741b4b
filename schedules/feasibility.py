"""Whether the studio can take on a request by its deadline (DESIGN §2, feasibility).

The window runs from tomorrow to the deadline, both included. For each discipline
the request needs (standard hours per unit × units), free capacity is the capacity
of staff and of freelancers under contract minus demand over the window, floored
at 0 in total. The request fits when every need is within free capacity; it needs
extra freelance hours when each discipline's gap fits within the freelance hours
per week the studio can source for it, prorated by the window's working days
(working days / 5 weeks); otherwise it cannot be met, and the earliest feasible
date is the first later deadline that fits or fits with freelance help, looked for
up to a year after the deadline and never past the plan window's last day (ten
years ahead): the days walked are bounded by the deadline, never by stored data.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from projects.models import DeliverableType, StandardHours
from studio import clock
from studio.models import Discipline
from studio.workdays import WorkCalendar, plan_window

from .capacity import CENT, ONE_DAY, ZERO, capacity_by_discipline, demand_by_discipline

FITS, FREELANCE, IMPOSSIBLE = "fits", "freelance", "impossible"
# How far past the deadline the earliest feasible date is looked for.
SEARCH_DAYS = 365
WEEK = Decimal(5)


@dataclass(frozen=True)
class DisciplineFeasibility:
    """One discipline's need, free hours and sourceable freelance hours in the window."""

    discipline: Discipline
    need: Decimal
    free: Decimal
    freelance_available: Decimal

    @property
    def gap(self) -> Decimal:
        return max(ZERO, self.need - self.free)

    @property
    def fits(self) -> bool:
        return self.gap == 0

    @property
    def fits_with_freelance(self) -> bool:
        return self.gap <= self.freelance_available

    @property
    def extra_price(self) -> Decimal:
        """The gap priced at the discipline's freelance bill rate (what the brand pays)."""
        return self.gap * self.discipline.freelance_bill_rate


@dataclass(frozen=True)
class Feasibility:
    deadline: dt.date
    start: dt.date
    working_days: int
    disciplines: tuple[DisciplineFeasibility, ...]
    earliest_feasible_date: dt.date | None
    # Types asked for that have no standard hours, so no estimate.
    unestimated: tuple[DeliverableType, ...] = ()

    @property
    def verdict(self) -> str:
        return _verdict(self.disciplines)

    @property
    def extra_freelance_hours(self) -> Decimal:
        return sum((row.gap for row in self.disciplines), ZERO)

    @property
    def extra_freelance_price(self) -> Decimal:
        return sum((row.extra_price for row in self.disciplines), ZERO)

    @property
    def extra_freelance_price_shown(self) -> Decimal:
        return self.extra_freelance_price.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def extra_freelance_hours_about(self) -> int:
        """The extra hours as a whole number, rounded up: "about 13 hours"."""
        return math.ceil(self.extra_freelance_hours)

    @property
    def need(self) -> Decimal:
        return sum((row.need for row in self.disciplines), ZERO)


def _verdict(rows: Iterable[DisciplineFeasibility]) -> str:
    rows = list(rows)
    if all(row.fits for row in rows):
        return FITS
    if all(row.fits_with_freelance for row in rows):
        return FREELANCE
    return IMPOSSIBLE


def _quantities(items: Iterable[tuple[DeliverableType | int, int]]) -> dict[int, int]:
    quantities: dict[int, int] = defaultdict(int)
    for deliverable_type, quantity in items:
        if quantity < 0:
            raise ValueError("A quantity cannot be negative.")
        quantities[getattr(deliverable_type, "pk", deliverable_type)] += quantity
    return quantities


def _types(type_ids: Iterable[int]) -> list[DeliverableType]:
    """The deliverable types with their standard hours and disciplines (two queries)."""
    return list(
        DeliverableType.objects.filter(pk__in=set(type_ids)).prefetch_related(
            Prefetch("standard_hours", queryset=StandardHours.objects.select_related("discipline"))
        )
    )


def _needs(items: Iterable[tuple[DeliverableType | int, int]], types: list[DeliverableType] | None = None):
    """Hours needed per discipline, and the types asked for without standard hours;
    `types` already loaded (with their standard hours) saves the queries."""
    quantities = _quantities(items)
    asked = {pk for pk, n in quantities.items() if n}
    types = _types(asked) if types is None else [kind for kind in types if kind.pk in asked]
    need: dict[int, Decimal] = defaultdict(lambda: ZERO)
    disciplines: dict[int, Discipline] = {}
    unestimated = []
    for deliverable_type in types:
        rows = deliverable_type.standard_hours.all()
        if not rows:
            unestimated.append(deliverable_type)
        for row in rows:
            need[row.discipline_id] += row.hours_per_unit * quantities[deliverable_type.pk]
            disciplines[row.discipline_id] = row.discipline
    ordered = sorted(disciplines.values(), key=lambda d: (d.name, d.pk))
    return [(d, need[d.pk]) for d in ordered], tuple(unestimated)


class _Tally:
    """Each discipline's running capacity minus demand and the working days from
    the window's start, so a window ending on any later day is read off directly."""

    def __init__(self, needs: list[tuple[Discipline, Decimal]], calendar: WorkCalendar, today: dt.date):
        self.needs, self.calendar, self.today = needs, calendar, today
        self.ids = [discipline.pk for discipline, _need in needs]
        self.net = dict.fromkeys(self.ids, ZERO)
        self.working_days = 0

    def days(self, first: dt.date, last: dt.date):
        """Add the days from `first` to `last` one by one, yielding each after it is added."""
        capacity = capacity_by_discipline(first, last, self.ids)
        demand = demand_by_discipline(first, last, today=self.today, disciplines=self.ids)
        day = first
        while day <= last:
            self.working_days += self.calendar.is_working_day(day)
            for pk in self.ids:
                self.net[pk] += capacity.get(pk, {}).get(day, ZERO) - demand.get(pk, {}).get(day, ZERO)
            yield day
            day += ONE_DAY

    def rows(self) -> tuple[DisciplineFeasibility, ...]:
        return _rows(self.needs, self.net, self.working_days)


def _rows(needs, net: dict[int, Decimal], working_days: int) -> tuple[DisciplineFeasibility, ...]:
    """Each needed discipline's row, from its capacity minus demand over a window of
    `working_days` working days."""
    return tuple(
        DisciplineFeasibility(
            discipline=discipline,
            need=need,
            free=max(ZERO, net[discipline.pk].quantize(CENT, rounding=ROUND_HALF_UP)),
            freelance_available=discipline.freelance_hours_per_week * working_days / WEEK,
        )
        for discipline, need in needs
    )


def request_feasibility(
    *, items: list[tuple[DeliverableType | int, int]], deadline: dt.date, today: dt.date | None = None
) -> Feasibility:
    """The verdict on delivering `items` (deliverable type, units) by `deadline`."""
    today = today or clock.today()
    start = today + ONE_DAY
    if deadline < start:
        raise ValueError("The deadline must be after today.")
    window_last = plan_window(today)[1]
    if deadline > window_last:
        raise ValueError("The deadline must be inside the plan window.")
    needs, unestimated = _needs(items)
    if not needs:
        return Feasibility(deadline, start, 0, (), None, unestimated)

    last = min(deadline + dt.timedelta(days=SEARCH_DAYS), window_last)
    tally = _Tally(needs, WorkCalendar.between(start, last), today)
    for _day in tally.days(start, deadline):
        pass
    rows, working_days = tally.rows(), tally.working_days
    if _verdict(rows) != IMPOSSIBLE:
        return Feasibility(deadline, start, working_days, rows, None, unestimated)
    # Only a request that cannot be met reads the year after its deadline.
    earliest = next(
        (day for day in tally.days(deadline + ONE_DAY, last) if _verdict(tally.rows()) != IMPOSSIBLE), None
    )
    return Feasibility(deadline, start, working_days, rows, earliest, unestimated)


def requests_feasibility(
    asks: Mapping[Hashable, tuple[Iterable[tuple[DeliverableType | int, int]], dt.date]],
    *,
    today: dt.date | None = None,
) -> dict[Hashable, Feasibility | None]:
    """The verdict on each ask ({key: (items, deadline)}) at once, for a list of requests:
    the same rows and verdict as `request_feasibility`, in a number of queries that does
    not grow with the asks (the types, the holidays, capacity and demand, each read once
    from tomorrow to the latest deadline). The earliest feasible date is not searched
    (None): a list shows the verdict; the request's own page shows the date. None for an
    ask whose deadline is not after today or is past the plan window."""
    today = today or clock.today()
    start = today + ONE_DAY
    window_last = plan_window(today)[1]
    result: dict[Hashable, Feasibility | None] = dict.fromkeys(asks)
    quantities = {
        key: _quantities(items) for key, (items, deadline) in asks.items() if start <= deadline <= window_last
    }
    if not quantities:
        return result
    types = _types(pk for asked in quantities.values() for pk, n in asked.items() if n)
    needs = {key: _needs(asked.items(), types) for key, asked in quantities.items()}
    ids = sorted({discipline.pk for rows, _unestimated in needs.values() for discipline, _need in rows})
    deadlines = {key: asks[key][1] for key in needs}
    by_deadline: dict[dt.date, list[Hashable]] = defaultdict(list)
    for key, deadline in deadlines.items():
        by_deadline[deadline].append(key)
    last = max(deadlines.values())
    calendar = WorkCalendar.between(start, last)
    capacity = capacity_by_discipline(start, last, ids) if ids else {}
    demand = demand_by_discipline(start, last, today=today, disciplines=ids) if ids else {}
    # One walk from tomorrow to the latest deadline; each ask reads the running totals on its deadline.
    net, working_days, day = dict.fromkeys(ids, ZERO), 0, start
    while day <= last:
        working_days += calendar.is_working_day(day)
        for pk in ids:
            net[pk] += capacity.get(pk, {}).get(day, ZERO) - demand.get(pk, {}).get(day, ZERO)
        for key in by_deadline.get(day, ()):
            rows, unestimated = needs[key]
            result[key] = Feasibility(
                day, start, working_days if rows else 0, _rows(rows, net, working_days), None, unestimated
            )
        day += ONE_DAY
    return result
