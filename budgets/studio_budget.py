"""The studio's production budget for a period, as of a day (DESIGN §3, "The studio budget").

- Freelance actual = approved hours of freelancers dated in the period up to d × their
  cost rate on each entry's date + freelance costs counted in the period up to d (fixed-fee
  work; hourly invoices are reconciled against those hours, never added).
- Freelance committed = the hours confirmed freelancer bookings land from d+1 to the
  period's end × each freelancer's cost rate valid on d; tentative bookings the same,
  shown apart ("if every hold is confirmed").
- Pool remaining = pool − actual − committed; the run-out date as for a project, from
  the freelance burn of the 28 days ending d.

Set-based: a fixed number of queries, whatever the number of freelancers or bookings.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from projects.models import Project
from schedules.capacity import booked_by_person
from schedules.models import Booking
from studio.models import RateCard, Talent

from .health import (
    BURN_DAYS,
    ZERO,
    BudgetHealth,
    Labour,
    burn_calendar,
    burn_days,
    burn_rate,
    exact,
    health_of,
    labour_cost,
    money_sum,
    run_out_date,
)
from .models import Cost, StudioBudget

ONE_DAY = dt.timedelta(days=1)
CONFIRMED, TENTATIVE = Booking.Status.CONFIRMED, Booking.Status.TENTATIVE


@dataclass(frozen=True)
class PoolFigures:
    """The freelance-support pool of `studio_budget` as of the end of `day`.

    `actual` = `actual_labour` + `actual_costs`; `committed` and `if_holds_confirmed` are
    the money of `committed_hours` (confirmed) and `tentative_hours` (tentative) still to
    land after `day` in the period; `remaining` = pool − actual − committed;
    `unrated_hours` (logged or booked) found no rate card and count at 0."""

    studio_budget: StudioBudget
    day: dt.date
    pool: Decimal
    actual_labour: Decimal
    actual_costs: Decimal
    actual: Decimal
    committed_hours: Decimal
    committed: Decimal
    tentative_hours: Decimal
    if_holds_confirmed: Decimal
    remaining: Decimal
    remaining_if_holds_confirmed: Decimal
    spent_last_28_days: Decimal
    burn_rate: Decimal
    run_out_date: dt.date | None
    over_pool: bool
    spent_fraction: Decimal | None
    unrated_hours: Decimal


def _freelance_rates(day: dt.date) -> dict[int, Decimal | None]:
    """{freelancer id: the cost rate of their card valid on `day` (None without one)}: one query."""
    card = RateCard.objects.valid_on(day).filter(talent=OuterRef("pk")).values("cost_rate")
    return dict(
        Talent.objects.filter(employment=Talent.Employment.FREELANCE)
        .annotate(rate=Subquery(card))
        .values_list("pk", "rate")
    )


def _booked_ahead(studio_budget: StudioBudget, day: dt.date, rates: Mapping[int, Decimal | None]) -> dict:
    """The hours freelancers' bookings land from the day after `day` to the period's end, and
    their money at the rate valid on `day`, by status: one query."""
    figures = {status: {"hours": ZERO, "money": ZERO, "unrated": ZERO} for status in (CONFIRMED, TENTATIVE)}
    first, last = max(day + ONE_DAY, studio_budget.period_start), studio_budget.period_end
    if first > last or not rates:
        return figures
    for talent, days in booked_by_person(first, last, talent=list(rates)).items():
        rate = rates.get(talent)
        for by_status in days.values():
            for status, hours in by_status.items():
                figures[status]["hours"] += hours
                figures[status]["money"] += hours * (rate or ZERO)
                if rate is None:
                    figures[status]["unrated"] += hours
    return figures


def _spent(studio_budget: StudioBudget, day: dt.date) -> dict[str, Decimal]:
    """Freelance money in the period up to `day`, and in the 28 days ending `day`: three queries."""
    first, last = studio_budget.period_start, min(day, studio_budget.period_end)
    since = day - dt.timedelta(days=BURN_DAYS - 1)
    freelance = Talent.Employment.FREELANCE
    in_period = labour_cost(by=(), first=first, last=last, employment=freelance).get((), Labour())
    recent = labour_cost(by=(), first=since, last=day, employment=freelance).get((), Labour())
    costs = (
        Cost.objects.counted()
        .filter(kind=Cost.Kind.FREELANCE_FIXED)
        .aggregate(
            total=money_sum("amount", filter=Q(date__gte=first, date__lte=last)),
            recent=money_sum("amount", filter=Q(date__gte=since, date__lte=day)),
        )
    )
    return {
        "labour": in_period.cost,
        "costs": exact(costs["total"]),
        "recent": recent.cost + exact(costs["recent"]),
        "unrated": in_period.unrated_hours,
    }


def _figures(studio_budget: StudioBudget, day: dt.date, rates: Mapping[int, Decimal | None]) -> PoolFigures:
    spent = _spent(studio_budget, day)
    ahead = _booked_ahead(studio_budget, day, rates)
    calendar = burn_calendar(day)
    pool = studio_budget.freelance_pool
    actual = spent["labour"] + spent["costs"]
    committed, tentative = ahead[CONFIRMED]["money"], ahead[TENTATIVE]["money"]
    days = burn_days(day, calendar)
    over = actual > 0 and actual >= pool
    return PoolFigures(
        studio_budget=studio_budget,
        day=day,
        pool=pool,
        actual_labour=spent["labour"],
        actual_costs=spent["costs"],
        actual=actual,
        committed_hours=ahead[CONFIRMED]["hours"],
        committed=committed,
        tentative_hours=ahead[TENTATIVE]["hours"],
        if_holds_confirmed=tentative,
        remaining=pool - actual - committed,
        remaining_if_holds_confirmed=pool - actual - committed - tentative,
        spent_last_28_days=spent["recent"],
        burn_rate=burn_rate(spent["recent"], days),
        run_out_date=None if over else run_out_date(day, pool - actual, spent["recent"], days, calendar),
        over_pool=over,
        spent_fraction=actual / pool if pool else None,
        unrated_hours=spent["unrated"] + ahead[CONFIRMED]["unrated"] + ahead[TENTATIVE]["unrated"],
    )


def pool_figures(studio_budget: StudioBudget, day: dt.date) -> PoolFigures:
    """The pool's figures as of the end of `day`, in six queries."""
    return _figures(studio_budget, day, _freelance_rates(day))


# --- what a booking would do to the pool --------------------------------------------------------


@dataclass(frozen=True)
class PoolAfterBooking:
    """The pool before a proposed freelancer booking is saved (`before`) and after it.

    `hours` are what the booking lands after `day` in the period and `cost` their money at
    the freelancer's rate valid on `day`; for a change to a saved booking, `replaced_cost`
    is the saved version's, taken out. A booking of staff or a placeholder does not touch
    the pool (`affects_pool` False, figures unchanged)."""

    before: PoolFigures
    affects_pool: bool
    status: str
    hours: Decimal
    cost: Decimal
    replaced_cost: Decimal
    committed: Decimal
    if_holds_confirmed: Decimal
    remaining: Decimal
    remaining_if_holds_confirmed: Decimal

    @property
    def exceeds_pool(self) -> bool:
        return self.remaining < 0


BOOKING_FIELDS = (
    "pk",
    "talent",
    "talent_id",
    "project",
    "project_id",
    "start_date",
    "end_date",
    "hours_per_day",
    "status",
    "include_weekends",
)


def _as_booking(booking_or_fields: Booking | Mapping) -> Booking:
    if isinstance(booking_or_fields, Booking):
        return booking_or_fields
    unknown = set(booking_or_fields) - set(BOOKING_FIELDS)
    if unknown:
        raise TypeError(f"A proposed booking has no {', '.join(sorted(unknown))}")
    return Booking(**booking_or_fields)


def _landed(booking: Booking, studio_budget: StudioBudget, day: dt.date) -> Decimal:
    """The hours `booking` (saved or not) lands after `day` in the period: three queries, or
    none when it lands nothing there."""
    first = max(day + ONE_DAY, studio_budget.period_start, booking.start_date)
    last = min(studio_budget.period_end, booking.end_date)
    if first > last or booking.talent is None:
        return ZERO
    landing = Booking.objects.landing_days(booking.talent, first, last, extra=[booking])
    return sum((booking.hours_per_day for bookings in landing.values() if any(b is booking for b in bookings)), ZERO)


def _money(
    booking: Booking, studio_budget: StudioBudget, day: dt.date, rates: Mapping[int, Decimal | None]
) -> tuple[Decimal, Decimal]:
    """The hours a freelancer's booking lands after `day` in the period, and their money."""
    if booking.talent_id is None or booking.talent_id not in rates:
        return ZERO, ZERO
    hours = _landed(booking, studio_budget, day)
    return hours, hours * (rates[booking.talent_id] or ZERO)


def pool_after_booking(
    studio_budget: StudioBudget, booking_or_fields: Booking | Mapping, day: dt.date
) -> PoolAfterBooking:
    """What a proposed booking (an unsaved or changed `Booking`, or its fields: talent,
    start_date, end_date, hours_per_day, status, include_weekends, and pk for a change)
    would do to the pool as of `day`, before it is saved: nine queries (thirteen for a change)."""
    booking = _as_booking(booking_or_fields)
    rates = _freelance_rates(day)
    before = _figures(studio_budget, day, rates)
    hours, cost = _money(booking, studio_budget, day, rates)
    saved = Booking.objects.select_related("talent").filter(pk=booking.pk).first() if booking.pk else None
    replaced = _money(saved, studio_budget, day, rates)[1] if saved is not None else ZERO
    change = {CONFIRMED: ZERO, TENTATIVE: ZERO}
    change[booking.status] += cost
    if saved is not None:
        change[saved.status] -= replaced
    committed = before.committed + change[CONFIRMED]
    tentative = before.if_holds_confirmed + change[TENTATIVE]
    remaining = before.pool - before.actual - committed
    return PoolAfterBooking(
        before=before,
        affects_pool=booking.talent_id in rates or (saved is not None and saved.talent_id in rates),
        status=booking.status,
        hours=hours,
        cost=cost,
        replaced_cost=replaced,
        committed=committed,
        if_holds_confirmed=tentative,
        remaining=remaining,
        remaining_if_holds_confirmed=remaining - tentative,
    )


# --- the projects it funds ---------------------------------------------------------------------


@dataclass(frozen=True)
class FundedProject:
    project: Project
    health: BudgetHealth


def funded_projects(studio_budget: StudioBudget, day: dt.date, projects=None) -> list[FundedProject]:
    """The projects active in the period (planned into it, or still running into it
    overdue; not at intake, not cancelled), each with its budget health as of `day`, by
    code: seven queries. `projects` narrows them (a queryset the user may see)."""
    status = Project.Status
    start, end = studio_budget.period_start, studio_budget.period_end
    rows = list(
        (Project.objects.all() if projects is None else projects)
        .filter(planned_start__lte=end)
        .filter(Q(due_date__gte=start) | Q(status__in=[status.ACTIVE, status.ON_HOLD]))
        .exclude(status__in=[status.INTAKE, status.CANCELLED])
        .select_related("brand", "pm")
        .order_by("code")
    )
    health = health_of(rows, day)
    return [FundedProject(project=p, health=health[p.pk]) for p in rows]
