"""Forms of the resource pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from studio.models import Discipline

from .dates import PlanDateField


class UtilizationForm(forms.Form):
    start = PlanDateField(required=False, label=_("From the week of"))
    discipline = forms.ModelChoiceField(queryset=Discipline.objects.filter(active=True), required=False)
