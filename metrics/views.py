"""The PM dashboard: today at a glance for production managers and executives."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from briefs.models import Request
from projects.models import Deliverable
from schedules.models import Booking
from studio import clock
from studio.models import Role
from studio.permissions import require_role

# Each dashboard section shows at most this many rows; the full lists live on their own pages.
SECTION_LIMIT = 25


def _bounded(queryset, limit=SECTION_LIMIT):
    """The first `limit` rows and whether there are more, in one query."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PM, Role.EXECUTIVE)
    today = clock.today()
    week_start = clock.week_start(today)
    week_end = week_start + dt.timedelta(days=6)
    people, more_people = _bounded(
        Booking.objects.visible_to(request.user).landing_on(today).load_by_person()
    )
    open_requests, more_requests = _bounded(
        Request.objects.visible_to(request.user).open()
        .select_related("brand").order_by("deadline", "pk")
    )
    due, more_due = _bounded(
        Deliverable.objects.visible_to(request.user).open().due_between(week_start, week_end)
        .select_related("project").order_by("due_date", "project__code", "pk")
    )
    return render(request, "metrics/dashboard.html", {
        "today": today, "week_start": week_start, "week_end": week_end,
        "people": people, "more_people": more_people,
        "open_requests": open_requests, "more_requests": more_requests,
        "due": due, "more_due": more_due,
    })
