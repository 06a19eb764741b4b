"""Sections about projects: late and at-risk work, dependency conflicts, unread briefs."""

import datetime as dt

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefs.models import BriefDistribution
from briefs.services.briefs import distributions_current
from projects.models import Deliverable, Dependency, Project
from projects.risk import deliverables_at_risk
from studio import clock
from studio.workdays import WorkCalendar

from .base import (
    BRIEF_GRACE_WORKING_DAYS,
    BRIEF_LOOKBACK,
    ONE_DAY,
    ROWS,
    Item,
    Section,
    _day,
    _days,
    _local_day,
    _percent,
    _pm_counts,
    _pm_counts_of,
    _url,
    timeline_url,
)


def overdue_section(projects: QuerySet[Project], today: dt.date, *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Open deliverables past their due date, the longest overdue first: two queries (three by PM)."""
    overdue = Deliverable.objects.overdue(today).filter(project__in=projects)
    count = overdue.count()
    rows = list(overdue.select_related("project").order_by("due_date", "project__code", "pk")[:limit])
    items = [
        Item(
            title=d.name,
            url=reverse("projects:deliverable-detail", args=[d.pk]),
            meta=f"{d.project.code} · {d.get_status_display()} · {d.percent_complete} %",
            day=d.due_date,
            day_label=_("due"),
            flag=_("%(days)s late") % {"days": _days((today - d.due_date).days)},
            tone="bad",
        )
        for d in rows
    ]
    return Section(
        key="overdue",
        title=_("Overdue deliverables"),
        count=count,
        items=items,
        tone="bad",
        nothing=_("Nothing is overdue."),
        by_pm=_pm_counts(overdue, "project__pm") if by_pm else [],
    )


def at_risk_section(projects: QuerySet[Project], today: dt.date, *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Open deliverables due within five working days and behind their plan (`projects.risk`):
    two queries."""
    risky = deliverables_at_risk(Deliverable.objects.filter(project__in=projects).select_related("project__pm"), today)
    items = [
        Item(
            title=d.name,
            url=reverse("projects:deliverable-detail", args=[d.pk]),
            meta=f"{d.project.code} · {d.get_status_display()} · "
            + _("%(planned)s %% planned by today") % {"planned": _percent(d.planned_today)},
            day=d.due_date,
            day_label=_("due"),
            flag=_("%(percent)s %% done") % {"percent": d.percent_complete},
            tone="warn",
        )
        for d in risky[:limit]
    ]
    return Section(
        key="at_risk",
        title=_("Deliverables at risk"),
        count=len(risky),
        items=items,
        tone="warn",
        summary=_("Due within five working days and behind the plan."),
        nothing=_("Nothing due in the next five working days is behind."),
        by_pm=_pm_counts_of([d.project for d in risky]) if by_pm else [],
    )


def conflicts_section(projects: QuerySet[Project], *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Deliverables planned to start on or before the work they follow is due: two queries
    (three by PM)."""
    conflicts = Dependency.objects.conflicts().filter(successor__project__in=projects)
    count = conflicts.count()
    rows = conflicts.select_related("predecessor", "successor__project").order_by(
        "successor__planned_start", "successor__project__code", "pk"
    )[:limit]
    items = [
        Item(
            title=_("%(successor)s starts before %(predecessor)s is due")
            % {"successor": link.successor.name, "predecessor": link.predecessor.name},
            url=timeline_url(link.successor.project_id),
            meta=_("%(project)s · follows work due %(due)s")
            % {"project": link.successor.project.code, "due": _day(link.predecessor.due_date)},
            day=link.successor.planned_start,
            day_label=_("starts"),
            tone="bad",
            flag=_("%(days)s too early")
            % {"days": _days((link.predecessor.due_date - link.successor.planned_start).days + 1)},
        )
        for link in rows
    ]
    return Section(
        key="conflicts",
        title=_("Dependency conflicts"),
        count=count,
        items=items,
        tone="bad",
        summary=_("Work planned to start before what it follows is due."),
        nothing=_("Every plan follows its dependencies."),
        by_pm=_pm_counts(conflicts, "successor__project__pm") if by_pm else [],
    )


def brief_cutoff(today: dt.date) -> dt.datetime:
    """Briefs sent before this moment have had two whole working days to be acknowledged:
    the start of the second working day before `today` (one holiday query)."""
    calendar = WorkCalendar.between(today - BRIEF_LOOKBACK, today - ONE_DAY)
    before = [day for day in calendar.days()][-BRIEF_GRACE_WORKING_DAYS:]
    day = before[0] if len(before) == BRIEF_GRACE_WORKING_DAYS else calendar.start
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.studio_zone())


def briefs_section(projects: QuerySet[Project], today: dt.date, *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Recipients who have not acknowledged the latest version sent to them after two
    working days, by brief, the longest waiting first: three queries (four by PM)."""
    waiting = distributions_current(
        BriefDistribution.objects.unacknowledged().filter(
            sent_at__lt=brief_cutoff(today), version__brief__project__in=projects
        )
    )
    totals = waiting.order_by().aggregate(people=Count("pk"), briefs=Count("version__brief", distinct=True))
    rows = (
        waiting.values("version__brief", "version__brief__title", "version__brief__project__code")
        .annotate(people=Count("pk"), oldest=Min("sent_at"))
        .order_by("oldest", "version__brief")[:limit]
    )
    items = [
        Item(
            title=row["version__brief__title"],
            url=reverse("briefs:brief-board", args=[row["version__brief"]]),
            meta=row["version__brief__project__code"],
            day=_local_day(row["oldest"]),
            day_label=_("first sent"),
            flag=ngettext("%(count)d person", "%(count)d people", row["people"]) % {"count": row["people"]},
            tone="warn",
        )
        for row in rows
    ]
    summary = ""
    if totals["briefs"]:
        summary = ngettext(
            "%(count)d person has not acknowledged after two working days.",
            "%(count)d people have not acknowledged after two working days.",
            totals["people"],
        ) % {"count": totals["people"]}
    return Section(
        key="briefs",
        title=_("Briefs not acknowledged"),
        count=totals["briefs"],
        items=items,
        tone="warn",
        summary=summary,
        nothing=_("Every brief sent two working days ago has been acknowledged."),
        url=_url("briefs:brief-list"),
        link_text=_("All briefs"),
        by_pm=_pm_counts(waiting, "version__brief__project__pm", Count("version__brief", distinct=True))
        if by_pm
        else [],
    )
