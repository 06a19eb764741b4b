"""Recompute a range of nights from the portfolio: the form starts
`metrics_compute_range_task` and answers a fragment that polls the task's state every
second until it is done (or failed). Production managers only (`metric.recompute`)."""

import datetime as dt

from celery.result import AsyncResult
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from studio import clock
from studio.dates import day_text
from studio.permissions import require
from studio.workdays import EARLIEST_DAY, LATEST_DAY

from .tasks import metrics_compute_range_task

FRAGMENT = "metrics/_recompute.html"
# The page asks for at most a quarter at a time: about a minute and a half of work, a
# progress bar worth watching; longer backfills are the management command's.
MAX_NIGHTS = 92
DEFAULT_NIGHTS = 7
# Celery's states after which a task's state never changes again.
FINISHED = {"SUCCESS", "FAILURE", "REVOKED"}


def _day(day: dt.date) -> str:
    return day_text(day)


class RecomputeForm(forms.Form):
    """The nights to recompute: from `first` to `last`, both within the studio's calendar,
    none after yesterday, at most MAX_NIGHTS of them. Left empty, the last seven nights."""

    first = forms.DateField(label=gettext_lazy("From"), required=False, input_formats=["%Y-%m-%d"])
    last = forms.DateField(label=gettext_lazy("To"), required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, yesterday: dt.date, **kwargs):
        self.yesterday = yesterday
        kwargs.setdefault("initial", self.default_range(yesterday))
        kwargs.setdefault("auto_id", "recompute-%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.DateInput(
                attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": yesterday.isoformat()}
            )

    @staticmethod
    def default_range(yesterday: dt.date) -> dict[str, dt.date]:
        return {"first": yesterday - dt.timedelta(days=DEFAULT_NIGHTS - 1), "last": yesterday}

    def clean(self):
        data = super().clean()
        defaults = self.default_range(self.yesterday)
        for name in ("first", "last"):
            day = data.get(name)
            if name in self.errors:
                continue
            if day is None:
                data[name] = day = defaults[name]
            if not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, _("Choose a date from %(first)s to %(last)s.")
                               % {"first": _day(EARLIEST_DAY), "last": _day(LATEST_DAY)})
            elif day > self.yesterday:
                self.add_error(name, _("Choose a night that is over: %(last)s at the latest.")
                               % {"last": _day(self.yesterday)})
        first, last = data.get("first"), data.get("last")
        if self.errors or first is None or last is None:
            return data
        if last < first:
            self.add_error("last", _("The range cannot end before it starts."))
        elif (last - first).days + 1 > MAX_NIGHTS:
            self.add_error("last", _("Recompute at most %(nights)d nights at a time.") % {"nights": MAX_NIGHTS})
        return data


class ProgressQuery(forms.Form):
    """The task polled (a Celery task id: a UUID) and how many nights it covers."""

    task = forms.UUIDField()
    nights = forms.IntegerField(min_value=1, max_value=MAX_NIGHTS)


def task_result(task_id: str):
    """The task's result as the result backend holds it (`state`, `info`); the seam tests
    replace to show each state."""
    return AsyncResult(task_id, app=metrics_compute_range_task.app)


def _status(result, nights: int) -> dict:
    """What the progress fragment shows of a task's result."""
    state = result.state
    status = {"task_id": result.id, "nights": nights, "state": state, "finished": state in FINISHED}
    if state == "PROGRESS" and isinstance(result.info, dict):
        info = result.info
        status |= {"done": info.get("done"), "total": info.get("total"),
                   "day": dt.date.fromisoformat(info["day"]) if info.get("day") else None}
    return status


# A post without JavaScript that was refused: the form and its errors on a page of its own.
REFUSED_PAGE = "metrics/recompute.html"


def _answer(request: HttpRequest, form: RecomputeForm, status: dict | None = None, code: int = 200) -> HttpResponse:
    context = {"recompute_form": form, "recompute": status}
    if request.htmx:
        return render(request, f"{FRAGMENT}#recompute", context, status=code)
    return render(request, REFUSED_PAGE, context, status=code)


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Start recomputing the nights asked for; HTMX gets the progress fragment, a plain
    post goes back to the portfolio with a message."""
    require(request.user, "metric.recompute")
    form = RecomputeForm(request.POST, yesterday=clock.today() - dt.timedelta(days=1))
    if not form.is_valid():
        # htmx swaps 422 (base.html's htmx-config), not 400; a plain post reads the 400.
        return _answer(request, form, code=422 if request.htmx else 400)
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    nights = (last - first).days + 1
    result = metrics_compute_range_task.delay(first.isoformat(), last.isoformat())
    if not request.htmx:
        if result.ready():  # run in-process (no broker): already done
            done = ngettext("Done: %(nights)d night recomputed.", "Done: %(nights)d nights recomputed.", nights)
            messages.success(request, done % {"nights": nights})
        else:
            messages.info(request, ngettext("Recomputing %(nights)d night, %(first)s to %(last)s, in the background.",
                                            "Recomputing %(nights)d nights, %(first)s to %(last)s, in the background.",
                                            nights) % {"nights": nights, "first": _day(first), "last": _day(last)})
        return redirect("portfolio:portfolio")
    return _answer(request, RecomputeForm(yesterday=form.yesterday), _status(result, nights))


@login_required
@require_GET
def recompute_progress(request: HttpRequest) -> HttpResponse:
    """The progress fragment of a task: polling itself every second until it finishes."""
    require(request.user, "metric.recompute")
    query = ProgressQuery(request.GET)
    if not query.is_valid():
        return HttpResponse(_("Give a task id and its number of nights."), status=400)
    status = _status(task_result(str(query.cleaned_data["task"])), query.cleaned_data["nights"])
    return render(request, f"{FRAGMENT}#progress", {"recompute": status})
