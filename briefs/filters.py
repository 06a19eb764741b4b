"""Filters for requests, shared by the request pages and (later) the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Request


def _visible_brands(request):
    # Only brands of requests the user may see: a filter must not list other brands.
    if request is None:
        return Request.objects.none().brands()
    return Request.objects.visible_to(request.user).brands()


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Request.Status.choices, empty_label=_("Any status"))
    brand = django_filters.ModelChoiceFilter(queryset=_visible_brands, empty_label=_("Any brand"))

    class Meta:
        model = Request
        fields = ["status", "brand"]
