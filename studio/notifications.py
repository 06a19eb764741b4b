"""Whose notifications a user reads, and the filter the notification page and API share."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import BooleanFilter, FilterSet

from .models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """A user's own notifications, newest first; nobody reads anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


class NotificationFilter(FilterSet):
    # The REST FilterSet's boolean widget reads ?unread=1 as well as ?unread=true.
    unread = BooleanFilter(method="filter_unread", label=_("Unread only"))

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
