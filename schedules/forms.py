"""Forms of the schedule pages."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from studio.models import Role, Talent

from .models import TimeOff


class TimeOffForm(forms.ModelForm):
    """A time-off request. Production managers choose the person; creatives and
    freelancers always ask for themselves, so they are not offered the field."""

    class Meta:
        model = TimeOff
        fields = ["talent", "start_date", "end_date", "full_day", "hours_per_day", "reason"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"full_day": _("Full days"), "hours_per_day": _("Hours off per day")}
        help_texts = {"hours_per_day": _("For part days only: untick “Full days” and give the hours.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.PM or user.is_superuser:
            self.fields["talent"].queryset = (
                Talent.objects.visible_to(user).active().select_related("user").order_by("user__first_name", "pk")
            )
            self.fields["talent"].label = _("Person")
        else:
            del self.fields["talent"]


class TimeOffFilter(django_filters.FilterSet):
    """Time off by status, for the list page and the API alike."""

    status = django_filters.ChoiceFilter(choices=TimeOff.Status.choices, empty_label=_("Any status"))

    class Meta:
        model = TimeOff
        fields = ["status"]
