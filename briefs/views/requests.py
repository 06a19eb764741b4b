"""Request pages: the brand's asks, as brand managers and the studio see them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from studio.models import Role
from studio.pages import page_or_fragment, paginate
from studio.permissions import get_visible_or_404, require_role

from ..filters import RequestFilter
from ..models import Request


@login_required
@vary_on_headers("HX-Request")
def request_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.BRAND_MANAGER, Role.PM, Role.EXECUTIVE)
    requests = (
        Request.objects.visible_to(request.user).select_related("brand").with_items()
        .order_by("-created_at", "-pk")
    )
    filters = RequestFilter(request.GET, queryset=requests, request=request)
    context = {"filters": filters, "page_obj": paginate(request, filters.qs)}
    return render(request, page_or_fragment(request, "briefs/request_list.html", "table"), context)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Request.objects.select_related("brand", "project", "submitted_by").with_items()
    brand_request = get_visible_or_404(queryset, request.user, pk=pk)
    return render(request, "briefs/request_detail.html", {"brand_request": brand_request})
