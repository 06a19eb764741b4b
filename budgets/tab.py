"""A project's budget as its tab shows it to the studio: the revision shown, its lines by
category with their sums, the fee and the planned margin, the baseline, and how the
revision differs from the baseline before it. A fixed number of queries whatever the
number of lines; brand managers read `approved_budget` instead (totals only). Below the
lines: the project's budget health, plan against actual, burn chart and costs, as of today.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from projects.models import Project

from .health import (
    MAX_SERIES_DAYS,
    BudgetHealth,
    BurnPoint,
    InvoiceReconciliation,
    PlanAgainstActual,
    burn_series,
    health_of,
    invoice_reconciliations,
    plan_against_actual,
)
from .models import ZERO, Budget, BudgetFigures, BudgetLine, Cost, budget_figures
from .services.costs import NEXT_STATUS

HUNDRED = Decimal("100")


@dataclass
class Category:
    kind: str
    label: str
    lines: list[BudgetLine]
    total: Decimal


@dataclass
class Difference:
    label: str
    previous: Decimal
    current: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


@dataclass
class BudgetTab:
    project: Project
    revisions: list[Budget]  # newest first, each with its totals
    budget: Budget | None  # the revision shown
    categories: list[Category] = field(default_factory=list)
    figures: BudgetFigures | None = None
    contingency_percent: Decimal = ZERO
    baseline: Budget | None = None  # the latest approved revision
    previous: Budget | None = None  # the baseline before the revision shown
    differences: list[Difference] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return (
            self.budget is not None
            and self.budget.status == Budget.Status.DRAFT
            and self.project.status not in Project.Status.closed()
        )

    @property
    def margin(self) -> Decimal | None:
        """Planned margin = (fee − total) / fee; none without a fee."""
        fee = self.project.fee
        if self.figures is None or not fee:
            return None
        return (fee - self.figures.total) / fee

    @property
    def margin_percent(self) -> Decimal | None:
        return None if self.margin is None else self.margin * HUNDRED


def _categories(lines: list[BudgetLine], figures: BudgetFigures) -> list[Category]:
    categories = []
    for kind, label in BudgetLine.Kind.choices:
        rows = [line for line in lines if line.kind == kind]
        if kind == BudgetLine.Kind.CONTINGENCY:
            total = figures.contingency
        else:
            total = sum((line.total for line in rows), ZERO)
        categories.append(Category(kind=kind, label=label, lines=rows, total=total))
    return categories


def budget_tab(project: Project, *, revision: int | None = None) -> BudgetTab:
    """The revision `revision` (default: the one in the works, else the baseline); raises
    Budget.DoesNotExist for a revision the project does not have. Two or three queries."""
    lines = BudgetLine.objects.with_totals().select_related("discipline").order_by("kind", "discipline__name", "pk")
    revisions = list(
        Budget.objects.filter(project=project).with_totals().select_related("created_by").order_by("-revision")
    )
    if revision is not None:
        shown = next((budget for budget in revisions if budget.revision == revision), None)
        if shown is None:
            raise Budget.DoesNotExist
    else:
        shown = next((budget for budget in revisions if budget.status != Budget.Status.APPROVED), None)
        shown = shown or (revisions[0] if revisions else None)
    approved = [budget for budget in revisions if budget.status == Budget.Status.APPROVED]
    tab = BudgetTab(project=project, revisions=revisions, budget=shown, baseline=approved[0] if approved else None)
    if shown is None:
        return tab
    tab.previous = next((budget for budget in approved if budget.revision < shown.revision), None)
    wanted = [budget.pk for budget in (shown, tab.previous) if budget is not None]
    by_budget: dict[int, list[BudgetLine]] = {pk: [] for pk in wanted}
    for line in lines.filter(budget__in=wanted):
        by_budget[line.budget_id].append(line)
    tab.figures = budget_figures(by_budget[shown.pk])
    tab.categories = _categories(by_budget[shown.pk], tab.figures)
    tab.contingency_percent = sum(
        (line.percent or ZERO for line in by_budget[shown.pk] if line.kind == BudgetLine.Kind.CONTINGENCY), ZERO
    )
    if tab.previous is not None:
        before = budget_figures(by_budget[tab.previous.pk])
        earlier = {category.kind: category.total for category in _categories(by_budget[tab.previous.pk], before)}
        tab.differences = [
            Difference(label=category.label, previous=earlier[category.kind], current=category.total)
            for category in tab.categories
        ] + [Difference(label="", previous=before.total, current=tab.figures.total)]
    return tab


def approved_budget(budgets) -> Budget | None:
    """The latest approved revision among `budgets` (a QuerySet already restricted to what
    the reader may see), with its total."""
    return budgets.approved().with_totals().order_by("-revision").first()


# --- actuals, forecast and the burn chart ---------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of a project's budget health as the tab shows it: `kind` says how to
    show `value` (money, percent, ratio, date or text); `absent` stands in for None."""

    name: str
    label: str
    value: Decimal | dt.date | str | None
    kind: str
    hint: str
    absent: str = "—"


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else fraction * HUNDRED


def health_figures(health: BudgetHealth, *, sees_costs: bool) -> list[Figure]:
    """The figures of DESIGN §3 "Budget health", each with how it is computed; for a
    reader who does not see costs (a brand manager) only the budget at completion, the
    share of it spent and the forecast at completion."""
    bac = Figure(
        "bac",
        _("Budget at completion (BAC)"),
        health.bac,
        "money",
        _("The approved baseline's total + the budget changes of change orders approved to date."),
        _("no approved budget yet"),
    )
    spent = Figure(
        "spent",
        _("Spent"),
        _percent(health.spent_fraction),
        "percent",
        _("Actual cost to date / budget at completion."),
    )
    eac = Figure(
        "eac",
        _("Forecast at completion (EAC)"),
        health.eac,
        "money",
        _("BAC / CPI: the whole project's cost if it goes on as it has (BAC while CPI is undefined)."),
        _("no forecast yet"),
    )
    if not sees_costs:
        return [bac, spent, eac]
    return [
        Figure(
            "fee_in_force",
            _("Fee in force"),
            health.fee_in_force,
            "money",
            _("The fee + the fee changes of change orders approved to date."),
        ),
        bac,
        Figure(
            "ac",
            _("Actual cost (AC)"),
            health.ac,
            "money",
            _(
                "Approved hours × the cost rate valid on each entry's date + costs invoiced or paid, to date "
                "(hourly invoices are reconciled against those hours, never added)."
            ),
        ),
        spent,
        Figure(
            "ev",
            _("Earned value"),
            health.ev,
            "money",
            _("BAC × earned hours / planned hours: progress measured in hours, as for schedule variance."),
            _("undefined without planned hours"),
        ),
        Figure("cv", _("Cost variance (CV)"), health.cv, "money", _("Earned value − AC.")),
        Figure(
            "cpi",
            _("Cost performance index (CPI)"),
            health.cpi,
            "ratio",
            _("Earned value / AC: above 1, the work costs less than planned (undefined while AC is 0)."),
            _("undefined while nothing is spent"),
        ),
        eac,
        Figure("vac", _("Variance at completion (VAC)"), health.vac, "money", _("BAC − EAC.")),
        Figure(
            "margin",
            _("Margin at completion"),
            _percent(health.margin_at_completion),
            "percent",
            _("(Fee in force − EAC) / fee in force."),
        ),
        Figure(
            "burn_rate",
            _("Burn rate"),
            health.burn_rate,
            "money",
            _("Actual cost of the 28 days ending today / the working days in them: money a working day."),
        ),
        Figure(
            "run_out",
            _("Run-out date"),
            _("over budget") if health.over_budget else health.run_out_date,
            "text" if health.over_budget else "date",
            _(
                "The working day on which AC would reach BAC at the burn rate (none at a zero rate); "
                "'over budget' once AC has reached BAC."
            ),
            _("none at the current rate"),
        ),
    ]


def burn_window(project: Project, today: dt.date) -> tuple[dt.date, dt.date]:
    """The burn chart's days: the project's planned start to its due date or today,
    whichever is later. A longer span keeps `MAX_SERIES_DAYS` of it with today in them:
    its last days when today is among them, else the days up to today."""
    start, end = project.planned_start, max(project.due_date, today)
    span = dt.timedelta(days=MAX_SERIES_DAYS - 1)
    if end - start > span:
        start = end - span if today >= end - span else max(start, today - span)
        end = start + span
    return start, end


CHART_WIDTH, CHART_HEIGHT = 600, 200


@dataclass(frozen=True)
class BurnChart:
    """Planned cost over time against actual, as SVG polylines (`planned_points`,
    `actual_points` in a CHART_WIDTH × CHART_HEIGHT box, cumulative money scaled to
    `top`), and the weeks of the series as table rows for readers without the picture."""

    start: dt.date
    end: dt.date
    top: Decimal
    planned_points: str
    actual_points: str
    rows: list[BurnPoint]
    planned_end: Decimal | None
    actual_today: BurnPoint | None
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


def _polyline(points: list[BurnPoint], attribute: str, top: Decimal) -> str:
    last = max(len(points) - 1, 1)
    coordinates = []
    for n, point in enumerate(points):
        value = getattr(point, attribute)
        if value is None:
            continue
        y = CHART_HEIGHT - (value * CHART_HEIGHT / top if top else 0)
        coordinates.append(f"{n * CHART_WIDTH / last:.1f},{max(y, 0):.1f}")
    return " ".join(coordinates)


def burn_chart(project: Project, today: dt.date) -> BurnChart:
    """The project's burn chart (`burn_series` over `burn_window`): six queries."""
    start, end = burn_window(project, today)
    points = burn_series(project, start, end)
    values = [v for p in points for v in (p.planned, p.actual) if v is not None]
    top = max(values, default=ZERO)
    actual = [p for p in points if p.actual is not None]
    weekly = [p for n, p in enumerate(points) if n % 7 == 0 or p is points[-1] or (actual and p is actual[-1])]
    return BurnChart(
        start=start,
        end=end,
        top=top,
        planned_points=_polyline(points, "planned", top),
        actual_points=_polyline(points, "actual", top),
        rows=weekly,
        planned_end=points[-1].planned,
        actual_today=actual[-1] if actual else None,
    )


@dataclass(frozen=True)
class HealthSection:
    """The tab's "plan against actual" section: the health figures, and for the studio
    the plan against actual by category and the burn chart."""

    health: BudgetHealth
    figures: list[Figure]
    plan: PlanAgainstActual | None = None
    chart: BurnChart | None = None

    @property
    def remaining(self) -> Decimal | None:
        """BACm − AC: what is left of the budget at completion."""
        if self.plan is None or self.plan.planned_total is None:
            return None
        return self.plan.planned_total - self.plan.actual_total


def actuals_tab(project: Project, today: dt.date, *, sees_costs: bool) -> HealthSection:
    """Budget health as of today; the plan and the burn chart only for `sees_costs`.
    Six queries, seventeen with the plan and the chart, whatever the number of lines,
    costs and time entries."""
    health = health_of([project], today)[project.pk]
    figures = health_figures(health, sees_costs=sees_costs)
    if not sees_costs:
        return HealthSection(health=health, figures=figures)
    return HealthSection(
        health=health, figures=figures, plan=plan_against_actual(project, today), chart=burn_chart(project, today)
    )


# --- costs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    cost: Cost
    reconciliation: InvoiceReconciliation | None
    next_status: str | None


def cost_rows(costs: list[Cost]) -> list[CostRow]:
    """Costs with their hourly invoices reconciled against approved hours and the status
    each may move to next: two queries at most, whatever their number."""
    reconciliations = invoice_reconciliations(Cost.objects.filter(pk__in=[cost.pk for cost in costs]))
    return [
        CostRow(cost=cost, reconciliation=reconciliations.get(cost.pk), next_status=NEXT_STATUS.get(cost.status))
        for cost in costs
    ]
