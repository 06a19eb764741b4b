"""Brief pages: writing, versions and their differences, distribution and acknowledgement."""

import datetime as dt

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from studio.forms import add_service_errors
from studio.pages import page_or_fragment, paginate
from studio.permissions import can, get_visible_or_404, require

from ..diff import diff_contents, section_label
from ..forms.briefs import BriefForm, CommentForm, DistributeForm, VersionForm
from ..models import SECTIONS, Brief, BriefDistribution, BriefTemplate, BriefVersion
from ..services import briefs as services

BRIEFS = Brief.objects.select_related("project__brand", "project__pm")
DISTRIBUTIONS = BriefDistribution.objects.select_related("recipient", "version__brief__project__pm")


def _sections(content: dict, hidden: tuple[str, ...]) -> list[dict]:
    """The sections to show, in reading order, without those the user may not read."""
    rows = []
    for name in SECTIONS:
        if name in hidden:
            continue
        value = content.get(name) or ""
        if name == "deadline" and value:
            value = dt.date.fromisoformat(value)
        rows.append({"name": name, "label": section_label(name), "value": value})
    return rows


def _approval_panel_url(brief: Brief) -> str:
    return reverse("approvals:panel", args=["brief", brief.pk])


def _brief(request: HttpRequest, pk: int, action: str | None = None) -> Brief:
    """The brief; with `action`, only for someone who may take it: a 403 for who may
    never take it, then a 404 for a brief they may not see."""
    if action:
        require(request.user, action)
    brief = get_visible_or_404(BRIEFS, request.user, pk=pk)
    if action:
        require(request.user, action, brief)
    return brief


def _detail_context(brief: Brief, user) -> dict:
    reading = services.brief_reading(brief=brief, user=user)
    writes = can(user, "brief.change", brief)
    return {
        "brief": brief,
        "reading": reading,
        "sections": _sections(reading.content, reading.hidden),
        "versions": BriefVersion.objects.visible_to(user).filter(brief=brief).select_related("approved_by"),
        "can_write": writes,
        # The approval rounds are for who writes and approves the brief, not for a recipient's copy.
        "approval_panel_url": _approval_panel_url(brief) if reading.distribution is None else None,
        # For who approves (or follows) a new version: what it changes since the one they approved.
        "changes_to_approve": (
            services.brief_changes_to_approve(brief=brief, user=user) if reading.distribution is None else None
        ),
        "submit_form": VersionForm(initial={"version": brief.version}),
        "distribute_form": DistributeForm(brief=brief) if writes and brief.current_version_number else None,
        "distribution": reading.distribution,
        "comments": services.distribution_comments(reading.distribution) if reading.distribution else (),
        "comment_form": CommentForm(),
    }


@login_required
@vary_on_headers("HX-Request")
def brief_list(request: HttpRequest) -> HttpResponse:
    briefs = Brief.objects.visible_to(request.user).select_related("project").order_by("-updated_at", "-pk")
    context = {"page_obj": paginate(request, briefs), "shows_status": services.reads_live_drafts(request.user)}
    return render(request, page_or_fragment(request, "briefs/brief_list.html", "table"), context)


@login_required
def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "briefs/brief_detail.html", _detail_context(_brief(request, pk), request.user))


def _edit_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The brief form, with where brief templates are added when the studio has none yet:
    the admin's add page, for whoever the admin lets add one."""
    template_admin = admin.site.get_model_admin(BriefTemplate)
    add_url = reverse("admin:briefs_brieftemplate_add") if template_admin.has_add_permission(request) else ""
    context = {**context, "has_templates": context["form"].fields["template"].queryset.exists(),
               "template_add_url": add_url}
    return render(request, "briefs/brief_edit.html", context, status=status)


def _template_filled(request: HttpRequest, brief: Brief) -> BriefForm:
    """The form as posted, its empty sections filled from the chosen template; not saved,
    and still carrying the version the editor read."""
    template = BriefTemplate.objects.filter(active=True, pk=request.POST.get("template") or None).first()
    values = services.template_fill(values=request.POST.dict(), template=template)
    return BriefForm(initial=values, instance=brief)


@login_required
def brief_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _brief(request, pk, "brief.change")
    if brief.status == Brief.Status.IN_REVIEW:
        messages.error(request, _("This brief is waiting for approval; it cannot be edited until it is decided."))
        return redirect("briefs:brief-detail", pk=brief.pk)
    if request.method == "POST" and "fill_template" in request.POST:
        return _edit_page(request, {"brief": brief, "form": _template_filled(request, brief)})
    form = BriefForm(request.POST or None, instance=brief, initial={"version": brief.version})
    current = None  # the sections as someone else saved them, when this save was stale
    if request.method == "POST" and form.is_valid():
        try:
            services.brief_update(
                brief=brief, edited_by=request.user,
                values=form.cleaned_data, version=form.cleaned_data["version"],
            )
        except services.StaleBrief as stale:
            # Nothing is saved; the editor sees the current text beside their own, and a
            # second save (now based on the current version) is theirs to make.
            # Shown before the form is bound again: binding it writes the editor's text onto the instance.
            current = _sections(stale.current.content(), services.hidden_sections_for(request.user, brief.project))
            form = BriefForm({**request.POST.dict(), "version": stale.current.version}, instance=brief)
            form.add_error(None, _("This brief changed since you opened it. Your changes are not saved: "
                                   "compare them with the current text, then save again."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Brief saved."))
            return redirect("briefs:brief-detail", pk=brief.pk)
    context = {"brief": brief, "form": form, "current": current}
    return _edit_page(request, context, status=409 if current is not None else 200)


@login_required
@require_POST
def brief_submit(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _brief(request, pk, "brief.change")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("briefs:brief-detail", pk=brief.pk)
    try:
        services.brief_submit(brief=brief, user=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The brief is submitted for approval."))
    return redirect("briefs:brief-detail", pk=brief.pk)


def _version_number(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name) or default)
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def brief_diff(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _brief(request, pk)
    versions = list(BriefVersion.objects.visible_to(request.user).filter(brief=brief).order_by("number"))
    by_number = {version.number: version for version in versions}
    newest = versions[-1].number if versions else 0
    b = _version_number(request, "b", newest)
    a = _version_number(request, "a", b - 1)
    if a not in by_number or b not in by_number:
        raise Http404
    hidden = services.hidden_sections_for(request.user, brief.project)
    context = {
        "brief": brief, "versions": versions, "a": by_number[a], "b": by_number[b],
        "sections": diff_contents(by_number[a].content, by_number[b].content, hidden=hidden),
    }
    return render(request, "briefs/brief_diff.html", context)


@login_required
def brief_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    """The send page (the team ticked, anyone else through the picker) and the send itself;
    a refused choice is shown next to the picker."""
    brief = _brief(request, pk, "brief.change")
    form = DistributeForm(request.POST if request.method == "POST" else None, brief=brief)
    if not form.is_valid():
        return render(request, "briefs/brief_send.html", {"brief": brief, "distribute_form": form},
                      status=400 if form.is_bound else 200)
    try:
        sent = services.brief_distribute(brief=brief, sent_by=request.user, recipients=form.cleaned_data["recipients"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("briefs:brief-detail", pk=brief.pk)
    if sent:
        messages.success(request, ngettext("Sent to %(count)d person.", "Sent to %(count)d people.", len(sent))
                         % {"count": len(sent)})
    else:
        messages.info(request, _("Everyone already has this version."))
    return redirect("briefs:brief-board", pk=brief.pk)


@login_required
@vary_on_headers("HX-Request")
def brief_board(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "distribution.view")
    brief = _brief(request, pk)
    rows = services.brief_board(brief, user=request.user)
    context = {
        "brief": brief,
        "rows": rows,
        "opened": sum(1 for row in rows if row.opened_at),
        "acknowledged": sum(1 for row in rows if row.acknowledged_at),
        "questioned": sum(1 for row in rows if row.questioned_at),
    }
    return render(request, page_or_fragment(request, "briefs/brief_board.html", "board"), context)


@login_required
@require_GET
def briefs_to_read(request: HttpRequest) -> HttpResponse:
    distributions = services.distributions_to_read(request.user)
    return render(request, "briefs/_briefs_to_read.html", {"distributions": distributions})


# Links asked for at once, at most: a page of bookings, not a crawl.
BRIEF_LINKS_LIMIT = 50


@login_required
@require_GET
def brief_links(request: HttpRequest) -> HttpResponse:
    """For another app's page (my day's bookings): a link to the latest brief of each
    project in `?projects=1,2,…` that the user may read, swapped out of band into the
    elements with class `brief-for-<project id>`."""
    ids = [int(pk) for pk in request.GET.get("projects", "").split(",") if pk.isdigit()][:BRIEF_LINKS_LIMIT]
    latest = Brief.objects.visible_to(request.user).latest_by_project(ids)
    links = [(pk, latest.get(pk)) for pk in dict.fromkeys(ids)]
    return render(request, "briefs/_brief_links.html", {"links": links})


@login_required
@require_POST
def distribution_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = get_visible_or_404(DISTRIBUTIONS, request.user, pk=pk)
    services.distribution_acknowledge(distribution=distribution, user=request.user)
    if not request.htmx:
        messages.success(request, _("Thank you: the brief is acknowledged."))
        return redirect("briefs:brief-detail", pk=distribution.version.brief_id)
    response = render(request, "briefs/_brief_acknowledge.html", {"distribution": distribution})
    return trigger_client_event(response, "briefAcknowledged")


@login_required
@require_GET
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = get_visible_or_404(DISTRIBUTIONS, request.user, pk=pk)
    context = {
        "distribution": distribution, "brief": distribution.version.brief,
        "comments": services.distribution_comments(distribution), "comment_form": CommentForm(),
    }
    return render(request, "briefs/brief_distribution.html", context)


@login_required
@require_POST
def distribution_comment(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = get_visible_or_404(DISTRIBUTIONS, request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.distribution_comment(distribution=distribution, author=request.user, body=form.cleaned_data["body"])
        form = CommentForm()
    if request.htmx:
        # The thread is swapped in place, with the field's error when the message was empty.
        context = {"distribution": distribution, "comments": services.distribution_comments(distribution),
                   "comment_form": form}
        return render(request, "briefs/_brief_thread.html", context)
    if form.is_bound:
        messages.error(request, _("Write your message first."))
    if distribution.recipient_id == request.user.pk:
        return redirect("briefs:brief-detail", pk=distribution.version.brief_id)
    return redirect("briefs:distribution-detail", pk=distribution.pk)
