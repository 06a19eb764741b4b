"""Resource pages for production managers and executives (issue 5): utilization against
capacity, the 12-week forecast with its freelance gap, and who is free, with a one-click
tentative booking. Each page reads a fixed number of queries, whatever the studio's size.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from studio import clock
from studio.forms import add_service_errors
from studio.models import Discipline, Talent
from studio.pages import page_or_fragment
from studio.permissions import can, require

from ..filters import UtilizationFilter, WhoIsFreeFilter
from ..forecast import forecast_sources, forecast_weeks, free_people, next_week, resource_forecast, with_talent
from ..forms.bookings import QuickBookingForm
from ..models import Booking
from ..services.bookings import booking_create
from ..utilization import UTILIZATION_WEEKS, utilization_by_person, utilization_of_disciplines, utilization_people

ROWS_PER_PAGE = 25


@login_required
@vary_on_headers("HX-Request")
def utilization(request: HttpRequest) -> HttpResponse:
    """Booked and logged hours against capacity per discipline, for the studio and per person, by week."""
    require(request.user, "schedule.team")
    filters = UtilizationFilter(request.GET, queryset=utilization_people(Talent.objects.all()), today=clock.today())
    mondays = filters.mondays
    # Bad filters are shown next to their fields; the page then shows everyone's default weeks.
    people = filters.qs if filters.is_valid() else filters.queryset
    page_obj = Paginator(people, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    by_person = utilization_by_person(mondays[0], len(mondays), [t.pk for t in page_obj])
    disciplines, studio = utilization_of_disciplines(mondays)
    context = {
        "form": filters.form,
        "weeks": mondays,
        "page_obj": page_obj,
        "previous": mondays[0] - dt.timedelta(weeks=UTILIZATION_WEEKS),
        "next": mondays[-1] + dt.timedelta(weeks=1),
        "discipline_rows": [(d, [by_week[m] for m in mondays]) for d, by_week in disciplines],
        "studio": [studio.get(m) for m in mondays],
        "person_rows": [(t, [by_person[t.pk][m] for m in mondays]) for t in page_obj],
    }
    return render(request, page_or_fragment(request, "schedules/utilization.html", "people"), context)


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    """Weeks × disciplines: demand against capacity, coloured by load, with the freelance gap."""
    require(request.user, "schedule.team")
    context = {
        "forecast": resource_forecast(today=clock.today()),
        "shows_costs": can(request.user, "project.see_costs"),
    }
    return render(request, "schedules/forecast.html", context)


@login_required
def forecast_cell(request: HttpRequest) -> HttpResponse:
    """The bookings, placeholders and unbooked deliverables that make one week's demand (a fragment)."""
    require(request.user, "schedule.team")
    discipline = get_object_or_404(Discipline, pk=_int(request.GET.get("discipline")))
    today = clock.today()
    try:
        week = clock.week_start(dt.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        week = None
    # Only the weeks the forecast shows: a week far off would make the calendar run past the plan.
    if week not in forecast_weeks(today):
        return HttpResponse(_("Choose a week of the forecast."), status=400)
    sources = forecast_sources(discipline=discipline, week=week, today=today)
    context = {"discipline": discipline, "week": week, "sources": sources}
    return render(request, "schedules/forecast.html#sources", context)


@login_required
@vary_on_headers("HX-Request")
def who_is_free(request: HttpRequest) -> HttpResponse:
    """People with free hours over a range, ranked by free hours then cost rate."""
    require(request.user, "schedule.team")
    filters = WhoIsFreeFilter(request.GET, queryset=Talent.objects.visible_to(request.user), today=clock.today())
    start, end = filters.range
    # Bad filters are shown next to their fields; the page then lists everyone free next week.
    people = free_people(start=start, end=end, people=filters.qs if filters.is_valid() else None)
    page_obj = Paginator(people, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    with_talent(page_obj.object_list)
    context = {
        "form": filters.form,
        "start": start,
        "end": end,
        "page_obj": page_obj,
        "booking_form": QuickBookingForm(user=request.user, auto_id="quick_%s"),
        "can_book": can(request.user, "booking.book"),
    }
    return render(request, page_or_fragment(request, "schedules/who_is_free.html", "results"), context)


@login_required
@require_POST
def who_is_free_book(request: HttpRequest, pk: int) -> HttpResponse:
    """A tentative booking from who is free; HTMX gets the person's row back, updated."""
    require(request.user, "booking.book")
    talent = get_object_or_404(Talent.objects.active().select_related("user", "discipline"), pk=pk)
    form = QuickBookingForm(request.POST, user=request.user)
    booking = None
    if form.is_valid():
        try:
            values = {**form.cleaned_data, "hours_per_day": form.cleaned_data["hours_per_day"] or talent.hours_per_day}
            booking = booking_create(user=request.user, talent=talent, status=Booking.Status.TENTATIVE, **values)
        except ValidationError as error:
            add_service_errors(form, error)
    notice = None
    if booking is not None:
        notice = _("%(person)s is booked tentatively on %(project)s.") % {
            "person": talent.user,
            "project": booking.project.code,
        }
    if not request.htmx:
        if notice:
            messages.success(request, notice)
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("schedules:who-is-free"))
    return _row(request, talent, form, notice)


def _row(request: HttpRequest, talent: Talent, form: QuickBookingForm, notice: str | None) -> HttpResponse:
    start = form.cleaned_data.get("start_date") or _date(request.POST.get("start_date"))
    end = form.cleaned_data.get("end_date") or _date(request.POST.get("end_date"))
    # Free hours only over a range the page could have asked for: no date posted walks further.
    shown = WhoIsFreeFilter({"start": start, "end": end}, queryset=Talent.objects.none(), today=clock.today())
    people = Talent.objects.filter(discipline=talent.discipline_id)
    ranked = free_people(start=start, end=end, people=people) if shown.is_valid() else []
    person = next((p for p in ranked if p.talent_id == talent.pk), None)
    context = {
        "person": person,
        "talent": talent,
        "form": form,
        "start": start,
        "end": end,
        "can_book": True,
        "notice": notice,
    }
    return render(request, "schedules/who_is_free.html#row", context)


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return next_week(clock.today())[0]


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0
