from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # One message for every failure: it must not tell which part was wrong.
    error_messages = {
        "invalid_login": _("That username and password do not match an account. Please try again."),
        "inactive": _("That username and password do not match an account. Please try again."),
    }
