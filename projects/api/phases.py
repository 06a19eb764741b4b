"""Phases of a project's plan: everyone who may see the project reads them; production
managers and executives add, change, reorder and remove them through the services
the pages use."""


import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from studio.api_views import validated, validated_version, version_parameter
from studio.permissions import VisibleToPermission

from ..filters import visible_projects
from ..models import Phase, Project
from ..services import plan
from .common import ChangeSerializer, PlanWriteMixin, VersionSerializer, VisibleField, conflict_schema


class PhaseFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)

    class Meta:
        model = Phase
        fields = ["project"]


class PhaseSerializer(serializers.ModelSerializer):
    outside_project = serializers.SerializerMethodField(
        help_text="Starts before its project or ends after it (allowed, flagged)."
    )

    class Meta:
        model = Phase
        fields = ["id", "project", "name", "order", "start_date", "end_date", "outside_project", "version"]
        read_only_fields = fields

    def get_outside_project(self, phase) -> bool:
        return phase.is_outside_project


class PhaseInputSerializer(serializers.Serializer):
    """A phase, added after the project's last one."""

    project = VisibleField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=120)
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class PhaseUpdateSerializer(PhaseInputSerializer, ChangeSerializer):
    not_changed = ("project",)


class PhaseMoveSerializer(serializers.Serializer):
    offset = serializers.IntegerField(
        min_value=-1000, max_value=1000, help_text="Places earlier (negative) or later; clamped to the ends."
    )


STALE = {409: conflict_schema("PhaseConflict", PhaseSerializer)}


class PhaseViewSet(PlanWriteMixin, viewsets.ReadOnlyModelViewSet):
    """The phases of the projects the caller may see, in order (`?project=` for one).
    Production managers and executives add, change, reorder and remove them; a stale
    `version` answers 409 with the phase as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = PhaseFilter
    serializer_class = PhaseSerializer
    object_name = "phase"

    def get_queryset(self):
        return (
            Phase.objects.visible_to(self.request.user)
            .select_related("project")
            .order_by("project_id", "order", "start_date", "pk")
        )

    @extend_schema(request=PhaseInputSerializer, responses={201: PhaseSerializer})
    def create(self, request, *args, **kwargs):
        return self.add(plan.phase_add, PhaseInputSerializer)

    @extend_schema(request=PhaseUpdateSerializer, responses={200: PhaseSerializer, **STALE})
    def partial_update(self, request, *args, **kwargs):
        return self.change(plan.phase_update, PhaseUpdateSerializer)

    @extend_schema(
        parameters=[version_parameter()],
        request=VersionSerializer,
        responses={204: None, **STALE},
    )
    def destroy(self, request, *args, **kwargs):
        """Remove an empty phase (one that holds no deliverables, cancelled ones included)."""
        phase = self.for_change()
        plan.phase_remove(phase=phase, user=request.user, **validated_version(VersionSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PhaseMoveSerializer, responses={200: PhaseSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def move(self, request, pk=None):
        """Move the phase `offset` places; answers the project's phases in their new order."""
        phase = self.for_change()
        values = validated(PhaseMoveSerializer, request)
        plan.phase_move(phase=phase, user=request.user, **values)
        return Response(PhaseSerializer(self.get_queryset().filter(project_id=phase.project_id), many=True).data)
