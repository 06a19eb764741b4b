"""Return on investment and budget health, per project, brand and the studio (DESIGN §3).

Per project, from `budgets.health` as of the end of d: fee in force, BACm, CV, CPI, EAC,
VAC, margin at completion; revenue earned = fee in force × EV / BAC (hours; 0 without
planned hours, and for internal work, which has no client fee); cost = AC; ROI =
(revenue − cost) / cost; margin = (revenue − cost) / revenue. A brand sums its projects'
revenue and cost; the studio sets its client revenue against the cost of every project
the night computes, internal ones included."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from budgets.health import BudgetHealth, health_of

from ..catalogue import BRAND, PROJECT, STUDIO, scope_key
from . import Value
from .scope import projects_on

ZERO = Decimal("0")


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator else None


def revenue_earned(health: BudgetHealth, internal: bool) -> Decimal:
    fraction = health.earned.fraction
    if internal or fraction is None:
        return ZERO
    return health.fee_in_force * fraction


def _returns(key: str, revenue: Decimal, cost: Decimal) -> list[Value]:
    return [
        Value(key, "revenue_earned", revenue),
        Value(key, "cost", cost),
        Value(key, "roi", _ratio(revenue - cost, cost)),
        Value(key, "margin", _ratio(revenue - cost, revenue)),
    ]


def compute(day: dt.date) -> list[Value]:
    """The money metrics of every project `projects_on(day)`, their brands and the studio:
    seven queries, whatever their number."""
    projects = list(projects_on(day).order_by("pk"))
    health = health_of(projects, day)
    values: list[Value] = []
    brands: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    studio = [ZERO, ZERO]
    for project in projects:
        figures = health[project.pk]
        key = scope_key(PROJECT, project.pk)
        revenue, cost = revenue_earned(figures, project.is_internal), figures.ac
        values += [
            Value(key, "fee_in_force", figures.fee_in_force),
            *_returns(key, revenue, cost),
            Value(key, "bac_money", figures.bac),
            Value(key, "cv", figures.cv),
            Value(key, "cpi", figures.cpi),
            Value(key, "eac", figures.eac),
            Value(key, "vac", figures.vac),
            Value(key, "margin_at_completion", figures.margin_at_completion),
        ]
        if project.brand_id is not None and not project.is_internal:
            brands[project.brand_id][0] += revenue
            brands[project.brand_id][1] += cost
        studio[0] += revenue
        studio[1] += cost
    for brand, (revenue, cost) in sorted(brands.items()):
        values += _returns(scope_key(BRAND, brand), revenue, cost)
    values += _returns(scope_key(STUDIO), *studio)
    return values
