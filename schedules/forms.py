"""Forms of the schedule pages, and the plan window's check for dates that come in."""

import datetime as dt
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.models import Deliverable, Project
from studio import clock
from studio.models import Discipline, Role, Talent
from studio.workdays import check_plan_dates

from .models import Booking, TimeOff

# --- the plan window, for dates in forms, serializers and query strings ------------------
# Writes are checked by the services (`check_plan_dates`); what only reads, the dates of a
# page or an API query, is checked here, once: by this validator in form and serializer
# fields alike (DRF runs Django validators too), or by `plan_date_or_none` for a query
# string read by hand.


def plan_date(day: dt.date) -> None:
    """Refuse a date outside the plan window of the studio's today (`studio.workdays`)."""
    try:
        check_plan_dates(clock.today(), date=day)
    except ValidationError as error:
        raise ValidationError(error.error_dict["date"]) from None


class PlanDateField(forms.DateField):
    """A date inside the plan window, picked with the browser's date input."""

    default_validators = [plan_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)


def plan_date_or_none(value: str | None) -> dt.date | None:
    """The ISO date in a query string, or None when it is missing, malformed or outside
    the plan window: the caller falls back as it does for any unusable date."""
    try:
        return PlanDateField().clean(value)
    except ValidationError:
        return None


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


class BookingForm(forms.Form):
    """A booking as the team schedule's dialog edits it. The service checks again what
    the form checks, and the clash rule besides."""

    talent = forms.ModelChoiceField(queryset=Talent.objects.none(), required=False, label=_("Person"))
    placeholder_discipline = forms.ModelChoiceField(
        queryset=Discipline.objects.filter(active=True), required=False, label=_("Or a discipline, to be staffed"),
        help_text=_("Leave the person empty to hold time for someone not yet chosen."),
    )
    project = forms.ModelChoiceField(queryset=Project.objects.none())
    deliverable = forms.ModelChoiceField(queryset=Deliverable.objects.none(), required=False)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    hours_per_day = forms.DecimalField(
        label=_("Hours a day"), max_digits=5, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24"}),
    )
    status = forms.ChoiceField(choices=Booking.Status.choices, initial=Booking.Status.TENTATIVE)
    hold_expires_on = forms.DateField(
        required=False, label=_("Hold until"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A tentative hold is released after this day."),
    )
    include_weekends = forms.BooleanField(required=False, label=_("Include weekend days"))
    note = forms.CharField(required=False, max_length=200)
    override_reason = forms.CharField(
        required=False, label=_("Reason to book over capacity"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if the confirmation clashes: why this person may work over their hours. It is audited."),
    )

    def __init__(self, *args, user, booking: Booking | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking
        self.fields["talent"].queryset = (
            Talent.objects.visible_to(user).active().select_related("user").order_by("user__first_name", "pk")
        )
        projects = Project.objects.visible_to(user).open().order_by("code")
        self.fields["project"].queryset = projects
        self.fields["deliverable"].queryset = (
            Deliverable.objects.filter(project__in=projects).open().select_related("project")
            .order_by("project__code", "due_date", "pk")
        )
        self.fields["deliverable"].label_from_instance = lambda d: f"{d.project.code} · {d.name}"
        if booking is not None:
            # Status changes through "Confirm"; the version guards against stale edits.
            del self.fields["status"]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=booking.version)

    def clean_hours_per_day(self):
        hours = self.cleaned_data["hours_per_day"]
        if not 0 < hours <= 24:
            raise forms.ValidationError(_("Hours a day must be more than 0 and at most 24."))
        return hours

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The booking cannot end before it starts."))
        if "talent" in data and "placeholder_discipline" in data:
            if bool(data["talent"]) == bool(data["placeholder_discipline"]):
                self.add_error("talent", _("Choose a person, or leave the person empty and choose a discipline."))
        return data

    def booking_values(self) -> dict:
        """The cleaned values the booking services take."""
        return {name: self.cleaned_data[name] for name in self.fields if name not in ("version", "override_reason")}


class BookingMoveForm(forms.Form):
    """A drag on the team schedule: new dates, perhaps another person."""

    version = forms.IntegerField(min_value=1)
    start_date = forms.DateField()
    end_date = forms.DateField()
    talent = forms.ModelChoiceField(queryset=Talent.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = Talent.objects.visible_to(user).active()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            raise forms.ValidationError(_("The booking cannot end before it starts."))
        return data


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
