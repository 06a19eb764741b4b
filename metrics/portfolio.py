"""The portfolio's read model: the latest night's snapshots of the projects a reader may
see, as rows with a red, amber or green status for schedule, budget and satisfaction; and
one project's metrics tab, its figures of that night with how each is computed and its
trend over the last twelve weeks.

The statuses follow the studio settings (`StudioSettings.load()`), so changing a threshold
changes the colours on the next page load (docs/decisions.md, "Portfolio RAG"):

- schedule, from SV(t) and the forecast finish: red when SV(t) < −schedule_behind_days;
  amber when SV(t) < 0 or the forecast finish is after the project's due date; green
  otherwise;
- budget (money: the studio's roles only), from the budget at completion BACm, the cost to
  date AC, the estimate at completion EAC and the margin at completion: red when AC ≥ BACm,
  EAC > BACm / budget_warning_ratio (CPI below the ratio) or the margin at completion is
  negative; amber when EAC > BACm (CPI below 1) or AC > budget_warning_ratio × BACm (the
  setting's "cost to date over budget above this ratio is flagged"); green otherwise;
- satisfaction, from CSAT over the 90 days ending the night: red below csat_target − 0.10,
  amber below csat_target, green otherwise;
- utilization, the studio's logged and booked utilization over the 28 days ending the night
  (readers allowed the people metrics): red below utilization_target − 0.10, amber below the
  target or above 100 % of capacity, green otherwise;
- grey, "no data", wherever the figure a status needs was not computed (no SV(t) yet, no
  approved budget, no answers in the window).

Reads are bounded: the portfolio is two queries whatever the number of projects (the
projects, their snapshots of one night), and one for the studio's own figures; a tab reads
at most TREND_WEEKS × its metrics rows."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, Max, QuerySet
from django.db.models import Value as V
from django.db.models.functions import Cast, Concat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Project
from studio.dates import day_text
from studio.models import StudioSettings
from studio.money import format_money

from .catalogue import (
    CATALOGUE,
    COUNT,
    DATE,
    DAYS,
    FAMILY_TITLES,
    HOURS,
    METRICS,
    MONEY,
    MONEY_FAMILY,
    PROJECT,
    RATING,
    RATIO,
    SATISFACTION,
    SCHEDULE,
    STUDIO,
    Metric,
    scope_key,
)
from .models import MetricSnapshot

# --- statuses --------------------------------------------------------------------------------

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
RAG_LABELS = {RED: gettext_lazy("Red"), AMBER: gettext_lazy("Amber"), GREEN: gettext_lazy("Green"),
              GREY: gettext_lazy("No data")}
# Worst first when a status column is sorted ascending; "no data" sorts last either way.
RAG_RANK = {RED: 0, AMBER: 1, GREEN: 2, GREY: None}
# Satisfaction turns red this far below the studio's CSAT target (ten points of the share).
CSAT_RED_BAND = Decimal("0.10")
# …and utilization this far below its target.
UTILIZATION_RED_BAND = Decimal("0.10")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rag:
    """One health status and why, in words with the figures and the threshold it met."""

    status: str
    reason: str

    @property
    def label(self) -> str:
        return RAG_LABELS[self.status]

    @property
    def rank(self) -> int | None:
        return RAG_RANK[self.status]


@dataclass(frozen=True)
class Thresholds:
    """The studio settings the statuses are judged by (and the currency their reasons name)."""

    behind_days: Decimal
    warning_ratio: Decimal
    csat_target: Decimal
    utilization_target: Decimal
    currency: str = ""

    @classmethod
    def load(cls) -> "Thresholds":
        settings = StudioSettings.load()
        return cls(settings.schedule_behind_days, settings.budget_warning_ratio, settings.csat_target,
                   settings.utilization_target, settings.currency)


def _n(value: Decimal, places: int = 1) -> str:
    return number_format(value, places, force_grouping=True)


def _percent(share: Decimal) -> str:
    """A share in per cent, to a tenth where it is not whole (79.5, not a rounded 80)."""
    percent = share * HUNDRED
    return _n(percent, 0 if percent == percent.to_integral_value() else 1)


def _day(day: dt.date) -> str:
    return day_text(day)


def schedule_rag(sv_t: Decimal | None, finish: dt.date | None, due: dt.date, limits: Thresholds) -> Rag:
    if sv_t is None:
        return Rag(GREY, _("No SV(t) on this night: the project has not started or has no planned hours."))
    values = {"sv": _n(sv_t), "limit": _n(limits.behind_days), "due": _day(due),
              "finish": _day(finish) if finish else ""}
    if sv_t < -limits.behind_days:
        return Rag(RED, _("SV(t) %(sv)s working days: behind by more than the studio's limit of %(limit)s.") % values)
    if sv_t < 0:
        return Rag(AMBER, _("SV(t) %(sv)s working days: behind, within the studio's limit of %(limit)s.") % values)
    if finish is not None and finish > due:
        return Rag(AMBER, _("Forecast to finish on %(finish)s, after its due date, %(due)s.") % values)
    return Rag(GREEN, _("SV(t) %(sv)s working days: on or ahead of plan.") % values)


def budget_rag(figures: dict, limits: Thresholds) -> Rag:
    """From `bac_money`, `cost`, `eac` and `margin_at_completion` of one night."""
    bac, cost, eac = figures.get("bac_money"), figures.get("cost"), figures.get("eac")
    margin = figures.get("margin_at_completion")
    if bac is None:
        return Rag(GREY, _("No approved budget on this night."))
    ratio = limits.warning_ratio

    def money(amount: Decimal | None) -> str:
        return format_money(amount or 0, limits.currency)

    values = {"bac": money(bac), "cost": money(cost), "eac": money(eac), "ratio": _percent(ratio),
              "limit": money(bac / ratio) if ratio else "", "margin": _percent(margin or 0)}
    spent = cost is not None and cost > 0
    if spent and cost >= bac:
        return Rag(RED, _("Spent %(cost)s of a budget of %(bac)s: over budget.") % values)
    if eac is not None and eac * ratio > bac:
        return Rag(RED, _("Forecast at completion %(eac)s: beyond %(limit)s, the budget of %(bac)s ÷ %(ratio)s %%.")
                   % values)
    if margin is not None and margin < 0:
        return Rag(RED, _("Margin at completion %(margin)s %%: the fee does not cover the forecast.") % values)
    if eac is not None and eac > bac:
        return Rag(AMBER, _("Forecast at completion %(eac)s: over the budget of %(bac)s.") % values)
    if spent and cost > ratio * bac:
        return Rag(AMBER, _("Spent %(cost)s: past %(ratio)s %% of the budget of %(bac)s.") % values)
    return Rag(GREEN, _("Forecast at completion %(eac)s: within the budget of %(bac)s.") % values)


def satisfaction_rag(csat: Decimal | None, responses: Decimal | None, limits: Thresholds) -> Rag:
    if csat is None:
        return Rag(GREY, _("No survey answers in the 90 days ending this night."))
    target = limits.csat_target
    values = {"csat": _percent(csat), "target": _percent(target), "answers": _n(responses or 0, 0),
              "red": _percent(target - CSAT_RED_BAND)}
    if csat < target - CSAT_RED_BAND:
        return Rag(RED, _("CSAT %(csat)s %% of %(answers)s answers: below %(red)s %%, ten points under the "
                          "target of %(target)s %%.") % values)
    if csat < target:
        return Rag(AMBER, _("CSAT %(csat)s %% of %(answers)s answers: below the target of %(target)s %%.") % values)
    return Rag(GREEN, _("CSAT %(csat)s %% of %(answers)s answers: at or above the target of %(target)s %%.") % values)


def utilization_rag(utilization: Decimal | None, limits: Thresholds) -> Rag:
    if utilization is None:
        return Rag(GREY, _("No capacity in the 28 days ending this night."))
    target = limits.utilization_target
    values = {"share": _percent(utilization), "target": _percent(target),
              "red": _percent(target - UTILIZATION_RED_BAND)}
    if utilization < target - UTILIZATION_RED_BAND:
        return Rag(RED, _("%(share)s %%: below %(red)s %%, ten points under the target of %(target)s %%.") % values)
    if utilization < target:
        return Rag(AMBER, _("%(share)s %%: below the target of %(target)s %%.") % values)
    if utilization > 1:
        return Rag(AMBER, _("%(share)s %%: over the studio's capacity.") % values)
    return Rag(GREEN, _("%(share)s %%: at or above the target of %(target)s %%.") % values)


# --- figures ---------------------------------------------------------------------------------

# Ratios read as indexes (1 is on plan), not as shares shown in per cent.
INDEXES = frozenset({"spi", "spi_t", "cpi"})
KINDS = {MONEY: "money", DATE: "date", DAYS: "days", HOURS: "hours", COUNT: "count", RATING: "rating"}


def kind_of(metric: Metric) -> str:
    """How a metric's value is shown: money, percent, index, days, hours, date, count, rating or number."""
    if metric.unit == RATIO:
        return "index" if metric.key in INDEXES else "percent"
    return KINDS.get(metric.unit, "number")


@dataclass(frozen=True)
class Figure:
    """A metric's value as a page shows it: `kind` says how (`kind_of`); `shown` is the value
    in the unit shown (a share in per cent)."""

    metric: Metric
    value: Decimal | dt.date | None

    @property
    def kind(self) -> str:
        return kind_of(self.metric)

    @property
    def shown(self):
        if self.kind == "percent" and self.value is not None:
            return self.value * HUNDRED
        return self.value


def visible_metrics(sees_costs: bool) -> list[Metric]:
    """A project's metrics a reader may see: schedule and satisfaction for everyone who may
    see its metrics; money and anything derived from it only for those who see costs."""
    families = (SCHEDULE, MONEY_FAMILY, SATISFACTION) if sees_costs else (SCHEDULE, SATISFACTION)
    return [
        metric for metric in METRICS
        if PROJECT in metric.scopes and metric.family in families and (sees_costs or not metric.costs)
    ]


def latest_night(today: dt.date) -> dt.date | None:
    """The latest night computed, up to today; None before the first."""
    return MetricSnapshot.objects.filter(date__lte=today).aggregate(night=Max("date"))["night"]


def _scope_keys(projects: QuerySet):
    """The projects' snapshot scope keys (`project:<id>`), as a subquery."""
    key = Concat(V("project:"), Cast("pk", output_field=CharField()), output_field=CharField())
    return projects.order_by().annotate(metrics_scope=key).values("metrics_scope")


def _by_scope(rows) -> dict[str, dict[str, Decimal | dt.date | None]]:
    found: dict[str, dict] = {}
    for scope, metric, value, value_date in rows:
        found.setdefault(scope, {})[metric] = value_date if value_date is not None else value
    return found


# --- the portfolio ---------------------------------------------------------------------------

SCHEDULE_KEYS = ("sv_t", "spi_t", "forecast_finish")
MONEY_KEYS = ("cpi", "eac", "bac_money", "cost", "margin_at_completion")
SATISFACTION_KEYS = ("csat", "responses")


@dataclass(frozen=True)
class PortfolioRow:
    """One project's health on the night: its figures by metric key (`Figure`s) and its
    statuses; `budget` is None for a reader who does not see costs."""

    project: Project
    figures: dict[str, Figure]
    schedule: Rag
    budget: Rag | None
    satisfaction: Rag

    def value(self, key: str):
        return self.figures[key].value


def portfolio_rows(
    projects: QuerySet, *, night: dt.date | None, limits: Thresholds, sees_costs: bool
) -> list[PortfolioRow]:
    """A row for each of `projects` (in their order) from the snapshots of `night`: two
    queries, or one when no night has been computed."""
    keys = SCHEDULE_KEYS + SATISFACTION_KEYS + (MONEY_KEYS if sees_costs else ())
    found = {}
    if night is not None:
        snapshots = MetricSnapshot.objects.filter(date=night, metric__in=keys, scope_key__in=_scope_keys(projects))
        found = _by_scope(snapshots.values_list("scope_key", "metric", "value", "value_date"))
    rows = []
    for project in projects:
        values = found.get(scope_key(PROJECT, project.pk), {})
        rows.append(PortfolioRow(
            project=project,
            figures={key: Figure(CATALOGUE[key], values.get(key)) for key in keys},
            schedule=schedule_rag(values.get("sv_t"), values.get("forecast_finish"), project.due_date, limits),
            budget=budget_rag(values, limits) if sees_costs else None,
            satisfaction=satisfaction_rag(values.get("csat"), values.get("responses"), limits),
        ))
    return rows


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()).casefold()


def _figure(key: str) -> Callable[[PortfolioRow], object]:
    return lambda row: row.value(key)


STATUS_ORDER = {status: n for n, status in enumerate(Project.Status.values)}


@dataclass(frozen=True)
class Column:
    """A heading of the table: the key it sorts by, its label, how its cells read (`kind` as
    `Figure.kind`, or text or a status) and whether it shows money (the studio's roles only)."""

    key: str
    label: str
    kind: str
    sort: Callable[[PortfolioRow], object]
    costs: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "percent", "index", "days")


# The table's columns in order, each sortable; a cell without a value sorts last either way.
# The three statuses come first, beside the project, so a phone shows them without scrolling.
COLUMNS = (
    Column("project", gettext_lazy("Project"), "text", lambda row: row.project.code.casefold()),
    Column("schedule", gettext_lazy("Schedule"), "rag", lambda row: row.schedule.rank),
    Column("budget", gettext_lazy("Budget"), "rag", lambda row: row.budget.rank, costs=True),
    Column("satisfaction", gettext_lazy("Satisfaction"), "rag", lambda row: row.satisfaction.rank),
    Column("sv_t", gettext_lazy("SV(t)"), "days", _figure("sv_t")),
    Column("spi_t", gettext_lazy("SPI(t)"), "index", _figure("spi_t")),
    Column("finish", gettext_lazy("Forecast finish"), "date", _figure("forecast_finish")),
    Column("due", gettext_lazy("Due"), "date", lambda row: row.project.due_date),
    Column("cpi", gettext_lazy("CPI"), "index", _figure("cpi"), costs=True),
    Column("eac", gettext_lazy("Estimate at completion"), "money", _figure("eac"), costs=True),
    Column("bac", gettext_lazy("Budget at completion"), "money", _figure("bac_money"), costs=True),
    Column("margin", gettext_lazy("Margin at completion"), "percent", _figure("margin_at_completion"), costs=True),
    Column("csat", gettext_lazy("CSAT"), "percent", _figure("csat")),
    Column("brand", gettext_lazy("Brand"), "text",
           lambda row: row.project.brand.name.casefold() if row.project.brand else None),
    Column("pm", gettext_lazy("Production manager"), "text", lambda row: _name(row.project.pm)),
    Column("status", gettext_lazy("Status"), "text", lambda row: STATUS_ORDER.get(row.project.status)),
)
DEFAULT_SORT = "project"


def visible_columns(sees_costs: bool) -> list[Column]:
    return [column for column in COLUMNS if sees_costs or not column.costs]


def column_heads(sort: str, sees_costs: bool) -> list[dict]:
    """The headings, each with the sort a click asks for and how the rows are sorted now."""
    heads = []
    for column in visible_columns(sees_costs):
        state = "ascending" if sort == column.key else "descending" if sort == f"-{column.key}" else None
        heads.append({
            "key": column.key, "label": column.label, "kind": column.kind, "num": column.numeric,
            "aria_sort": state, "next": f"-{column.key}" if sort == column.key else column.key,
        })
    return heads


def sort_rows(rows: list[PortfolioRow], sort: str, *, sees_costs: bool) -> tuple[list[PortfolioRow], str]:
    """The rows by a visible column ("-" first for descending), stable, cells without a value
    last either way; anything else sorts by project."""
    columns = {column.key: column for column in visible_columns(sees_costs)}
    name = sort.removeprefix("-")
    if name not in columns:
        name = sort = DEFAULT_SORT
    key = columns[name].sort
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=sort.startswith("-")) + unknown, sort


SHARE_KEYS = ("share_ahead", "share_on_time", "share_behind")
PEOPLE_KEYS = ("logged_utilization", "booked_utilization")


@dataclass(frozen=True)
class StudioHealth:
    """The studio's own figures of the night, above the table for those who see every
    project: the shares of projects ahead, on time and behind, CSAT, and (for readers of
    the people metrics) utilization, each figure by key, with its status where it has one."""

    figures: dict[str, Figure]
    satisfaction: Rag
    utilization: dict[str, Rag]


def studio_health(*, night: dt.date, limits: Thresholds, sees_people: bool) -> StudioHealth:
    """One query."""
    keys = SHARE_KEYS + SATISFACTION_KEYS + (PEOPLE_KEYS if sees_people else ())
    rows = MetricSnapshot.objects.filter(date=night, scope_key=scope_key(STUDIO), metric__in=keys)
    values = _by_scope(rows.values_list("scope_key", "metric", "value", "value_date")).get(scope_key(STUDIO), {})
    return StudioHealth(
        figures={key: Figure(CATALOGUE[key], values.get(key)) for key in keys},
        satisfaction=satisfaction_rag(values.get("csat"), values.get("responses"), limits),
        utilization={key: utilization_rag(values.get(key), limits) for key in PEOPLE_KEYS if sees_people},
    )


# --- a project's metrics tab ------------------------------------------------------------------

TREND_WEEKS = 12
# The inputs of a figure: the other metrics of the same night its formula reads (DESIGN §3);
# a metric not named here is computed from the project's records alone.
INPUTS = {
    "sv": ("ev", "pv"),
    "spi": ("ev", "pv"),
    "es": ("ev", "bac"),
    "sv_t": ("es", "at"),
    "spi_t": ("es", "at"),
    "forecast_finish": ("spi_t",),
    "revenue_earned": ("fee_in_force", "ev", "bac"),
    "roi": ("revenue_earned", "cost"),
    "margin": ("revenue_earned", "cost"),
    "cv": ("bac_money", "ev", "bac", "cost"),
    "cpi": ("bac_money", "ev", "bac", "cost"),
    "eac": ("bac_money", "cpi"),
    "vac": ("bac_money", "eac"),
    "margin_at_completion": ("fee_in_force", "eac"),
    "csat": ("responses",),
    "average_rating": ("responses",),
}
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 3


@dataclass(frozen=True)
class Point:
    day: dt.date
    figure: Figure


@dataclass(frozen=True)
class Sparkline:
    """A metric's weekly values as an SVG picture (`segments`: polylines in a SPARK_WIDTH ×
    SPARK_HEIGHT box, split where a week has no value; `dots`: a value alone between gaps)
    and as `points` for a table, oldest first."""

    segments: list[str]
    dots: list[tuple[str, str]]
    points: list[Point]
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def known(self) -> list[Point]:
        return [point for point in self.points if point.figure.value is not None]


def _number(value: Decimal | dt.date) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def sparkline(metric: Metric, days: list[dt.date], values: dict[dt.date, Decimal | dt.date | None]) -> Sparkline:
    """The values of `days` (oldest first) drawn between their lowest and highest; a flat
    line across the middle when they are all the same."""
    numbers = [None if values.get(day) is None else _number(values[day]) for day in days]
    known = [number for number in numbers if number is not None]
    low, high = min(known, default=0.0), max(known, default=0.0)
    step = SPARK_WIDTH / max(len(days) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    runs: list[list[str]] = [[]]
    for n, number in enumerate(numbers):
        if number is None:
            runs.append([])
            continue
        y = SPARK_HEIGHT / 2 if high == low else SPARK_PAD + inner * (high - number) / (high - low)
        runs[-1].append(f"{n * step:.1f},{y:.1f}")
    return Sparkline(
        segments=[" ".join(run) for run in runs if len(run) > 1],
        dots=[tuple(run[0].split(",")) for run in runs if len(run) == 1],
        points=[Point(day, Figure(metric, values.get(day))) for day in days],
    )


@dataclass(frozen=True)
class Input:
    metric: Metric
    figure: Figure


@dataclass(frozen=True)
class Card:
    """One metric on the tab: the night's figure, the inputs it was computed from and its trend."""

    metric: Metric
    figure: Figure
    inputs: list[Input]
    trend: Sparkline


@dataclass(frozen=True)
class Family:
    key: str
    title: str
    cards: list[Card]


@dataclass(frozen=True)
class ProjectMetrics:
    """A project's metrics tab as of `night`: its statuses (`budget` None for a reader who
    does not see costs), its families of cards and the weeks its trends cover."""

    night: dt.date
    schedule: Rag
    budget: Rag | None
    satisfaction: Rag
    families: list[Family]
    weeks: list[dt.date]
    # Any figure in the weeks shown; any on the night itself.
    has_figures: bool
    has_tonight: bool


def trend_days(night: dt.date) -> list[dt.date]:
    """The night and the same weekday of each of the TREND_WEEKS − 1 weeks before it, oldest first."""
    return [night - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]


def project_metrics(project: Project, *, night: dt.date, limits: Thresholds, sees_costs: bool) -> ProjectMetrics:
    """The tab of `project` as of `night`: one query, at most TREND_WEEKS × its metrics rows."""
    metrics = visible_metrics(sees_costs)
    days = trend_days(night)
    rows = MetricSnapshot.objects.filter(
        scope_key=scope_key(PROJECT, project.pk), date__in=days, metric__in=[metric.key for metric in metrics]
    ).values_list("date", "metric", "value", "value_date")
    series: dict[str, dict[dt.date, Decimal | dt.date | None]] = {}
    for day, key, value, value_date in rows:
        series.setdefault(key, {})[day] = value_date if value_date is not None else value
    tonight = {key: values.get(night) for key, values in series.items()}
    visible = {metric.key for metric in metrics}

    def card(metric: Metric) -> Card:
        inputs = [Input(CATALOGUE[key], Figure(CATALOGUE[key], tonight.get(key)))
                  for key in INPUTS.get(metric.key, ()) if key in visible]
        return Card(metric, Figure(metric, tonight.get(metric.key)), inputs,
                    sparkline(metric, days, series.get(metric.key, {})))

    families = [
        Family(family, FAMILY_TITLES[family], [card(metric) for metric in metrics if metric.family == family])
        for family in FAMILY_TITLES
        if any(metric.family == family for metric in metrics)
    ]
    return ProjectMetrics(
        night=night,
        schedule=schedule_rag(tonight.get("sv_t"), tonight.get("forecast_finish"), project.due_date, limits),
        budget=budget_rag(tonight, limits) if sees_costs else None,
        satisfaction=satisfaction_rag(tonight.get("csat"), tonight.get("responses"), limits),
        families=families,
        weeks=days,
        has_figures=bool(series),
        has_tonight=any(night in values for values in series.values()),
    )
