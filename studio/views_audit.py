"""The audit log page: who changed what, when and from where (issue 15)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from .filters import AuditEventFilter
from .models import AuditEvent
from .pages import page_or_fragment, paginate
from .permissions import require


@login_required
@vary_on_headers("HX-Request")
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log: who changed what, when and from where, newest first, filtered by
    object, person, action and dates; an object's page links here for its whole history."""
    require(request.user, "audit.view")
    events = AuditEvent.objects.select_related("actor", "content_type")
    filterset = AuditEventFilter(request.GET, queryset=events, request=request)
    context = {"filterset": filterset, "page_obj": paginate(request, filterset.qs)}
    return render(request, page_or_fragment(request, "studio/audit_list.html", "results"), context)
