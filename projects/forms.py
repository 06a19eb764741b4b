"""Forms of the project pages: the project, its status, phases, deliverables and baselines;
and of the deliverable page: hand the work in for review, report progress."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studio.limits import MAX_AMOUNT, MAX_PLANNED_HOURS, MAX_QUANTITY
from studio.models import Brand, Talent, User

from .models import Deliverable, DeliverableType, Phase, Project


class DeliverableSubmitForm(forms.Form):
    link = forms.URLField(
        label=_("Link to the work"), required=False, max_length=500, assume_scheme="https",
        help_text=_("A review link, shared folder or video page."),
    )
    file = forms.FileField(label=_("Or attach a file"), required=False)
    note = forms.CharField(
        label=_("Note for the reviewers"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("link") and not data.get("file"):
            raise ValidationError(_("Add a link to the work or attach a file."))
        return data


class DeliverableProgressForm(forms.Form):
    percent_complete = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)


class TeamMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


# --- projects and their plan -----------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """A form for a record two people may edit at once: it carries the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class ProjectForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    is_internal = forms.BooleanField(
        label=_("Internal work"), required=False, help_text=_("The studio's own project: no brand, no fee.")
    )
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none(), required=False)
    pm = forms.ModelChoiceField(label=_("Production manager"), queryset=User.objects.none())
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    due_date = forms.DateField(label=_("Due"), widget=DATE)
    fee = forms.DecimalField(
        label=_("Fee"), max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, currency: str = "", project=None, **kwargs):
        super().__init__(*args, **kwargs)
        brands = Brand.objects.filter(active=True).select_related("client")
        if project is not None and project.brand_id:
            brands = Brand.objects.filter(Q(active=True) | Q(pk=project.brand_id)).select_related("client")
        self.fields["brand"].queryset = brands.order_by("name")
        self.fields["pm"].queryset = User.objects.able_to("project.manage")
        if currency:
            self.fields["fee"].label = _("Fee (%(currency)s)") % {"currency": currency}

    def clean_fee(self):
        return self.cleaned_data.get("fee") or Decimal("0")

    def clean(self):
        data = super().clean()
        if data.get("is_internal"):
            data["brand"], data["fee"] = None, Decimal("0")
        return data


class ProjectCreateForm(ProjectForm):
    status = forms.ChoiceField(
        label=_("Starts in"), initial="planned",
        choices=[("intake", _("Intake: still being scoped")), ("planned", _("Planned: ready to plan"))],
    )


class ProjectStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Move to"), choices=())
    reason = forms.CharField(label=_("Why (optional)"), max_length=500, required=False)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, Project.Status(value).label) for value in allowed]


class PhaseForm(VersionedForm):
    name = forms.CharField(label=_("Phase"), max_length=120)
    start_date = forms.DateField(label=_("Starts"), widget=DATE)
    end_date = forms.DateField(label=_("Ends"), widget=DATE)


class BaselineForm(VersionedForm):
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


HOURS_PREFIX = "hours_"


class DeliverableForm(VersionedForm):
    """A deliverable of the plan with its hours by discipline (one field per active
    discipline), assignees and the deliverables it depends on."""

    name = forms.CharField(label=_("Deliverable"), max_length=200)
    deliverable_type = forms.ModelChoiceField(label=_("Type"), queryset=DeliverableType.objects.none())
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=MAX_QUANTITY, initial=1)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    planned_start = forms.DateField(label=_("Starts"), widget=DATE)
    due_date = forms.DateField(label=_("Due"), widget=DATE)
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assigned"), queryset=Talent.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    depends_on = forms.ModelMultipleChoiceField(
        label=_("Starts after"), queryset=Deliverable.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("It starts once these are due (finish to start)."),
    )
    push = forms.ChoiceField(
        choices=[("", ""), ("yes", "yes"), ("no", "no")], required=False, widget=forms.HiddenInput
    )
    expected = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, deliverable: Deliverable | None = None, disciplines=(),
                 may_staff: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.disciplines = list(disciplines)
        self.fields["deliverable_type"].queryset = DeliverableType.objects.filter(
            Q(active=True) | Q(pk=getattr(deliverable, "deliverable_type_id", None))
        )
        self.fields["phase"].queryset = project.phases.all()
        self.fields["phase"].label_from_instance = lambda phase: phase.name
        self.fields["assignees"].queryset = Talent.objects.filter(
            Q(active=True, user__is_active=True) | Q(assigned_deliverables=deliverable)
        ).select_related("user", "discipline").distinct() if deliverable else Talent.objects.filter(
            active=True, user__is_active=True
        ).select_related("user", "discipline")
        if not may_staff:  # who works on it is the production managers' call
            del self.fields["assignees"]
        others = project.deliverables.live()
        if deliverable is not None:
            others = others.exclude(pk=deliverable.pk)
        self.fields["depends_on"].queryset = others
        for discipline in self.disciplines:
            self.fields[f"{HOURS_PREFIX}{discipline.pk}"] = forms.DecimalField(
                label=discipline.name, required=False, min_value=0, max_value=MAX_PLANNED_HOURS, max_digits=7,
                decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
            )

    def hour_fields(self):
        return [self[f"{HOURS_PREFIX}{discipline.pk}"] for discipline in self.disciplines]

    def hours(self) -> dict:
        """{discipline: hours} from the filled fields (an empty field is no hours)."""
        return {
            discipline: self.cleaned_data[f"{HOURS_PREFIX}{discipline.pk}"]
            for discipline in self.disciplines
            if self.cleaned_data.get(f"{HOURS_PREFIX}{discipline.pk}")
        }

    def hours_given(self) -> bool:
        return any(self.data.get(self.add_prefix(f"{HOURS_PREFIX}{d.pk}"), "") != "" for d in self.disciplines)

    @staticmethod
    def initial_hours(hours: dict) -> dict:
        return {f"{HOURS_PREFIX}{discipline.pk if hasattr(discipline, 'pk') else discipline}": value
                for discipline, value in hours.items()}
