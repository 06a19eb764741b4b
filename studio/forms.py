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
