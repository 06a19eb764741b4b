"""Schedule pages for the people who do the work."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projects.models import Deliverable
from studio import clock
from studio.models import Role, Talent
from studio.permissions import require_role

from .models import Booking

# How far ahead "due soon" looks on my day, in days.
DUE_SOON_DAYS = 7
# A person's own open deliverables due soon: more than this is a conversation, not a list.
DUE_SOON_LIMIT = 50


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
