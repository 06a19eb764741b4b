"""A project's plan as its page shows it: phases, deliverables with their people and
dependencies, the flags (overdue, outside the project, starting before what it depends
on), and how far the plan moved from its latest baseline.

A fixed number of queries whatever the number of deliverables; the page, its HTMX
fragments and the API read the same object.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from studio.models import AuditEvent, Talent

from . import scheduling
from .models import Baseline, Deliverable, DeliverableStatus, Dependency, Phase, Project

ZERO = Decimal("0")


def days_moved_text(days: int, unchanged: str = "") -> str:
    """How far a date moved (from its baseline, by default), as people say it."""
    if days > 0:
        return ngettext("%(count)d day later", "%(count)d days later", days) % {"count": days}
    if days < 0:
        return ngettext("%(count)d day earlier", "%(count)d days earlier", -days) % {"count": -days}
    return unchanged or gettext("as baselined")


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    predecessors: list[Deliverable] = field(default_factory=list)
    conflicts_with: list[Deliverable] = field(default_factory=list)  # predecessors not yet due when it starts
    overdue: bool = False
    outside_project: bool = False
    in_baseline: bool = False
    days_moved: int | None = None  # calendar days its due date moved since the baseline
    hours_moved: Decimal | None = None

    @property
    def moved_text(self) -> str:
        return "" if self.days_moved is None else days_moved_text(self.days_moved)


@dataclass
class Variance:
    """How far the plan moved from its latest baseline, in total."""

    baseline: Baseline
    due_days: int  # the project's due date
    start_days: int
    hours: Decimal
    added: int  # deliverables planned since
    dropped: int  # deliverables of the baseline cancelled since

    @property
    def due_moved_text(self) -> str:
        return days_moved_text(self.due_days)


@dataclass
class ProjectPlan:
    project: Project
    phases: list[Phase]
    rows: list[DeliverableRow]
    variance: Variance | None
    conflicts: int

    @property
    def live_rows(self) -> list[DeliverableRow]:
        return [row for row in self.rows if row.deliverable.status != DeliverableStatus.CANCELLED]

    @property
    def planned_hours(self) -> Decimal:
        return sum((row.deliverable.planned_hours for row in self.live_rows), ZERO)


def conflicting_links(live: dict[int, Deliverable], tasks: dict[int, scheduling.Task]) -> set[tuple[int, int]]:
    """The (predecessor, successor) links the plan breaks while the successor still has
    work to do: `Dependency.objects.conflicts()` for deliverables already in hand."""
    return {(pred, succ) for pred, succ in scheduling.conflicts(tasks)
            if live[succ].status not in DeliverableStatus.done()}


def project_plan(project: Project, *, user, today: dt.date) -> ProjectPlan:
    """Read the project's plan in six queries: deliverables (with the assignees the user may
    see), dependencies, the latest baseline and its rows, and the phases."""
    visible_talent = Talent.objects.visible_to(user).select_related("user", "discipline")
    deliverables = list(
        project.deliverables.select_related("deliverable_type", "phase")
        .prefetch_related(Prefetch("assignees", visible_talent))
        .order_by("planned_start", "due_date", "pk")
    )
    by_pk = {d.pk: d for d in deliverables}
    rows = {d.pk: DeliverableRow(deliverable=d) for d in deliverables}
    links = list(Dependency.objects.filter(successor__project=project).values_list("predecessor_id", "successor_id"))
    for pred, succ in links:
        if pred in by_pk and succ in rows:
            rows[succ].predecessors.append(by_pk[pred])
    live = {d.pk: d for d in deliverables if d.status != DeliverableStatus.CANCELLED}
    broken = conflicting_links(live, scheduling.tasks_of(live.values(), links))
    for row in rows.values():
        d = row.deliverable
        if d.pk in live:
            row.overdue = not d.is_closed and d.due_date < today
            row.outside_project = d.is_outside_project
            row.conflicts_with = [p for p in row.predecessors if (p.pk, d.pk) in broken]
    conflicts = sum(1 for row in rows.values() if row.conflicts_with)
    variance = _variance(project, rows)
    return ProjectPlan(
        project=project, phases=list(project.phases.all()), rows=list(rows.values()), variance=variance,
        conflicts=conflicts,
    )


def _variance(project: Project, rows: dict[int, DeliverableRow]) -> Variance | None:
    baseline = project.baselines.order_by("-number").select_related("set_by").first()
    if baseline is None:
        return None
    frozen = {row.deliverable_id: row for row in baseline.deliverables.all()}
    hours, added, dropped = ZERO, 0, 0
    for pk, row in rows.items():
        d = row.deliverable
        live = d.status != DeliverableStatus.CANCELLED
        then = frozen.get(pk)
        if then is None:
            added += live
            hours += d.planned_hours if live else ZERO
            continue
        row.in_baseline = True
        if not live:
            dropped += 1
            hours -= then.planned_hours
            continue
        row.days_moved = (d.due_date - then.due_date).days
        row.hours_moved = d.planned_hours - then.planned_hours
        hours += row.hours_moved
    return Variance(
        baseline=baseline,
        due_days=(project.due_date - baseline.due_date).days,
        start_days=(project.planned_start - baseline.planned_start).days,
        hours=hours,
        added=added,
        dropped=dropped,
    )


# What each audited action reads as in a project's history.
HISTORY_LABELS = {
    "project.create": _("created the project"),
    "project.created": _("created the project"),
    "project.update": _("changed the project"),
    "project.status": _("moved the project"),
    "project.baseline": _("set a baseline"),
    "project.team_message": _("messaged the team"),
    "phase.add": _("added a phase"),
    "phase.update": _("changed a phase"),
    "phase.move": _("reordered the phases"),
    "phase.remove": _("removed a phase"),
    "deliverable.add": _("added"),
    "deliverable.update": _("changed"),
    "deliverable.push": _("pushed forward"),
    "deliverable.cancel": _("cancelled"),
    "dependency.add": _("added a dependency to"),
    "dependency.remove": _("removed a dependency from"),
    "dependency.set": _("changed what comes before"),
}


@dataclass
class HistoryEntry:
    event: AuditEvent
    text: str
    change: str  # e.g. "Planned → Active" for a status move


def _history_entry(event: AuditEvent) -> HistoryEntry:
    change = ""
    if event.action == "project.status" and event.before and event.after:
        labels = dict(Project.Status.choices)
        change = f"{labels.get(event.before.get('status'), '')} → {labels.get(event.after.get('status'), '')}"
    return HistoryEntry(event=event, text=str(HISTORY_LABELS.get(event.action, event.action)), change=change)


def project_history(project: Project, *, limit: int = 25) -> list[HistoryEntry]:
    """The latest changes to the project and its deliverables, newest first."""
    deliverable_ids = [str(pk) for pk in project.deliverables.values_list("pk", flat=True)]
    events = list(
        AuditEvent.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk))
            | Q(content_type=ContentType.objects.get_for_model(Deliverable), object_id__in=deliverable_ids)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [_history_entry(event) for event in events]
