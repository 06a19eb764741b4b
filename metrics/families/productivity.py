"""Productivity and utilization (DESIGN §3), over the 28 days ending d (d − 27 … d), for the
studio, each active discipline and each active person, as of the end of d.

- Output units: the units (`Deliverable.quantity`) of the deliverables approved in the window.
  A person's share of each is its units × their approved hours on it up to d / everyone's
  approved hours on it up to d; a discipline's is the sum of its active people's shares. The
  studio's are all the units approved, whoever worked on them (or if nobody logged time on them).
- Approved hours: hours dated in the window, on any project, whose timesheet is approved.
- Productivity = output units × 100 / approved hours (None without hours).
- Capacity: the utilization page's (`schedules.capacity.capacity_by_person`): each active
  person's working days in the window, less holidays and approved time off, × their hours a
  day (freelancers only within their contract).
- Logged utilization = approved hours on client (not internal) projects / capacity; booked
  utilization = the hours confirmed bookings on client projects land in the window (by the
  rule of `BookingQuerySet.landing_on`) / capacity. None where the capacity is 0.

Logged time counts while its timesheet is approved (now, as for the money family's cost:
`budgets.health.labour_cost`), dated up to d. A discipline's figures are its active people's,
summed; the studio's productivity counts everyone's work, people since gone included, while
its utilization counts the active people whose capacity it is measured against. Placeholders
are not people: only bookings of a person land.

Seven queries, whatever the number of people, projects, entries and bookings: the active
people, the active disciplines, approved hours by person, the units approved, the hours on
those deliverables by person, capacity, and the confirmed bookings' hours on client work (the
capacity SQL's landing rule). The shares are folded in Python over the grouped rows, in exact fractions.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import DecimalField, Q, Sum

from projects.models import Deliverable, DeliverableStatus
from projects.progress import end_of
from schedules.capacity import booked_by_person, capacity_by_person
from schedules.models import Booking, TimeEntry
from studio.models import Discipline, Talent

from ..catalogue import DISCIPLINE, PRODUCTIVITY, STUDIO, TALENT, metrics_of, scope_key
from . import Value

WINDOW_DAYS = 28
ONE_DAY = dt.timedelta(days=1)
METRICS = [metric.key for metric in metrics_of(PRODUCTIVITY)]
# Sums of hours outgrow the entry's own five digits.
HOURS = DecimalField(max_digits=16, decimal_places=2)
ZERO = Fraction(0)


@dataclass
class Figures:
    """One scope's sums over the window, in exact fractions of units and hours."""

    output: Fraction = ZERO
    hours: Fraction = ZERO
    client_hours: Fraction = ZERO
    capacity: Fraction = ZERO
    booked: Fraction = ZERO

    def add(self, other: "Figures") -> None:
        self.output += other.output
        self.hours += other.hours
        self.client_hours += other.client_hours
        self.capacity += other.capacity
        self.booked += other.booked

    def values(self, key: str) -> list[Value]:
        figures = {
            "output_units": self.output,
            "approved_hours": self.hours,
            "productivity": self.output * 100 / self.hours if self.hours else None,
            "capacity": self.capacity,
            "logged_utilization": self.client_hours / self.capacity if self.capacity else None,
            "booked_utilization": self.booked / self.capacity if self.capacity else None,
        }
        return [Value(key, metric, _out(figures[metric])) for metric in METRICS]


def compute(day: dt.date) -> list[Value]:
    """The family's values for `day`: the studio's six, then each active discipline's, then
    each active person's (by id); an undefined ratio is None."""
    first = day - dt.timedelta(days=WINDOW_DAYS - 1)
    people = dict(Talent.objects.active().order_by("pk").values_list("pk", "discipline_id"))
    disciplines = list(Discipline.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    approved = _approved_in_window(first, day)
    studio_units = approved.aggregate(units=Sum("quantity"))["units"] or 0

    person: dict[int, Figures] = defaultdict(Figures)
    studio_hours = ZERO
    for talent, hours, client_hours in _hours_by_person(first, day):
        studio_hours += hours
        person[talent].hours += hours
        person[talent].client_hours += client_hours
    for talent, share in _shares(approved, day).items():
        person[talent].output += share
    for talent, days in capacity_by_person(first, day).items():
        person[talent].capacity += sum((Fraction(hours) for hours in days.values()), ZERO)
    for talent, hours in _booked_on_client_work(first, day).items():
        person[talent].booked += hours

    by_discipline: dict[int, Figures] = defaultdict(Figures)
    studio = Figures()
    for talent, discipline in people.items():
        by_discipline[discipline].add(person[talent])
        studio.add(person[talent])
    # The studio's output and hours are everyone's, not only its active people's.
    studio.output, studio.hours = Fraction(studio_units), studio_hours

    values = studio.values(scope_key(STUDIO))
    for discipline in disciplines:
        values += by_discipline[discipline].values(scope_key(DISCIPLINE, discipline))
    for talent in people:
        values += person[talent].values(scope_key(TALENT, talent))
    return values


def _approved_in_window(first: dt.date, day: dt.date):
    """The deliverables approved from the start of `first` to the end of `day`."""
    return Deliverable.objects.filter(
        status__in=DeliverableStatus.done(), approved_at__gte=end_of(first - ONE_DAY), approved_at__lt=end_of(day)
    )


def _hours_by_person(first: dt.date, day: dt.date) -> list[tuple[int, Fraction, Fraction]]:
    """(talent id, approved hours, of which on client projects) from `first` to `day`, for
    everyone who logged any: one query."""
    rows = (
        TimeEntry.objects.approved()
        .filter(date__range=(first, day))
        .order_by()
        .values("talent")
        .annotate(
            total=Sum("hours", output_field=HOURS),
            client=Sum("hours", filter=Q(project__is_internal=False), output_field=HOURS),
        )
        .values_list("talent", "total", "client")
    )
    return [(talent, Fraction(hours), Fraction(client or 0)) for talent, hours, client in rows]


def _shares(approved, day: dt.date) -> dict[int, Fraction]:
    """{talent id: output units}: each approved deliverable's units shared among the people
    who logged approved time on it up to `day`, by their hours (one query)."""
    rows = (
        TimeEntry.objects.approved()
        .filter(date__lte=day, deliverable__in=approved.values("pk"))
        .order_by()
        .values("deliverable", "deliverable__quantity", "talent")
        .annotate(total=Sum("hours", output_field=HOURS))
        .values_list("deliverable", "deliverable__quantity", "talent", "total")
    )
    on_deliverable: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    units: dict[int, int] = {}
    for deliverable, quantity, talent, hours in rows:
        units[deliverable] = quantity
        on_deliverable[deliverable].append((talent, Fraction(hours)))
    shares: dict[int, Fraction] = defaultdict(Fraction)
    for deliverable, hours_by_talent in on_deliverable.items():
        total = sum((hours for _, hours in hours_by_talent), ZERO)
        for talent, hours in hours_by_talent:
            shares[talent] += units[deliverable] * hours / total
    return shares


def _booked_on_client_work(first: dt.date, day: dt.date) -> dict[int, Fraction]:
    """{talent id: hours} that each active person's confirmed bookings on client projects,
    made by the end of `day`, land from `first` to `day` (the landing rule of the capacity
    SQL): one query."""
    booked: dict[int, Fraction] = defaultdict(Fraction)
    landed = booked_by_person(first, day, client_only=True, made_before=end_of(day))
    for talent, days in landed.items():
        for by_status in days.values():
            booked[talent] += Fraction(by_status.get(Booking.Status.CONFIRMED, 0))
    return booked


def _out(value: Fraction | None) -> Decimal | None:
    """A figure as the family answers it: a Decimal (to Decimal's full precision) or None."""
    if value is None:
        return None
    return Decimal(value.numerator) / Decimal(value.denominator)
