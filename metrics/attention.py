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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import Approval, ApprovalFlow
from briefs.models import BriefDistribution, Request
from briefs.services.briefs import distributions_current
from projects.models import Deliverable, Dependency, Project
from projects.risk import deliverables_at_risk
from schedules.capacity import CENT, booked_by_person, capacity_by_person, free_hours
from schedules.hours import hours_text
from schedules.models import Booking, TimeOff, timesheet_week_url
from schedules.services.timesheets import missing_weeks, timesheets_missing
from studio import clock
from studio.models import StudioSettings, Talent, User
from studio.permissions import starts_with_own_projects
from studio.workdays import WorkCalendar

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
    "overdue", "conflicts", "clashes", "approvals", "at_risk",
    "briefs", "requests", "time_off", "timesheets", "under_booked",
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
    return date_format(day, "D j M")


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


# --- sections about projects ------------------------------------------------------------


def overdue_section(projects: QuerySet[Project], today: dt.date, *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Open deliverables past their due date, the longest overdue first: two queries (three by PM)."""
    overdue = Deliverable.objects.overdue(today).filter(project__in=projects)
    count = overdue.count()
    rows = list(overdue.select_related("project").order_by("due_date", "project__code", "pk")[:limit])
    items = [
        Item(
            title=d.name, url=reverse("projects:deliverable-detail", args=[d.pk]),
            meta=f"{d.project.code} · {d.get_status_display()} · {d.percent_complete} %",
            day=d.due_date, day_label=_("due"),
            flag=_("%(days)s late") % {"days": _days((today - d.due_date).days)}, tone="bad",
        )
        for d in rows
    ]
    return Section(
        key="overdue", title=_("Overdue deliverables"), count=count, items=items, tone="bad",
        nothing=_("Nothing is overdue."),
        by_pm=_pm_counts(overdue, "project__pm") if by_pm else [],
    )


def at_risk_section(projects: QuerySet[Project], today: dt.date, *, by_pm: bool = False, limit: int = ROWS) -> Section:
    """Open deliverables due within five working days and behind their plan (`projects.risk`):
    two queries."""
    risky = deliverables_at_risk(
        Deliverable.objects.filter(project__in=projects).select_related("project__pm"), today
    )
    items = [
        Item(
            title=d.name, url=reverse("projects:deliverable-detail", args=[d.pk]),
            meta=f"{d.project.code} · {d.get_status_display()} · "
            + _("%(planned)s %% planned by today") % {"planned": _percent(d.planned_today)},
            day=d.due_date, day_label=_("due"),
            flag=_("%(percent)s %% done") % {"percent": d.percent_complete}, tone="warn",
        )
        for d in risky[:limit]
    ]
    return Section(
        key="at_risk", title=_("Deliverables at risk"), count=len(risky), items=items, tone="warn",
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
            day=link.successor.planned_start, day_label=_("starts"), tone="bad",
            flag=_("%(days)s too early")
            % {"days": _days((link.predecessor.due_date - link.successor.planned_start).days + 1)},
        )
        for link in rows
    ]
    return Section(
        key="conflicts", title=_("Dependency conflicts"), count=count, items=items, tone="bad",
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
            title=row["version__brief__title"], url=reverse("briefs:brief-board", args=[row["version__brief"]]),
            meta=row["version__brief__project__code"], day=_local_day(row["oldest"]), day_label=_("first sent"),
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
        key="briefs", title=_("Briefs not acknowledged"), count=totals["briefs"], items=items, tone="warn",
        summary=summary, nothing=_("Every brief sent two working days ago has been acknowledged."),
        url=_url("briefs:brief-list"), link_text=_("All briefs"),
        by_pm=_pm_counts(waiting, "version__brief__project__pm", Count("version__brief", distinct=True))
        if by_pm else [],
    )


# --- sections about decisions ----------------------------------------------------------


def approvals_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """What waits on this user's decision, the oldest first: two queries."""
    waiting = Approval.objects.waiting_on(user)
    count = waiting.count()
    flow_names = ApprovalFlow.objects.filter(kind=OuterRef("kind")).values("name")[:1]
    rows = list(
        waiting.annotate(flow_name=Subquery(flow_names)).select_related("submitted_by")
        .order_by("submitted_at", "pk")[:limit]
    )
    inbox = reverse("approvals:inbox")
    items = [
        Item(
            title=approval.object_repr, url=inbox,
            meta=_("%(kind)s · from %(person)s")
            % {"kind": approval.flow_name or approval.kind, "person": approval.submitted_by},
            day=_local_day(approval.submitted_at), day_label=_("sent"),
            flag=_waiting(_local_day(approval.submitted_at), today), tone="warn",
        )
        for approval in rows
    ]
    summary = ""
    if rows:
        oldest = (today - _local_day(rows[0].submitted_at)).days
        summary = _("The oldest has waited %(days)s.") % {"days": _days(oldest)} if oldest > 0 else _(
            "The oldest came in today."
        )
    return Section(
        key="approvals", lists_all=True, title=_("Approvals waiting on you"), count=count, items=items, tone="warn",
        summary=summary, nothing=_("Nothing waits on your decision."),
        url=inbox, link_text=_("Open the inbox"),
    )


def requests_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """Brand requests waiting for triage (not those waiting on the brand's answer), the
    nearest deadline first: two queries."""
    waiting = Request.objects.visible_to(user).filter(status=Request.Status.SUBMITTED)
    count = waiting.count()
    rows = list(waiting.select_related("brand").order_by("deadline", "created_at", "pk")[:limit])
    items = [
        Item(
            title=item.title, url=reverse("briefs:request-detail", args=[item.pk]),
            meta=str(item.brand), day=item.deadline, day_label=_("deadline"),
            flag=_waiting(_local_day(item.created_at), today),
        )
        for item in rows
    ]
    return Section(
        key="requests", lists_all=True, title=_("Requests waiting for triage"), count=count, items=items,
        nothing=_("No request is waiting for triage."),
        url=_url("briefs:request-list", query={"status": Request.Status.SUBMITTED}), link_text=_("All of them"),
    )


def _absence_text(absence: TimeOff) -> str:
    span = _("until %(day)s") % {"day": _day(absence.end_date)} if absence.end_date != absence.start_date else _(
        "one day"
    )
    if absence.full_day:
        return span
    return f"{span} · " + _("%(hours)s h a day") % {"hours": hours_text(absence.hours_per_day)}


def time_off_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """Time off requested and not yet decided, the soonest first: two queries."""
    waiting = TimeOff.objects.visible_to(user).filter(status=TimeOff.Status.REQUESTED)
    count = waiting.count()
    rows = list(waiting.select_related("talent__user").order_by("start_date", "pk")[:limit])
    inbox = reverse("approvals:inbox")
    items = [
        Item(
            title=str(absence.talent), url=inbox,
            meta=_absence_text(absence),
            day=absence.start_date, day_label=_("from"),
            flag=_("started") if absence.start_date < today else "",
        )
        for absence in rows
    ]
    return Section(
        key="time_off", lists_all=True, title=_("Time off to decide"), count=count, items=items,
        nothing=_("No time off is waiting for a decision."),
        url=_url("schedules:time-off-list", query={"status": TimeOff.Status.REQUESTED}), link_text=_("All requests"),
    )


# --- sections about people --------------------------------------------------------------


def timesheets_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """People who owe last week's timesheet: none, or one still open. Two queries."""
    week = missing_weeks(today)[0]
    owing = timesheets_missing(weeks=[week]).filter(pk__in=Talent.objects.visible_to(user).values("pk"))
    count = owing.count()
    rows = list(owing[:limit])
    items = [
        Item(
            title=str(person), url=timesheet_week_url(person.pk, week), meta=str(person.discipline),
            flag=_("not started") if person.status_0 is None else _("not submitted"),
        )
        for person in rows
    ]
    return Section(
        key="timesheets", lists_all=True, title=_("Last week's missing timesheets"), count=count, items=items,
        summary=_("The week of %(day)s.") % {"day": _day(week)},
        nothing=_("Everyone has submitted last week's timesheet."),
        url=reverse("schedules:timesheet-missing"), link_text=_("Who is missing which week"),
    )


@dataclass
class _Overload:
    talent_id: int
    first_day: dt.date
    days: int = 0
    clash: bool = False


def overloads(user: User, today: dt.date) -> list[_Overload]:
    """Each person booked over capacity on a day of the next two weeks, the earliest first;
    three queries: booked hours, the people's limits, their capacity."""
    end = today + dt.timedelta(days=CLASH_DAYS - 1)
    booked = booked_by_person(today, end)
    limits = {
        pk: hours + overtime
        for pk, hours, overtime in Talent.objects.visible_to(user)
        .filter(pk__in=Booking.objects.overlapping(today, end).values("talent"))
        .values_list("pk", "hours_per_day", "overtime_hours_per_day")
    }
    capacity = capacity_by_person(today, end, list(limits))
    found = []
    for pk, days in booked.items():
        if pk not in limits:
            continue
        available, overload = capacity.get(pk, {}), None
        for day in sorted(days):
            hours = sum(days[day].values(), ZERO)
            if hours > available.get(day, ZERO):
                overload = overload or _Overload(talent_id=pk, first_day=day)
                overload.days += 1
                overload.clash = overload.clash or hours > limits[pk]
        if overload:
            found.append(overload)
    return sorted(found, key=lambda o: (o.first_day, not o.clash, -o.days, o.talent_id))


def clashes_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """People booked over their capacity on a day of the next two weeks; a clash when over
    their hours a day plus overtime (DESIGN §2), tentative hours counted as on the team
    schedule. Four queries: `overloads`, and the people shown."""
    found = overloads(user, today)
    shown = found[:limit]
    talent = _people([o.talent_id for o in shown])
    items = [
        Item(
            title=str(talent[o.talent_id]),
            url=_url("schedules:team-schedule", query={
                "start": o.first_day.isoformat(), "discipline": talent[o.talent_id].discipline_id,
            }),
            meta=str(talent[o.talent_id].discipline) + " · "
            + ngettext("%(count)d day over", "%(count)d days over", o.days) % {"count": o.days},
            day=o.first_day, day_label=_("from"),
            flag=_("clash") if o.clash else _("over capacity"), tone="bad" if o.clash else "warn",
        )
        for o in shown
    ]
    clashes = sum(1 for o in found if o.clash)
    summary = ""
    if found:
        summary = _(
            "In the next two weeks: %(clashes)s past their hours plus overtime (a clash), %(over)s past their "
            "capacity only."
        ) % {"clashes": clashes, "over": len(found) - clashes}
    first = found[0].first_day if found else today
    return Section(
        key="clashes", title=_("Clashes and over capacity"), count=len(found), items=items, tone="bad",
        summary=summary, nothing=_("Nobody is booked over capacity in the next two weeks."),
        url=_url("schedules:team-schedule", query={"start": first.isoformat()}), link_text=_("Team schedule"),
    )


def booking_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """The rest of this week, today to Sunday; at the weekend, the coming week."""
    if today.weekday() >= 5:
        start = clock.week_start(today) + dt.timedelta(weeks=1)
    else:
        start = today
    return start, clock.week_start(start) + dt.timedelta(days=6)


@dataclass
class _Idle:
    talent_id: int
    capacity: Decimal
    free: Decimal


def under_booked_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """People with less of the rest of this week booked than the studio's utilization
    target, the most free hours first; free hours as on *who is free* (each day's capacity
    less its booked hours, never below 0). Four queries: capacity, booked hours, the
    target, and the people shown."""
    start, end = booking_week(today)
    capacity = capacity_by_person(start, end)
    booked = booked_by_person(start, end)
    target = StudioSettings.load().utilization_target
    idle = []
    for pk, days in capacity.items():
        available = sum(days.values(), ZERO).quantize(CENT)
        free = free_hours(days, booked.get(pk, {}))
        if available and available - free < target * available:
            idle.append(_Idle(talent_id=pk, capacity=available, free=free))
    idle.sort(key=lambda person: (-person.free, person.talent_id))
    talent = _people([person.talent_id for person in idle[:limit]], Talent.objects.visible_to(user))
    shown = [person for person in idle[:limit] if person.talent_id in talent]
    window = {"start": start.isoformat(), "end": end.isoformat()}
    items = [
        Item(
            title=str(talent[p.talent_id]),
            url=_url("schedules:who-is-free", query={**window, "discipline": talent[p.talent_id].discipline_id}),
            meta=str(talent[p.talent_id].discipline) + " · "
            + _("%(booked)s of %(capacity)s h booked") % {
                "booked": hours_text(p.capacity - p.free), "capacity": hours_text(p.capacity),
            },
            flag=_("%(hours)s h free") % {"hours": hours_text(p.free)},
        )
        for p in shown
    ]
    percent = _percent(target)
    return Section(
        key="under_booked", lists_all=True, title=_("Under-booked this week"), count=len(idle), items=items,
        summary=_("Booked below %(percent)s %% of their capacity from %(start)s to %(end)s.") % {
            "percent": percent, "start": _day(start), "end": _day(end),
        },
        nothing=_("Everyone is booked to at least %(percent)s %% of their capacity this week.") % {"percent": percent},
        url=_url("schedules:who-is-free", query=window), link_text=_("Who is free"),
    )
