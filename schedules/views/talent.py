"""Bookings and utilization for the talent directory and a talent's page (issue 5).

The directory lives in `studio`, which sits below `schedules` and may not import it:
its pages load these fragments instead (DESIGN §2, layers). Other people's bookings
and utilization are for the studio's managers; a creative or freelancer gets only
their own (DESIGN §1).
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from studio import clock
from studio.models import Talent
from studio.permissions import get_visible_or_404, require

from ..agenda import bookings_by_person
from ..utilization import utilization_by_person

# The directory asks for one page of people; more ids than this are not a page.
MAX_IDS = 100
# A talent's page shows the weeks around this one: this many before it, and this one and those after.
WEEKS_BEFORE = 4
WEEKS_FROM_THIS = 8


def _ids(raw: str) -> list[int]:
    # Anything that is not a number is ignored, like an id the user may not see.
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:MAX_IDS]


def _status_talent(user):
    """The people whose bookings `user` may see (`booking.view`): anyone for the studio,
    only themselves for creatives and freelancers; nobody's for anyone else (403)."""
    require(user, "booking.view")
    return Talent.objects.visible_to(user, "booking.view")


@login_required
@require_GET
def talent_status(request: HttpRequest) -> HttpResponse:
    """The directory page's bookings and this week's utilization cells, swapped in out of band."""
    people = _status_talent(request.user).filter(pk__in=_ids(request.GET.get("ids", "")))
    ids = list(people.order_by().values_list("pk", flat=True))
    today = clock.today()
    this_week = clock.week_start(today)
    utilization = utilization_by_person(this_week, 1, ids)
    bookings = bookings_by_person(ids, today)
    rows = [{"pk": pk, "bookings": bookings[pk], "utilization": utilization[pk][this_week]} for pk in ids]
    return render(request, "schedules/_talent_status.html", {"rows": rows})


@login_required
@require_GET
def talent_detail_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A talent page's current and next bookings, and booked and logged utilization by week."""
    talent = get_visible_or_404(Talent, request.user, pk=pk)
    if not _status_talent(request.user).filter(pk=talent.pk).exists():
        # A teammate's page is theirs to see; their bookings are not (DESIGN §1).
        raise PermissionDenied
    today = clock.today()
    this_week = clock.week_start(today)
    first_week = this_week - dt.timedelta(weeks=WEEKS_BEFORE)
    by_week = utilization_by_person(first_week, WEEKS_BEFORE + WEEKS_FROM_THIS, [talent.pk])[talent.pk]
    context = {
        "talent": talent,
        "bookings": bookings_by_person([talent.pk], today)[talent.pk],
        "weeks": [
            {"monday": monday, "is_this_week": monday == this_week, "value": value} for monday, value in by_week.items()
        ],
    }
    return render(request, "schedules/_talent_detail_status.html", context)
