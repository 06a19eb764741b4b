"""The trends page's read model: the studio's figures night after night, one night a week
ending with the latest, as charts (`metrics.charts`) with their numbers as tables and CSV.

- Schedule variance: the studio's SV(t), and its shares of active projects ahead, on time
  and behind (the pattern of running ahead or behind);
- return on investment and margin by brand (money: the studio's roles only);
- productivity and logged and booked utilization by discipline (`metric.people`);
- client satisfaction and the average rating: the studio's, or a brand manager's own brands'.

A chart is shown only to a reader of its metric in its kind of scope (`readable_catalogue`),
and every row is read through `MetricSnapshot.objects.visible_to`. Brands and disciplines
come a group of `GROUP_SIZE` at a time (a line each), so the page reads at most weeks ×
metrics × GROUP_SIZE snapshot rows in one query, whatever the size of the studio."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from studio.models import Discipline

from .catalogue import BRAND, CATALOGUE, DISCIPLINE, STUDIO, scope_key
from .charts import PALETTE, Chart, Reference, Series, line_chart, stacked_columns
from .models import MetricSnapshot, readable_brands, readable_catalogue
from .portfolio import Figure, Thresholds, kind_of

WEEK_CHOICES = (12, 26, 52)
DEFAULT_WEEKS = 26
# Brands or disciplines drawn at once: one line each, each its own colour.
GROUP_SIZE = PALETTE
# The group a chart draws: the studio alone, brands, disciplines, or whichever of the
# studio and brands the reader reads (a brand manager: their own brands).
GROUP_SATISFACTION = "satisfaction"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    metrics: tuple[str, ...]
    group: str
    stacked: bool = False
    references: Callable[[Thresholds], list[Reference]] = lambda limits: []
    # Labels of a stacked chart's series, one per metric.
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    intro: str
    charts: tuple[ChartSpec, ...]


SECTIONS = (
    SectionSpec("schedule", _("Schedule variance"), _(
        "The studio's SV(t) is the mean over its active projects, in working days: below zero the studio runs "
        "behind. The shares count active projects more than a working day ahead, within a day, and behind."), (
        ChartSpec("sv_t", _("The studio's SV(t), week by week"), ("sv_t",), STUDIO, references=lambda limits: [
            Reference(0, _("On plan")), Reference(-limits.behind_days, _("Behind limit"))]),
        ChartSpec("shares", _("Active projects behind, on time and ahead"),
                  ("share_behind", "share_on_time", "share_ahead"), STUDIO, stacked=True,
                  labels=(_("Behind"), _("On time"), _("Ahead"))),
    )),
    SectionSpec("brands", _("Return on investment by brand"), _(
        "Revenue earned against cost on each brand's client projects, as of each night."), (
        ChartSpec("roi", _("Return on investment"), ("roi",), BRAND, references=lambda limits: [
            Reference(0, _("Break-even"))]),
        ChartSpec("margin", _("Margin"), ("margin",), BRAND, references=lambda limits: [
            Reference(0, _("Break-even"))]),
    )),
    SectionSpec("disciplines", _("Productivity and utilization by discipline"), _(
        "Each over the 28 days ending the night: output units per 100 approved hours, and client hours logged "
        "and booked against capacity."), (
        ChartSpec("productivity", _("Productivity, units per 100 hours"), ("productivity",), DISCIPLINE),
        ChartSpec("logged_utilization", _("Logged utilization"), ("logged_utilization",), DISCIPLINE,
                  references=lambda limits: [Reference(limits.utilization_target, _("Target"))]),
        ChartSpec("booked_utilization", _("Booked utilization"), ("booked_utilization",), DISCIPLINE,
                  references=lambda limits: [Reference(limits.utilization_target, _("Target"))]),
    )),
    SectionSpec("satisfaction", _("Client satisfaction"), _(
        "Survey answers over the 90 days ending each night: the share rated 4 or 5, and the mean rating."), (
        ChartSpec("csat", _("Client satisfaction (CSAT)"), ("csat",), GROUP_SATISFACTION,
                  references=lambda limits: [Reference(limits.csat_target, _("Target"))]),
        ChartSpec("average_rating", _("Average rating, 1 to 5"), ("average_rating",), GROUP_SATISFACTION),
    )),
)
CHARTS = {chart.key: chart for section in SECTIONS for chart in section.charts}


def trend_nights(night: dt.date, weeks: int) -> list[dt.date]:
    """The night and the same weekday of each of the `weeks` − 1 weeks before it, oldest first."""
    return [night - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


# --- who reads what ---------------------------------------------------------------------------


def _group_of(spec: ChartSpec, scopes: dict[str, tuple[str, ...]]) -> str | None:
    """The kind of scope `spec` draws for a reader of `scopes` (metric → kinds), or None."""
    readable = [set(scopes.get(metric, ())) for metric in spec.metrics]
    kinds = set.intersection(*readable) if readable else set()
    if spec.group == GROUP_SATISFACTION:
        return next((kind for kind in (STUDIO, BRAND) if kind in kinds), None)
    return spec.group if spec.group in kinds else None


def readable_charts(user) -> dict[str, str]:
    """Each chart `user` may see, with the kind of scope it draws for them, in page order."""
    scopes = {metric.key: metric.scopes for metric in readable_catalogue(user)}
    charts = {}
    for spec in CHARTS.values():
        group = _group_of(spec, scopes)
        if group is not None:
            charts[spec.key] = group
    return charts


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    key: str
    label: str


@dataclass(frozen=True)
class TableRow:
    night: dt.date
    figures: list[Figure]


@dataclass(frozen=True)
class TrendChart:
    """A chart as the page shows it: its picture, and its numbers night by night, a column
    per line (`columns`), for the table and the CSV."""

    spec: ChartSpec
    chart: Chart
    columns: list[str]
    rows: list[TableRow]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def has_values(self) -> bool:
        return self.chart.has_values


@dataclass(frozen=True)
class Section:
    spec: SectionSpec
    charts: list[TrendChart]
    # The page of brands or disciplines the section draws, when it draws a group.
    group_page: Page | None = None
    group_param: str = ""


@dataclass(frozen=True)
class Trends:
    night: dt.date
    nights: list[dt.date]
    sections: list[Section]


GROUP_PARAMS = {BRAND: "brands", DISCIPLINE: "disciplines"}


def _group_rows(kind: str, user) -> QuerySet:
    if kind == BRAND:
        return readable_brands(user).order_by("name", "pk")
    return Discipline.objects.order_by("name", "pk")


def group_pages(user, kinds: set[str], pages: dict[str, str | None]) -> dict[str, Page]:
    """For each kind of group drawn (brands, disciplines), the page of them asked for
    (`pages`: kind → page number as given; a bad one gives the nearest page)."""
    return {
        kind: Paginator(_group_rows(kind, user), GROUP_SIZE).get_page(pages.get(kind))
        for kind in (BRAND, DISCIPLINE) if kind in kinds
    }


def _scopes(kind: str, groups: dict[str, Page]) -> list[Scope]:
    if kind == STUDIO:
        return [Scope(scope_key(STUDIO), str(_("The studio")))]
    return [Scope(scope_key(kind, row.pk), row.name) for row in groups[kind]]


def _day(day: dt.date) -> str:
    return date_format(day, "j M")


def _formatter(metric_key: str) -> Callable[[float], str]:
    kind = kind_of(CATALOGUE[metric_key])
    if kind == "percent":
        return lambda value: f"{number_format(value * 100, 0, force_grouping=True)} %"
    if kind in ("index", "rating"):
        return lambda value: number_format(value, 2)
    return lambda value: number_format(value, 1 if abs(value) < 10 else 0, force_grouping=True)


def _chart(spec: ChartSpec, kind: str, nights: list[dt.date], values: dict, groups, limits) -> TrendChart:
    scopes = _scopes(kind, groups)
    if spec.stacked:
        # One scope (the studio), a series per metric.
        scope = scopes[0].key
        columns = [str(label) for label in spec.labels]
        series = [Series(label, [values.get((scope, metric, night)) for night in nights])
                  for label, metric in zip(columns, spec.metrics, strict=True)]
        percent = _formatter(spec.metrics[0])
        chart = stacked_columns(nights, series, y_label=percent, day_label=_day, value_label=percent)
        rows = [TableRow(night, [Figure(CATALOGUE[metric], values.get((scope, metric, night)))
                                 for metric in spec.metrics]) for night in nights]
        return TrendChart(spec, chart, columns, rows)
    metric = spec.metrics[0]
    series = [Series(scope.label, [values.get((scope.key, metric, night)) for night in nights]) for scope in scopes]
    chart = line_chart(nights, series, y_label=_formatter(metric), day_label=_day,
                       references=spec.references(limits))
    rows = [TableRow(night, [Figure(CATALOGUE[metric], values.get((scope.key, metric, night))) for scope in scopes])
            for night in nights]
    return TrendChart(spec, chart, [scope.label for scope in scopes], rows)


def trends(user, *, night: dt.date, weeks: int, pages: dict[str, str | None], only: str | None = None) -> Trends:
    """The charts `user` may see over `weeks` nights ending `night` (`only`: one chart's key);
    a query for the snapshots, two for each group drawn (its count and its page)."""
    charts = readable_charts(user)
    if only is not None:
        charts = {key: kind for key, kind in charts.items() if key == only}
    nights = trend_nights(night, weeks)
    groups = group_pages(user, set(charts.values()), pages)
    keys = {scope.key for kind in set(charts.values()) for scope in _scopes(kind, groups)}
    metrics = {metric for key in charts for metric in CHARTS[key].metrics}
    values: dict[tuple[str, str, dt.date], Decimal | None] = {}
    if charts and keys:
        rows = MetricSnapshot.objects.visible_to(user).filter(
            date__in=nights, metric__in=metrics, scope_key__in=keys
        ).values_list("scope_key", "metric", "date", "value")
        values = {(scope, metric, day): value for scope, metric, day, value in rows}
    limits = Thresholds.load()
    sections = []
    for spec in SECTIONS:
        drawn = [chart for chart in spec.charts if chart.key in charts]
        if not drawn:
            continue
        kind = charts[drawn[0].key]
        sections.append(Section(
            spec,
            [_chart(chart, charts[chart.key], nights, values, groups, limits) for chart in drawn],
            group_page=groups.get(kind),
            group_param=GROUP_PARAMS.get(kind, ""),
        ))
    return Trends(night, nights, sections)
