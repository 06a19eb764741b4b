"""Schedule variance (DESIGN §3), per project and for the studio, as of the end of a day.

Per project, from its deliverables' current plan (cancelled ones excluded), in planned hours
and working days (Monday to Friday minus studio holidays):

- PV, EV, BAC, SV = EV − PV and SPI = EV / PV (None while PV is 0);
- earned schedule on the project's working-day index k = 1, 2, … counted from the earliest
  planned start, N the index of the latest due date: ES, AT, SV(t) = ES − AT, SPI(t) = ES / AT
  (None while AT is 0) and the forecast finish, the working day at index ⌈N / SPI(t)⌉ (None
  while SPI(t) is 0 or None).

For the studio, over the active projects that have an SV(t): its mean, and the shares ahead
(SV(t) > +1), on time (−1 to +1) and behind (SV(t) < −1).

Three queries whatever the number of projects and deliverables (the projects, their
deliverables with their percent complete, the holidays); the rest is arithmetic on each
project's working-day index. It runs in exact fractions so that "PV(k) ≤ EV" and the ceiling
of the forecast are decided exactly; the values come out as Decimals.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef

from projects.models import Deliverable
from projects.progress import end_of, percent_complete_on
from studio.clock import studio_zone
from studio.workdays import LATEST_DAY, ONE_DAY, WorkCalendar

from ..catalogue import PROJECT, SCHEDULE, STUDIO, metrics_of, scope_key
from . import Value
from .scope import active_on, projects_on

PROJECT_METRICS = [metric.key for metric in metrics_of(SCHEDULE) if PROJECT in metric.scopes]
STUDIO_METRICS = [metric.key for metric in metrics_of(SCHEDULE) if STUDIO in metric.scopes]
# Beyond this many working days a plan is a typo, not a plan: its earned schedule is not computed.
MAX_SPAN = 3000
# Within one working day either way a project is on time.
ON_TIME = 1


@dataclass(frozen=True)
class Part:
    """One deliverable on its project's working-day index: its planned hours are spread over
    the `length` working days after the first `before` ones of the project; with no working day
    in its range (`length` 0) they all count from its due date, whose index is `due_index`."""

    hours: Fraction
    before: int
    length: int
    due: dt.date
    due_index: int

    def fraction_at(self, k: int) -> Fraction:
        """Its planned fraction on the k-th working day of the project."""
        if self.length:
            return min(Fraction(1), Fraction(max(0, k - self.before), self.length))
        # The k-th working day is on or after a due date that is no working day once it is past it.
        return Fraction(1 if k > self.due_index else 0)

    def fraction_on(self, day: dt.date, k: int) -> Fraction:
        """Its planned fraction on `day`, the project's working-day count up to it being `k`."""
        if self.length:
            return self.fraction_at(k)
        return Fraction(1 if day >= self.due else 0)


class Plan:
    """A project's live deliverables on its working-day index: index k is the k-th working day
    from the earliest planned start, N (`n`) the index of the latest due date."""

    def __init__(self, rows: list[tuple], calendar: WorkCalendar):
        self.calendar = calendar
        self.start = min(start for _, start, _, _, _ in rows)
        self.n = calendar.count(self.start, max(due for _, _, due, _, _ in rows))
        self.parts = [
            Part(
                hours=Fraction(hours),
                before=calendar.count(self.start, start - ONE_DAY),
                length=calendar.count(start, due),
                due=due,
                due_index=calendar.count(self.start, due),
            )
            for hours, start, due, _, _ in rows
        ]
        self.bac = sum((part.hours for part in self.parts), Fraction(0))
        self.ev = sum((Fraction(hours) * percent / 100 for hours, _, _, percent, _ in rows), Fraction(0))

    def index_of(self, day: dt.date) -> int:
        """Working days from the start to `day`, both included (0 before the start)."""
        return self.calendar.count(self.start, day)

    def pv_at(self, k: int) -> Fraction:
        """PV(k): the planned hours due by the k-th working day (PV(0) = 0, PV(N + 1) = BAC)."""
        return sum((part.hours * part.fraction_at(k) for part in self.parts), Fraction(0))

    def pv_on(self, day: dt.date) -> Fraction:
        """PV(d): the planned hours due by the end of `day`."""
        k = self.index_of(day)
        return sum((part.hours * part.fraction_on(day, k) for part in self.parts), Fraction(0))

    def earned_schedule(self) -> Fraction | None:
        """ES = w + (EV − PV(w)) / (PV(w + 1) − PV(w)), w the largest k in 0 … N with
        PV(k) ≤ EV; N once EV = BAC; never past N. None without planned hours or past
        `MAX_SPAN` working days."""
        if not self.bac or self.n > MAX_SPAN:
            return None
        if self.ev >= self.bac:
            return Fraction(self.n)
        # PV never falls as k grows: the largest k with PV(k) ≤ EV by bisection.
        low, high = 0, self.n
        while low < high:
            middle = (low + high + 1) // 2
            if self.pv_at(middle) <= self.ev:
                low = middle
            else:
                high = middle - 1
        pv_w, pv_next = self.pv_at(low), self.pv_at(low + 1)
        # PV(w + 1) > EV ≥ PV(w), as PV(N + 1) = BAC > EV. Hours planned on no working day at
        # the very end land after N: ES stops at N so that finishing them does not lower it.
        return min(Fraction(self.n), low + (self.ev - pv_w) / (pv_next - pv_w))

    def working_day(self, index: int) -> dt.date | None:
        """The `index`-th working day from the start (1 = the first on or after it); None past
        the studio's calendar."""
        first, last = self.start, self.calendar.end
        if index < 1 or self.calendar.count(first, last) < index:
            return None
        while first < last:
            middle = first + (last - first) // 2
            if self.calendar.count(self.start, middle) >= index:
                last = middle
            else:
                first = middle + ONE_DAY
        return first


def compute(day: dt.date) -> list[Value]:
    """The schedule family's values for `day`: the ten figures of every project the night
    computes (`projects_on`), then the studio's four; an undefined figure is None."""
    projects = list(
        projects_on(day)
        .annotate(active=Exists(active_on(day).filter(pk=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "active")
    )
    values: list[Value] = []
    active_sv_t: list[Fraction] = []
    if projects:
        deliverables = _deliverables([pk for pk, _ in projects], day)
        calendar = _calendar(deliverables, day)
        for pk, active in projects:
            figures = _figures(deliverables.get(pk, []), day, calendar)
            values += [Value(scope_key(PROJECT, pk), key, _out(figures.get(key))) for key in PROJECT_METRICS]
            if active and figures.get("sv_t") is not None:
                active_sv_t.append(figures["sv_t"])
    studio = _studio(active_sv_t)
    values += [Value(scope_key(STUDIO), key, _out(studio[key])) for key in STUDIO_METRICS]
    return values


def _deliverables(project_ids: list[int], day: dt.date) -> dict[int, list[tuple]]:
    """{project id: [(planned hours, planned start, due date, percent complete, approved at
    or None if not approved by the end of `day`)]} of the live deliverables, in one query."""
    rows = (
        Deliverable.objects.live()
        .filter(project__in=project_ids)
        .annotate(percent=percent_complete_on(day))
        .order_by("project", "pk")
        .values_list("project", "planned_hours", "planned_start", "due_date", "percent", "approved_at")
    )
    end = end_of(day)
    by_project = defaultdict(list)
    for project, hours, start, due, percent, approved_at in rows:
        known = approved_at if approved_at is not None and approved_at < end else None
        by_project[project].append((hours, start, due, percent, known))
    return by_project


def _calendar(deliverables: dict[int, list[tuple]], day: dt.date) -> WorkCalendar:
    """The holidays from the earliest planned start to the end of the studio's calendar (the
    forecasts reach past the plans), in one query."""
    rows = [row for project_rows in deliverables.values() for row in project_rows]
    first = min([day, *(start for _, start, _, _, _ in rows)])
    last = max([LATEST_DAY, day, *(due for _, _, due, _, _ in rows)])
    return WorkCalendar.between(first, last)


def _figures(rows: list[tuple], day: dt.date, calendar: WorkCalendar) -> dict:
    """A project's figures on `day` by metric key (exact fractions, a date, or None)."""
    if not rows:  # Its last live deliverable went between two queries: nothing planned.
        return {"pv": Fraction(0), "ev": Fraction(0), "bac": Fraction(0), "sv": Fraction(0)}
    plan = Plan(rows, calendar)
    approvals = [approved_at for *_, approved_at in rows]
    # A finished project keeps its final figures: everything is taken at its last approval.
    as_of = day
    if all(approvals):
        as_of = min(day, max(approvals).astimezone(studio_zone()).date())
    pv, at = plan.pv_on(as_of), plan.index_of(as_of)
    figures = {
        "pv": pv,
        "ev": plan.ev,
        "bac": plan.bac,
        "sv": plan.ev - pv,
        "spi": plan.ev / pv if pv else None,
        "at": Fraction(at),
    }
    es = plan.earned_schedule()
    if es is None:
        return figures
    spi_t = es / at if at else None
    figures |= {
        "es": es,
        "sv_t": es - at,
        "spi_t": spi_t,
        "forecast_finish": plan.working_day(math.ceil(plan.n / spi_t)) if spi_t else None,
    }
    return figures


def _studio(sv_ts: list[Fraction]) -> dict:
    """The studio's figures from the SV(t)s of its active projects that have one."""
    if not sv_ts:
        return dict.fromkeys(STUDIO_METRICS)
    count = len(sv_ts)
    return {
        "sv_t": sum(sv_ts, Fraction(0)) / count,
        "share_ahead": Fraction(sum(1 for sv_t in sv_ts if sv_t > ON_TIME), count),
        "share_on_time": Fraction(sum(1 for sv_t in sv_ts if -ON_TIME <= sv_t <= ON_TIME), count),
        "share_behind": Fraction(sum(1 for sv_t in sv_ts if sv_t < -ON_TIME), count),
    }


def _out(value: Fraction | dt.date | None) -> Decimal | dt.date | None:
    """A figure as the family answers it: a Decimal (to Decimal's full precision), a date or None."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return value
