"""Filters for requests, shared by the request pages and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Request


def _visible_brands(request):
    # Only brands of requests the user may see: a filter must not list other brands.
    if request is None:
        return Request.objects.none().brands()
    return Request.objects.visible_to(request.user).brands()


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title contains"))
    status = django_filters.ChoiceFilter(choices=Request.Status.choices, empty_label=_("Any status"))
    brand = django_filters.ModelChoiceFilter(queryset=_visible_brands, empty_label=_("Any brand"))
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("Deadline from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("Deadline until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Request
        fields = ["q", "status", "brand", "deadline_after", "deadline_before"]
