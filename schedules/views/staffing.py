"""Staffing a deliverable from its plan: who is free in its disciplines over its days,
and one click that assigns a person and books them tentatively."""

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

from projects.models import Deliverable, Project
from studio import clock
from studio.dates import day_text
from studio.models import Discipline, Talent
from studio.permissions import get_visible_or_404, require

from ..forecast import MAX_FREE_DAYS, free_people, with_talent
from ..services.staffing import deliverable_staff, staffing_range
from ..staffing import project_assignees, project_staffing_rows

TEMPLATE = "schedules/staff_deliverable.html"
ROWS_PER_PAGE = 25


def _deliverable(request: HttpRequest, pk: int) -> Deliverable:
    deliverable = get_visible_or_404(
        Deliverable.objects.select_related("project", "deliverable_type"), request.user, pk=pk
    )
    require(request.user, "project.staff", deliverable.project)
    return deliverable


def _context(request: HttpRequest, deliverable: Deliverable, **extra) -> dict:
    hours = list(deliverable.planned_by_discipline.select_related("discipline").order_by("discipline__name"))
    disciplines = [row.discipline for row in hours] or list(Discipline.objects.filter(active=True))
    chosen = next((d for d in disciplines if str(d.pk) == request.GET.get("discipline")), disciplines[0]
                  if disciplines else None)
    start, end = staffing_range(deliverable, clock.today())
    # Who is free is ranked over at most MAX_FREE_DAYS; the booking still covers every day.
    ranked_end = min(end, start + dt.timedelta(days=MAX_FREE_DAYS - 1))
    people = free_people(start=start, end=ranked_end, people=Talent.objects.filter(discipline=chosen)) if chosen else []
    page_obj = Paginator(people, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    with_talent(page_obj.object_list)
    return {
        "deliverable": deliverable, "project": deliverable.project, "hours": hours, "disciplines": disciplines,
        "chosen": chosen, "start": start, "end": end, "ranked_end": ranked_end, "page_obj": page_obj,
        "assigned": set(deliverable.assignees.values_list("pk", flat=True)), **extra,
    }


@login_required
def deliverable_staffing(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    template = f"{TEMPLATE}#people" if request.htmx else TEMPLATE
    return render(request, template, _context(request, deliverable))


@login_required
@require_POST
def deliverable_staff_person(request: HttpRequest, pk: int, talent_pk: int) -> HttpResponse:
    deliverable = _deliverable(request, pk)
    talent = get_object_or_404(Talent.objects.select_related("user", "discipline"), pk=talent_pk)
    try:
        booking = deliverable_staff(deliverable=deliverable, talent=talent, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        url = reverse("schedules:deliverable-staffing", args=[deliverable.pk])
        return redirect(f"{url}?discipline={talent.discipline_id}")
    messages.success(request, _("%(who)s is on “%(name)s”, booked tentatively from %(start)s to %(end)s.") % {
        "who": talent, "name": deliverable.name, "start": day_text(booking.start_date),
        "end": day_text(booking.end_date),
    })
    return redirect("projects:project-detail", pk=deliverable.project_id)


@login_required
def project_staffing(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's team tab (a fragment of its page): who is assigned, and per discipline
    the planned hours against the hours booked on it, and the gap."""
    project = get_visible_or_404(Project, request.user, pk=pk)
    require(request.user, "project.see_costs", project)
    context = {
        "project": project,
        "rows": project_staffing_rows(project, today=clock.today()),
        "assigned": project_assignees(project),
    }
    return render(request, "schedules/_project_staffing.html", context)
