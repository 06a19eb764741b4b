"""Schedule pages for the people who do the work."""

import datetime as dt
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from projects.models import Deliverable
from studio import clock
from studio.models import Role, Talent
from studio.permissions import require_role

from .feasibility import request_feasibility
from .models import Booking

# How far ahead "due soon" looks on my day, in days.
DUE_SOON_DAYS = 7
# A person's own open deliverables due soon: more than this is a conversation, not a list.
DUE_SOON_LIMIT = 50
# Feasibility is estimated for deadlines up to this many days ahead.
FEASIBILITY_MAX_DAYS = 730
# The request form's deliverable rows, as its formset names them.
ITEM_TYPE_FIELD = re.compile(r"^items-(\d+)-deliverable_type$")


@login_required
def my_day(request: HttpRequest) -> HttpResponse:
    """Today's call sheet of the signed-in creative or freelancer; printable."""
    require_role(request.user, Role.CREATIVE, Role.FREELANCER)
    today = clock.today()
    talent = Talent.objects.filter(user=request.user).select_related("user", "discipline").first()
    context = {"today": today, "talent": talent}
    if talent is not None:
        bookings = list(
            Booking.objects.visible_to(request.user).filter(talent=talent).landing_on(today)
            .select_related("project", "deliverable").order_by("project__code", "pk")
        )
        context["bookings"] = bookings
        context["booked_hours"] = sum(booking.hours_per_day for booking in bookings)
        context["due"] = (
            Deliverable.objects.visible_to(request.user).assigned_to(talent).open()
            .due_by(today + dt.timedelta(days=DUE_SOON_DAYS))
            .select_related("project").order_by("due_date", "pk")[:DUE_SOON_LIMIT]
        )
    return render(request, "schedules/my_day.html", context)


@login_required
def feasibility(request: HttpRequest) -> HttpResponse:
    """The request form's feasibility verdict for its deliverables and deadline (a fragment)."""
    require_role(request.user, Role.BRAND_MANAGER, Role.PM, Role.EXECUTIVE)
    today = clock.today()
    deadline, message = _feasibility_deadline(request.GET.get("deadline", ""), today)
    items = _feasibility_items(request.GET)
    if message is None and not items:
        message = _("Add the deliverables you need to see the hours they take.")
    context = {"message": message}
    if message is None:
        context["feasibility"] = request_feasibility(items=items, deadline=deadline, today=today)
    return render(request, "schedules/_feasibility.html", context)


def _feasibility_deadline(value: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """The deadline, or why there is none to estimate for."""
    if not value.strip():
        return None, _("Choose a deadline to see whether the studio can make it.")
    try:
        deadline = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None, _("Enter the deadline as a date, e.g. %(example)s.") % {"example": today.isoformat()}
    if deadline <= today:
        return None, _("The deadline must be after today.")
    if deadline > today + dt.timedelta(days=FEASIBILITY_MAX_DAYS):
        return None, _("Capacity is known for the next two years only; choose an earlier deadline.")
    return deadline, None


def _feasibility_items(query: QueryDict) -> list[tuple[int, int]]:
    """(deliverable type id, units) from the form's rows; empty or malformed rows are skipped."""
    items = []
    for name in query:
        match = ITEM_TYPE_FIELD.match(name)
        if not match:
            continue
        type_id, quantity = query.get(name, ""), query.get(f"items-{match[1]}-quantity", "")
        if type_id.isdigit() and quantity.isdigit() and int(quantity) > 0:
            items.append((int(type_id), int(quantity)))
    return items
