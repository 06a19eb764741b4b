"""Search endpoints of the pickers (studio/widgets.py): at most SEARCH_LIMIT matches of
what the user may see, in one query; a bad query string is a 400, never a 500."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.models import Deliverable, Project
from studio.dates import day_text
from studio.models import Talent
from studio.widgets import SEARCH_LIMIT, SearchForm, search_matching

from ..forms.bookings import deliverable_label, project_label

OPTIONS = "widgets/search_options.html"


def answer(request: HttpRequest, rows: list, label, detail) -> HttpResponse:
    options = [{"value": row.pk, "label": label(row), "detail": detail(row)} for row in rows[:SEARCH_LIMIT]]
    context = {"options": options, "more": len(rows) > SEARCH_LIMIT, "limit": SEARCH_LIMIT}
    return render(request, OPTIONS, context)


def _search(request: HttpRequest) -> dict | None:
    form = SearchForm(request.GET)
    return form.cleaned_data if form.is_valid() else None


@login_required
@require_GET
def search_talent(request: HttpRequest) -> HttpResponse:
    """Active people the user may see, by first name, last name or username."""
    query = _search(request)
    if query is None:
        return HttpResponseBadRequest()
    people = Talent.objects.visible_to(request.user).active().select_related("user", "discipline")
    people = search_matching(people, query["q"], ("user__first_name", "user__last_name", "user__username"))
    rows = list(people.order_by("user__first_name", "user__last_name", "pk")[: SEARCH_LIMIT + 1])
    return answer(request, rows, str, lambda t: t.discipline.name if t.discipline_id else "")


@login_required
@require_GET
def search_project(request: HttpRequest) -> HttpResponse:
    """Open projects the user may see, by code or name."""
    query = _search(request)
    if query is None:
        return HttpResponseBadRequest()
    projects = search_matching(Project.objects.visible_to(request.user).open(), query["q"], ("code", "name"))
    rows = list(projects.order_by("code", "pk")[: SEARCH_LIMIT + 1])
    return answer(request, rows, project_label, lambda p: "")


@login_required
@require_GET
def search_deliverable(request: HttpRequest) -> HttpResponse:
    """Open deliverables the user may see, of open projects, by name or project code;
    limited to one project when `project` is given."""
    query = _search(request)
    if query is None:
        return HttpResponseBadRequest()
    deliverables = (
        Deliverable.objects.visible_to(request.user).open().filter(project__in=Project.objects.open())
        .select_related("project")
    )
    if query["project"]:
        deliverables = deliverables.filter(project=query["project"])
    deliverables = search_matching(deliverables, query["q"], ("name", "project__code"))
    rows = list(deliverables.order_by("project__code", "due_date", "pk")[: SEARCH_LIMIT + 1])
    return answer(request, rows, deliverable_label, deliverable_detail)


def deliverable_detail(deliverable: Deliverable) -> str:
    return _("due %(day)s") % {"day": day_text(deliverable.due_date)}
