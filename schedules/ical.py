"""A person's calendar feed (iCalendar, RFC 5545): their bookings, time off and
due dates as all-day events, for Google Calendar, Outlook and Apple Calendar.

Bookings and time off are dates, not times (DESIGN §2), so every event is an
all-day DATE event and the feed needs no time zone. An event runs at most over the
plan window (`studio.workdays.plan_window`): a row stored with a date from the ends of
the calendar shows up to the window's edge instead of breaking the feed. Nothing here
shows money."""

import datetime as dt
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from projects.models import Deliverable
from studio.dates import day_text
from studio.models import Talent
from studio.workdays import plan_window

from .hours import hours_text
from .models import Booking, TimeOff

# The feed covers this window around today: enough history to look back on a
# project, and the year ahead that is actually planned.
FEED_DAYS_BACK = 90
FEED_DAYS_AHEAD = 365
ONE_DAY = dt.timedelta(days=1)
PRODID = "-//Callsheet//Schedule feed//EN"


def talent_calendar(*, talent: Talent, today: dt.date) -> Calendar:
    """The feed of `talent`, as they themselves may see it, for the window around `today`."""
    start, end = today - dt.timedelta(days=FEED_DAYS_BACK), today + dt.timedelta(days=FEED_DAYS_AHEAD)
    # Read through the person's own access, so the feed never shows more than they could see signed in.
    user = talent.user
    bookings = (
        Booking.objects.visible_to(user).filter(talent=talent).overlapping(start, end)
        .select_related("project", "deliverable").order_by("start_date", "pk")
    )
    time_off = (
        TimeOff.objects.visible_to(user).filter(talent=talent, status__in=[TimeOff.Status.APPROVED,
                                                                           TimeOff.Status.REQUESTED])
        .overlapping(start, end).order_by("start_date", "pk")
    )
    due = (
        Deliverable.objects.visible_to(user).assigned_to(talent).open().due_between(start, end)
        .select_related("project").order_by("due_date", "pk")
    )

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(name)s · Callsheet") % {"name": talent})
    # Outlook and Apple Calendar read these as how often to fetch the feed again.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(dt.timedelta(hours=1)))

    frame = _Frame(timezone.now(), *plan_window(today))
    for booking in bookings:
        calendar.add_component(_booking_event(booking, frame))
    for absence in time_off:
        calendar.add_component(_time_off_event(absence, frame))
    for deliverable in due:
        calendar.add_component(_due_event(deliverable, frame))
    return calendar


class _Frame(NamedTuple):
    """When the feed is made (every event's DTSTAMP), and the plan window its events
    are kept within."""

    stamp: dt.datetime
    first: dt.date
    last: dt.date


def _all_day(*, uid: str, summary: str, first: dt.date, last: dt.date, frame: _Frame,
             description: str = "", status: str = "", busy: bool = True, url: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_uid_domain()}")
    event.add("dtstamp", frame.stamp)
    event.add("summary", summary)
    # DTSTART and DTEND as DATE values: DTEND is exclusive, the day after the last one
    # (in the plan window, so the day after always exists).
    event.add("dtstart", max(first, frame.first))
    event.add("dtend", min(last, frame.last) + ONE_DAY)
    if description:
        event.add("description", description)
    if status:
        event.add("status", status)
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    if url:
        event.add("url", _site_link(url))
    return event


def _booking_event(booking: Booking, frame: _Frame) -> Event:
    project = booking.project
    tentative = booking.status == Booking.Status.TENTATIVE
    summary = f"{project.code} · {project.name}"
    if tentative:
        summary = _("%(booking)s (tentative)") % {"booking": summary}
    lines = []
    if booking.deliverable_id:
        lines.append(_("Deliverable: %(name)s") % {"name": booking.deliverable.name})
    lines.append(_("Hours per day: %(hours)s") % {"hours": hours_text(booking.hours_per_day)})
    if tentative and booking.hold_expires_on:
        lines.append(_("Held until %(day)s") % {"day": day_text(booking.hold_expires_on)})
    if booking.include_weekends:
        lines.append(_("Includes weekend days"))
    if booking.note:
        lines.append(booking.note)
    return _all_day(
        uid=f"booking-{booking.pk}", summary=summary, first=booking.start_date, last=booking.end_date,
        frame=frame, description="\n".join(lines), status="TENTATIVE" if tentative else "CONFIRMED",
        url=reverse("projects:project-detail", args=[project.pk]),
    )


def _time_off_event(absence: TimeOff, frame: _Frame) -> Event:
    approved = absence.status == TimeOff.Status.APPROVED
    if absence.full_day:
        summary = _("Time off") if approved else _("Time off (requested)")
    else:
        hours = hours_text(absence.hours_per_day)
        summary = (_("Time off, %(hours)s h a day") if approved
                   else _("Time off, %(hours)s h a day (requested)")) % {"hours": hours}
    return _all_day(
        uid=f"timeoff-{absence.pk}", summary=summary, first=absence.start_date, last=absence.end_date,
        frame=frame, description=absence.reason, status="CONFIRMED" if approved else "TENTATIVE",
        busy=absence.full_day, url=reverse("schedules:time-off-list"),
    )


def _due_event(deliverable: Deliverable, frame: _Frame) -> Event:
    summary = _("Due: %(code)s · %(deliverable)s") % {
        "code": deliverable.project.code, "deliverable": deliverable.name,
    }
    description = _("Status: %(status)s") % {"status": deliverable.get_status_display()}
    # A deadline is a marker on the day, not time taken out of it.
    return _all_day(
        uid=f"due-{deliverable.pk}", summary=summary, first=deliverable.due_date, last=deliverable.due_date,
        frame=frame, description=description, busy=False,
        url=reverse("projects:project-detail", args=[deliverable.project_id]),
    )

def _site_link(path: str) -> str:
    # The feed is read by a calendar app, far from any request: links lead to the configured site.
    return f"{settings.SITE_URL}{path}"


def _uid_domain() -> str:
    # From the configured site, not the request: a UID must stay the same however the feed is fetched.
    return urlsplit(settings.SITE_URL).hostname or "callsheet"
