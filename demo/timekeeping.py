"""Time, played through the services on the days it happened: bookings, time off asked
for and approved, each week's hours logged, the weeks submitted, and the older weeks
approved."""

import datetime as dt
from collections import defaultdict

from approvals.models import Approval, Decision
from approvals.services import approval_decide
from schedules.services.bookings import booking_create
from schedules.services.time import time_off_request
from schedules.services.timesheets import WeekCell, timesheet_submit, timesheet_week_set

from .context import Demo, moment
from .schedule import PART_DAY

DAY = dt.timedelta(days=1)


def build_bookings(demo: Demo) -> None:
    """Each booking made by its project's PM a few days to weeks before the work."""
    for booking in sorted(demo.bookings, key=lambda booking: booking.created):
        with moment(booking.created):
            booking.row = booking_create(
                user=booking.plan.pm,
                talent=booking.person,
                placeholder_discipline=booking.discipline,
                project=booking.plan.project,
                deliverable=booking.deliverable.row if booking.deliverable else None,
                start_date=booking.start,
                end_date=booking.end,
                hours_per_day=booking.hours,
                status=booking.status,
                hold_expires_on=booking.hold,
                include_weekends=booking.include_weekends,
                note=booking.note,
            )


def build_time_off(demo: Demo) -> None:
    """Asked for by the person; approved by the production manager the next morning,
    except the requests still waiting."""
    for time_off in demo.time_off:
        person = time_off.person
        with moment(time_off.created):
            time_off.row = time_off_request(
                talent=person, user=person.user, start_date=time_off.start, end_date=time_off.end,
                full_day=time_off.full_day, hours_per_day=None if time_off.full_day else PART_DAY,
                reason=time_off.reason,
            )
        if time_off.approved:
            with moment(demo.at(time_off.created.date() + DAY, 10)):
                _approve(time_off.row, demo.users["pm"])


def build_time(demo: Demo) -> None:
    """Each person fills in their week's grid; weeks before this one are submitted on the
    Friday evening, and weeks before last week were approved on the Tuesday after."""
    weeks: dict[tuple, list[WeekCell]] = defaultdict(list)
    for (person, plan, deliverable, day), hours in demo.logged.items():
        monday = day - dt.timedelta(days=day.weekday())
        row = deliverable.row if deliverable else None
        weeks[(person, monday)].append(WeekCell(plan.project, row, day, hours))
    last_week = demo.week - 7 * DAY
    for (person, monday), cells in weeks.items():
        last_day = max(cell.day for cell in cells)
        with moment(demo.at(last_day, 17)):
            timesheet_week_set(user=person.user, talent=person, week_start=monday, cells=cells)
        if monday >= demo.week:
            continue
        with moment(demo.at(max(last_day, monday + 4 * DAY), 17, 30)):
            timesheet = timesheet_submit(user=person.user, talent=person, week_start=monday)
        if monday < last_week:
            pm = demo.pms[(monday.toordinal() // 7) % len(demo.pms)]
            with moment(demo.at(monday + 8 * DAY, 10)):
                _approve(timesheet, pm)


def _approve(obj, user) -> None:
    """Approve what waits for `user` on `obj`, in the approval inbox's way."""
    approval_decide(approval=Approval.objects.pending_for(obj), user=user, outcome=Decision.Outcome.APPROVE)
