"""Time off and timesheets: what an approval
decision does to them."""

from django.db import transaction
from django.utils import timezone

from studio.models import User

from ..models import TimeOff, Timesheet


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


@transaction.atomic
def time_off_set_status(*, time_off: TimeOff, status: str, user: User) -> TimeOff:
    time_off.status = status
    time_off.save(update_fields=["status"])
    return time_off


# --- approval kinds (registered in SchedulesConfig.ready) -----------------------------

def timesheet_on_approve(timesheet, approval, user):
    timesheet_approve(timesheet=timesheet, user=user)


def timesheet_on_send_back(timesheet, approval, user):
    timesheet_reopen(timesheet=timesheet, user=user)


def time_off_on_approve(time_off, approval, user):
    time_off_set_status(time_off=time_off, status=TimeOff.Status.APPROVED, user=user)


def time_off_on_reject(time_off, approval, user):
    time_off_set_status(time_off=time_off, status=TimeOff.Status.DECLINED, user=user)
