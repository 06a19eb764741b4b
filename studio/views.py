"""Studio pages: each role's start page, the talent directory and profiles,
and downloads of private attachments."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.vary import vary_on_headers

from . import clock
from .filters import TalentFilter
from .models import Attachment, RateCard, Talent
from .pages import page_or_fragment, paginate
from .permissions import (
    can_see_costs,
    can_see_object,
    get_visible_or_404,
    is_studio_manager,
    start_page_for,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    return redirect(start_page_for(request.user))


@login_required
@vary_on_headers("HX-Request")
def talent_list(request: HttpRequest) -> HttpResponse:
    if not is_studio_manager(request.user):
        raise PermissionDenied
    talent = (
        Talent.objects.visible_to(request.user)
        .select_related("user", "discipline")
        .prefetch_related(
            "skills",
            Prefetch(
                "rate_cards", RateCard.objects.valid_on(clock.today()), to_attr="current_rates"
            ),
        )
    )
    filterset = TalentFilter(request.GET, queryset=talent, request=request)
    context = {"filterset": filterset, "page_obj": paginate(request, filterset.qs)}
    return render(request, page_or_fragment(request, "studio/talent_list.html", "results"), context)


@login_required
def talent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talent = get_visible_or_404(
        Talent.objects.select_related("user", "discipline").prefetch_related("skills"),
        request.user,
        pk=pk,
    )
    show_rates = can_see_costs(request.user)
    context = {
        "talent": talent,
        "is_self": talent.user_id == request.user.pk,
        "show_work_pattern": show_rates or talent.user_id == request.user.pk,
        "show_rates": show_rates,
        "current_rate": talent.rate_cards.valid_on(clock.today()).first() if show_rates else None,
        "rate_history": talent.rate_cards.order_by("-valid_from") if show_rates else None,
    }
    return render(request, "studio/talent_detail.html", context)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A private file, for those who may see the object it is attached to; 404 for the rest."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not can_see_object(request.user, attachment.content_type.model_class(), attachment.object_id):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
