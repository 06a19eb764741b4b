"""Schedule pages for the people who do the work."""

import datetime as dt
import itertools
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from projects.models import Deliverable
from projects.services.plan import MAX_QUANTITY
from studio import clock
from studio.models import Role, Talent
from studio.permissions import require_role
from studio.services import talent_ical_token_regenerate
from studio.workdays import WorkCalendar

from .feasibility import request_feasibility
from .ical import talent_calendar
from .models import Booking, TimeOff

# My day looks this many working days ahead, searching this many calendar days
# for them (enough to cross the longest run of holidays a studio closes for).
DAYS_AHEAD = 5
DAYS_AHEAD_SEARCH = 28
# How far ahead "due soon" looks on my day, in days.
DUE_SOON_DAYS = 7
# A person's own open deliverables due soon: more than this is a conversation, not a list.
DUE_SOON_LIMIT = 50
# Feasibility is estimated for deadlines up to this many days ahead.
FEASIBILITY_MAX_DAYS = 730
# The request form's deliverable rows, as its formset names them.
ITEM_TYPE_FIELD = re.compile(r"^items-(\d+)-deliverable_type$")
# An id or a quantity: ASCII digits (str.isdigit() also takes "²"), few enough for a 64-bit integer.
NUMBER = re.compile(r"[0-9]{1,18}")


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
        context["feed_url"] = request.build_absolute_uri(reverse("schedules:ical", args=[talent.ical_token]))
        # Apple Calendar and Outlook subscribe from a webcal:// link; Google Calendar takes the https one.
        context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
    return render(request, "schedules/my_day.html", context)


@login_required
@require_GET
def my_day_ahead(request: HttpRequest) -> HttpResponse:
    """My day's next working days with the person's bookings and time off (a fragment)."""
    require_role(request.user, Role.CREATIVE, Role.FREELANCER)
    talent = get_object_or_404(Talent, user=request.user)
    days = _days_ahead(request.user, talent, clock.today())
    return render(request, "schedules/my_day.html#days-ahead", {"talent": talent, "days": days})


def _days_ahead(user, talent: Talent, today: dt.date) -> list[dict]:
    """The next working days after `today` (studio holidays skipped), each with the
    bookings whose hours land on it and the person's time off, in three queries."""
    calendar = WorkCalendar.between(today + dt.timedelta(days=1), today + dt.timedelta(days=DAYS_AHEAD_SEARCH))
    days = list(itertools.islice(calendar.days(), DAYS_AHEAD))
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
    require_role(request.user, Role.CREATIVE, Role.FREELANCER)
    talent = get_object_or_404(Talent, user=request.user)
    talent_ical_token_regenerate(talent=talent, user=request.user)
    messages.success(
        request, _("Your calendar feed has a new link. The old link no longer works: subscribe to the new one.")
    )
    return redirect("schedules:my-day")


@login_required
def feasibility(request: HttpRequest) -> HttpResponse:
    """The request form's feasibility verdict for its deliverables and deadline (a fragment)."""
    require_role(request.user, Role.BRAND_MANAGER, Role.PM, Role.EXECUTIVE)
    today = clock.today()
    deadline, message = _feasibility_deadline(request.GET.get("deadline", ""), today)
    items, items_message = _feasibility_items(request.GET)
    message = message or items_message
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


def _feasibility_items(query: QueryDict) -> tuple[list[tuple[int, int]], str | None]:
    """(deliverable type id, units) from the form's rows, empty or malformed rows skipped;
    or why there is nothing to estimate (more units than a deliverable may have)."""
    items = []
    for name in query:
        match = ITEM_TYPE_FIELD.match(name)
        if not match:
            continue
        type_id, quantity = query.get(name, ""), query.get(f"items-{match[1]}-quantity", "")
        if not (NUMBER.fullmatch(type_id) and NUMBER.fullmatch(quantity)):
            continue
        if int(quantity) > MAX_QUANTITY:
            return [], _("Ask for at most %(max)s units of a deliverable to see an estimate.") % {
                "max": number_format(MAX_QUANTITY, force_grouping=True)
            }
        if int(quantity) > 0:
            items.append((int(type_id), int(quantity)))
    return items, None
