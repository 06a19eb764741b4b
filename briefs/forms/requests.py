"""Forms of intake: the brand manager's request with its wanted deliverables and
files, and the production manager's triage. Each triage form carries the
request's version, so a decision taken on a stale page is refused."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.models import DeliverableType
from studio import clock
from studio.attachments import attachment_check
from studio.limits import MAX_AMOUNT
from studio.models import User

from ..services.requests import MAX_QUANTITY, deadline_error, quantity_error

ITEMS_PREFIX = "items"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files, each checked for type and size on its own."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        files, errors = [], []
        for upload in uploads:
            try:
                upload = super().clean(upload, initial)
                attachment_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                files.append(upload)
        if errors:
            raise ValidationError(errors)
        return files


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    brand = forms.ModelChoiceField(
        label=_("Brand"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose one of your brands.")},
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the work must achieve, for whom, and how you will judge it."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.DecimalField(
        label=_("Budget"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        error_messages={"min_value": _("The budget cannot be negative.")},
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Reference material: PDF, images, text or CSV, ZIP, video or Office documents."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own brands are offered, and only those are accepted.
        self.fields["brand"].queryset = user.brands.filter(active=True).order_by("name")
        tomorrow = clock.today() + dt.timedelta(days=1)
        self.fields["deadline"].widget.attrs["min"] = tomorrow.isoformat()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if message := deadline_error(deadline):
            raise ValidationError(message, code="past")
        return deadline


class RequestItemForm(forms.Form):
    deliverable_type = forms.ModelChoiceField(
        label=_("Deliverable type"),
        queryset=DeliverableType.objects.filter(active=True),
        empty_label=_("Choose a type"),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        initial=1,
        error_messages={"min_value": _("Ask for at least 1.")},
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_QUANTITY}),
    )

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if message := quantity_error(quantity):
            raise ValidationError(message, code="max_value")
        return quantity


class BaseRequestItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            deliverable_type = form.cleaned_data.get("deliverable_type")
            if deliverable_type is None:
                continue
            if deliverable_type.pk in seen:
                form.add_error(
                    "deliverable_type", _("%(type)s is listed twice; add up the quantities instead.")
                    % {"type": deliverable_type}
                )
            seen.add(deliverable_type.pk)

    def items(self) -> list[tuple[DeliverableType, int]]:
        """The wanted deliverables, as (type, quantity) pairs; blank extra rows left out."""
        return [
            (form.cleaned_data["deliverable_type"], form.cleaned_data["quantity"])
            for form in self.forms
            if form.cleaned_data.get("deliverable_type")
        ]


RequestItemFormSet = forms.formset_factory(
    RequestItemForm,
    formset=BaseRequestItemFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=50,
    validate_max=True,
)


def request_item_formset(data=None) -> BaseRequestItemFormSet:
    return RequestItemFormSet(
        data, prefix=ITEMS_PREFIX, error_messages={"too_few_forms": _("Ask for at least one deliverable.")}
    )


class VersionedForm(forms.Form):
    """Carries the version of the request the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AcceptForm(VersionedForm):
    pm = forms.ModelChoiceField(
        label=_("Production manager"),
        queryset=User.objects.able_to("project.manage"),
        required=False,
        empty_label=_("Me"),
    )
    code = forms.CharField(
        label=_("Project code"),
        max_length=20,
        required=False,
        help_text=_("Leave empty for the next code of the brand."),
    )


class AskInfoForm(VersionedForm):
    question = forms.CharField(label=_("Question to the brand manager"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why it is declined"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the request is declined.")},
    )


class AnswerForm(VersionedForm):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))
