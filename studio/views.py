"""Studio pages: each role's start page, the talent directory and profiles,
downloads of private attachments, each user's notifications and API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from . import clock
from .filters import TalentFilter
from .forms import AccessTokenForm, NotificationSettingsForm
from .models import Attachment, RateCard, Talent
from .notifications import NotificationFilter, notifications_of
from .pages import page_or_fragment, paginate
from .permissions import Scope, can, can_see_object, get_visible_or_404, require, scope_of, start_page_for
from .services import (
    access_token_create,
    access_token_revoke,
    notification_mark_read,
    notifications_mark_all_read,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    return redirect(start_page_for(request.user))


@login_required
@vary_on_headers("HX-Request")
def talent_list(request: HttpRequest) -> HttpResponse:
    """The directory: everyone for the studio's managers, with working pattern, rates and
    (loaded from schedules) bookings and utilization; the teams of their own projects, with
    names and contacts, for creatives and freelancers; nobody else's page."""
    user = request.user
    require(user, "talent.view")
    show_rates = can(user, "talent.see_costs")
    talent = Talent.objects.visible_to(user).select_related("user", "discipline").prefetch_related("skills")
    if show_rates:
        today_cards = RateCard.objects.valid_on(clock.today())
        talent = talent.prefetch_related(Prefetch("rate_cards", today_cards, to_attr="current_rates"))
    filterset = TalentFilter(request.GET, queryset=talent, request=request)
    context = {
        "filterset": filterset,
        "page_obj": paginate(request, filterset.qs),
        "show_rates": show_rates,
        # Other people's bookings and utilization are the studio's managers' (DESIGN §1).
        "show_status": can(user, "schedule.team"),
    }
    return render(request, page_or_fragment(request, "studio/talent_list.html", "results"), context)


@login_required
def talent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    talent = get_visible_or_404(
        Talent.objects.select_related("user", "discipline").prefetch_related("skills"), user, pk=pk
    )
    show_rates = can(user, "talent.see_costs", talent)
    is_self = talent.user_id == user.pk
    context = {
        "talent": talent,
        "is_self": is_self,
        "whole_directory": scope_of(user, "talent.view") is Scope.ALL,
        "show_work_pattern": show_rates or is_self,
        "show_status": can(user, "schedule.team") or is_self,
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


# --- notifications ----------------------------------------------------------------


def _notification_page(request: HttpRequest) -> dict:
    filterset = NotificationFilter(request.GET, queryset=notifications_of(request.user))
    return {"filterset": filterset, "page_obj": paginate(request, filterset.qs)}


@login_required
@vary_on_headers("HX-Request")
def notification_list(request: HttpRequest) -> HttpResponse:
    template = page_or_fragment(request, "studio/notification_list.html", "results")
    return render(request, template, _notification_page(request))


@never_cache
def notification_count(request: HttpRequest) -> HttpResponse:
    """The bell's unread count, polled by every page."""
    if not request.user.is_authenticated:
        # A signed-out tab would otherwise swap the login page into the bell every minute.
        return HttpResponseStopPolling()
    unread = notifications_of(request.user).unread().count()
    return render(request, "studio/notification_count.html", {"unread_count": unread})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points, if that is a page of this site."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notification)
    if _is_local_path(request, notification.url):
        return redirect(notification.url)
    return redirect("studio:notification-list")


def _is_local_path(request: HttpRequest, url: str) -> bool:
    # Only a path on this site: a notification must never send anyone elsewhere.
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=True)
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notification)
    if not request.htmx:
        return redirect("studio:notification-list")
    response = render(request, "studio/notification_list.html#item", {"notification": notification})
    return trigger_client_event(response, "notificationsChanged")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(recipient=request.user)
    if not request.htmx:
        messages.success(request, _("All notifications are marked read."))
        return redirect("studio:notification-list")
    response = render(request, "studio/notification_list.html#results", _notification_page(request))
    return trigger_client_event(response, "notificationsChanged")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("studio:notification-settings")
    return render(request, "studio/notification_settings.html", {"form": form})


# --- API tokens -------------------------------------------------------------------


@login_required
@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; a new one's key is on this one response and nowhere else,
    so it is rendered here rather than redirected to, and never cached."""
    form = AccessTokenForm(request.POST if request.method == "POST" else None)
    created = None
    if form.is_valid():
        token, key = access_token_create(user=request.user, **form.token_fields())
        created = {"token": token, "key": key}
        form = AccessTokenForm()
    tokens = request.user.auth_token_set.order_by("-created", "-id")
    return render(request, "studio/token_list.html", {"form": form, "tokens": tokens, "created": created})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.auth_token_set, pk=pk)
    access_token_revoke(token=token, user=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("studio:token-list")
