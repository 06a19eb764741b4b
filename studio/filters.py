"""Filters for the talent directory and the audit log, shared by the pages and the API."""

from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import clock
from .audit_source import AuditSource
from .models import AuditEvent, Discipline, Skill, Talent, User
from .workdays import EARLIEST_DAY, LATEST_DAY


def _availability_widget():
    # true/false in the query string, as the API documents it; words that say what they mean on the page.
    widget = django_filters.widgets.BooleanWidget()
    widget.choices = [("", _("Anyone")), ("true", _("Available now")), ("false", _("Not available now"))]
    return widget


class TalentFilter(django_filters.FilterSet):
    # Disciplines and skills are the studio's shared vocabulary, not anyone's
    # secret; which talent a user may see is decided by `Talent.objects.visible_to`.
    discipline = django_filters.ModelChoiceFilter(queryset=Discipline.objects.all(), empty_label=_("Any discipline"))
    employment = django_filters.ChoiceFilter(choices=Talent.Employment.choices, empty_label=_("Staff or freelance"))
    skill = django_filters.ModelChoiceFilter(
        field_name="skills", queryset=Skill.objects.all(), empty_label=_("Any skill")
    )
    q = django_filters.CharFilter(method="search", label=_("Name"))
    available = django_filters.BooleanFilter(
        method="filter_available",
        label=_("Availability"),
        widget=_availability_widget(),
        help_text=_("Active staff, and freelancers under contract today."),
    )

    class Meta:
        model = Talent
        fields = ["discipline", "employment", "skill", "q", "available"]

    def filter_available(self, queryset, name, value: bool | None):
        """`available=true`: people the studio can book today (active staff, active freelancers
        whose contract covers today); `false`: everyone else."""
        if value is None:
            return queryset
        today = clock.today()
        bookable = Q(active=True) & (
            Q(employment=Talent.Employment.STAFF) | Q(contract_start__lte=today, contract_end__gte=today)
        )
        return queryset.filter(bookable) if value else queryset.exclude(bookable)

    def search(self, queryset, name, value: str):
        """Every word must match a first name, last name or username: "ann lee" finds Ann Lee."""
        words = value.split()
        if not words:
            return queryset
        return queryset.filter(
            reduce(
                and_,
                (
                    Q(user__first_name__icontains=word)
                    | Q(user__last_name__icontains=word)
                    | Q(user__username__icontains=word)
                    for word in words
                ),
            )
        )


# The apps whose records the audit log speaks of.
AUDITED_APPS = ("studio", "approvals", "projects", "briefs", "schedules", "budgets", "metrics")


def _object_types():
    return sorted(
        ((model._meta.label_lower, str(model._meta.verbose_name).capitalize())
         for app in AUDITED_APPS for model in apps.get_app_config(app).get_models()),
        key=lambda choice: choice[1],
    )


def _day_filter(lookup: str, label):
    # Inside the studio's window, as every date that comes in (STYLE §15).
    return django_filters.DateFilter(
        field_name="created_at", lookup_expr=f"date__{lookup}", label=label,
        widget=forms.DateInput(attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()}),
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )


class AuditEventFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        choices=_object_types, method="filter_type", label=_("Object"), empty_label=_("Any kind of object"),
    )
    object = django_filters.CharFilter(field_name="object_id", label=_("Object number"))
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("first_name", "last_name", "username"), label=_("Person"),
        empty_label=_("Anyone"),
    )
    action = django_filters.CharFilter(lookup_expr="icontains", label=_("Action contains"))
    source = django_filters.ChoiceFilter(choices=AuditSource.choices, label=_("From"), empty_label=_("Anywhere"))
    after = _day_filter("gte", _("From"))
    before = _day_filter("lte", _("Until"))

    class Meta:
        model = AuditEvent
        fields = ["type", "object", "actor", "action", "source", "after", "before"]

    def filter_type(self, queryset, name, value: str):
        """`projects.project`: the events of one kind of object, by the content type's own
        columns, so no lookup of the type comes first."""
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
