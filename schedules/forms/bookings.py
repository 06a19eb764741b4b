"""Forms of bookings: the team schedule's dialog and drag."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import Deliverable, Project
from studio.limits import HOURS_PER_DAY
from studio.models import Discipline, Talent
from studio.widgets import SearchSelect, as_pk

from ..models import Booking


def project_label(project: Project) -> str:
    """A project as its picker shows it, chosen or among the matches."""
    return f"{project.code} {project.name}"


def deliverable_label(deliverable: Deliverable) -> str:
    return f"{deliverable.project.code} · {deliverable.name}"

class BookingForm(forms.Form):
    """A booking as the team schedule's dialog edits it. The service checks again what
    the form checks, and the clash rule besides."""

    talent = forms.ModelChoiceField(
        queryset=Talent.objects.none(), required=False, label=_("Person"),
        widget=SearchSelect(reverse_lazy("schedules:search-talent"), placeholder=_("Type a name…")),
    )
    placeholder_discipline = forms.ModelChoiceField(
        queryset=Discipline.objects.filter(active=True), required=False, label=_("Or a discipline, to be staffed"),
        help_text=_("Leave the person empty to hold time for someone not yet chosen."),
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        widget=SearchSelect(reverse_lazy("schedules:search-project"), placeholder=_("Type a code or a name…")),
    )
    deliverable = forms.ModelChoiceField(
        queryset=Deliverable.objects.none(), required=False,
        widget=SearchSelect(reverse_lazy("schedules:search-deliverable"), placeholder=_("Type a deliverable…")),
        help_text=_("One of the project's deliverables, or none."),
    )
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
        self.fields["project"].label_from_instance = project_label
        self.fields["deliverable"].queryset = (
            Deliverable.objects.visible_to(user).filter(project__in=projects).open().select_related("project")
            .order_by("project__code", "due_date", "pk")
        )
        self.fields["deliverable"].label_from_instance = deliverable_label
        # The deliverable search looks in the chosen project only.
        self.fields["deliverable"].widget.params["project"] = self.chosen_project_pk()
        if booking is not None:
            # Status changes through "Confirm"; the version guards against stale edits.
            del self.fields["status"]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=booking.version)

    def chosen_project_pk(self) -> str:
        """The pk of the project chosen (posted, or the initial one), as the page sends it."""
        return as_pk(self["project"].value())

    def clean_hours_per_day(self):
        hours = self.cleaned_data["hours_per_day"]
        if not 0 < hours <= HOURS_PER_DAY:
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
        project, deliverable = data.get("project"), data.get("deliverable")
        if project and deliverable and deliverable.project_id != project.pk:
            message = _("%(deliverable)s is not a deliverable of %(project)s: choose one of its own.")
            self.add_error("deliverable", message % {"deliverable": deliverable.name, "project": project.code})
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


class QuickBookingForm(forms.Form):
    """One click from who is free: a tentative booking over the range asked for."""

    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), label=_("Book tentatively on"),
        widget=SearchSelect(reverse_lazy("schedules:search-project"), placeholder=_("Type a code or a name…")),
    )
    start_date = forms.DateField()
    end_date = forms.DateField()
    hours_per_day = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=0.25, max_value=24, required=False,
        help_text=_("Empty: the person's hours a day."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).open()
        self.fields["project"].label_from_instance = project_label
