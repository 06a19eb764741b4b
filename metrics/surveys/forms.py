from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX_CHARS, RATINGS


class SurveyAnswerForm(forms.Form):
    """A rating from one of five buttons, with the optional comment typed before it.
    What an answer may hold is the service's rule (`answer_errors`); these fields turn
    the posted text into values and say what is wrong next to each."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(value, str(value)) for value in RATINGS],
        coerce=int,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep the comment to %(limit_value)s characters; it has %(show_value)s."),
            "null_characters_not_allowed": _(
                "The comment holds a character that cannot be saved (a null character)."
            ),
        },
    )
