"""The trends page: the studio's metrics night after night as charts, each with its numbers
as a table and as CSV (`/metrics/trends/<chart>.csv`). The read model is `metrics.trends`."""

import csv
import io
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from budgets.exports import CSV_TYPE, FORMULA_START
from studio import clock
from studio.permissions import require

from .catalogue import BRAND, DISCIPLINE, MONEY, UNIT_LABELS
from .portfolio import latest_night
from .trends import CHARTS, DEFAULT_WEEKS, GROUP_PARAMS, WEEK_CHOICES, TrendChart, readable_charts, trends

CENTS, PLACES = Decimal("0.01"), Decimal("0.0001")


class TrendsForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Weeks"),
        choices=[(weeks, _("Last %(weeks)d weeks") % {"weeks": weeks}) for weeks in WEEK_CHOICES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_WEEKS,
        initial=DEFAULT_WEEKS,
    )


def _question(request: HttpRequest) -> tuple[TrendsForm, dict]:
    """The form as asked and what the read model needs from it: the weeks (the default
    when they are not one of the choices) and the page of each group."""
    form = TrendsForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else DEFAULT_WEEKS
    pages = {kind: request.GET.get(param) for kind, param in GROUP_PARAMS.items()}
    return form, {"weeks": weeks, "pages": pages}


@login_required
@require_GET
def trends_page(request: HttpRequest) -> HttpResponse:
    """Every chart the reader may see, over the weeks chosen (a year unless they say)."""
    require(request.user, "metric.view")
    form, question = _question(request)
    night = latest_night(clock.today())
    context = {"form": form, "night": night, "weeks": question["weeks"], "brand_kind": BRAND,
               "discipline_kind": DISCIPLINE}
    if night is not None:
        context["trends"] = trends(request.user, night=night, **question)
    return render(request, "metrics/trends.html", context)


def _cell(value, money: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.quantize(CENTS if money else PLACES), "f")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def chart_csv(chart: TrendChart) -> str:
    """The chart's table: a row per night, a column per line (values as stored: shares as
    ratios 0–1, money to the cent, the rest to four places); the header names the unit."""
    unit = UNIT_LABELS[chart.rows[0].figures[0].metric.unit] if chart.rows and chart.rows[0].figures else ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(_("Night"))] + [_cell(f"{column} ({unit})", False) for column in chart.columns])
    for row in chart.rows:
        writer.writerow([row.night.isoformat()] + [
            _cell(figure.value, figure.metric.unit == MONEY) for figure in row.figures
        ])
    return out.getvalue()


@login_required
@require_GET
def trends_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart's numbers, for the same weeks and group page as the page that links it."""
    require(request.user, "metric.view")
    if chart not in CHARTS:
        raise Http404
    if chart not in readable_charts(request.user):
        raise PermissionDenied
    _form, question = _question(request)
    night = latest_night(clock.today())
    if night is None:
        raise Http404
    (section,) = trends(request.user, night=night, only=chart, **question).sections
    response = HttpResponse(("\ufeff" + chart_csv(section.charts[0])).encode(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="callsheet-{chart}-{night.isoformat()}.csv"'
    return response
