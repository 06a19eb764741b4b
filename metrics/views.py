"""The production manager's home: what needs attention today, most urgent first, for
production managers and executives (the read model is `metrics.attention`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from studio import clock
from studio.permissions import require, starts_with_own_projects

from .attention import SCOPE_ALL, SCOPE_MINE, home_for, home_scope


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each section a count and its first rows, each row a link to where it is resolved;
    a production manager sees their own projects unless `?scope=all`; `?expand=<section>`
    opens a section without a page of its own in full."""
    require(request.user, "home.view")
    scope = home_scope(request.user, request.GET.get("scope"))
    context = {
        "home": home_for(request.user, scope=scope, today=clock.today(), expand=request.GET.get("expand")),
        "can_switch_scope": starts_with_own_projects(request.user),
        "SCOPE_MINE": SCOPE_MINE,
        "SCOPE_ALL": SCOPE_ALL,
    }
    return render(request, "metrics/home.html", context)
