"""Filters for the talent directory, shared by the pages and the API."""

from functools import reduce
from operator import and_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import clock
from .models import Discipline, Skill, Talent


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
