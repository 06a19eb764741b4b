"""The studio's production budget: a period's amount and freelance-support pool, the pool's
figures as of today and the projects the period funds, each with its budget health in one
sortable table (DESIGN §3, "The studio budget"); and what a booking in the dialog would do
to the pool before it is saved."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.vary import vary_on_headers

from projects.models import Project
from studio import clock
from studio.forms import add_service_errors
from studio.pages import page_or_fragment, paginate
from studio.permissions import can, require
from studio.versions import StaleVersion

from ..forms_studio import PoolEffectForm, StudioBudgetAddForm, StudioBudgetVersionedSetForm, next_period
from ..health import BudgetHealth
from ..models import StudioBudget
from ..services import studio as services
from ..studio_budget import FundedProject, funded_projects, pool_after_booking, pool_figures

PAGE = "budgets/studio_budget.html"
POOL_EFFECT = "budgets/_pool_effect.html"
HUNDRED = Decimal(100)


def _pm(row: FundedProject) -> str:
    return (row.project.pm.get_full_name() or row.project.pm.get_username()).casefold()


def _health(name: str):
    return lambda row: getattr(row.health, name)


# The columns the table sorts by, each with its key; a figure that is undefined sorts last.
SORTS = {
    "code": lambda row: row.project.code,
    "name": lambda row: row.project.name.casefold(),
    "pm": _pm,
    "fee": _health("fee_in_force"),
    "bac": _health("bac"),
    "ac": _health("ac"),
    "spent": _health("spent_fraction"),
    "eac": _health("eac"),
    "vac": _health("vac"),
    "margin": _health("margin_at_completion"),
    "cpi": _health("cpi"),
    "alert": lambda row: (row.health.over_budget, row.health.alert_level or 0),
}


# The table's columns in order: (sort key, heading, holds money or a figure).
COLUMNS = [
    ("code", gettext_lazy("Project"), False),
    ("pm", gettext_lazy("Production manager"), False),
    ("fee", gettext_lazy("Fee in force"), True),
    ("bac", gettext_lazy("Budget at completion"), True),
    ("ac", gettext_lazy("Actual cost"), True),
    ("spent", gettext_lazy("Spent"), True),
    ("eac", gettext_lazy("Forecast at completion"), True),
    ("vac", gettext_lazy("Variance at completion"), True),
    ("margin", gettext_lazy("Margin at completion"), True),
    ("cpi", gettext_lazy("CPI"), True),
    ("alert", gettext_lazy("Alert"), False),
]


def columns(sort: str) -> list[dict]:
    """The headings, each with the sort a click asks for and how the rows are sorted now."""
    heads = []
    for key, label, number in COLUMNS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else None
        heads.append(
            {"key": key, "label": label, "num": number, "aria_sort": state, "next": f"-{key}" if sort == key else key}
        )
    return heads


@dataclass(frozen=True)
class Row:
    project: Project
    health: BudgetHealth

    @property
    def spent_percent(self) -> Decimal | None:
        fraction = self.health.spent_fraction
        return None if fraction is None else fraction * HUNDRED

    @property
    def margin_percent(self) -> Decimal | None:
        margin = self.health.margin_at_completion
        return None if margin is None else margin * HUNDRED


def sort_rows(rows: list[FundedProject], sort: str) -> tuple[list[FundedProject], str]:
    """The rows by a column of SORTS ("-" first for descending), stable, undefined figures
    last either way; anything else leaves them by code."""
    name = sort.removeprefix("-")
    if name not in SORTS:
        return rows, "code"
    key = SORTS[name]
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=sort.startswith("-")) + unknown, sort


def _chosen(request: HttpRequest, periods: list[StudioBudget]) -> StudioBudget | None:
    """The period asked for (`?budget=`), else the one covering today, else the latest."""
    asked = request.GET.get("budget", "")
    if asked.isdigit() and len(asked) < 12:
        found = next((period for period in periods if period.pk == int(asked)), None)
        if found is None:
            raise Http404
        return found
    return StudioBudget.objects.covering(clock.today()).first() or (periods[0] if periods else None)


def _context(request: HttpRequest, studio_budget: StudioBudget | None, periods: list, **forms) -> dict:
    today = clock.today()
    may_change = can(request.user, "studio_budget.change")
    context = {"studio_budget": studio_budget, "periods": periods, "today": today, "may_change": may_change}
    if may_change:
        context["add_form"] = forms.get("add_form") or StudioBudgetAddForm(
            initial=next_period(periods[0] if periods else None), auto_id="add-%s"
        )
    if studio_budget is None:
        return context
    if may_change:
        context["set_form"] = forms.get("set_form") or _set_form(None, studio_budget)
    funded = funded_projects(studio_budget, today, projects=Project.objects.visible_to(request.user))
    rows, sort = sort_rows(funded, request.GET.get("sort", ""))
    figures = pool_figures(studio_budget, today)
    return context | {
        "figures": figures,
        "spent_percent": None if figures.spent_fraction is None else figures.spent_fraction * HUNDRED,
        "page_obj": paginate(request, [Row(row.project, row.health) for row in rows]),
        "sort": sort,
        "columns": columns(sort),
        "funded_count": len(rows),
    }


@login_required
@vary_on_headers("HX-Request")
def studio_budget_view(request: HttpRequest) -> HttpResponse:
    """The period's pool and projects; production managers and executives set its amount
    and pool, or add the next period, from forms posted back here."""
    require(request.user, "studio_budget.view")
    periods = list(StudioBudget.objects.order_by("-period_start"))
    studio_budget = _chosen(request, periods)
    if request.method == "POST":
        require(request.user, "studio_budget.change")
        which = "add" if request.POST.get("form") == "add" else "set"
        form, saved = (_add if which == "add" else _set)(request, studio_budget)
        if saved is not None:
            return redirect(f"{reverse('budgets:studio')}?budget={saved.pk}")
        context = _context(request, studio_budget, periods, **{f"{which}_form": form})
        return render(request, PAGE, context, status=409 if getattr(form, "stale", False) else 400)
    return render(request, page_or_fragment(request, PAGE, "projects"), _context(request, studio_budget, periods))


def _set_form(data, studio_budget: StudioBudget) -> StudioBudgetVersionedSetForm:
    initial = {
        "amount": studio_budget.amount,
        "freelance_pool": studio_budget.freelance_pool,
        "version": studio_budget.version,
    }
    return StudioBudgetVersionedSetForm(data, initial=initial, auto_id="set-%s")


def _set(request: HttpRequest, studio_budget: StudioBudget | None):
    if studio_budget is None:
        raise Http404
    form = _set_form(request.POST, studio_budget)
    if form.is_valid():
        try:
            saved = services.studio_budget_set(studio_budget=studio_budget, user=request.user, **form.cleaned_data)
        except StaleVersion as error:
            # The figures as they are now, with the reason: nothing was overwritten.
            current = error.current
            form = _set_form(
                {"amount": current.amount, "freelance_pool": current.freelance_pool, "version": current.version},
                current,
            )
            form.is_valid()
            form.add_error(None, error.message)
            form.stale = True
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(period)s: budget and pool saved.") % {"period": saved})
            return form, saved
    return form, None


def _add(request: HttpRequest, studio_budget: StudioBudget | None):
    form = StudioBudgetAddForm(request.POST, auto_id="add-%s")
    if form.is_valid():
        try:
            saved = services.studio_budget_add(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(period)s added.") % {"period": saved})
            return form, saved
    return form, None


@login_required
def pool_effect(request: HttpRequest) -> HttpResponse:
    """What the booking in the dialog would do to the freelance pool of the period its start
    falls in; empty for those who do not see the pool, for staff, and for unfinished input."""
    context = {}
    if can(request.user, "studio_budget.view"):
        form = PoolEffectForm(request.GET, user=request.user)
        if form.is_valid():
            fields = form.booking_fields()
            studio_budget = StudioBudget.objects.covering(fields["start_date"]).first()
            if studio_budget is not None:
                effect = pool_after_booking(studio_budget, fields, clock.today())
                if effect.affects_pool:
                    context = {"effect": effect, "studio_budget": studio_budget}
    return render(request, POOL_EFFECT, context)
