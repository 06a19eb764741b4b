"""Sections about decisions: approvals, requests and time off waiting on someone."""

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from approvals.models import Approval, ApprovalFlow
from briefs.models import Request
from schedules.hours import hours_text
from schedules.models import TimeOff
from studio.models import User

from .base import (
    ROWS,
    Item,
    Section,
    _day,
    _days,
    _local_day,
    _url,
    _waiting,
)


def approvals_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """What waits on this user's decision, the oldest first: two queries."""
    waiting = Approval.objects.waiting_on(user)
    count = waiting.count()
    flow_names = ApprovalFlow.objects.filter(kind=OuterRef("kind")).values("name")[:1]
    rows = list(
        waiting.annotate(flow_name=Subquery(flow_names))
        .select_related("submitted_by")
        .order_by("submitted_at", "pk")[:limit]
    )
    inbox = reverse("approvals:inbox")
    items = [
        Item(
            title=approval.object_repr,
            url=inbox,
            meta=_("%(kind)s · from %(person)s")
            % {"kind": approval.flow_name or approval.kind, "person": approval.submitted_by},
            day=_local_day(approval.submitted_at),
            day_label=_("sent"),
            flag=_waiting(_local_day(approval.submitted_at), today),
            tone="warn",
        )
        for approval in rows
    ]
    summary = ""
    if rows:
        oldest = (today - _local_day(rows[0].submitted_at)).days
        summary = (
            _("The oldest has waited %(days)s.") % {"days": _days(oldest)}
            if oldest > 0
            else _("The oldest came in today.")
        )
    return Section(
        key="approvals",
        lists_all=True,
        title=_("Approvals waiting on you"),
        count=count,
        items=items,
        tone="warn",
        summary=summary,
        nothing=_("Nothing waits on your decision."),
        url=inbox,
        link_text=_("Open the inbox"),
    )


def requests_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """Brand requests waiting for triage (not those waiting on the brand's answer), the
    nearest deadline first: two queries."""
    waiting = Request.objects.visible_to(user).filter(status=Request.Status.SUBMITTED)
    count = waiting.count()
    rows = list(waiting.select_related("brand").order_by("deadline", "created_at", "pk")[:limit])
    items = [
        Item(
            title=item.title,
            url=reverse("briefs:request-detail", args=[item.pk]),
            meta=str(item.brand),
            day=item.deadline,
            day_label=_("deadline"),
            flag=_waiting(_local_day(item.created_at), today),
        )
        for item in rows
    ]
    return Section(
        key="requests",
        lists_all=True,
        title=_("Requests waiting for triage"),
        count=count,
        items=items,
        nothing=_("No request is waiting for triage."),
        url=_url("briefs:request-list", query={"status": Request.Status.SUBMITTED}),
        link_text=_("All of them"),
    )


def _absence_text(absence: TimeOff) -> str:
    span = (
        _("until %(day)s") % {"day": _day(absence.end_date)} if absence.end_date != absence.start_date else _("one day")
    )
    if absence.full_day:
        return span
    return f"{span} · " + _("%(hours)s h a day") % {"hours": hours_text(absence.hours_per_day)}


def time_off_section(user: User, today: dt.date, *, limit: int = ROWS) -> Section:
    """Time off requested and not yet decided, the soonest first: two queries."""
    waiting = TimeOff.objects.visible_to(user).filter(status=TimeOff.Status.REQUESTED)
    count = waiting.count()
    rows = list(waiting.select_related("talent__user").order_by("start_date", "pk")[:limit])
    inbox = reverse("approvals:inbox")
    items = [
        Item(
            title=str(absence.talent),
            url=inbox,
            meta=_absence_text(absence),
            day=absence.start_date,
            day_label=_("from"),
            flag=_("started") if absence.start_date < today else "",
        )
        for absence in rows
    ]
    return Section(
        key="time_off",
        lists_all=True,
        title=_("Time off to decide"),
        count=count,
        items=items,
        nothing=_("No time off is waiting for a decision."),
        url=_url("schedules:time-off-list", query={"status": TimeOff.Status.REQUESTED}),
        link_text=_("All requests"),
    )
