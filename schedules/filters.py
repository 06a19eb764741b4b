"""Filters for bookings, shared by the schedule pages and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from studio.models import Talent

from .models import Booking


def _visible_talent(request):
    # Only people and projects the user may see: a filter must not list others.
    if request is None:
        return Talent.objects.none()
    return Talent.objects.visible_to(request.user)


def _visible_projects(request):
    if request is None:
        return Project.objects.none()
    return Project.objects.visible_to(request.user)


class BookingFilter(django_filters.FilterSet):
    talent = django_filters.ModelChoiceFilter(queryset=_visible_talent, empty_label=_("Anyone"))
    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, empty_label=_("Any project"))
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices, empty_label=_("Any status"))
    # A date range keeps the bookings that overlap it, not only those inside it.
    start = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Booking
        fields = ["talent", "project", "status", "start", "end"]
