"""A project's costs on its budget tab: the studio reads them, with freelancers' hourly
invoices reconciled against their approved hours; the production manager enters them and
moves them from committed to invoiced to paid. Every write answers with the `costs`
section (HTMX) and tells the budget-health section to refresh (`costChanged`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects.models import Project
from studio.forms import add_service_errors
from studio.models import Talent
from studio.pages import paginate
from studio.permissions import can, get_visible_or_404, require

from ..models import Budget, BudgetLine, Cost
from ..services import costs as services
from ..tab import cost_rows
from .budget import section, tab_project

CHANGED = "costChanged"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOVED = {
    Cost.Status.INVOICED: gettext_lazy("Cost marked invoiced."),
    Cost.Status.PAID: gettext_lazy("Cost marked paid."),
}


class CostForm(forms.Form):
    """A cost as the production manager enters it (committed; an hourly invoice, invoiced)."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Cost.Kind.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200)
    supplier = forms.CharField(label=gettext_lazy("Supplier"), max_length=120, required=False)
    talent = forms.ModelChoiceField(
        label=gettext_lazy("Freelancer"),
        queryset=Talent.objects.none(),
        required=False,
        help_text=gettext_lazy("Freelance work only."),
    )
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Budget line"), queryset=BudgetLine.objects.none(), required=False
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=services.LIMIT,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    date = forms.DateField(
        label=gettext_lazy("Date"), required=False, widget=DATE, help_text=gettext_lazy("Today if left empty.")
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"), max_length=60, required=False, help_text=gettext_lazy("PO or invoice number.")
    )
    period_start = forms.DateField(
        label=gettext_lazy("Invoice period from"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Hourly invoices: the period billed."),
    )
    period_end = forms.DateField(label=gettext_lazy("Invoice period to"), required=False, widget=DATE)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        freelancers = Talent.objects.filter(employment=Talent.Employment.FREELANCE, active=True)
        self.fields["talent"].queryset = freelancers.select_related("user")
        # The lines of the approved budget (the baseline) that costs are planned against.
        lines = BudgetLine.objects.filter(budget__project=project, budget__status=Budget.Status.APPROVED)
        lines = lines.exclude(kind=BudgetLine.Kind.CONTINGENCY)
        self.fields["budget_line"].queryset = lines.select_related("discipline")


def _answer(
    request: HttpRequest, project: Project, *, form: CostForm | None = None, status: int = 200, **extra
) -> HttpResponse:
    """The costs section as it is now: a page of costs, newest first, and the entry form."""
    user = request.user
    may_enter = can(user, "cost.change", project)
    if may_enter and form is None:
        form = CostForm(project=project, auto_id="cost-%s")
    costs = (
        Cost.objects.visible_to(user)
        .filter(project=project)
        .select_related("talent__user", "budget_line__discipline")
        .order_by("-date", "-pk")
    )
    page = paginate(request, costs)
    return section(
        request,
        project,
        "costs",
        {
            "costs_loaded": True,
            "costs_page": page,
            "cost_rows": cost_rows(list(page)),
            "may_enter": may_enter,
            "cost_form": form,
        }
        | extra,
        status=status,
    )


def _done(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect("budgets:project-costs", pk=project.pk)
    return trigger_client_event(_answer(request, project, cost_saved=message), CHANGED)


@login_required
@vary_on_headers("HX-Request")
def project_costs(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's costs (GET), and a new one (POST, production managers)."""
    project = tab_project(request, pk)
    require(request.user, "project.see_costs", project)
    if request.method != "POST":
        return _answer(request, project)
    require(request.user, "cost.change", project)
    form = CostForm(request.POST, project=project, auto_id="cost-%s")
    if form.is_valid():
        try:
            services.cost_add(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, project, _("Cost entered."))
    return _answer(request, project, form=form, status=422)


@login_required
@require_POST
def cost_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a cost on: committed → invoiced → paid."""
    cost = get_visible_or_404(Cost.objects.select_related("project__brand"), request.user, pk=pk)
    project = cost.project
    require(request.user, "cost.change", project)
    status = request.POST.get("status", "")
    try:
        if status not in MOVED:
            raise ValidationError(_("Choose what the cost becomes: invoiced or paid."))
        services.cost_advance(cost=cost, user=request.user, status=status)
    except ValidationError as error:
        return _answer(request, project, cost_refused=" ".join(error.messages), status=422)
    return _done(request, project, str(MOVED[status]))
