"""Forms of the brief pages: writing a brief, sending it, and its question threads."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from studio.models import User
from studio.widgets import SearchSelectMultiple

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
    """Who a version goes to: the project's team (`team`, shown ticked: the service sends
    them the version anyway) and anyone else eligible, added one search at a time."""

    recipients = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Also send to"),
        help_text=_("Type part of a name, then choose the person; add as many as needed."),
        widget=SearchSelectMultiple(placeholder=_("Type a name…")),
    )

    def __init__(self, *args, brief: Brief, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = brief_eligible_recipients(brief).order_by("first_name", "last_name", "username")
        defaults = brief_default_recipients(brief).values("pk")
        self.team = eligible.filter(pk__in=defaults)
        self.fields["recipients"].queryset = eligible.exclude(pk__in=defaults)
        self.fields["recipients"].widget.search_url = reverse("briefs:brief-recipients", args=[brief.pk])


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
