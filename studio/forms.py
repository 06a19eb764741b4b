import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User

# One message for every failed login: it must not tell which part was wrong,
# nor whether the account exists or is deactivated.
LOGIN_FAILED = _("That username and password do not match an account. Please try again.")


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}


class AccessTokenForm(forms.Form):
    """A new API token: what it is for, whether it may change anything, how long it works."""

    EXPIRY_DAYS = [(30, _("30 days")), (90, _("90 days")), (365, _("A year")), (0, _("Never"))]

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “Timesheet export script”.")
    )
    read_only = forms.BooleanField(
        label=_("Read-only"), required=False, help_text=_("It may read through the API but never change anything.")
    )
    expires_in = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_DAYS, coerce=int, initial=90, widget=forms.RadioSelect
    )

    def token_fields(self) -> dict:
        days = self.cleaned_data["expires_in"]
        return {
            "name": self.cleaned_data["name"],
            "read_only": self.cleaned_data["read_only"],
            "expires_in": dt.timedelta(days=days) if days else None,
        }


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notification_delivery"]
        widgets = {"notification_delivery": forms.RadioSelect}
        labels = {"notification_delivery": _("Email me")}
        help_texts = {
            "notification_delivery": _("Every notification also stays in the list under the bell."),
        }


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on a form: next to its field when the form has one,
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
