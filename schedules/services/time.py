"""Time off and timesheets: requests, and what an approval decision does to them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import Approval
from approvals.services import approval_submit, approval_withdraw
from studio import clock
from studio.dates import day_text, days_text
from studio.models import Talent, User
from studio.permissions import can, require
from studio.services import audit_record, notification_create
from studio.workdays import full_clean_in_window, plan_window

from ..capacity import capacity_by_person
from ..hours import hours_text
from ..models import Booking, TimeOff, Timesheet

ONE_DAY = dt.timedelta(days=1)
ZERO = Decimal("0")
CENT = Decimal("0.01")


@transaction.atomic
def timesheet_approve(*, timesheet: Timesheet, user: User) -> Timesheet:
    """The week's time counts from now on (DESIGN §3: logged time counts once approved)."""
    timesheet.status = Timesheet.Status.APPROVED
    timesheet.approved_at = timezone.now()
    timesheet.save(update_fields=["status", "approved_at"])
    return timesheet


@transaction.atomic
def timesheet_reopen(*, timesheet: Timesheet, user: User) -> Timesheet:
    """Sent back or rejected: the person corrects the week and submits it again."""
    timesheet.status = Timesheet.Status.OPEN
    timesheet.approved_at = None
    timesheet.save(update_fields=["status", "approved_at"])
    return timesheet


def _in_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """`start`…`end` cut to the plan window: a range stored before the window was
    checked walks at most the window's days."""
    first, last = plan_window(clock.today())
    return max(start, first), min(end, last)


# --- time off ---------------------------------------------------------------------------


def time_off_may_withdraw(time_off: TimeOff, user: User) -> bool:
    """Who may take a time-off request back: whoever may ask for that person's time off,
    while it waits for a decision."""
    return time_off.status == TimeOff.Status.REQUESTED and can(user, "talent.request_time_off", time_off.talent)


@transaction.atomic
def time_off_request(
    *,
    talent: Talent,
    user: User,
    start_date: dt.date,
    end_date: dt.date,
    full_day: bool = True,
    hours_per_day: Decimal | None = None,
    reason: str = "",
) -> TimeOff:
    """Record a time-off request and send it through the time-off approval flow."""
    require(user, "talent.request_time_off", talent)
    time_off = TimeOff(
        talent=talent, start_date=start_date, end_date=end_date, full_day=full_day,
        hours_per_day=None if full_day else hours_per_day, reason=reason.strip(),
    )
    if full_day and hours_per_day is not None:
        # Said outright rather than dropped: the person may have meant a part day.
        raise ValidationError({"hours_per_day": _("Leave hours empty for full days off.")})
    full_clean_in_window(time_off, start_date=start_date, end_date=end_date)
    time_off.save()
    audit_record(actor=user, obj=time_off, action="time_off.requested", after=_snapshot(time_off))
    # A production manager's own request skips their step; the engine approves it at once.
    approval_submit(obj=time_off, kind="time_off", submitted_by=user)
    time_off.refresh_from_db(fields=["status"])
    return time_off


@transaction.atomic
def time_off_cancel(*, time_off: TimeOff, user: User) -> TimeOff:
    """Take back a request still waiting for a decision. It stays, declined, so the
    approval round and the audit trail keep pointing at a row (the withdrawn approval
    tells a cancellation from a refusal)."""
    locked = TimeOff.objects.select_for_update().select_related("talent").get(pk=time_off.pk)
    require(user, "talent.request_time_off", locked.talent)
    if locked.status != TimeOff.Status.REQUESTED:
        raise ValidationError(_("Only a request still waiting for a decision can be cancelled."))
    pending = Approval.objects.pending_for(locked)
    if pending is not None:
        # Raises PermissionDenied for anyone but the submitter, and
        # ApprovalAlreadyDecided if a decision came first.
        approval_withdraw(approval=pending, user=user)
    before = _snapshot(locked)
    locked.status = TimeOff.Status.DECLINED
    locked.save(update_fields=["status"])
    audit_record(actor=user, obj=locked, action="time_off.cancelled", before=before, after=_snapshot(locked))
    return locked


@transaction.atomic
def time_off_set_status(*, time_off: TimeOff, status: str, user: User) -> TimeOff:
    time_off.status = status
    time_off.save(update_fields=["status"])
    return time_off


@dataclass(frozen=True)
class LostHours:
    """A confirmed booking's hours that no longer land because of full days off."""

    booking: Booking
    days: tuple[dt.date, ...]
    hours: Decimal

    def as_dict(self) -> dict:
        return {
            "booking": self.booking.pk, "project": self.booking.project_id,
            "days": [day.isoformat() for day in self.days], "hours": _cents(self.hours),
        }


@dataclass(frozen=True)
class OverCapacity:
    """A day whose confirmed hours pass the person's capacity once part-day time off is taken."""

    day: dt.date
    confirmed: Decimal
    capacity: Decimal
    bookings: tuple[Booking, ...] = field(default=())

    @property
    def hours(self) -> Decimal:
        return self.confirmed - self.capacity

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(), "confirmed": _cents(self.confirmed), "capacity": _cents(self.capacity),
            "hours": _cents(self.hours), "bookings": [booking.pk for booking in self.bookings],
        }


@dataclass(frozen=True)
class TimeOffImpact:
    lost: list[LostHours]
    over_capacity: list[OverCapacity]

    @property
    def lost_hours(self) -> Decimal:
        return sum((item.hours for item in self.lost), ZERO)


def confirmed_landings(time_off: TimeOff) -> dict[Booking, list[dt.date]]:
    """The person's confirmed bookings and the days of the time off's range their hours
    land on now, by the booking landing rule (`BookingQuerySet.landing_days`)."""
    landing = (
        Booking.objects.confirmed().select_related("project__pm")
        .landing_days(time_off.talent, *_in_window(time_off.start_date, time_off.end_date))
    )
    days: dict[Booking, list[dt.date]] = defaultdict(list)
    for day, bookings in sorted(landing.items()):
        for booking in bookings:
            days[booking].append(day)
    return dict(sorted(days.items(), key=lambda item: (item[0].start_date, item[0].pk)))


def _full_day_losses(landings: dict[Booking, list[dt.date]]) -> list[LostHours]:
    return [
        LostHours(booking=booking, days=tuple(days), hours=booking.hours_per_day * len(days))
        for booking, days in landings.items()
    ]


def _over_capacity(time_off: TimeOff, landings: dict[Booking, list[dt.date]]) -> list[OverCapacity]:
    capacity = capacity_by_person(*_in_window(time_off.start_date, time_off.end_date), [time_off.talent_id])
    by_day: dict[dt.date, list[Booking]] = defaultdict(list)
    for booking, days in landings.items():
        for day in days:
            by_day[day].append(booking)
    over = []
    for day in sorted(by_day):
        confirmed = sum((booking.hours_per_day for booking in by_day[day]), ZERO)
        left = capacity.get(time_off.talent_id, {}).get(day, ZERO)
        if confirmed > left:
            over.append(OverCapacity(day=day, confirmed=confirmed, capacity=left, bookings=tuple(by_day[day])))
    return over


@transaction.atomic
def time_off_approve(*, time_off: TimeOff, user: User) -> TimeOffImpact:
    """Approve time off, confirmed bookings or not (DESIGN §2), and tell the production
    managers of the bookings concerned which hours stopped landing (full days) or
    now pass the person's capacity (part days)."""
    landings = confirmed_landings(time_off)
    time_off_set_status(time_off=time_off, status=TimeOff.Status.APPROVED, user=user)
    if time_off.full_day:
        impact = TimeOffImpact(lost=_full_day_losses(landings), over_capacity=[])
    else:
        impact = TimeOffImpact(lost=[], over_capacity=_over_capacity(time_off, landings))
    _tell_project_managers(time_off, impact)
    audit_record(
        actor=user, obj=time_off, action="time_off.approved",
        after={
            **_snapshot(time_off),
            "lost": [item.as_dict() for item in impact.lost],
            "over_capacity": [item.as_dict() for item in impact.over_capacity],
        },
    )
    return impact


def _tell_project_managers(time_off: TimeOff, impact: TimeOffImpact) -> None:
    lines: dict[User, list[str]] = defaultdict(list)
    for item in impact.lost:
        lines[item.booking.project.pm].append(
            ngettext(
                "%(booking)s: %(hours)s h on %(count)d day (%(days)s) no longer land.",
                "%(booking)s: %(hours)s h on %(count)d days (%(days)s) no longer land.",
                len(item.days),
            ) % {
                "booking": item.booking, "hours": hours_text(item.hours), "count": len(item.days),
                "days": days_text(item.days),
            }
        )
    for item in impact.over_capacity:
        for booking in item.bookings:
            lines[booking.project.pm].append(
                _("%(booking)s: on %(day)s, %(confirmed)s h confirmed against %(capacity)s h of capacity "
                  "(%(hours)s h over).") % {
                    "booking": booking, "day": day_text(item.day), "confirmed": hours_text(item.confirmed),
                    "capacity": hours_text(item.capacity), "hours": hours_text(item.hours),
                }
            )
    url = time_off.get_absolute_url()
    for pm, body in lines.items():
        if impact.lost:
            subject = _("Time off for %(person)s: %(hours)s confirmed hours stopped landing") % {
                "person": time_off.talent, "hours": hours_text(impact.lost_hours),
            }
        else:
            subject = _("Time off for %(person)s: confirmed hours over capacity") % {"person": time_off.talent}
        notification_create(recipient=pm, subject=subject, body="\n".join(body), url=url, target=time_off)


def _cents(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))



def _snapshot(time_off: TimeOff) -> dict:
    return {
        "talent": time_off.talent_id, "start_date": time_off.start_date, "end_date": time_off.end_date,
        "full_day": time_off.full_day, "hours_per_day": time_off.hours_per_day, "status": time_off.status,
    }


# --- approval kinds (registered in SchedulesConfig.ready) -----------------------------

def timesheet_on_approve(timesheet, approval, user):
    timesheet_approve(timesheet=timesheet, user=user)


def timesheet_on_send_back(timesheet, approval, user):
    timesheet_reopen(timesheet=timesheet, user=user)


def time_off_on_approve(time_off, approval, user):
    time_off_approve(time_off=time_off, user=user)


def time_off_on_reject(time_off, approval, user):
    time_off_set_status(time_off=time_off, status=TimeOff.Status.DECLINED, user=user)
