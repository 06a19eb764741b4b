"""Forms of the budget tab: a line of a draft budget, and the version a write is based on."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studio.limits import MAX_AMOUNT
from studio.models import Discipline

from .models import BudgetLine, ChangeOrderLine
from .services import change_orders
from .services.budgets import MAX_HOURS

DECIMAL = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})


class BudgetVersionForm(forms.Form):
    """The version of the budget (or change order) the page was read at: a write based on an
    older one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)


class BudgetLineForm(BudgetVersionForm):
    """A line: hours × rate, a fixed amount, or (contingency) a percentage of the rest."""

    kind = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Kind.choices)
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=Discipline.objects.none(),
        required=False,
        help_text=_("Internal labour: at its standard rate unless you give one."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, max_value=MAX_HOURS, max_digits=7, decimal_places=2, widget=DECIMAL
    )
    rate = forms.DecimalField(
        label=_("Rate per hour"), required=False, min_value=0, max_digits=10, decimal_places=2, widget=DECIMAL
    )
    amount = forms.DecimalField(
        label=_("Fixed amount"), required=False, min_value=0, max_value=MAX_AMOUNT, max_digits=14, decimal_places=2,
        widget=DECIMAL,
    )
    percent = forms.DecimalField(
        label=_("Contingency %"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=DECIMAL,
    )

    FIELDS = ("kind", "discipline", "description", "hours", "rate", "amount", "percent")

    def __init__(self, *args, line: BudgetLine | None = None, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        current = getattr(line, "discipline_id", None)
        self.fields["discipline"].queryset = Discipline.objects.filter(Q(active=True) | Q(pk=current))
        if currency:
            self.fields["rate"].label = _("Rate per hour (%(currency)s)") % {"currency": currency}
            self.fields["amount"].label = _("Fixed amount (%(currency)s)") % {"currency": currency}

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and hours <= 0:
            raise ValidationError(_("Hours must be more than 0."))
        return hours

    def values(self) -> dict:
        """The line's fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.FIELDS} | {
            "description": self.cleaned_data["description"] or "",
        }

    @staticmethod
    def initial_for(line: BudgetLine, version: int) -> dict:
        return {name: getattr(line, name) for name in BudgetLineForm.FIELDS} | {"version": version}


class ChangeOrderLineForm(BudgetVersionForm):
    """A change order's line: hours × rate or an amount, negative for a reduction."""

    kind = forms.ChoiceField(label=_("Category"), choices=ChangeOrderLine.Kind.choices)
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=Discipline.objects.filter(active=True),
        required=False,
        help_text=_("Internal labour: at its standard rate unless you give one."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=-change_orders.MAX_HOURS,
        max_value=change_orders.MAX_HOURS,
        max_digits=7,
        decimal_places=2,
        widget=DECIMAL,
        help_text=_("Negative for hours taken out."),
    )
    rate = forms.DecimalField(
        label=_("Rate per hour"), required=False, min_value=0, max_digits=10, decimal_places=2, widget=DECIMAL
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=-change_orders.LIMIT,
        max_value=change_orders.LIMIT,
        max_digits=14,
        decimal_places=2,
        widget=DECIMAL,
        help_text=_("Instead of hours × rate; negative for a reduction."),
    )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in change_orders.LINE_FIELDS} | {
            "description": self.cleaned_data["description"] or "",
        }
