"""Money as of a day, per project (DESIGN §3, "Budget health" and "Return on investment").

- Fee in force = the fee + fee changes of change orders approved up to d.
- BACm = the baseline in force on d (the latest budget approved up to d) + budget changes
  of change orders approved up to d; none without a baseline.
- AC = approved hours dated up to d × the cost rate valid on each entry's date (staff and
  hourly freelancers alike) + counted costs dated up to d (invoiced or paid; a
  freelancer's invoice for hourly work is reconciled against those hours, never added).
- EVm = BACm × EV / BAC (hours, `projects.progress`); CV, CPI, EAC, VAC, margin at
  completion, the burn rate over the 28 days ending d and the run-out date follow.

Money keeps its fractions of a cent (rounded only when shown); ratios keep Decimal's
precision. Every read is set-based: a fixed number of queries for any number of projects.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from projects.models import Deliverable, Project
from projects.progress import Earned, earned_hours, end_of, project_ids
from schedules.models import TimeEntry, Timesheet
from studio import clock
from studio.dates import day_text
from studio.models import Discipline, RateCard, Talent
from studio.workdays import EARLIEST_DAY, WorkCalendar, plan_window

from .models import Budget, BudgetLine, ChangeOrder, ChangeOrderLine, Cost
from .querysets import line_total_expression

ZERO = Decimal("0")
ONE_DAY = dt.timedelta(days=1)
# Sums of money keep their fractions of a cent on every database: SQLite answers floats,
# and rounds a decimal result to its output field's places.
FINE = Decimal("0.000001")
MONEY = DecimalField(max_digits=24, decimal_places=6)
BURN_DAYS = 28
# A burn chart covers a bounded range, so no request walks the calendar to year 9999.
MAX_SERIES_DAYS = 400
ALERT_LEVELS = (100, 80)


# --- actual cost -------------------------------------------------------------------------


# Each rate card is in force from its `valid_from` until the next card of the same talent
# (a window over the cards); an approved entry is priced by the card in force on its date,
# joined by range. At `seed_demo --scale 10` this sums every project's labour six times
# faster than a subquery per entry for its rate (which Django repeats in each aggregate).
_LABOUR_SQL = """
WITH cards AS (
    SELECT talent_id, cost_rate, valid_from,
           LEAD(valid_from) OVER (PARTITION BY talent_id ORDER BY valid_from) AS valid_until
    FROM {ratecard}
)
SELECT {keys}
       SUM(e.hours),
       SUM(e.hours * COALESCE(c.cost_rate, 0)),
       SUM(CASE WHEN e.date >= %(since)s THEN e.hours * COALESCE(c.cost_rate, 0) ELSE 0 END),
       SUM(CASE WHEN c.cost_rate IS NULL THEN e.hours ELSE 0 END)
FROM {timeentry} e
JOIN {timesheet} s ON s.id = e.timesheet_id
JOIN {talent} t ON t.id = e.talent_id
LEFT JOIN cards c ON c.talent_id = e.talent_id AND c.valid_from <= e.date
                  AND (c.valid_until IS NULL OR e.date < c.valid_until)
WHERE s.status = %(approved)s AND e.date BETWEEN %(first)s AND %(last)s {only}
{group_by}
"""
# What labour may be summed by: a fixed list, never a caller's text.
LABOUR_KEYS = {
    "project": "e.project_id",
    "talent": "e.talent_id",
    "date": "e.date",
    "employment": "t.employment",
    "discipline": "t.discipline_id",
}


@dataclass(frozen=True)
class Labour:
    """Approved hours and their cost (hours × the cost rate valid on each entry's date);
    `recent` is the cost from the day asked for on; `unrated_hours` found no rate card on
    their date and cost 0."""

    hours: Decimal = ZERO
    cost: Decimal = ZERO
    recent: Decimal = ZERO
    unrated_hours: Decimal = ZERO


def _in(column: str, name: str, values, params: dict) -> str:
    """`AND column IN (…)`, one named parameter per value."""
    values = sorted(set(values))
    if not values:
        return "AND 1 = 0"
    names = []
    for n, value in enumerate(values):
        params[f"{name}{n}"] = value
        names.append(f"%({name}{n})s")
    return f"AND {column} IN ({', '.join(names)})"


def labour_cost(
    *,
    by: tuple[str, ...],
    last: dt.date,
    first: dt.date = EARLIEST_DAY,
    since: dt.date | None = None,
    projects: Iterable[int] | None = None,
    talent: Iterable[int] | None = None,
    employment: str | None = None,
) -> dict[tuple, Labour]:
    """Approved labour dated from `first` to `last`, summed by the `LABOUR_KEYS` named in
    `by` ({(): Labour} for `by=()`), for the projects, people or employment given: one query."""
    quote = connection.ops.quote_name
    params = {
        "approved": Timesheet.Status.APPROVED,
        "first": _date(first),
        "last": _date(last),
        "since": _date(since or last + ONE_DAY),
    }
    only = []
    if projects is not None:
        only.append(_in("e.project_id", "project", projects, params))
    if talent is not None:
        only.append(_in("e.talent_id", "talent", talent, params))
    if employment is not None:
        params["employment"] = employment
        only.append("AND t.employment = %(employment)s")
    columns = [LABOUR_KEYS[key] for key in by]
    sql = _LABOUR_SQL.format(
        keys="".join(f"{column}, " for column in columns),
        group_by=f"GROUP BY {', '.join(columns)}" if columns else "",
        only=" ".join(only),
        ratecard=quote(RateCard._meta.db_table),
        timeentry=quote(TimeEntry._meta.db_table),
        timesheet=quote(Timesheet._meta.db_table),
        talent=quote(Talent._meta.db_table),
    )
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            keys, (hours, cost, recent, unrated) = row[: len(by)], row[len(by) :]
            if hours is None:  # no rows at all, without GROUP BY
                continue
            key = tuple(_day(value) if name == "date" else value for name, value in zip(by, keys, strict=True))
            result[key] = Labour(
                hours=exact(hours), cost=exact(cost), recent=exact(recent), unrated_hours=exact(unrated)
            )
    return result


def _date(value: dt.date):
    # A date on PostgreSQL, ISO text on SQLite.
    return connection.ops.adapt_datefield_value(value)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def money_sum(expression, **kwargs):
    """Σ expression as money with its fractions kept, 0 over no rows."""
    return Coalesce(Sum(expression, output_field=MONEY, **kwargs), Value(ZERO), output_field=MONEY)


def exact(value) -> Decimal:
    """A sum as SQL answers it, as an exact Decimal (SQLite answers floats)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value or 0))
    return number.quantize(FINE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Actuals:
    """Actual cost to date: `labour` (approved hours × the cost rate on each entry's date)
    and `costs` (counted costs); `unrated_hours` found no rate card on their date and are
    counted at 0."""

    labour: Decimal = ZERO
    costs: Decimal = ZERO
    unrated_hours: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.labour + self.costs


def _actuals(ids: list[int], day: dt.date, since: dt.date) -> tuple[dict[int, Actuals], dict[int, Decimal]]:
    """Actual cost to the end of `day` per project, and the part of it from `since` on:
    two queries."""
    labour = labour_cost(by=("project",), last=day, since=since, projects=ids)
    costs = {
        row["project"]: row
        for row in Cost.objects.counted()
        .filter(project__in=ids, date__lte=day)
        .order_by()
        .values("project")
        .annotate(total=money_sum("amount"), recent=money_sum("amount", filter=Q(date__gte=since)))
    }
    actuals, recent = {}, {}
    for pk in ids:
        spent = labour.get((pk,), Labour())
        cost = costs.get(pk, {"total": ZERO, "recent": ZERO})
        actuals[pk] = Actuals(labour=spent.cost, costs=exact(cost["total"]), unrated_hours=spent.unrated_hours)
        recent[pk] = spent.recent + exact(cost["recent"])
    return actuals, recent


def actual_costs(projects: Iterable[Project | int], day: dt.date) -> dict[int, Actuals]:
    """{project id: Actuals} to the end of `day` (ROI's cost, budget health's AC): two queries."""
    ids = project_ids(projects)
    return _actuals(ids, day, day)[0] if ids else {}


# --- the working days money burns on --------------------------------------------------------


def burn_calendar(day: dt.date) -> WorkCalendar:
    """The working days from the burn window's first day to the plan window's last: one query."""
    first = day - dt.timedelta(days=BURN_DAYS - 1)
    last = max(plan_window(day)[1], day)
    return WorkCalendar.between(first, last)


def burn_days(day: dt.date, calendar: WorkCalendar) -> int:
    """The working days in the 28 days ending `day`."""
    return calendar.count(day - dt.timedelta(days=BURN_DAYS - 1), day)


def burn_rate(spent: Decimal, working_days: int) -> Decimal:
    """Money spent in the 28 days ending d over the working days in them."""
    return spent / working_days if working_days else ZERO


def _weekdays_after(day: dt.date, n: int) -> dt.date:
    """The n-th weekday (Monday to Friday) after `day`, n ≥ 1."""
    weeks, rest = divmod(n - 1, 5)
    day += dt.timedelta(weeks=weeks)
    for _step in range(rest + 1):
        day += ONE_DAY
        while day.isoweekday() > 5:
            day += ONE_DAY
    return day


def run_out_date(
    day: dt.date, remaining: Decimal, spent: Decimal, working_days: int, calendar: WorkCalendar
) -> dt.date | None:
    """The working day after `day` on which spending at the burn rate (`spent` over
    `working_days`) uses up `remaining`; None at a zero rate, with nothing remaining, or
    past the calendar's end (the plan window)."""
    if spent <= 0 or working_days <= 0 or remaining <= 0:
        return None
    # remaining / (spent / working_days), divided once so a whole number of days stays whole.
    n = int((remaining * working_days / spent).to_integral_value(rounding=ROUND_CEILING))
    if n > (calendar.end - day).days:
        return None
    candidate, counted_to = _weekdays_after(day, n), day
    while True:
        skipped = sum(
            1 for holiday in calendar.holidays if counted_to < holiday <= candidate and holiday.isoweekday() <= 5
        )
        if not skipped:
            break
        counted_to, candidate = candidate, _weekdays_after(candidate, skipped)
    return candidate if candidate <= calendar.end else None


# --- budget health -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetHealth:
    """One project's money as of the end of `day` (DESIGN §3, "Budget health")."""

    project_id: int
    day: dt.date
    fee: Decimal
    fee_changes: Decimal
    fee_in_force: Decimal
    baseline: Budget | None
    baseline_total: Decimal | None
    budget_changes: Decimal
    bac: Decimal | None
    actuals: Actuals
    ac: Decimal
    earned: Earned
    ev: Decimal | None
    cv: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    vac: Decimal | None
    margin_at_completion: Decimal | None
    spent_last_28_days: Decimal
    burn_rate: Decimal
    run_out_date: dt.date | None
    over_budget: bool
    spent_fraction: Decimal | None
    alert_level: int | None


def _change_orders(ids: list[int], day: dt.date) -> dict[int, dict]:
    rows = (
        ChangeOrder.objects.approved_by(day)
        .filter(project__in=ids)
        .order_by()
        .values("project")
        .annotate(fee=money_sum("fee_change"), budget=money_sum("budget_change"))
    )
    return {row["project"]: {"fee": exact(row["fee"]), "budget": exact(row["budget"])} for row in rows}


def _projects(projects: Iterable[Project | int]) -> list[Project]:
    projects = list(projects)
    if all(isinstance(p, Project) for p in projects):
        return list({p.pk: p for p in projects}.values())
    return list(Project.objects.filter(pk__in=project_ids(projects)).order_by("pk"))


def health_of(projects: Iterable[Project | int], day: dt.date) -> dict[int, BudgetHealth]:
    """{project id: BudgetHealth} as of the end of `day`, whatever their number: six
    queries for `Project`s (a queryset is read once more), seven for ids."""
    projects = _projects(projects)
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    earned = earned_hours(ids, day)
    baselines = {b.project_id: b for b in Budget.objects.baselines_on(day).filter(project__in=ids).with_totals()}
    changes = _change_orders(ids, day)
    actuals, recent = _actuals(ids, day, day - dt.timedelta(days=BURN_DAYS - 1))
    calendar = burn_calendar(day)
    return {
        p.pk: _health(
            p, day, earned[p.pk], baselines.get(p.pk), changes.get(p.pk, {}), actuals[p.pk], recent[p.pk], calendar
        )
        for p in projects
    }


def _health(project, day, earned, baseline, changes, actuals, recent, calendar) -> BudgetHealth:
    fee_changes, budget_changes = changes.get("fee", ZERO), changes.get("budget", ZERO)
    fee_in_force = project.fee + fee_changes
    ac = actuals.total
    baseline_total = exact(baseline.total) if baseline else None
    bac = baseline_total + budget_changes if baseline else None
    # BACm × EV / BAC, multiplied first so that whole figures stay whole.
    ev = bac * earned.ev / earned.bac if bac is not None and earned.bac else None
    cv = ev - ac if ev is not None else None
    cpi = ev / ac if ev is not None and ac else None
    if bac is None:
        eac = None
    elif cpi is None:
        eac = bac
    elif cpi:
        eac = bac * ac / ev  # BACm / CPI, without rounding CPI first
    else:
        eac = None  # money spent and nothing earned: no forecast yet
    vac = bac - eac if eac is not None else None
    margin = (fee_in_force - eac) / fee_in_force if eac is not None and fee_in_force else None
    days = burn_days(day, calendar)
    over = bac is not None and ac > 0 and ac >= bac
    return BudgetHealth(
        project_id=project.pk,
        day=day,
        fee=project.fee,
        fee_changes=fee_changes,
        fee_in_force=fee_in_force,
        baseline=baseline,
        baseline_total=baseline_total,
        budget_changes=budget_changes,
        bac=bac,
        actuals=actuals,
        ac=ac,
        earned=earned,
        ev=ev,
        cv=cv,
        cpi=cpi,
        eac=eac,
        vac=vac,
        margin_at_completion=margin,
        spent_last_28_days=recent,
        burn_rate=burn_rate(recent, days),
        run_out_date=None if bac is None or over else run_out_date(day, bac - ac, recent, days, calendar),
        over_budget=over,
        spent_fraction=ac / bac if bac else None,
        alert_level=alert_level(ac, bac),
    )


def alert_level(ac: Decimal, bac: Decimal | None) -> int | None:
    """The highest alert reached: 100 once AC ≥ BACm, 80 once AC ≥ 80 % of it (none without
    a baseline or before any cost)."""
    if bac is None or ac <= 0:
        return None
    return next((level for level in ALERT_LEVELS if ac * 100 >= bac * level), None)


# --- plan against actual ------------------------------------------------------------------------

LABOUR, FREELANCE, EXPENSE = BudgetLine.Kind.LABOR, BudgetLine.Kind.FREELANCE, BudgetLine.Kind.EXPENSE
CONTINGENCY, CHANGE_ORDERS = BudgetLine.Kind.CONTINGENCY, "change_orders"
COST_CATEGORY = {
    Cost.Kind.EXPENSE: EXPENSE,
    Cost.Kind.PURCHASE_ORDER: EXPENSE,
    Cost.Kind.FREELANCE_FIXED: FREELANCE,
}


@dataclass(frozen=True)
class PlanRow:
    """One category of a project's money: `planned` from the baseline's lines, `actual`
    to date (None for contingency and change orders, which have no actuals of their
    own), and the category's costs `committed` (not yet invoiced) and `spent`
    (invoiced or paid, part of `actual`)."""

    category: str
    discipline: Discipline | None
    planned: Decimal
    actual: Decimal | None
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def remaining(self) -> Decimal | None:
        return None if self.actual is None else self.planned - self.actual

    @property
    def label(self) -> str:
        if self.category == CHANGE_ORDERS:
            return _("Approved change orders")
        kind = BudgetLine.Kind(self.category).label
        return f"{kind}: {self.discipline}" if self.discipline else str(kind)


@dataclass(frozen=True)
class PlanAgainstActual:
    """A project's plan against its actuals as of the end of `day`: rows for internal
    labour by discipline, freelance, expenses, contingency and approved change orders;
    `planned_total` is BACm (None without a baseline), `actual_total` AC."""

    project_id: int
    day: dt.date
    baseline: Budget | None
    rows: list[PlanRow]
    planned_total: Decimal | None
    actual_total: Decimal
    committed: Decimal
    spent: Decimal
    unrated_hours: Decimal


def _planned(baseline: Budget | None) -> tuple[dict[tuple, Decimal], dict[int, Discipline]]:
    """The baseline's lines but contingency, summed by (category, discipline of labour): one query."""
    planned: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    disciplines: dict[int, Discipline] = {}
    if baseline is None:
        return planned, disciplines
    lines = BudgetLine.objects.filter(budget=baseline).exclude(kind=CONTINGENCY).with_totals()
    for line in lines.select_related("discipline"):
        if line.kind == LABOUR:
            planned[(LABOUR, line.discipline_id)] += exact(line.total)
            disciplines[line.discipline_id] = line.discipline
        else:
            planned[(line.kind, None)] += exact(line.total)
    return planned, disciplines


def _change_order_lines(pk: int, day: dt.date) -> dict[tuple, Decimal]:
    """The lines of the change orders approved by the end of `day`, summed by (category,
    discipline of labour): one query."""
    rows = (
        ChangeOrderLine.objects.filter(change_order__in=ChangeOrder.objects.approved_by(day).filter(project=pk))
        .order_by()
        .values("kind", "discipline")
        .annotate(total=money_sum(line_total_expression()))
    )
    return {
        (row["kind"], row["discipline"] if row["kind"] == LABOUR else None): exact(row["total"]) for row in rows
    }


def _labour_by_category(pk: int, day: dt.date) -> tuple[dict[tuple, Decimal], Decimal]:
    """Labour to the end of `day`: staff by (LABOUR, discipline), freelancers as FREELANCE;
    and the hours without a rate: one query."""
    actual: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    unrated = ZERO
    by_people = labour_cost(by=("employment", "discipline"), last=day, projects=[pk])
    for (employment, discipline), labour in by_people.items():
        if employment == Talent.Employment.FREELANCE:
            actual[(FREELANCE, None)] += labour.cost
        else:
            actual[(LABOUR, discipline)] += labour.cost
        unrated += labour.unrated_hours
    return actual, unrated


def _costs_by_category(pk: int, day: dt.date) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Costs dated up to `day` by category: committed, and spent (invoiced or paid): one query."""
    committed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        Cost.objects.filter(project=pk, date__lte=day, kind__in=list(COST_CATEGORY))
        .order_by()
        .values("kind", "status")
        .annotate(amount=money_sum("amount"))
    )
    for row in rows:
        into = committed if row["status"] == Cost.Status.COMMITTED else spent
        into[COST_CATEGORY[row["kind"]]] += exact(row["amount"])
    return committed, spent


def plan_against_actual(project: Project | int, day: dt.date) -> PlanAgainstActual:
    """Plan against actual per category, and committed against spent, as of the end of
    `day`: seven queries at most."""
    pk = project if isinstance(project, int) else project.pk
    baseline = Budget.objects.baselines_on(day).filter(project=pk).with_totals().first()
    planned, disciplines = _planned(baseline)
    itemised = _change_order_lines(pk, day) if baseline else {}
    for key, amount in itemised.items():
        planned[key] += amount
    actual, unrated = _labour_by_category(pk, day)
    committed, spent = _costs_by_category(pk, day)
    for category, amount in spent.items():
        actual[(category, None)] += amount
    labour = {d for category, d in [*planned, *actual] if category == LABOUR}
    if labour - set(disciplines):
        disciplines |= Discipline.objects.in_bulk(labour - set(disciplines))
    changes = _change_orders([pk], day).get(pk, {}).get("budget", ZERO)

    rows = [
        PlanRow(LABOUR, disciplines[d], planned[(LABOUR, d)], actual[(LABOUR, d)])
        for d in sorted(labour, key=lambda d: disciplines[d].name)
    ]
    rows += [
        PlanRow(c, None, planned[(c, None)], actual[(c, None)], committed[c], spent[c]) for c in (FREELANCE, EXPENSE)
    ]
    rows.append(PlanRow(CONTINGENCY, None, exact(baseline.contingency) if baseline else ZERO, None))
    # Change orders without lines change the budget by one figure: a row of their own.
    unitemised = changes - sum(itemised.values(), ZERO)
    if unitemised:
        rows.append(PlanRow(CHANGE_ORDERS, None, unitemised, None))
    return PlanAgainstActual(
        project_id=pk,
        day=day,
        baseline=baseline,
        rows=rows,
        planned_total=exact(baseline.total) + changes if baseline else None,
        actual_total=sum(actual.values(), ZERO),
        committed=sum(committed.values(), ZERO),
        spent=sum(spent.values(), ZERO),
        unrated_hours=unrated,
    )


# --- the burn chart ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnPoint:
    """Cumulative money at the end of `day`: `planned` (BACm in force that day × PV / BAC
    in hours; None without a baseline or planned hours) and `actual` (AC; None after today)."""

    day: dt.date
    planned: Decimal | None
    actual: Decimal | None


def burn_series(project: Project | int, start: dt.date, end: dt.date) -> list[BurnPoint]:
    """Planned against actual cost on each day from `start` to `end` (at most 400 days),
    in six queries."""
    if end < start:
        raise ValueError("A burn chart ends on or after its first day.")
    if (end - start).days + 1 > MAX_SERIES_DAYS:
        raise ValueError(f"A burn chart covers at most {MAX_SERIES_DAYS} days.")
    pk = project if isinstance(project, int) else project.pk

    baselines = list(
        Budget.objects.approved()
        .filter(project=pk, approved_at__lt=end_of(end))
        .with_totals()
        .order_by("approved_at", "revision")
        .values_list("approved_at", "total")
    )
    orders = list(
        ChangeOrder.objects.approved_by(end)
        .filter(project=pk)
        .order_by("approved_at")
        .values_list("approved_at", "budget_change")
    )
    deliverables = list(
        Deliverable.objects.filter(project=pk).live().only("planned_start", "due_date", "planned_hours")
    )
    hours = sum((d.planned_hours for d in deliverables), ZERO)
    dates = [start, end, *(d.planned_start for d in deliverables), *(d.due_date for d in deliverables)]
    calendar = WorkCalendar.between(min(dates), max(dates))

    daily = defaultdict(lambda: ZERO)
    opening = ZERO
    labour = [(date, spent.cost) for (date,), spent in labour_cost(by=("date",), last=end, projects=[pk]).items()]
    costs = (
        Cost.objects.counted()
        .filter(project=pk, date__lte=end)
        .order_by()
        .values("date")
        .annotate(amount=money_sum("amount"))
        .values_list("date", "amount")
    )
    for date, amount in [*labour, *costs]:
        if date < start:
            opening += exact(amount)
        else:
            daily[date] += exact(amount)

    today = clock.today()
    points, actual, day = [], opening, start
    while day <= end:
        actual += daily[day]
        bac = _bac_on(day, baselines, orders)
        planned = None
        if bac is not None and hours:
            pv = sum((d.planned_hours * d.planned_fraction(day, calendar) for d in deliverables), ZERO)
            planned = bac * pv / hours
        points.append(BurnPoint(day=day, planned=planned, actual=actual if day <= today else None))
        day += ONE_DAY
    return points


def _bac_on(day: dt.date, baselines: list, orders: list) -> Decimal | None:
    """BACm at the end of `day` from the project's baselines and change orders, oldest first."""
    end = end_of(day)
    in_force = [exact(total) for approved_at, total in baselines if approved_at < end]
    if not in_force:
        return None
    return in_force[-1] + sum((exact(change) for approved_at, change in orders if approved_at < end), ZERO)


# --- freelancers' invoices for hourly work ------------------------------------------------------


def invoice_period_errors(talent: Talent | None, period_start: dt.date | None, period_end: dt.date | None) -> dict:
    """Why an hourly invoice cannot bill this period, by field (empty when it can): the
    period must be given, end on or after its start, and lie within the freelancer's
    contract."""
    if period_start is None or period_end is None:
        return {"period_start": _("Give the period the invoice bills.")}
    if period_end < period_start:
        return {"period_end": _("The period cannot end before it starts.")}
    if talent is None:
        return {}
    if not talent.is_freelance:
        return {"talent": _("Only a freelancer invoices hourly work.")}
    if period_start < talent.contract_start or period_end > talent.contract_end:
        return {
            "period_start": _("The period lies outside %(person)s's contract (%(start)s to %(end)s).")
            % {"person": talent, "start": day_text(talent.contract_start), "end": day_text(talent.contract_end)}
        }
    return {}


def validate_invoice_period(*, talent: Talent | None, period_start: dt.date | None, period_end: dt.date | None) -> None:
    """Refuse an hourly invoice's period that `invoice_period_errors` finds fault with."""
    errors = invoice_period_errors(talent, period_start, period_end)
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class InvoiceReconciliation:
    """A freelancer's invoice for hourly work against their approved hours on its project
    in its period: `labour_cost` (those hours × the cost rate on each entry's date) is
    already in AC; `difference` = invoiced − labour_cost is shown, never added."""

    cost: Cost
    hours: Decimal
    labour_cost: Decimal
    invoiced: Decimal
    unrated_hours: Decimal

    @property
    def difference(self) -> Decimal:
        return self.invoiced - self.labour_cost


def invoice_reconciliations(costs) -> dict[int, InvoiceReconciliation]:
    """{cost id: InvoiceReconciliation} for the hourly invoices with a period among `costs`
    (a queryset of costs), in two queries."""
    invoices = list(
        costs.filter(kind=Cost.Kind.FREELANCE_HOURLY_INVOICE, period_start__isnull=False, period_end__isnull=False)
    )
    if not invoices:
        return {}
    entries = labour_cost(
        by=("talent", "project", "date"),
        first=min(cost.period_start for cost in invoices),
        last=max(cost.period_end for cost in invoices),
        projects={cost.project_id for cost in invoices},
        talent={cost.talent_id for cost in invoices if cost.talent_id is not None},
    )
    by_pair: dict[tuple, list] = defaultdict(list)
    for (talent, project, date), labour in entries.items():
        by_pair[(talent, project)].append((date, labour))
    result = {}
    for cost in invoices:
        billed = [
            labour
            for date, labour in by_pair[(cost.talent_id, cost.project_id)]
            if cost.period_start <= date <= cost.period_end
        ]
        result[cost.pk] = InvoiceReconciliation(
            cost=cost,
            hours=sum((labour.hours for labour in billed), ZERO),
            labour_cost=sum((labour.cost for labour in billed), ZERO),
            invoiced=cost.amount,
            unrated_hours=sum((labour.unrated_hours for labour in billed), ZERO),
        )
    return result


def invoice_reconciliation(cost: Cost) -> InvoiceReconciliation:
    """One hourly invoice reconciled (`invoice_reconciliations`); its period must lie within
    the freelancer's contract (ValidationError on `period_start` otherwise)."""
    if cost.kind != Cost.Kind.FREELANCE_HOURLY_INVOICE:
        raise ValueError("Only a freelancer's invoice for hourly work is reconciled.")
    validate_invoice_period(talent=cost.talent, period_start=cost.period_start, period_end=cost.period_end)
    return invoice_reconciliations(Cost.objects.filter(pk=cost.pk))[cost.pk]
