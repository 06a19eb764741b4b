"""The request form's feasibility fragment: served by schedules, loaded by the briefs
app's request form (DESIGN §2, composite pages)."""

import datetime as dt
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from projects.services.plan import MAX_QUANTITY
from studio import clock
from studio.permissions import require

from ..feasibility import request_feasibility

# Feasibility is estimated for deadlines up to this many days ahead.
FEASIBILITY_MAX_DAYS = 730
# The request form's deliverable rows, as its formset names them.
ITEM_TYPE_FIELD = re.compile(r"^items-(\d+)-deliverable_type$")
# An id or a quantity: ASCII digits (str.isdigit() also takes "²"), few enough for a 64-bit integer.
NUMBER = re.compile(r"[0-9]{1,18}")


@login_required
def feasibility(request: HttpRequest) -> HttpResponse:
    """The request form's feasibility verdict for its deliverables and deadline (a fragment)."""
    # A fragment of the request form: for whoever may see requests.
    require(request.user, "request.view")
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
