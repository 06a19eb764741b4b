"""Filters for the talent directory, shared by the pages and the API."""

from functools import reduce
from operator import and_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Discipline, Skill, Talent


class TalentFilter(django_filters.FilterSet):
    # Disciplines and skills are the studio's shared vocabulary, not anyone's
    # secret; which talent a user may see is decided by `Talent.objects.visible_to`.
    discipline = django_filters.ModelChoiceFilter(
        queryset=Discipline.objects.all(), empty_label=_("Any discipline")
    )
    employment = django_filters.ChoiceFilter(
        choices=Talent.Employment.choices, empty_label=_("Staff or freelance")
    )
    skill = django_filters.ModelChoiceFilter(
        field_name="skills", queryset=Skill.objects.all(), empty_label=_("Any skill")
    )
    q = django_filters.CharFilter(method="search", label=_("Name"))

    class Meta:
        model = Talent
        fields = ["discipline", "employment", "skill", "q"]

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
