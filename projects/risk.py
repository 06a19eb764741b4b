"""Deliverables at risk: open work due within the next five working days whose percent
complete is below its planned fraction today (DESIGN §3's spread of planned hours).

The rule is written once, here; the PM's home and anything else that flags risk call
`deliverables_at_risk`.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from studio.models import Holiday
from studio.workdays import WorkCalendar

from .models import Deliverable

# "At risk" looks this many working days ahead of today (today itself included).
RISK_WORKING_DAYS = 5
# Holidays are read up to this far ahead: five working days never take longer, unless the
# studio closes for months, when the horizon stops here.
LOOKAHEAD = dt.timedelta(days=92)
HUNDRED = Decimal(100)


def risk_horizon(today: dt.date, calendar: WorkCalendar) -> dt.date:
    """The fifth working day after `today` on `calendar` (one that covers the days after `today`)."""
    for count, day in enumerate(calendar.days(today + dt.timedelta(days=1)), start=1):
        if count == RISK_WORKING_DAYS:
            return day
    return calendar.end


def deliverables_at_risk(deliverables: QuerySet, today: dt.date) -> list[Deliverable]:
    """The open deliverables among `deliverables` due from `today` through the fifth working
    day after it whose percent complete is below their planned fraction on `today`, soonest
    due first, each with `planned_today` (its planned fraction on `today`). Two queries: the
    holidays, and the deliverables due in those days (add `select_related` to
    `deliverables` for what the caller shows)."""
    # Every holiday up to the look-ahead, past ones too: a plan may have started long ago,
    # and the studio's holidays are a few a year.
    holidays = frozenset(Holiday.objects.filter(date__lte=today + LOOKAHEAD).values_list("date", flat=True))
    ahead = WorkCalendar(today, today + LOOKAHEAD, holidays)
    horizon = risk_horizon(today, ahead)
    due_soon = list(deliverables.open().filter(due_date__range=(today, horizon)).order_by("due_date", "pk"))
    if not due_soon:
        return []
    calendar = WorkCalendar(min(today, *(d.planned_start for d in due_soon)), horizon, holidays)
    risky = []
    for deliverable in due_soon:
        deliverable.planned_today = deliverable.planned_fraction(today, calendar)
        if Decimal(deliverable.percent_complete) / HUNDRED < deliverable.planned_today:
            risky.append(deliverable)
    return risky
