"""The studio budget's forms: a period's amount and pool, the next period, and the fields
of a booking as the booking dialog sends them for its pool effect."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from schedules.models import Booking
from studio.dates import day_text
from studio.limits import MAX_AMOUNT
from studio.models import Talent
from studio.workdays import EARLIEST_DAY, LATEST_DAY

from .models import MONEY, StudioBudget

DATE = forms.DateInput(attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()})


def _money(label):
    return forms.DecimalField(label=label, min_value=Decimal(0), max_value=MAX_AMOUNT, **MONEY)


class StudioBudgetSetForm(forms.Form):
    """A period's budget amount and freelance pool (the service checks the pool fits)."""

    amount = _money(_("Studio budget"))
    freelance_pool = _money(_("Freelance-support pool"))


class StudioBudgetVersionedSetForm(StudioBudgetSetForm):
    """The set form of a saved period: the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)


class StudioBudgetAddForm(StudioBudgetSetForm):
    name = forms.CharField(label=_("Name"), max_length=StudioBudget._meta.get_field("name").max_length)
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)

    field_order = ["name", "period_start", "period_end", "amount", "freelance_pool"]


def next_period(latest: StudioBudget | None) -> dict:
    """The period after `latest`, as long as it (whole months stay whole months)."""
    if latest is None:
        return {}
    start = latest.period_end + dt.timedelta(days=1)
    first, last = latest.period_start, latest.period_end
    if first.day == 1 and (last + dt.timedelta(days=1)).day == 1:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        month = start.month - 1 + months
        end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        end = start + (last - first)
    if end > LATEST_DAY:
        return {}
    return {"period_start": start, "period_end": end}


class PoolEffectForm(forms.Form):
    """The booking dialog's fields that move the pool; anything missing or wrong means
    there is nothing to show yet."""

    talent = forms.ModelChoiceField(queryset=Talent.objects.none())
    start_date = forms.DateField()
    end_date = forms.DateField()
    # Blank in who is free's quick booking: the person's own hours a day.
    hours_per_day = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=24, required=False
    )
    status = forms.ChoiceField(choices=Booking.Status.choices, required=False)
    include_weekends = forms.BooleanField(required=False)
    booking = forms.ModelChoiceField(queryset=Booking.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = Talent.objects.visible_to(user)
        self.fields["booking"].queryset = Booking.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and not EARLIEST_DAY <= start <= end <= LATEST_DAY:
            raise forms.ValidationError(
                _("Choose dates from %(first)s to %(last)s, the end on or after the start."),
                params={"first": day_text(EARLIEST_DAY), "last": day_text(LATEST_DAY)},
                code="dates",
            )
        if not data.get("status") and not data.get("booking"):
            self.add_error("status", _("Say whether the booking is tentative or confirmed."))
        return data

    def booking_fields(self) -> dict:
        """The proposed booking, as `pool_after_booking` takes it."""
        data = self.cleaned_data
        saved = data["booking"]
        fields = {
            name: data[name] for name in ("talent", "start_date", "end_date", "hours_per_day", "include_weekends")
        }
        if fields["hours_per_day"] is None:
            fields["hours_per_day"] = saved.hours_per_day if saved is not None else data["talent"].hours_per_day
        fields["status"] = data["status"] or saved.status
        if saved is not None:
            fields["pk"] = saved.pk
        return fields
