"""What every section of the home is made of: its rows, its counts by production
manager, and the small helpers that word them."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.models import Project
from studio import clock
from studio.dates import day_text
from studio.models import Talent

# --- the read model ---------------------------------------------------------------------

# Rows shown per section; the count says how many there are, the link leads to them all.
ROWS = 5
# …or this many, for a section opened in full on the page (one without a page of its own).
EXPANDED_ROWS = 50
# Clashes and over-capacity days are looked for over the next two weeks, today included.
CLASH_DAYS = 14
# A brief sent this many working days ago and still not acknowledged needs a nudge.
BRIEF_GRACE_WORKING_DAYS = 2
# Days looked back for those working days: plenty, even across a long holiday.
BRIEF_LOOKBACK = dt.timedelta(days=30)
ZERO = Decimal("0")
ONE_DAY = dt.timedelta(days=1)

# Urgency, most urgent first: late work and plans that cannot hold, then what waits on a
# decision, then what is merely worth knowing. Sections keep this order on the page.
URGENCY = (
    "overdue",
    "conflicts",
    "clashes",
    "approvals",
    "at_risk",
    "briefs",
    "requests",
    "time_off",
    "timesheets",
    "under_booked",
)

SCOPE_MINE, SCOPE_ALL = "mine", "all"


@dataclass
class Item:
    """One row of a section: a link to where it is resolved, and what to read beside it."""

    title: str
    url: str
    meta: str = ""
    day: dt.date | None = None
    day_label: str = ""
    flag: str = ""
    tone: str = ""


@dataclass
class PmCount:
    name: str
    count: int


@dataclass
class Section:
    """One kind of thing needing attention: how many, the first rows, where to resolve them."""

    key: str
    title: str
    count: int
    items: list[Item]
    url: str = ""
    link_text: str = ""
    summary: str = ""
    nothing: str = ""
    tone: str = "info"
    by_pm: list[PmCount] = field(default_factory=list)
    # Whether the page at `url` lists every item; otherwise the home can show them all.
    lists_all: bool = False

    @property
    def urgency(self) -> int:
        return URGENCY.index(self.key)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


# --- helpers ----------------------------------------------------------------------------


def _url(name: str, *args, query: dict | None = None) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def timeline_url(project_id: int) -> str:
    """A project's timeline, where dependencies are moved."""
    return reverse("projects:project-timeline", args=[project_id])


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, clock.studio_zone()).date()


def _day(day: dt.date) -> str:
    """A date as people read it: "Mon 7 Dec"."""
    return day_text(day)


def _percent(fraction: Decimal) -> int:
    return int((fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def _waiting(since: dt.date, today: dt.date) -> str:
    days = (today - since).days
    return _("since today") if days <= 0 else _("waiting %(days)s") % {"days": _days(days)}


def _people(ids: list[int], talent: QuerySet[Talent] | None = None) -> dict[int, Talent]:
    """The people shown, with user and discipline, in one query (also when there are none,
    so a section's query count does not depend on the day)."""
    talent = Talent.objects.all() if talent is None else talent
    return {person.pk: person for person in talent.select_related("user", "discipline").filter(pk__in=ids)}


def _pm_counts(queryset: QuerySet, pm_path: str, counted=None) -> list[PmCount]:
    """Items per production manager (rows, or what `counted` counts), most first, in one query."""
    rows = (
        queryset.order_by()
        .values(pm_path, f"{pm_path}__first_name", f"{pm_path}__last_name", f"{pm_path}__username")
        .annotate(n=counted if counted is not None else Count("pk"))
    )
    counts = [
        PmCount(
            name=f"{row[f'{pm_path}__first_name']} {row[f'{pm_path}__last_name']}".strip()
            or row[f"{pm_path}__username"],
            count=row["n"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda pm: (-pm.count, pm.name))


def _pm_counts_of(projects: list[Project]) -> list[PmCount]:
    """The same from loaded rows' projects (their `pm` selected)."""
    counts: dict[int, PmCount] = {}
    for project in projects:
        entry = counts.setdefault(project.pm_id, PmCount(name=str(project.pm), count=0))
        entry.count += 1
    return sorted(counts.values(), key=lambda pm: (-pm.count, pm.name))
