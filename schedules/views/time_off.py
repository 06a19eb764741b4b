"""Time-off pages: the list of requests, the request form, and cancelling a request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from studio.forms import add_service_errors
from studio.models import Talent
from studio.pages import page_or_fragment, paginate
from studio.permissions import Scope, can, get_visible_or_404, require, scope_of

from ..filters import TimeOffFilter
from ..forms.time import TimeOffForm
from ..models import TimeOff
from ..services import time as services


@login_required
@vary_on_headers("HX-Request")
def time_off_list(request: HttpRequest) -> HttpResponse:
    """Own requests for creatives and freelancers; everyone's for the studio's managers."""
    require(request.user, "time_off.view")
    time_off = TimeOff.objects.visible_to(request.user).select_related("talent__user").order_by("-start_date", "-pk")
    filters = TimeOffFilter(request.GET, queryset=time_off)
    context = {
        "filters": filters,
        "page_obj": paginate(request, filters.qs),
        "can_request": can(request.user, "talent.request_time_off"),
        "shows_people": scope_of(request.user, "time_off.view") is Scope.ALL,
    }
    return render(request, page_or_fragment(request, "schedules/time_off_list.html", "table"), context)


@login_required
def time_off_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "talent.request_time_off")
    form = TimeOffForm(request.POST if request.method == "POST" else None, user=request.user)
    talent = None if "talent" in form.fields else Talent.objects.filter(user=request.user).first()
    if "talent" not in form.fields and talent is None:
        # Nobody to take the time off: the page says why instead of offering a form.
        no_profile = _("Your profile has no working hours yet; ask a production manager to set it up.")
        status = 400 if request.method == "POST" else 200
        return render(request, "schedules/time_off_form.html", {"no_profile": no_profile}, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_off_request(
                talent=talent or form.cleaned_data["talent"], user=request.user,
                **{name: form.cleaned_data[name] for name in ("start_date", "end_date", "full_day", "reason")},
                hours_per_day=form.cleaned_data["hours_per_day"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your time-off request was sent for approval."))
            return redirect("schedules:time-off-list")
    return render(request, "schedules/time_off_form.html", {"form": form})


@login_required
@require_POST
def time_off_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a request still waiting for a decision."""
    time_off = get_visible_or_404(TimeOff.objects.select_related("talent"), request.user, pk=pk)
    try:
        services.time_off_cancel(time_off=time_off, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your time-off request was cancelled."))
    return redirect("schedules:time-off-list")
