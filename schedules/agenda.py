"""A person's bookings as their own pages and the talent directory show them: the ones
running today and the next one (the directory's fragments), and the working days ahead,
with time off (my day)."""

import dataclasses
import datetime as dt
import itertools

from studio.models import Talent, User
from studio.workdays import WorkCalendar

from .models import Booking, TimeOff

# The working days ahead are searched for over this many calendar days (enough to cross
# the longest run of holidays a studio closes for).
DAYS_AHEAD_SEARCH = 28


@dataclasses.dataclass
class BookingStatus:
    current: list = dataclasses.field(default_factory=list)
    next: Booking | None = None


def bookings_by_person(ids: list[int], today: dt.date) -> dict[int, BookingStatus]:
    """Each person's bookings running today and the next one to start after today, in one query."""
    result = {pk: BookingStatus() for pk in ids}
    bookings = (
        Booking.objects.filter(talent__in=ids, end_date__gte=today)
        .select_related("project")
        .order_by("talent", "start_date", "pk")
    )
    for booking in bookings:
        status = result[booking.talent_id]
        if booking.start_date <= today:
            status.current.append(booking)
        elif status.next is None:
            status.next = booking
    return result


def days_ahead(user: User, talent: Talent, today: dt.date, *, count: int) -> list[dict]:
    """The `count` next working days after `today` (studio holidays skipped), each with the
    bookings whose hours land on it and the person's time off, in three queries."""
    calendar = WorkCalendar.between(today + dt.timedelta(days=1), today + dt.timedelta(days=DAYS_AHEAD_SEARCH))
    days = list(itertools.islice(calendar.days(), count))
    if not days:
        return []
    bookings = list(
        Booking.objects.visible_to(user).filter(talent=talent).overlapping(days[0], days[-1])
        .select_related("project", "deliverable").order_by("project__code", "pk")
    )
    time_off = list(
        TimeOff.objects.visible_to(user).filter(talent=talent).exclude(status=TimeOff.Status.DECLINED)
        .overlapping(days[0], days[-1]).order_by("start_date", "pk")
    )
    rows = []
    for day in days:
        off = [absence for absence in time_off if absence.start_date <= day <= absence.end_date]
        # As landing_on() decides for one day: hours land on the person's working days,
        # not on a full day of approved time off.
        day_off = any(a.full_day and a.status == TimeOff.Status.APPROVED for a in off)
        lands = talent.works_on(day) and not day_off
        booked = [b for b in bookings if lands and b.start_date <= day <= b.end_date]
        rows.append({
            "day": day, "bookings": booked, "time_off": off, "works": talent.works_on(day),
            "booked_hours": sum(b.hours_per_day for b in booked),
        })
    return rows
