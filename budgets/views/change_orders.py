"""A project's change orders: the history anyone who sees its budget reads, and the
drafts its production managers write and submit."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from projects.models import Project
from studio.forms import add_service_errors
from studio.pages import paginate
from studio.permissions import can, get_visible_or_404, require
from studio.versions import StaleVersion

from ..forms import BudgetVersionForm, ChangeOrderLineForm
from ..models import ChangeOrder, ChangeOrderLine
from ..services import change_orders

LIST = "budgets/change_orders.html"
DETAIL = "budgets/change_order_detail.html"
LIMIT = change_orders.LIMIT


def _money(label):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=-LIMIT,
        max_value=LIMIT,
        initial=Decimal(0),
        help_text=gettext_lazy("Negative for a reduction."),
    )


class ChangeOrderForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What changes"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Why"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    fee_change = _money(gettext_lazy("Change to the fee"))
    budget_change = _money(gettext_lazy("Change to the budget"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _initial(change_order: ChangeOrder) -> dict:
    return {name: getattr(change_order, name) for name in change_orders.FIELDS} | {"version": change_order.version}


def _fields(form: ChangeOrderForm) -> dict:
    return {name: form.cleaned_data[name] for name in change_orders.FIELDS}


@login_required
def change_order_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_visible_or_404(Project.objects.select_related("brand"), request.user, pk=pk)
    require(request.user, "budget.view", project)
    may_draft = can(request.user, "budget.change", project)
    form = ChangeOrderForm(request.POST or None) if may_draft else None
    if request.method == "POST":
        require(request.user, "budget.change", project)
        if form.is_valid():
            try:
                change_order = change_orders.change_order_create(project=project, user=request.user, **_fields(form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Change order %(number)d drafted.") % {"number": change_order.number})
                return redirect("budgets:change-order", pk=change_order.pk)
    rows = ChangeOrder.objects.visible_to(request.user).filter(project=project).select_related("requested_by")
    return render(
        request,
        LIST,
        {
            "project": project,
            "page_obj": paginate(request, rows.order_by("-number")),
            "form": form,
        },
    )


def _change_order(request: HttpRequest, pk: int) -> ChangeOrder:
    return get_visible_or_404(ChangeOrder.objects.select_related("project__brand", "requested_by"), request.user, pk=pk)


@login_required
def change_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change_order = _change_order(request, pk)
    may_edit = can(request.user, "budget.change", change_order.project) and change_order.status == "draft"
    lines = list(
        ChangeOrderLine.objects.visible_to(request.user).filter(change_order=change_order).select_related("discipline")
    )
    form = None
    stale, status = "", 200
    if may_edit:
        form = _edit_form(request.POST or None, change_order, lines)
    if request.method == "POST":
        require(request.user, "budget.change", change_order.project)
        if form is None:
            form = ChangeOrderForm(request.POST)
            form.add_error(None, _("Only a draft change order can be changed."))
        elif form.is_valid():
            try:
                change_orders.change_order_update(
                    change_order=change_order,
                    user=request.user,
                    version=form.cleaned_data["version"] or 0,
                    **_fields(form),
                )
            except StaleVersion as error:
                change_order, stale, status = error.current, error.message, 409
                form = _edit_form(None, change_order, lines)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Change order saved."))
                return redirect("budgets:change-order", pk=change_order.pk)
        if status == 200 and form.errors:
            status = 400
    return _detail(request, change_order, lines, form=form, stale=stale, status=status)


def _edit_form(data, change_order: ChangeOrder, lines: list) -> ChangeOrderForm:
    form = ChangeOrderForm(data, initial=_initial(change_order))
    if lines:
        # The change to the budget is the sum of the lines (the services keep it so).
        form.fields["budget_change"].disabled = True
        form.fields["budget_change"].help_text = gettext_lazy("The sum of the lines below.")
    return form


def _detail(request, change_order, lines, *, form=None, line_form=None, stale="", status=200) -> HttpResponse:
    may_edit = can(request.user, "budget.change", change_order.project) and change_order.status == "draft"
    if may_edit and line_form is None:
        line_form = ChangeOrderLineForm(initial={"version": change_order.version}, auto_id="line-%s")
    return render(
        request,
        DETAIL,
        {
            "change_order": change_order,
            "project": change_order.project,
            "form": form,
            "stale": stale,
            "may_submit": may_edit,
            "lines": lines,
            "line_form": line_form if may_edit else None,
            "sees_costs": can(request.user, "project.see_costs", change_order.project),
        },
        status=status,
    )


@login_required
@require_POST
def change_order_submit(request: HttpRequest, pk: int) -> HttpResponse:
    change_order = _change_order(request, pk)
    require(request.user, "budget.change", change_order.project)
    form = BudgetVersionForm(request.POST)
    try:
        if not form.is_valid():  # a form that lost its version: refused as stale
            raise StaleVersion(change_order)
        change_order = change_orders.change_order_submit(
            change_order=change_order, user=request.user, version=form.cleaned_data["version"]
        )
    except StaleVersion as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if change_order.status == ChangeOrder.Status.APPROVED:
            messages.success(request, _("Change order approved: it is in force."))
        else:
            messages.success(request, _("Change order submitted for approval."))
    return redirect("budgets:change-order", pk=change_order.pk)


@login_required
@require_POST
def change_order_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    change_order = _change_order(request, pk)
    require(request.user, "budget.change", change_order.project)
    form = ChangeOrderLineForm(request.POST, auto_id="line-%s")
    if form.is_valid():
        try:
            change_orders.change_order_line_add(
                change_order=change_order, user=request.user, version=form.cleaned_data["version"], **form.values()
            )
        except StaleVersion as error:
            messages.error(request, error.message)
            return redirect("budgets:change-order", pk=change_order.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Line added: the change to the budget is the sum of the lines."))
            return redirect("budgets:change-order", pk=change_order.pk)
    change_order.refresh_from_db()
    lines = list(ChangeOrderLine.objects.filter(change_order=change_order).select_related("discipline"))
    edit_form = _edit_form(None, change_order, lines)
    return _detail(request, change_order, lines, form=edit_form, line_form=form, status=400)


@login_required
@require_POST
def change_order_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    lines = ChangeOrderLine.objects.visible_to(request.user).select_related("change_order__project")
    line = get_object_or_404(lines, pk=pk)
    require(request.user, "budget.change", line.change_order.project)
    form = BudgetVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(line.change_order)
        change_orders.change_order_line_remove(line=line, user=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Line removed."))
    return redirect("budgets:change-order", pk=line.change_order_id)
