"""Forms of time: the time-off request, and hours typed into a time cell."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from studio.models import Talent
from studio.permissions import Scope, scope_of

from ..models import TimeOff


class TimeOffForm(forms.ModelForm):
    """A time-off request. Whoever may ask for anyone's time off (production managers)
    chooses the person; the others always ask for themselves, so they are not offered the field."""

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
        if scope_of(user, "talent.request_time_off") is Scope.ALL:
            self.fields["talent"].queryset = (
                Talent.objects.visible_to(user, "talent.request_time_off").active().select_related("user")
                .order_by("user__first_name", "pk")
            )
            self.fields["talent"].label = _("Person")
        else:
            del self.fields["talent"]


def parse_hours(value: str) -> tuple[Decimal | None, str | None]:
    """Hours typed into a time cell ("7.5" or "7,5"): (hours, None), (None, None) when
    empty, or (None, why) when it is not a number. The range is the services' to check."""
    if not value:
        return None, None
    try:
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None, _("Enter a number of hours, e.g. 7.5.")
    if not hours.is_finite():
        return None, _("Enter a number of hours, e.g. 7.5.")
    return hours, None
