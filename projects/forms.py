"""Forms of the deliverable page: hand the work in for review, report progress."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
