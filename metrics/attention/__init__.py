"""The production manager's home: what needs attention today (DESIGN §4, "PM dashboard").

One function per section, each answering a `Section`: how many items there are, the
first few as links to where each is resolved, a link to the whole list, and how urgent
the section is. Every section reads a fixed number of queries whatever the studio's
size: counts and aggregates in SQL, a bounded slice for the rows shown, and the
set-based capacity reads of `schedules.capacity` over a fixed window of days.

Scope (`scoped_projects`): the sections about projects (deliverables, briefs, dependency
conflicts) read a production manager's own open projects by default, or every open
project; the approvals are the user's own; the sections about people (clashes,
under-booking, time off, timesheets) and the requests waiting for triage are the studio's.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from projects.models import Project
from studio.models import User
from studio.permissions import starts_with_own_projects

from .base import (
    EXPANDED_ROWS,
    ROWS,
    SCOPE_ALL,
    SCOPE_MINE,
    Item,
    Section,
)
from .decisions import (
    approvals_section,
    requests_section,
    time_off_section,
)
from .people import (
    clashes_section,
    timesheets_section,
    under_booked_section,
)
from .projects import (
    at_risk_section,
    briefs_section,
    conflicts_section,
    overdue_section,
)

__all__ = [
    "EXPANDED_ROWS",
    "ROWS",
    "SCOPE_ALL",
    "SCOPE_MINE",
    "Home",
    "Item",
    "Section",
    "approvals_section",
    "at_risk_section",
    "briefs_section",
    "clashes_section",
    "conflicts_section",
    "home_for",
    "home_scope",
    "overdue_section",
    "requests_section",
    "scoped_projects",
    "time_off_section",
    "timesheets_section",
    "under_booked_section",
]


@dataclass
class Home:
    """The sections, most urgent first."""

    today: dt.date
    scope: str
    sections: list[Section]

    @property
    def waiting(self) -> list[Section]:
        """Sections with something in them, most urgent first."""
        return [section for section in self.sections if section.count]

    @property
    def calm(self) -> list[Section]:
        return [section for section in self.sections if not section.count]


def home_scope(user, asked: str | None) -> str:
    """The scope shown: a production manager's own projects unless `?scope=all`; for
    everyone else the whole portfolio."""
    if starts_with_own_projects(user) and asked != SCOPE_ALL:
        return SCOPE_MINE
    return SCOPE_ALL


def scoped_projects(user: User, scope: str) -> QuerySet[Project]:
    """The open projects the project sections read (a subquery, never loaded)."""
    projects = Project.objects.visible_to(user).open()
    return projects.filter(pm=user) if scope == SCOPE_MINE else projects


def home_for(user: User, *, scope: str, today: dt.date, expand: str | None = None) -> Home:
    """Every section of the home, most urgent first; the section named by `expand` shows up
    to EXPANDED_ROWS rows instead of ROWS (for those without a page of their own)."""
    projects = scoped_projects(user, scope)
    by_pm = scope == SCOPE_ALL

    def limit(key: str) -> int:
        return EXPANDED_ROWS if key == expand else ROWS

    sections = [
        overdue_section(projects, today, by_pm=by_pm, limit=limit("overdue")),
        conflicts_section(projects, by_pm=by_pm, limit=limit("conflicts")),
        clashes_section(user, today, limit=limit("clashes")),
        approvals_section(user, today, limit=limit("approvals")),
        at_risk_section(projects, today, by_pm=by_pm, limit=limit("at_risk")),
        briefs_section(projects, today, by_pm=by_pm, limit=limit("briefs")),
        requests_section(user, today, limit=limit("requests")),
        time_off_section(user, today, limit=limit("time_off")),
        timesheets_section(user, today, limit=limit("timesheets")),
        under_booked_section(user, today, limit=limit("under_booked")),
    ]
    return Home(today=today, scope=scope, sections=sorted(sections, key=lambda s: s.urgency))
