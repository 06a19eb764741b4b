"""The search of the brief's distribution picker: people eligible to be sent the brief,
besides its team (who get it anyway), by name; at most SEARCH_LIMIT in one query."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from studio.permissions import get_visible_or_404, require
from studio.widgets import SEARCH_LIMIT, SearchForm, search_matching

from ..models import Brief
from ..services.briefs import brief_default_recipients, brief_eligible_recipients


@login_required
@require_GET
def brief_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "brief.change")
    brief = get_visible_or_404(Brief.objects.all(), request.user, pk=pk)
    require(request.user, "brief.change", brief)
    search = SearchForm(request.GET)
    if not search.is_valid():
        return HttpResponseBadRequest()
    people = brief_eligible_recipients(brief).exclude(pk__in=brief_default_recipients(brief).values("pk"))
    people = search_matching(people, search.cleaned_data["q"], ("first_name", "last_name", "username"))
    rows = list(people.order_by("first_name", "last_name", "pk")[: SEARCH_LIMIT + 1])
    options = [{"value": user.pk, "label": str(user), "detail": user.get_role_display()} for user in rows]
    context = {"options": options[:SEARCH_LIMIT], "more": len(rows) > SEARCH_LIMIT, "limit": SEARCH_LIMIT}
    return render(request, "widgets/search_options.html", context)
