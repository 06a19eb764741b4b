"""Timelines (DESIGN §4, "Timeline"): a project's phases and deliverables as bars over the
calendar, with the latest baseline beneath, the dependencies, the critical path and each
deliverable's slack; and the portfolio, one bar per project.

A `Scale` is the range of days shown and turns dates into positions (percentages of its
width), so the page draws every bar with CSS and the connectors with an SVG in day units,
without JavaScript. Reading a project's timeline takes a fixed number of queries (its
deliverables, dependencies, phases, latest baseline and that baseline's rows, the
holidays) whatever its size; Python's work is bounded by the rows and the days shown.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Avg, Case, DecimalField, ExpressionWrapper, F, IntegerField, Sum, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from studio.clock import week_start
from studio.models import Holiday
from studio.workdays import WorkCalendar, plan_window

from . import scheduling
from .models import Baseline, Deliverable, DeliverableStatus, Dependency, Phase, Project
from .overview import conflicting_links, days_moved_text

ONE_DAY = dt.timedelta(days=1)
ZERO = Decimal("0")
# The zooms: days drawn narrow enough for weeks or for months. Both are bookmarkable.
ZOOMS = {"week": _("Weeks"), "month": _("Months")}
# Without a zoom in the URL, a plan longer than this is shown by months.
WEEK_ZOOM_UP_TO = 183
# Days shown before the earliest date and after the latest, before rounding to whole
# weeks or months.
MARGIN = dt.timedelta(days=7)
# At most this many days are drawn (about three years); a longer plan is shown from a
# little before today, or from its start when today is before it.
MAX_DAYS = 3 * 366
LOOK_BACK = dt.timedelta(days=60)


def _pct(value: float) -> str:
    """A CSS percentage: short, and the same on every machine."""
    return f"{value:.4f}".rstrip("0").rstrip(".") + "%"


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - ONE_DAY


@dataclass(frozen=True)
class Geometry:
    """Where a date range sits on a scale: `left` and `width` as CSS percentages; `offset`
    and `span` in days (the offset may be negative and the span run past the end: the
    track clips what lies outside)."""

    offset: int
    span: int
    left: str
    width: str
    starts_before: bool
    ends_after: bool


@dataclass(frozen=True)
class Band:
    """A labelled stretch of the calendar: a month, a week, a weekend or a holiday."""

    label: str
    left: str
    width: str
    title: str = ""


@dataclass(frozen=True)
class Scale:
    """The days a timeline shows, from `start` to `end` (both included)."""

    start: dt.date
    end: dt.date
    zoom: str

    @classmethod
    def around(cls, first: dt.date, last: dt.date, *, zoom: str | None, today: dt.date) -> "Scale":
        """A range from a little before `first` to a little after `last`, in whole weeks
        or months, inside the plan window and at most MAX_DAYS long. Without a valid
        `zoom`, weeks for a short plan and months for a long one."""
        if zoom not in ZOOMS:
            zoom = "week" if (last - first).days <= WEEK_ZOOM_UP_TO else "month"
        earliest, latest = plan_window(today)
        first = max(earliest, min(first, latest))
        last = min(latest, max(last, first))
        align = week_start if zoom == "week" else _month_start
        start = max(earliest, align(max(earliest, first - MARGIN)))
        end = last + MARGIN
        end = end + dt.timedelta(days=6 - end.weekday()) if zoom == "week" else _month_end(end)
        end = min(latest, end)
        if (end - start).days + 1 > MAX_DAYS:
            anchor = min(max(today - LOOK_BACK, start), end - dt.timedelta(days=MAX_DAYS - 1))
            start = max(start, align(anchor))
            end = start + dt.timedelta(days=MAX_DAYS - 1)
        return cls(start, end, zoom)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def at(self, offset: float) -> str:
        return _pct(offset * 100 / self.days)

    def place(self, start: dt.date, end: dt.date) -> Geometry:
        offset, span = (start - self.start).days, (end - start).days + 1
        return Geometry(
            offset=offset, span=span, left=self.at(offset), width=self.at(span),
            starts_before=start < self.start, ends_after=end > self.end,
        )

    def band(self, start: dt.date, end: dt.date, label: str = "", title: str = "") -> Band:
        start, end = max(start, self.start), min(end, self.end)
        geometry = self.place(start, end)
        return Band(label=label, left=geometry.left, width=geometry.width, title=title)

    @cached_property
    def months(self) -> list[Band]:
        bands, day = [], self.start
        while day <= self.end:
            last = min(_month_end(day), self.end)
            # A sliver of a month at either end keeps its place but not its name.
            label = date_format(day, "M Y") if (last - day).days >= 6 else ""
            bands.append(self.band(day, last, label, date_format(day, "F Y")))
            day = last + ONE_DAY
        return bands

    @cached_property
    def weeks(self) -> list[Band]:
        """Week columns (week zoom only): labelled with their Monday."""
        if self.zoom != "week":
            return []
        bands, day = [], week_start(self.start)
        while day <= self.end:
            monday = max(day, self.start)
            label = date_format(day, "j M") if day >= self.start else ""
            title = gettext("Week %(number)s, from %(day)s") % {"number": day.isocalendar()[1],
                                                          "day": date_format(day, "D j M Y")}
            bands.append(self.band(monday, day + dt.timedelta(days=6), label, title))
            day += dt.timedelta(days=7)
        return bands

    @cached_property
    def weekends(self) -> list[Band]:
        bands, day = [], self.start + dt.timedelta(days=(5 - self.start.weekday()) % 7)
        if self.start.weekday() == 6:  # starts on a Sunday
            bands.append(self.band(self.start, self.start))
        while day <= self.end:
            bands.append(self.band(day, day + ONE_DAY))
            day += dt.timedelta(days=7)
        return bands

    def today_line(self, today: dt.date) -> str | None:
        """The today line's position (the middle of today's column), when today is shown."""
        return self.at((today - self.start).days + 0.5) if self.contains(today) else None


def _holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "name"))


def _holiday_bands(scale: Scale, holidays: dict[dt.date, str]) -> list[Band]:
    return [scale.band(day, day, title=name) for day, name in sorted(holidays.items()) if scale.contains(day)]


# --- a project's timeline -------------------------------------------------------------


@dataclass
class Row:
    """One bar of the timeline: the project itself, a phase or a deliverable."""

    kind: str  # "project", "phase" or "deliverable"
    index: int
    obj: Project | Phase | Deliverable
    name: str
    start: dt.date
    end: dt.date
    bar: Geometry
    status: str = ""
    status_label: str = ""
    percent: int = 0
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    baseline_bar: Geometry | None = None
    days_moved: int | None = None  # calendar days its end moved since the baseline (later > 0)
    start_moved: int | None = None
    planned_hours: Decimal | None = None
    hours_moved: Decimal | None = None
    slack: int | None = None  # working days
    critical: bool = False
    conflicts_with: list[Deliverable] = field(default_factory=list)  # predecessors not yet due when it starts
    outside_project: bool = False
    overdue: bool = False

    @property
    def key(self) -> str:
        """A stable DOM id across redraws, for focus and tests."""
        return f"{self.kind}-{self.obj.pk}"

    @property
    def moved_text(self) -> str:
        return "" if self.days_moved is None else days_moved_text(self.days_moved)

    @property
    def has_baseline(self) -> bool:
        return self.baseline_start is not None

    @property
    def version(self) -> int:
        return self.obj.version


@dataclass(frozen=True)
class Connector:
    """A finish-to-start dependency drawn from the end of one row to the start of another,
    in the SVG's units (x in days from the scale's start, y in rows)."""

    predecessor: Row
    successor: Row
    path: str
    conflict: bool
    critical: bool


@dataclass
class ProjectTimeline:
    project: Project
    scale: Scale
    rows: list[Row]
    connectors: list[Connector]
    baseline: Baseline | None
    finish: dt.date | None  # when the plan finishes: the last deliverable's due date
    today: dt.date
    holidays: list[Band]
    cancelled: int  # cancelled deliverables, not drawn

    @property
    def deliverable_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == "deliverable"]

    @property
    def conflicts(self) -> int:
        return sum(1 for row in self.deliverable_rows if row.conflicts_with)

    @property
    def today_line(self) -> str | None:
        return self.scale.today_line(self.today)


def _percent(deliverables: list[Deliverable]) -> int:
    """Percent complete of a group: by planned hours, or a plain mean where none are planned."""
    if not deliverables:
        return 0
    hours = sum((d.planned_hours for d in deliverables), ZERO)
    if hours:
        return int(sum((d.planned_hours * d.earned_fraction for d in deliverables), ZERO) * 100 / hours)
    return int(sum((d.earned_fraction for d in deliverables), ZERO) * 100 / len(deliverables))


def _connector_path(scale: Scale, pred: Row, succ: Row) -> str:
    """An elbow from the right end of the predecessor's bar to the left end of the
    successor's; it turns back between the rows when the successor starts too early."""
    elbow = 0.5 if scale.zoom == "week" else 2.0
    x1, x2 = pred.bar.offset + pred.bar.span, succ.bar.offset
    y1, y2 = pred.index + 0.5, succ.index + 0.5
    if x2 >= x1 + 2 * elbow:
        return f"M{x1:g} {y1:g}H{x1 + elbow:g}V{y2:g}H{x2:g}"
    middle = (pred.index + 1) if succ.index > pred.index else pred.index
    return f"M{x1:g} {y1:g}H{x1 + elbow:g}V{middle:g}H{x2 - elbow:g}V{y2:g}H{x2:g}"


def project_timeline(project: Project, *, today: dt.date, zoom: str | None = None) -> ProjectTimeline:
    """Read a project's timeline in six queries: deliverables, dependencies, phases, the
    latest baseline, its deliverables, the holidays."""
    deliverables = list(project.deliverables.order_by("planned_start", "due_date", "pk"))
    live = [d for d in deliverables if d.status != DeliverableStatus.CANCELLED]
    by_pk = {d.pk: d for d in live}
    links = [
        (pred, succ)
        for pred, succ in Dependency.objects.filter(successor__project=project).values_list(
            "predecessor_id", "successor_id"
        )
        if pred in by_pk and succ in by_pk
    ]
    phases = list(project.phases.all())
    baseline = project.baselines.order_by("-number").first()
    frozen = {row.deliverable_id: row for row in baseline.deliverables.all()} if baseline else {}

    dates = [project.planned_start, project.due_date]
    dates += [day for d in live for day in (d.planned_start, d.due_date)]
    dates += [day for p in phases for day in (p.start_date, p.end_date)]
    if baseline:
        dates += [baseline.planned_start, baseline.due_date]
        dates += [day for row in frozen.values() if row.deliverable_id in by_pk for day in (row.planned_start,
                                                                                            row.due_date)]
    scale = Scale.around(min(dates), max(dates), zoom=zoom, today=today)

    # One holiday query serves the shaded days and the working-day index behind slack.
    tasks = scheduling.tasks_of(live, links)
    first = min([scale.start, *(t.start for t in tasks.values())])
    last = max([scale.end, *(t.due for t in tasks.values())])
    holidays = _holidays(first, last)
    plan_slack = _slack(tasks, WorkCalendar(first, last, frozenset(holidays)))
    in_conflict = conflicting_links(by_pk, tasks)

    rows: list[Row] = [_project_row(project, scale, baseline, live)]
    phase_ids = {p.pk for p in phases}
    by_phase: dict[int | None, list[Deliverable]] = {}
    for d in live:
        by_phase.setdefault(d.phase_id if d.phase_id in phase_ids else None, []).append(d)
    deliverable_rows: dict[int, Row] = {}
    for phase in [*phases, None]:
        members = by_phase.get(phase.pk if phase else None, [])
        if phase is not None:
            rows.append(_phase_row(phase, len(rows), scale, project, members))
        for d in members:
            row = _deliverable_row(d, len(rows), scale, project, frozen.get(d.pk), today)
            if plan_slack is not None:
                row.slack = plan_slack.slack.get(d.pk)
                row.critical = d.pk in plan_slack.critical
            row.conflicts_with = [by_pk[p] for p in tasks[d.pk].predecessors if (p, d.pk) in in_conflict]
            rows.append(row)
            deliverable_rows[d.pk] = row

    connectors = [
        Connector(
            predecessor=deliverable_rows[pred], successor=deliverable_rows[succ],
            path=_connector_path(scale, deliverable_rows[pred], deliverable_rows[succ]),
            conflict=(pred, succ) in in_conflict,
            critical=deliverable_rows[pred].critical and deliverable_rows[succ].critical,
        )
        for pred, succ in sorted(links)
    ]
    return ProjectTimeline(
        project=project, scale=scale, rows=rows, connectors=connectors, baseline=baseline,
        finish=plan_slack.finish if plan_slack else None, today=today,
        holidays=_holiday_bands(scale, holidays), cancelled=len(deliverables) - len(live),
    )


def _slack(tasks: dict[int, scheduling.Task], calendar: WorkCalendar) -> scheduling.Slack | None:
    try:
        return scheduling.slack(tasks, scheduling.WorkingDays(calendar))
    except ValueError:  # a loop the services refuse to make: no critical path to show
        return None


def _project_row(project: Project, scale: Scale, baseline: Baseline | None, live: list[Deliverable]) -> Row:
    row = Row(
        kind="project", index=0, obj=project, name=str(project), start=project.planned_start, end=project.due_date,
        bar=scale.place(project.planned_start, project.due_date), status=project.status,
        status_label=project.get_status_display(), percent=_percent(live),
        planned_hours=sum((d.planned_hours for d in live), ZERO),
    )
    if baseline is not None:
        row.baseline_start, row.baseline_end = baseline.planned_start, baseline.due_date
        row.baseline_bar = scale.place(baseline.planned_start, baseline.due_date)
        row.days_moved = (project.due_date - baseline.due_date).days
        row.start_moved = (project.planned_start - baseline.planned_start).days
        row.hours_moved = row.planned_hours - baseline.planned_hours
    return row


def _phase_row(phase: Phase, index: int, scale: Scale, project: Project, members: list[Deliverable]) -> Row:
    return Row(
        kind="phase", index=index, obj=phase, name=phase.name, start=phase.start_date, end=phase.end_date,
        bar=scale.place(phase.start_date, phase.end_date), percent=_percent(members),
        outside_project=phase.is_outside_project,
    )


def _deliverable_row(d: Deliverable, index: int, scale: Scale, project: Project, frozen, today: dt.date) -> Row:
    row = Row(
        kind="deliverable", index=index, obj=d, name=d.name, start=d.planned_start, end=d.due_date,
        bar=scale.place(d.planned_start, d.due_date), status=d.status, status_label=d.get_status_display(),
        percent=int(d.earned_fraction * 100), planned_hours=d.planned_hours,
        outside_project=d.is_outside_project,
        overdue=not d.is_closed and d.due_date < today,
    )
    if frozen is not None:
        row.baseline_start, row.baseline_end = frozen.planned_start, frozen.due_date
        row.baseline_bar = scale.place(frozen.planned_start, frozen.due_date)
        row.days_moved = (d.due_date - frozen.due_date).days
        row.start_moved = (d.planned_start - frozen.planned_start).days
        row.hours_moved = d.planned_hours - frozen.planned_hours
    return row


# --- the portfolio ---------------------------------------------------------------------


@dataclass
class PortfolioRow:
    project: Project
    index: int
    bar: Geometry
    baseline_bar: Geometry | None
    percent: int
    days_moved: int | None

    @property
    def moved_text(self) -> str:
        return "" if self.days_moved is None else days_moved_text(self.days_moved)


@dataclass
class PortfolioTimeline:
    scale: Scale
    rows: list[PortfolioRow]
    today: dt.date
    holidays: list[Band]

    @property
    def today_line(self) -> str | None:
        return self.scale.today_line(self.today)


def _effective_percent():
    return Case(
        When(status__in=DeliverableStatus.done(), then=Value(100)), default=F("percent_complete"),
        output_field=IntegerField(),
    )


def projects_percent_complete(project_ids: list[int]) -> dict[int, int]:
    """Each project's percent complete, by planned hours of its live deliverables (a plain
    mean where none are planned), in one query."""
    rows = (
        Deliverable.objects.filter(project__in=project_ids).live().order_by().values("project")
        .annotate(
            hours=Sum("planned_hours"),
            earned=Sum(ExpressionWrapper(F("planned_hours") * _effective_percent(),
                                         output_field=DecimalField(max_digits=14, decimal_places=2))),
            mean=Avg(_effective_percent()),
        )
    )
    result = {}
    for row in rows:
        if row["hours"]:
            result[row["project"]] = int(Decimal(row["earned"]) / Decimal(row["hours"]))
        else:
            result[row["project"]] = int(row["mean"] or 0)
    return result


def portfolio_timeline(projects: list[Project], *, today: dt.date, zoom: str | None = None) -> PortfolioTimeline:
    """One bar per project (a page of them), its baseline beneath: two queries (percent
    complete, holidays)."""
    dates = [today]
    for project in projects:
        dates += [project.planned_start, project.due_date]
        if project.has_baseline:
            dates += [project.baseline_start, project.baseline_due_date]
    scale = Scale.around(min(dates), max(dates), zoom=zoom or "month", today=today)
    percent = projects_percent_complete([p.pk for p in projects]) if projects else {}
    rows = []
    for index, project in enumerate(projects):
        baseline = project.has_baseline and project.baseline_start and project.baseline_due_date
        rows.append(PortfolioRow(
            project=project, index=index, bar=scale.place(project.planned_start, project.due_date),
            baseline_bar=scale.place(project.baseline_start, project.baseline_due_date) if baseline else None,
            percent=percent.get(project.pk, 0),
            days_moved=(project.due_date - project.baseline_due_date).days if baseline else None,
        ))
    return PortfolioTimeline(scale=scale, rows=rows, today=today,
                             holidays=_holiday_bands(scale, _holidays(scale.start, scale.end)))
