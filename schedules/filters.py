"""Filters for bookings, shared by the schedule pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from studio.filters import TalentFilter
from studio.models import Talent

from .capacity import free_by_person
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


class TeamScheduleFilter(TalentFilter):
    """Who the team schedule lists: the directory's filters (name, discipline, skill,
    staff or freelance), a project, and only people with free hours in the window
    shown. Shared by the page and the API; `window` is the `team.Window` shown."""

    project = django_filters.ModelChoiceFilter(
        queryset=_visible_projects, method="filter_project", empty_label=_("Any project"),
        label=_("Project"), help_text=_("People booked on it in these days, or assigned to its deliverables."),
    )
    free = django_filters.BooleanFilter(
        method="filter_free", label=_("Only people with free time"), widget=forms.CheckboxInput
    )

    class Meta(TalentFilter.Meta):
        fields = ["q", "discipline", "skill", "project", "employment", "free"]

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window

    def filter_project(self, queryset, name, project):
        booked = Booking.objects.filter(project=project).overlapping(self.window.start, self.window.end)
        return queryset.filter(
            Q(pk__in=booked.values("talent")) | Q(pk__in=project.deliverables.values("assignees"))
        )

    def filter_free(self, queryset, name, value):
        if not value:
            return queryset
        free = free_by_person(self.window.start, self.window.end, queryset.values_list("pk", flat=True))
        return queryset.filter(pk__in=[pk for pk, hours in free.items() if hours > 0])
