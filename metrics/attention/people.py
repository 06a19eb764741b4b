"""Sections about people: timesheets, clashes and over-capacity days, under-booking."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schedules.capacity import CENT, booked_by_person, capacity_by_person, free_hours
from schedules.hours import hours_text
from schedules.models import Booking, timesheet_week_url
from schedules.services.timesheets import missing_weeks, timesheets_missing
from studio import clock
from studio.models import StudioSettings, Talent, User

from .base import (
    CLASH_DAYS,
    ROWS,
    ZERO,
    Item,
    Section,
    _day,
    _people,
    _percent,
    _url,
)


def timesheets_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """People who owe last week's timesheet: none, or one still open. Two queries."""
    week = missing_weeks(today)[0]
    owing = timesheets_missing(weeks=[week]).filter(pk__in=Talent.objects.visible_to(user).values("pk"))
    count = owing.count()
    rows = list(owing[:limit])
    items = [
        Item(
            title=str(person),
            url=timesheet_week_url(person.pk, week),
            meta=str(person.discipline),
            flag=_("not started") if person.status_0 is None else _("not submitted"),
        )
        for person in rows
    ]
    return Section(
        key="timesheets",
        lists_all=True,
        title=_("Last week's missing timesheets"),
        count=count,
        items=items,
        summary=_("The week of %(day)s.") % {"day": _day(week)},
        nothing=_("Everyone has submitted last week's timesheet."),
        url=reverse("schedules:timesheet-missing"),
        link_text=_("Who is missing which week"),
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
            url=_url(
                "schedules:team-schedule",
                query={
                    "start": o.first_day.isoformat(),
                    "discipline": talent[o.talent_id].discipline_id,
                },
            ),
            meta=str(talent[o.talent_id].discipline)
            + " · "
            + ngettext("%(count)d day over", "%(count)d days over", o.days) % {"count": o.days},
            day=o.first_day,
            day_label=_("from"),
            flag=_("clash") if o.clash else _("over capacity"),
            tone="bad" if o.clash else "warn",
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
        key="clashes",
        title=_("Clashes and over capacity"),
        count=len(found),
        items=items,
        tone="bad",
        summary=summary,
        nothing=_("Nobody is booked over capacity in the next two weeks."),
        url=_url("schedules:team-schedule", query={"start": first.isoformat()}),
        link_text=_("Team schedule"),
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
            meta=str(talent[p.talent_id].discipline)
            + " · "
            + _("%(booked)s of %(capacity)s h booked")
            % {
                "booked": hours_text(p.capacity - p.free),
                "capacity": hours_text(p.capacity),
            },
            flag=_("%(hours)s h free") % {"hours": hours_text(p.free)},
        )
        for p in shown
    ]
    percent = _percent(target)
    return Section(
        key="under_booked",
        lists_all=True,
        title=_("Under-booked this week"),
        count=len(idle),
        items=items,
        summary=_("Booked below %(percent)s %% of their capacity from %(start)s to %(end)s.")
        % {
            "percent": percent,
            "start": _day(start),
            "end": _day(end),
        },
        nothing=_("Everyone is booked to at least %(percent)s %% of their capacity this week.") % {"percent": percent},
        url=_url("schedules:who-is-free", query=window),
        link_text=_("Who is free"),
    )
