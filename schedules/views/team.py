"""The team schedule page and the booking dialog it opens: create, edit, move, confirm,
split and release bookings in place (DESIGN §4, "Team schedule").

Every write answers an HTMX request with the affected rows as out-of-band swaps and a
status line; without JavaScript the same forms work as pages and redirect back to the
schedule. A refused drag answers with the rows as they are, so the bar snaps back.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from studio import clock
from studio.forms import add_service_errors
from studio.models import Talent
from studio.pages import page_or_fragment
from studio.permissions import can, get_visible_or_404, require

from ..filters import TeamScheduleFilter
from ..forms.bookings import BookingForm, BookingMoveForm
from ..models import Booking
from ..services import bookings as services
from ..team import VIEWS, Window, group_rows, person_rows, schedule_people, schedule_rows

# People per page of the schedule: a screenful or two of rows.
ROWS_PER_PAGE = 40
TEMPLATE = "schedules/team_schedule.html"
DIALOG = "schedules/booking_dialog.html"


@login_required
@vary_on_headers("HX-Request")
def team_schedule(request: HttpRequest) -> HttpResponse:
    """People × days for production managers and executives; filters and paging in the URL."""
    require(request.user, "schedule.team")
    today = clock.today()
    window = Window.parse(request.GET.get("view"), request.GET.get("start"), today)
    filters = TeamScheduleFilter(
        request.GET, queryset=schedule_people(request.user, window), window=window, request=request
    )
    page_obj = Paginator(filters.qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = schedule_rows(
        request.user, window, list(page_obj), filters=filters.form.cleaned_data if filters.is_valid() else {},
        with_placeholders=page_obj.number == 1, today=today, with_to_staff=True,
    )
    context = {
        "window": window, "views": VIEWS, "today": today, "filters": filters, "page_obj": page_obj,
        "groups": group_rows(rows), "can_write": can(request.user, "booking.book"),
        "here": request.get_full_path(),
    }
    return render(request, page_or_fragment(request, TEMPLATE, "grid"), context)


@login_required
def booking_new(request: HttpRequest) -> HttpResponse:
    """The dialog to book someone, opened from a cell or a drag over days."""
    require(request.user, "booking.book")
    back = _back_url(request)
    if request.method == "POST":
        form = BookingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                booking = services.booking_create(
                    user=request.user, override_reason=form.cleaned_data["override_reason"], **form.booking_values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _saved(request, back, [booking.talent], _("Booked %(booking)s.") % {"booking": booking},
                              refresh=booking.is_placeholder)
    else:
        form = BookingForm(initial=_initial_from_query(request.GET), user=request.user)
    return _dialog(request, form, back)


@login_required
@require_GET
def booking_deliverable_field(request: HttpRequest) -> HttpResponse:
    """The dialog's deliverable field for the project just chosen: its picker searches that
    project's deliverables, and nothing of the project chosen before stays chosen."""
    require(request.user, "booking.book")
    form = BookingForm(initial={"project": request.GET.get("project", "")}, user=request.user)
    return render(request, f"{DIALOG}#deliverable-field", {"form": form})


@login_required
def booking_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The dialog of one booking: change it, confirm it, split it or release it."""
    require(request.user, "booking.book")
    booking = get_visible_or_404(Booking.objects.select_related("talent__user", "project"), request.user, pk=pk)
    back = _back_url(request)
    if request.method == "POST":
        form = BookingForm(request.POST, user=request.user, booking=booking)
        if form.is_valid():
            before = booking.talent
            try:
                booking = services.booking_update(
                    booking=booking, user=request.user, version=form.cleaned_data["version"],
                    override_reason=form.cleaned_data["override_reason"], **form.booking_values(),
                )
            except services.StaleBooking as error:
                return _stale(request, back, error)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _saved(request, back, [before, booking.talent], _("Saved %(booking)s.") % {"booking": booking},
                              refresh=booking.is_placeholder or before is None)
    else:
        form = BookingForm(initial=_initial_from_booking(booking), user=request.user, booking=booking)
    return _dialog(request, form, back, booking=booking)


@login_required
@require_POST
def booking_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a hold; a clash is refused with its days, unless a PM gives a reason."""
    return _action(request, pk, services.booking_confirm, _("Confirmed %(booking)s."), "override_reason")


@login_required
@require_POST
def booking_split(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.booking_split, _("Split %(booking)s in two."), "on")


@login_required
@require_POST
def booking_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.booking_release, _("Released %(booking)s."))


@login_required
@require_POST
def booking_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A drag: new dates, perhaps another person. A refusal leaves the rows as they were."""
    require(request.user, "booking.book")
    booking = get_visible_or_404(Booking.objects.select_related("talent__user", "project"), request.user, pk=pk)
    back = _back_url(request)
    form = BookingMoveForm(request.POST, user=request.user)
    people = [booking.talent]
    if not form.is_valid():
        return _refused(request, back, people, " ".join(_messages(form.errors)))
    changes = {"start_date": form.cleaned_data["start_date"], "end_date": form.cleaned_data["end_date"]}
    if form.cleaned_data["talent"] and not booking.is_placeholder:
        changes["talent"] = form.cleaned_data["talent"]
        people.append(form.cleaned_data["talent"])
    try:
        booking = services.booking_update(
            booking=booking, user=request.user, version=form.cleaned_data["version"], **changes
        )
    except services.StaleBooking as error:
        return _stale(request, back, error)
    except ValidationError as error:
        return _refused(request, back, people, " ".join(error.messages))
    return _saved(request, back, people, _("Moved %(booking)s.") % {"booking": booking},
                  refresh=booking.is_placeholder)


def _action(request: HttpRequest, pk: int, service, done: str, field: str | None = None) -> HttpResponse:
    """Run confirm, split or release from the dialog: done, or the dialog again with the reason."""
    require(request.user, "booking.book")
    booking = get_visible_or_404(Booking.objects.select_related("talent__user", "project"), request.user, pk=pk)
    back = _back_url(request)
    form = BookingForm(initial=_initial_from_booking(booking), user=request.user, booking=booking)
    values = {field: request.POST.get(field, "")} if field else {}
    try:
        version = int(request.POST.get("version", ""))
        if field == "on":
            values["on"] = dt.date.fromisoformat(values["on"])
        described = str(booking)
        service(booking=booking, user=request.user, version=version, **values)
    except services.StaleBooking as error:
        return _stale(request, back, error)
    except ValidationError as error:
        return _dialog(request, form, back, booking=booking, action_error=" ".join(error.messages), action=field)
    except ValueError:
        message = _("Choose the day the second part starts.") if field == "on" else _("Reload the schedule.")
        return _dialog(request, form, back, booking=booking, action_error=message, action=field)
    return _saved(request, back, [booking.talent], done % {"booking": described}, refresh=booking.is_placeholder)


def _back_url(request: HttpRequest) -> str:
    """The schedule URL (with its window and filters) to return to; only our own pages."""
    # A form opened without the script names no schedule: the page it came from does.
    back = request.POST.get("next") or request.GET.get("next") or request.headers.get("Referer", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        parts = urlsplit(back)
        if parts.path == reverse("schedules:team-schedule"):
            return f"{parts.path}?{parts.query}" if parts.query else parts.path
    return reverse("schedules:team-schedule")


def _window_of(back: str) -> Window:
    query = QueryDict(urlsplit(back).query)
    return Window.parse(query.get("view"), query.get("start"), clock.today())


def _initial_from_query(query: QueryDict) -> dict:
    initial = {"status": Booking.Status.TENTATIVE}
    for name in ("start", "end"):
        if query.get(name):
            initial[f"{name}_date"] = query[name]
    initial.setdefault("end_date", initial.get("start_date"))
    if query.get("talent", "").isdigit():
        initial["talent"] = int(query["talent"])
        talent = Talent.objects.filter(pk=initial["talent"]).only("hours_per_day").first()
        if talent is not None:
            initial["hours_per_day"] = talent.hours_per_day
    return initial


def _initial_from_booking(booking: Booking) -> dict:
    fields = (*services.EDITABLE_FIELDS, "version")
    return {name: getattr(booking, name) for name in fields}


def _dialog(request, form, back, *, booking=None, action_error="", action=None, status=200) -> HttpResponse:
    context = {
        "form": form, "booking": booking, "next": back, "action_error": action_error, "action": action,
        "may_override": can(request.user, "booking.override"),
    }
    return render(request, page_or_fragment(request, DIALOG, "dialog"), context, status=status)


def _rows(request: HttpRequest, back: str, people) -> list:
    people = [person for person in people if person is not None]
    unique = list({person.pk: person for person in people}.values())
    fresh = list(Talent.objects.filter(pk__in=[p.pk for p in unique]).select_related("user", "discipline"))
    return person_rows(request.user, _window_of(back), fresh, today=clock.today())


def _respond(request, back, people, message, *, level, events) -> HttpResponse:
    if not request.htmx:
        messages.add_message(request, level, message)
        return redirect(back)
    context = {
        "rows": _rows(request, back, people), "message": message, "alert": level >= messages.WARNING,
        "window": _window_of(back), "can_write": can(request.user, "booking.book"), "here": back,
        "today": clock.today(),
    }
    response = render(request, f"{TEMPLATE}#changed", context)
    for name, params in events.items():
        trigger_client_event(response, name, params)
    return response


def _saved(request, back, people, message, *, refresh=False) -> HttpResponse:
    events = {"bookingChanged": True, "bookingDialogClose": True}
    if refresh:
        events["scheduleRefresh"] = True
    return _respond(request, back, people, message, level=messages.SUCCESS, events=events)


def _refused(request, back, people, message) -> HttpResponse:
    return _respond(request, back, people, message, level=messages.ERROR, events={"bookingRefused": message})


def _stale(request, back, error: services.StaleBooking) -> HttpResponse:
    message = _("Someone changed this booking since you loaded the schedule; nothing was saved. "
                "The schedule now shows it as it is.")
    return _respond(request, back, [], message, level=messages.WARNING,
                    events={"scheduleRefresh": True, "bookingDialogClose": True})


def _messages(errors) -> list[str]:
    return [message for field_errors in errors.values() for message in field_errors]
