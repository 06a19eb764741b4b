"""The team schedule: people × days, each day's booked hours against that person's
capacity, with the bookings drawn as bars (DESIGN §4, "Team schedule").

One `Window` (day, week or four weeks) and one page of people make a handful of
queries whatever the number of people or bookings: capacity and booked hours are
set-based SQL (`capacity.py`), bookings, time off and holidays one query each.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Deliverable
from studio.clock import week_start
from studio.models import Discipline, Holiday, Talent, User
from studio.permissions import can
from studio.workdays import WEEKDAYS, plan_window

from .capacity import booked_by_person, capacity_by_person, unbooked_by_deliverable
from .hours import hours_text
from .models import Booking, TimeOff

ONE_DAY = dt.timedelta(days=1)
ZERO = Decimal("0")

VIEWS = {"day": (1, _("Day")), "week": (7, _("Week")), "4weeks": (28, _("4 weeks"))}
DEFAULT_VIEW = "week"
# Placeholders ("a designer, to be staffed") shown at most, on the first page.
PLACEHOLDER_LIMIT = 100


@dataclass(frozen=True)
class Window:
    """The days the schedule shows: one day, or one or four weeks from a Monday; or any
    range of days (`between`), as the API asks."""

    view: str
    start: dt.date
    day_count: int = 0

    @classmethod
    def parse(cls, view: str | None, start: str | None, today: dt.date) -> "Window":
        """The window a URL asks for; an unknown view, a malformed date or one outside
        the plan window falls back to the week view and today, so an old bookmark never
        breaks the page."""
        view = view if view in VIEWS else DEFAULT_VIEW
        try:
            day = dt.date.fromisoformat(start) if start else today
        except ValueError:
            day = today
        first, last = plan_window(today)
        if not first <= day <= last:
            day = today
        return cls(view, day if view == "day" else week_start(day))

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "Window":
        if end < start:
            raise ValueError("The window ends before it starts.")
        return cls("range", start, (end - start).days + 1)

    @property
    def length(self) -> int:
        return self.day_count or VIEWS[self.view][0]

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.length - 1)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range(self.length)]

    @property
    def previous(self) -> dt.date:
        return self.start - dt.timedelta(days=self.length)

    @property
    def next(self) -> dt.date:
        return self.start + dt.timedelta(days=self.length)

    def column(self, day: dt.date) -> int:
        """The 1-based grid column of `day`, clamped to the window."""
        return min(max((day - self.start).days, 0), self.length - 1) + 1


@dataclass
class Cell:
    """One person's day: capacity after time off, and the hours booked on it."""

    day: dt.date
    capacity: Decimal = ZERO
    confirmed: Decimal = ZERO
    tentative: Decimal = ZERO
    limit: Decimal | None = None
    in_contract: bool = True
    holiday: str = ""
    time_off: list[TimeOff] = field(default_factory=list)
    is_today: bool = False

    @property
    def booked(self) -> Decimal:
        return self.confirmed + self.tentative

    # Ready-made text: a grid of people × days renders thousands of these, and template
    # filters (`date`, `floatformat`) would cost more than the queries.
    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def booked_text(self) -> str:
        return hours_text(self.booked)

    @property
    def capacity_text(self) -> str:
        return hours_text(self.capacity)

    @property
    def tentative_text(self) -> str:
        return hours_text(self.tentative)

    @property
    def css(self) -> str:
        return f"cell-{self.state} is-today" if self.is_today else f"cell-{self.state}"

    @property
    def note(self) -> tuple[str, str]:
        """(text, title) of what takes the day: a holiday, time off ("?" while it is only
        requested) or the end of a freelancer's contract."""
        if self.holiday:
            return _("Holiday"), self.holiday
        if self.time_off:
            texts = [
                (_("Off") if absence.full_day else _("%(hours)s h off") % {"hours": hours_text(absence.hours_per_day)})
                + ("?" if absence.status == TimeOff.Status.REQUESTED else "")
                for absence in self.time_off
            ]
            return ", ".join(texts), "; ".join(absence.reason for absence in self.time_off if absence.reason)
        if not self.in_contract:
            return _("No contract"), ""
        return "", ""

    @property
    def is_clash(self) -> bool:
        """Over the person's hours per day plus overtime, tentative hours counted: the
        clash rule of confirmations, shown for holds too."""
        return self.limit is not None and self.booked > self.limit

    @property
    def state(self) -> str:
        if self.is_clash:
            return "clash"
        if self.booked > self.capacity:
            return "over"
        if self.capacity == ZERO:
            return "off"
        if self.booked == self.capacity:
            return "full"
        return "free" if self.booked == ZERO else "part"


@dataclass
class Bar:
    """A booking as drawn in a row: from `column` over `span` days, on `lane`."""

    booking: Booking
    column: int
    span: int
    lane: int
    starts_before: bool
    ends_after: bool


@dataclass
class ToStaff:
    """A deliverable's planned hours of a discipline that no booking covers yet, drawn in
    the discipline's placeholder row over the deliverable's days."""

    deliverable: Deliverable
    hours: Decimal
    column: int
    span: int
    lane: int

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


@dataclass
class Row:
    """A person across the window; or, with no person, the placeholder bookings of a
    discipline ("a designer, to be staffed")."""

    discipline: Discipline
    cells: list[Cell]
    bars: list[Bar]
    talent: Talent | None = None
    to_staff: list[ToStaff] = field(default_factory=list)

    @property
    def is_placeholder(self) -> bool:
        return self.talent is None

    @property
    def dom_id(self) -> str:
        return f"row-talent-{self.talent.pk}" if self.talent else f"row-placeholders-{self.discipline.pk}"

    @property
    def lanes(self) -> int:
        return max((bar.lane for bar in [*self.bars, *self.to_staff]), default=0) + 1

    @property
    def booked(self) -> Decimal:
        return sum((cell.booked for cell in self.cells), ZERO)

    @property
    def capacity(self) -> Decimal:
        return sum((cell.capacity for cell in self.cells), ZERO)

    @property
    def has_clash(self) -> bool:
        return any(cell.is_clash for cell in self.cells)


@dataclass
class Group:
    discipline: Discipline
    rows: list[Row]


def schedule_people(user: User, window: Window) -> QuerySet[Talent]:
    """The people a team schedule lists, before filters: active talent the user may see,
    freelancers only when their contract overlaps the window; by discipline, then name."""
    return (
        Talent.objects.visible_to(user).active()
        .filter(
            Q(employment=Talent.Employment.STAFF) | Q(contract_start__lte=window.end, contract_end__gte=window.start)
        )
        .select_related("user", "discipline")
        .order_by("discipline__name", "user__first_name", "user__last_name", "pk")
    )


def _lane(lane_ends: list[dt.date], first: dt.date, last: dt.date) -> int:
    """The first lane free from `first` on, which then runs to `last`."""
    lane = next((n for n, end in enumerate(lane_ends) if end < first), len(lane_ends))
    if lane == len(lane_ends):
        lane_ends.append(last)
    else:
        lane_ends[lane] = last
    return lane


def _bars(bookings: list[Booking], window: Window, lane_ends: list[dt.date] | None = None) -> list[Bar]:
    """Bars in lanes: each booking on the first lane free over its days in the window."""
    bars, lane_ends = [], [] if lane_ends is None else lane_ends
    for booking in sorted(bookings, key=lambda b: (b.start_date, -(b.end_date - b.start_date).days, b.pk)):
        first, last = max(booking.start_date, window.start), min(booking.end_date, window.end)
        lane = _lane(lane_ends, first, last)
        bars.append(Bar(
            booking=booking, column=window.column(first), span=(last - first).days + 1, lane=lane,
            starts_before=booking.start_date < window.start, ends_after=booking.end_date > window.end,
        ))
    return bars


def window_holidays(window: Window) -> dict[dt.date, str]:
    """The studio's holidays in the window: {day: name}."""
    return dict(Holiday.objects.filter(date__range=(window.start, window.end)).values_list("date", "name"))


def person_rows(
    user: User, window: Window, people: list[Talent], *, today: dt.date | None = None, holidays=None
) -> list[Row]:
    """One row per person, in the order given."""
    ids = [person.pk for person in people]
    capacity = capacity_by_person(window.start, window.end, ids)
    booked = booked_by_person(window.start, window.end, ids)
    holidays = window_holidays(window) if holidays is None else holidays
    bookings = defaultdict(list)
    for booking in (
        Booking.objects.visible_to(user).filter(talent__in=ids).overlapping(window.start, window.end)
        .select_related("project", "deliverable")
    ):
        bookings[booking.talent_id].append(booking)
    time_off = defaultdict(list)
    for absence in (
        TimeOff.objects.visible_to(user).filter(talent__in=ids).exclude(status=TimeOff.Status.DECLINED)
        .overlapping(window.start, window.end).order_by("start_date", "pk")
    ):
        time_off[absence.talent_id].append(absence)
    rows = []
    for person in people:
        limit = person.hours_per_day + person.overtime_hours_per_day
        cells = []
        for day in window.days:
            landed = booked.get(person.pk, {}).get(day, {})
            cells.append(Cell(
                day=day, capacity=capacity.get(person.pk, {}).get(day, ZERO),
                confirmed=landed.get(Booking.Status.CONFIRMED, ZERO),
                tentative=landed.get(Booking.Status.TENTATIVE, ZERO),
                limit=limit, in_contract=person.under_contract_on(day),
                holiday=holidays.get(day, ""),
                time_off=[a for a in time_off[person.pk] if a.start_date <= day <= a.end_date],
                is_today=day == today,
            ))
        bars = _bars(bookings[person.pk], window)
        rows.append(Row(discipline=person.discipline, cells=cells, bars=bars, talent=person))
    return rows


def placeholder_rows(
    user: User, window: Window, *, disciplines=None, project=None, today: dt.date | None = None, holidays=None,
    with_to_staff: bool = False,
) -> list[Row]:
    """A row per discipline with placeholder bookings in the window, all of them as bars
    (at most PLACEHOLDER_LIMIT): their hours land on weekdays that are not holidays, or
    on weekend days a booking includes."""
    placeholders = (
        Booking.objects.visible_to(user).filter(talent__isnull=True).overlapping(window.start, window.end)
        .select_related("project", "deliverable", "placeholder_discipline")
        .order_by("placeholder_discipline__name", "start_date", "pk")
    )
    if disciplines is not None:
        placeholders = placeholders.filter(placeholder_discipline__in=disciplines)
    if project is not None:
        placeholders = placeholders.filter(project=project)
    by_discipline = defaultdict(list)
    for booking in placeholders[:PLACEHOLDER_LIMIT]:
        by_discipline[booking.placeholder_discipline].append(booking)
    to_staff = _to_staff(user, window, disciplines=disciplines, project=project, today=today) if with_to_staff else {}
    for discipline in to_staff:
        by_discipline.setdefault(discipline, [])
    if not by_discipline:
        return []
    holidays = window_holidays(window) if holidays is None else holidays
    rows = []
    for discipline, bookings in sorted(by_discipline.items(), key=lambda item: item[0].name):
        cells = []
        for day in window.days:
            workday = day not in holidays and str(day.isoweekday()) in WEEKDAYS
            hours = sum(
                (
                    booking.hours_per_day for booking in bookings
                    if booking.start_date <= day <= booking.end_date
                    and day not in holidays and (workday or booking.include_weekends)
                ),
                ZERO,
            )
            cells.append(Cell(day=day, tentative=hours, holiday=holidays.get(day, ""), is_today=day == today))
        lane_ends: list[dt.date] = []
        bars = _bars(bookings, window, lane_ends)
        staff = []
        for deliverable, hours in to_staff.get(discipline, []):
            first, last = max(deliverable.planned_start, window.start), min(deliverable.due_date, window.end)
            staff.append(ToStaff(deliverable=deliverable, hours=hours, column=window.column(first),
                                 span=(last - first).days + 1, lane=_lane(lane_ends, first, last)))
        rows.append(Row(discipline=discipline, cells=cells, bars=bars, to_staff=staff))
    return rows


def _to_staff(user: User, window: Window, *, disciplines, project, today) -> dict[Discipline, list]:
    """{discipline: [(deliverable, hours)]}: planned hours of open deliverables over the
    window that no booking covers yet (as the forecast counts them), for PMs and executives."""
    if today is None or not can(user, "project.see_costs"):
        return {}
    first = max(window.start, today + ONE_DAY)
    if first > window.end:
        return {}
    rows = unbooked_by_deliverable(first, window.end, today=today,
                                   disciplines=[d.pk for d in disciplines] if disciplines else None)
    deliverables = Deliverable.objects.select_related("project").in_bulk([pk for pk, _d, _h in rows])
    if project is not None:
        rows = [row for row in rows if deliverables[row[0]].project_id == project.pk]
    found = Discipline.objects.in_bulk({discipline for _pk, discipline, _h in rows})
    result: dict[Discipline, list] = defaultdict(list)
    for pk, discipline, hours in sorted(rows, key=lambda row: (deliverables[row[0]].planned_start, row[0]))[
        :PLACEHOLDER_LIMIT
    ]:
        result[found[discipline]].append((deliverables[pk], hours))
    return result


# Filters that pick people by what only people have: placeholders are left out then.
PEOPLE_ONLY_FILTERS = ("q", "skill", "employment", "free")


def schedule_rows(
    user: User, window: Window, people: list[Talent], *, filters: dict, with_placeholders: bool, today: dt.date,
    with_to_staff: bool = False,
) -> list[Row]:
    """A page of the schedule: the people's rows, then, on the first page
    (`with_placeholders`) and unless `filters` (cleaned TeamScheduleFilter values) pick
    people only, the placeholders of the discipline and project filtered on, with the
    planned hours still to staff (`with_to_staff`)."""
    holidays = window_holidays(window)
    rows = person_rows(user, window, people, today=today, holidays=holidays)
    if with_placeholders and not any(filters.get(name) for name in PEOPLE_ONLY_FILTERS):
        discipline = filters.get("discipline")
        rows += placeholder_rows(
            user, window, disciplines=[discipline] if discipline else None, project=filters.get("project"),
            today=today, holidays=holidays, with_to_staff=with_to_staff,
        )
    return rows


def group_rows(rows: list[Row]) -> list[Group]:
    """Rows by discipline, in discipline name order; each group's people first, then
    its placeholders."""
    groups: dict[int, Group] = {}
    for row in rows:
        groups.setdefault(row.discipline.pk, Group(discipline=row.discipline, rows=[])).rows.append(row)
    for group in groups.values():
        group.rows.sort(key=lambda row: row.is_placeholder)
    return sorted(groups.values(), key=lambda group: group.discipline.name)
