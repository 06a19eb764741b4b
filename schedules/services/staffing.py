"""Staffing a deliverable from its plan ("staff it"): assign a person and book them
tentatively on it, in one step, through the booking rules."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Deliverable
from projects.services.plan import assignee_problems
from studio import clock
from studio.models import Talent, User
from studio.permissions import require
from studio.services import audit_record

from ..models import Booking
from .bookings import booking_create


def staffing_range(deliverable: Deliverable, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days to staff: the deliverable's, from today on (all of it when it is overdue)."""
    start = max(deliverable.planned_start, today)
    return (start, deliverable.due_date) if start <= deliverable.due_date else (deliverable.planned_start,
                                                                                 deliverable.due_date)


@transaction.atomic
def deliverable_staff(
    *,
    deliverable: Deliverable,
    talent: Talent,
    user: User,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    hours_per_day: Decimal | None = None,
) -> Booking:
    """Assign `talent` to the deliverable and book them tentatively on it over its days
    (or the days given), at their own hours a day unless told otherwise."""
    require(user, "project.staff", deliverable.project)
    require(user, "booking.book")
    if deliverable.is_closed:
        raise ValidationError(
            _("“%(name)s” is “%(status)s”: there is nothing left to staff.")
            % {"name": deliverable.name, "status": deliverable.get_status_display()}
        )
    problems = assignee_problems(deliverable, [talent])
    if problems:
        raise ValidationError({"talent": problems})
    default_start, default_end = staffing_range(deliverable, clock.today())
    booking = booking_create(
        user=user, talent=talent, project=deliverable.project, deliverable=deliverable,
        start_date=start_date or default_start, end_date=end_date or default_end,
        hours_per_day=hours_per_day or talent.hours_per_day, status=Booking.Status.TENTATIVE,
    )
    if not deliverable.assignees.filter(pk=talent.pk).exists():
        deliverable.assignees.add(talent)
        audit_record(actor=user, obj=deliverable, action="deliverable.staff",
                     after={"assignee": talent.pk, "booking": booking.pk})
    return booking
