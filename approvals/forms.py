from django import forms
from django.utils.translation import gettext_lazy as _

from studio import clock
from studio.models import User
from studio.permissions import Scope, scope_of

from .models import Approval, Decision, Delegation

DECISION_CHOICES = [
    (Decision.Outcome.APPROVE, Decision.Outcome.APPROVE.label),
    (Decision.Outcome.REQUEST_CHANGES, Decision.Outcome.REQUEST_CHANGES.label),
    (Decision.Outcome.REJECT, Decision.Outcome.REJECT.label),
]

# Kinds the inbox approves several at a time.
BULK_KINDS = ("timesheet",)


class DecisionForm(forms.Form):
    """One decision from the inbox or an object's approval panel. Whether a comment is
    needed is the engine's rule (approval_decide), checked after who may decide."""

    outcome = forms.ChoiceField(choices=DECISION_CHOICES)
    comment = forms.CharField(
        required=False, max_length=4000, label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Needed to send it back or reject it")}),
    )
    # The step the decider saw: a decision on a step that moved on meanwhile is stale.
    step = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class BulkApproveForm(forms.Form):
    approvals = forms.ModelMultipleChoiceField(queryset=Approval.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Visible ones, not only those waiting: rows decided meanwhile are counted as such.
        self.fields["approvals"].queryset = Approval.objects.visible_to(user).filter(kind__in=BULK_KINDS)


def delegate_choices(user):
    """Who may stand in for `user`: someone who may delegate as they may and sees what
    they decide. The studio's managers for one another; for a brand manager, a brand
    manager of a brand they share."""
    scope = scope_of(user, "approval.delegate")
    peers = User.objects.able_to("approval.delegate", scope).exclude(pk=user.pk)
    if scope is Scope.ALL:
        return peers
    if scope is Scope.OWN:
        return peers.filter(pk__in=User.objects.filter(brands__in=user.brands.values("pk")).values("pk"))
    return peers.none()


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["delegate", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "delegate": {
                "invalid_choice": _("Choose a colleague from the list: someone other than yourself "
                                    "who may decide what you decide."),
            },
        }

    def __init__(self, *args, delegator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.delegator = delegator
        self.fields["delegate"].queryset = delegate_choices(delegator)
        self.fields["delegate"].label = _("Stand-in")

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start < clock.today():
            raise forms.ValidationError(_("Start today or later."))
        return start
