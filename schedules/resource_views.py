"""Resource pages for production managers and executives (issue 5): utilization against
capacity, the 12-week forecast with its freelance gap, and who is free, with a one-click
tentative booking. Each page reads a fixed number of queries, whatever the studio's size.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from projects.models import Project
from studio import clock
from studio.forms import add_service_errors
from studio.models import Discipline, Skill, Talent
from studio.pages import page_or_fragment
from studio.permissions import can_see_costs, require_role

from .forecast import (
    MANAGERS,
    MAX_FREE_DAYS,
    forecast_sources,
    forecast_weeks,
    free_people,
    next_week,
    resource_forecast,
    with_talent,
)
from .forms import PlanDateField
from .models import Booking
from .services.bookings import booking_create, can_write_bookings, require_booking_writer
from .utilization import (
    UTILIZATION_WEEKS,
    WEEKS_BEFORE,
    utilization_by_discipline,
    utilization_by_person,
    utilization_of_studio,
    weeks,
)

ROWS_PER_PAGE = 25


class UtilizationForm(forms.Form):
    start = PlanDateField(required=False, label=gettext_lazy("From the week of"))
    discipline = forms.ModelChoiceField(queryset=Discipline.objects.filter(active=True), required=False)


class WhoIsFreeForm(forms.Form):
    discipline = forms.ModelChoiceField(queryset=Discipline.objects.filter(active=True), required=False)
    skill = forms.ModelChoiceField(queryset=Skill.objects.order_by("name"), required=False)
    start = PlanDateField(label=gettext_lazy("From"))
    end = PlanDateField(label=gettext_lazy("Until"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        elif start and end and (end - start).days + 1 > MAX_FREE_DAYS:
            self.add_error("end", _("Ask for at most %(days)d days at a time.") % {"days": MAX_FREE_DAYS})
        return data


class QuickBookingForm(forms.Form):
    """One click from who is free: a tentative booking over the range asked for."""

    project = forms.ModelChoiceField(queryset=Project.objects.none())
    start_date = forms.DateField()
    end_date = forms.DateField()
    hours_per_day = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0.25, max_value=24, required=False,
        help_text=gettext_lazy("Empty: the person's hours a day."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).open()


@login_required
@vary_on_headers("HX-Request")
def utilization(request: HttpRequest) -> HttpResponse:
    """Booked and logged hours against capacity per discipline, for the studio and per person, by week."""
    require_role(request.user, *MANAGERS)
    form = UtilizationForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    first = clock.week_start(data.get("start") or clock.today() - dt.timedelta(weeks=WEEKS_BEFORE))
    mondays = weeks(first, UTILIZATION_WEEKS)
    people = Talent.objects.active().select_related("user", "discipline")
    if data.get("discipline"):
        people = people.filter(discipline=data["discipline"])
    page_obj = Paginator(people.order_by("user__first_name", "user__last_name", "pk"), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    by_person = utilization_by_person(first, UTILIZATION_WEEKS, [t.pk for t in page_obj])
    by_discipline = utilization_by_discipline(first, UTILIZATION_WEEKS)
    studio = utilization_of_studio(by_discipline)
    disciplines = Discipline.objects.filter(pk__in=list(by_discipline)).order_by("name")
    context = {
        "form": form,
        "weeks": mondays,
        "page_obj": page_obj,
        "previous": mondays[0] - dt.timedelta(weeks=UTILIZATION_WEEKS),
        "next": mondays[-1] + dt.timedelta(weeks=1),
        "discipline_rows": [(d, [by_discipline[d.pk][m] for m in mondays]) for d in disciplines],
        "studio": [studio.get(m) for m in mondays],
        "person_rows": [(t, [by_person[t.pk][m] for m in mondays]) for t in page_obj],
    }
    return render(request, page_or_fragment(request, "schedules/utilization.html", "people"), context)


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    """Weeks × disciplines: demand against capacity, coloured by load, with the freelance gap."""
    require_role(request.user, *MANAGERS)
    context = {"forecast": resource_forecast(today=clock.today()), "can_see_costs": can_see_costs(request.user)}
    return render(request, "schedules/forecast.html", context)


@login_required
def forecast_cell(request: HttpRequest) -> HttpResponse:
    """The bookings, placeholders and unbooked deliverables that make one week's demand (a fragment)."""
    require_role(request.user, *MANAGERS)
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
    require_role(request.user, *MANAGERS)
    start, end = next_week(clock.today())
    query = request.GET.copy()
    query.setdefault("start", start.isoformat())
    query.setdefault("end", end.isoformat())
    form = WhoIsFreeForm(query)
    data = form.cleaned_data if form.is_valid() else {"start": start, "end": end}
    page_obj = Paginator(free_people(**data), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    with_talent(page_obj.object_list)
    context = {
        "form": form,
        "start": data["start"],
        "end": data["end"],
        "page_obj": page_obj,
        "projects": list(Project.objects.visible_to(request.user).open().order_by("code")),
        "can_book": can_write_bookings(request.user),
    }
    return render(request, page_or_fragment(request, "schedules/who_is_free.html", "results"), context)


@login_required
@require_POST
def who_is_free_book(request: HttpRequest, pk: int) -> HttpResponse:
    """A tentative booking from who is free; HTMX gets the person's row back, updated."""
    require_role(request.user, *MANAGERS)
    require_booking_writer(request.user)
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
    shown = WhoIsFreeForm({"start": start, "end": end})
    ranked = free_people(start=start, end=end, discipline=talent.discipline) if shown.is_valid() else []
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
