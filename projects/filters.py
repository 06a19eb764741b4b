"""Filters for the project and deliverable lists, shared by the pages and the API.

Build them with the request (`ProjectFilter(request.GET, queryset, request=request)`):
the brand and project choices offer only what the requesting user may see, so a
filter form never lists, and a query parameter never probes, anyone else's.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studio.models import Brand, User
from studio.permissions import Scope, scope_of

from .models import Deliverable, DeliverableStatus, Project


def _sees_every_project(user) -> bool:
    return scope_of(user, "project.view") is Scope.ALL


def visible_brands(request):
    """Brands the requesting user may filter by: all for those who see every project,
    otherwise their own brands and the brands of the projects they may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Brand.objects.none()
    if _sees_every_project(user):
        return Brand.objects.all()
    projects = Project.objects.visible_to(user).values("brand")
    return Brand.objects.filter(Q(managers=user) | Q(pk__in=projects)).distinct()


def visible_projects(request):
    user = getattr(request, "user", None)
    if user is None:
        return Project.objects.none()
    return Project.objects.visible_to(user)


def visible_pms(request):
    """Production managers the requesting user may filter by: all of them for those who
    see every project, otherwise those of the projects they may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return User.objects.none()
    pms = User.objects.able_to("project.manage").order_by("first_name", "last_name", "username")
    if _sees_every_project(user):
        return pms
    return pms.filter(pk__in=Project.objects.visible_to(user).values("pm"))


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Project.Status.choices, empty_label=_("Any status")
    )
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, empty_label=_("Any brand"))
    q = django_filters.CharFilter(method="search", label=_("Code or name"))

    class Meta:
        model = Project
        fields = ["status", "brand", "q"]

    def search(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class PortfolioFilter(ProjectFilter):
    """The portfolio timeline's filters: the project list's, and the production manager."""

    pm = django_filters.ModelChoiceFilter(
        queryset=visible_pms, label=_("Production manager"), empty_label=_("Any production manager")
    )

    class Meta(ProjectFilter.Meta):
        fields = ["status", "brand", "pm", "q"]


class DeliverableFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(
        queryset=visible_projects, empty_label=_("Any project")
    )
    status = django_filters.ChoiceFilter(
        choices=DeliverableStatus.choices, empty_label=_("Any status")
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after")
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = Deliverable
        fields = ["project", "status", "due_after", "due_before"]
