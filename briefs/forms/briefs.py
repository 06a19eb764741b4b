"""Forms of the brief pages: writing a brief, sending it, and its question threads."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Brief, BriefTemplate
from ..services.briefs import EDITABLE_FIELDS, brief_default_recipients, brief_eligible_recipients


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, template):
        if template.deliverable_type_id:
            return f"{template.name} ({template.deliverable_type})"
        return template.name


class BriefForm(forms.ModelForm):
    """The brief's sections; `version` is the edit counter the editor read, so a save
    made on top of someone else's is refused rather than overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    template = TemplateChoiceField(
        queryset=BriefTemplate.objects.filter(active=True).select_related("deliverable_type"),
        required=False,
        label=_("Template"),
        help_text=_("“Fill from template” copies the template's text into the sections still empty."),
    )

    class Meta:
        model = Brief
        fields = EDITABLE_FIELDS
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in EDITABLE_FIELDS
                if name not in ("title", "template", "deadline")
            },
        }


class VersionForm(forms.Form):
    """The edit counter a button was rendered with (submit for approval)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DistributeForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        queryset=Brief.objects.none(),
        required=False,
        label=_("Also send to"),
        help_text=_(
            "The project's assigned and booked talent, and everyone who had an earlier version, get it anyway."
        ),
    )

    def __init__(self, *args, brief: Brief, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = brief_default_recipients(brief).values("pk")
        self.fields["recipients"].queryset = (
            brief_eligible_recipients(brief).exclude(pk__in=defaults).order_by("first_name", "last_name", "username")
        )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
