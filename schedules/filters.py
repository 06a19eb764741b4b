"""Filters shared by the schedule pages and the API: bookings, the team schedule, who is
free, utilization, time off. The page shows a filter's errors next to its fields; the API
answers them with a 400."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from studio.filters import TalentFilter
from studio.models import Discipline, Skill, Talent

from .capacity import free_by_person
from .forecast import MAX_FREE_DAYS, next_week
from .forms.dates import PlanDateField
from .models import Booking, TimeOff
from .utilization import MAX_UTILIZATION_WEEKS, UTILIZATION_WEEKS, utilization_weeks


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
        queryset=_visible_projects,
        method="filter_project",
        empty_label=_("Any project"),
        label=_("Project"),
        help_text=_("People booked on it in these days, or assigned to its deliverables."),
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
        return queryset.filter(Q(pk__in=booked.values("talent")) | Q(pk__in=project.deliverables.values("assignees")))

    def filter_free(self, queryset, name, value):
        if not value:
            return queryset
        free = free_by_person(self.window.start, self.window.end, queryset.values_list("pk", flat=True))
        return queryset.filter(pk__in=[pk for pk, hours in free.items() if hours > 0])


class TimeOffFilter(django_filters.FilterSet):
    """Time off by status, for the list page and the API alike."""

    status = django_filters.ChoiceFilter(choices=TimeOff.Status.choices, empty_label=_("Any status"))

    class Meta:
        model = TimeOff
        fields = ["status"]


class WhoIsFreeForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        elif start and end and (end - start).days + 1 > MAX_FREE_DAYS:
            self.add_error("end", _("Ask for at most %(days)d days at a time.") % {"days": MAX_FREE_DAYS})
        return data


class AskedFilter(django_filters.Filter):
    """A value of the question, no filter of the rows: the days or weeks the hours are
    counted over."""

    def filter(self, qs, value):
        return qs


class DayFilter(AskedFilter):
    field_class = PlanDateField


class WeeksFilter(AskedFilter):
    field_class = forms.IntegerField


class WhoIsFreeFilter(django_filters.FilterSet):
    """Who is free's question, for the page and the API alike: people of a discipline and
    with a skill, free from `start` to `end` (next week unless given; at most
    MAX_FREE_DAYS days). `qs` is the people; `range` the days, once valid."""

    discipline = django_filters.ModelChoiceFilter(queryset=Discipline.objects.filter(active=True))
    skill = django_filters.ModelChoiceFilter(field_name="skills", queryset=Skill.objects.order_by("name"))
    # `free_people` counts free hours over the days.
    start = DayFilter(label=_("From"), required=True)
    end = DayFilter(label=_("Until"), required=True)

    class Meta:
        model = Talent
        fields = ["discipline", "skill", "start", "end"]
        form = WhoIsFreeForm

    def __init__(self, data: QueryDict | dict | None = None, *args, today: dt.date, **kwargs):
        self.default_range = next_week(today)
        query = QueryDict(mutable=True)
        query.update(data or {})
        query.setdefault("start", self.default_range[0].isoformat())
        query.setdefault("end", self.default_range[1].isoformat())
        super().__init__(query, *args, **kwargs)

    @property
    def range(self) -> tuple[dt.date, dt.date]:
        """The days asked for; next week while they are not valid."""
        if self.is_valid():
            return self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        return self.default_range


class UtilizationFilter(django_filters.FilterSet):
    """Utilization's question, for the page and the API alike: the weeks from the week of
    `start` (by default WEEKS_BEFORE weeks back), and the people of a discipline. `qs` is
    the people; `mondays` the weeks asked for, the default ones while they are not valid.
    The page shows UTILIZATION_WEEKS weeks; the API chooses (`UtilizationWeeksFilter`)."""

    start = DayFilter(label=_("From the week of"))
    discipline = django_filters.ModelChoiceFilter(queryset=Discipline.objects.filter(active=True))

    class Meta:
        model = Talent
        fields = ["start", "discipline"]

    def __init__(self, data: QueryDict | dict | None = None, *args, today: dt.date, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.today = today

    @property
    def mondays(self) -> list[dt.date]:
        values = self.form.cleaned_data if self.is_valid() else {}
        return utilization_weeks(values.get("start"), values.get("weeks") or UTILIZATION_WEEKS, today=self.today)


class UtilizationWeeksFilter(UtilizationFilter):
    """Utilization by person in the API, which also chooses how many weeks."""

    weeks = WeeksFilter(min_value=1, max_value=MAX_UTILIZATION_WEEKS)

    class Meta(UtilizationFilter.Meta):
        fields = ["start", "weeks", "discipline"]


class StudioUtilizationFilter(UtilizationWeeksFilter):
    """Utilization of the disciplines and the studio in the API: weeks, and no people."""

    discipline = None

    class Meta(UtilizationWeeksFilter.Meta):
        fields = ["start", "weeks"]
