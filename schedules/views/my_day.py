"""Schedule pages for the people who do the work: my day, its days ahead and quick time
entry, and the calendar feed."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects.models import Deliverable
from studio import clock
from studio.models import Talent
from studio.permissions import require
from studio.services import talent_ical_token_regenerate

from ..agenda import days_ahead
from ..ical import talent_calendar
from ..models import Booking
from ..services import timesheets as services
from ..timegrid import TimeGrid

# My day looks this many working days ahead.
DAYS_AHEAD = 5
# How far ahead "due soon" looks on my day, in days.
DUE_SOON_DAYS = 7
# A person's own open deliverables due soon: more than this is a conversation, not a list.
DUE_SOON_LIMIT = 50
# Sent after a save, for panels that show logged time.
TIME_CHANGED = "timeChanged"


@login_required
def my_day(request: HttpRequest) -> HttpResponse:
    """Today's call sheet of the signed-in creative or freelancer; printable."""
    require(request.user, "schedule.my_day")
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
        context["feed_url"] = request.build_absolute_uri(reverse("schedules:ical", args=[talent.ical_token]))
        # Apple Calendar and Outlook subscribe from a webcal:// link; Google Calendar takes the https one.
        context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
    return render(request, "schedules/my_day.html", context)


@login_required
@require_GET
def my_day_ahead(request: HttpRequest) -> HttpResponse:
    """My day's next working days with the person's bookings and time off (a fragment)."""
    require(request.user, "schedule.my_day")
    talent = get_object_or_404(Talent, user=request.user)
    days = days_ahead(request.user, talent, clock.today(), count=DAYS_AHEAD)
    return render(request, "schedules/my_day.html#days-ahead", {"talent": talent, "days": days})


@require_safe
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar feed, found by its secret token alone: calendar apps cannot sign in."""
    talent = get_object_or_404(
        Talent.objects.active().filter(user__is_active=True).select_related("user"), ical_token=token
    )
    calendar = talent_calendar(talent=talent, today=clock.today())
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="callsheet.ics"'
    # The URL is a secret: keep it out of shared caches and search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def ical_regenerate(request: HttpRequest) -> HttpResponse:
    """Give the signed-in person a new calendar feed link, e.g. after the old one was shared."""
    require(request.user, "schedule.my_day")
    talent = get_object_or_404(Talent, user=request.user)
    talent_ical_token_regenerate(talent=talent, user=request.user)
    messages.success(
        request, _("Your calendar feed has a new link. The old link no longer works: subscribe to the new one.")
    )
    return redirect("schedules:my-day")


@login_required
@vary_on_headers("HX-Request")
def my_day_time(request: HttpRequest) -> HttpResponse:
    """Today's time of the signed-in creative or freelancer (a fragment); POST saves it."""
    require(request.user, "schedule.my_day")
    talent = get_object_or_404(Talent.objects.select_related("user"), user=request.user)
    today = clock.today()
    sheet = TimeGrid.day(request.user, talent, today)
    saved = False
    if request.method == "POST":
        rows = sheet.posted_rows(request.POST)
        if not sheet.has_errors:
            try:
                services.time_entries_set_day(user=request.user, talent=talent, day=today, rows=rows)
            except ValidationError as error:
                sheet.add_errors(error)
            else:
                saved = True
                sheet = TimeGrid.day(request.user, talent, today)
        if not request.htmx:
            if saved:
                messages.success(request, _("Your time for today is saved."))
            else:
                messages.error(request, " ".join(sheet.all_errors()))
            return redirect("schedules:my-day")
    response = render(request, "schedules/_quick_time.html", {"sheet": sheet, "saved": saved})
    return trigger_client_event(response, TIME_CHANGED) if saved else response
