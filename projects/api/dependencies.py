"""Finish-to-start dependencies between a project's deliverables: everyone who may see
the project reads them; production managers and executives add and remove them. A
dependency the dates disagree with is allowed and flagged (`in_conflict`); a loop is
refused."""

import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from studio.api_views import validated
from studio.permissions import VisibleToPermission, require

from ..filters import visible_projects
from ..models import Deliverable, Dependency
from ..services import plan
from .common import VisibleField


class DependencyFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(field_name="successor__project", queryset=visible_projects)

    class Meta:
        model = Dependency
        fields = ["project"]


class DependencySerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="successor.project_id", read_only=True)
    in_conflict = serializers.BooleanField(
        read_only=True, help_text="The successor starts on or before its predecessor is due (allowed, flagged)."
    )

    class Meta:
        model = Dependency
        fields = ["id", "project", "predecessor", "successor", "in_conflict", "created_at"]
        read_only_fields = fields


class DependencyInputSerializer(serializers.Serializer):
    predecessor = VisibleField(queryset=Deliverable.objects.all())
    successor = VisibleField(queryset=Deliverable.objects.all(), help_text="Starts once the predecessor is due.")


class DependencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The dependencies of the projects the caller may see (`?project=` for one)."""

    permission_classes = [VisibleToPermission]
    filterset_class = DependencyFilter
    serializer_class = DependencySerializer

    def get_queryset(self):
        conflicts = Dependency.objects.conflicts().filter(pk=OuterRef("pk"))
        return (
            Dependency.objects.visible_to(self.request.user)
            .select_related("successor")
            .annotate(in_conflict=Exists(conflicts))
            .order_by("pk")
        )

    def _read(self, dependency: Dependency) -> dict:
        return DependencySerializer(self.get_queryset().get(pk=dependency.pk)).data

    @extend_schema(request=DependencyInputSerializer, responses={201: DependencySerializer})
    def create(self, request, *args, **kwargs):
        """Make `successor` start after `predecessor` is due, in the same project."""
        require(request.user, "project.change")
        values = validated(DependencyInputSerializer, request)
        dependency = plan.dependency_add(user=request.user, **values)
        return Response(self._read(dependency), status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        dependency = self.get_object()
        require(request.user, "project.change", dependency.successor.project)
        plan.dependency_remove(dependency=dependency, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
