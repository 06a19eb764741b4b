"""Whose notifications a user reads, and the filter the notification page and API share."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import BooleanFilter, FilterSet

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """A user's own notifications, newest first; nobody reads anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


class YesNoField(forms.NullBooleanField):
    """true or 1, false or 0, or nothing; anything else is refused rather than read as nothing."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() not in self.VALUES:
            raise ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]


class YesNoFilter(BooleanFilter):
    field_class = YesNoField


class NotificationFilter(FilterSet):
    # ?unread=1 as well as ?unread=true; ?unread=maybe is a 400 in the API.
    unread = YesNoFilter(method="filter_unread", label=_("Unread only"), widget=forms.TextInput)

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
