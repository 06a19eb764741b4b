"""REST API for projects and deliverables: read, and hand a deliverable in for review.

Money and hours follow DESIGN §1: the fee goes to those who may see prices
(the studio's managers and the brand's managers), planned hours only to the
studio's managers. Each audience gets its own serializer class, so the schema
documents exactly what each one receives.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from studio.api import PersonSerializer, schema_for_roles
from studio.models import Brand
from studio.permissions import VisibleToPermission, can_see_costs, can_see_prices

from .filters import DeliverableFilter, ProjectFilter
from .models import Deliverable, DeliverableType, Project
from .services import review as services


class BrandRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name"]
        read_only_fields = fields


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DeliverableTypeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliverableType
        fields = ["id", "name", "unit_name"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project as the team sees it: no money."""

    brand = BrandRefSerializer(read_only=True, allow_null=True)
    pm = PersonSerializer(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "brand",
            "is_internal",
            "pm",
            "status",
            "planned_start",
            "due_date",
            "baseline_start",
            "baseline_due_date",
            "description",
        ]
        read_only_fields = fields


class ProjectWithFeeSerializer(ProjectSerializer):
    """A project as the studio's managers and the brand's managers see it: with its fee."""

    class Meta(ProjectSerializer.Meta):
        fields = read_only_fields = ProjectSerializer.Meta.fields + ["fee"]


class DeliverableSerializer(serializers.ModelSerializer):
    """A deliverable as the team and the brand see it: no hours."""

    project = ProjectRefSerializer(read_only=True)
    deliverable_type = DeliverableTypeRefSerializer(read_only=True)
    assignees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "project",
            "phase",
            "deliverable_type",
            "name",
            "quantity",
            "planned_start",
            "due_date",
            "status",
            "percent_complete",
            "revision_rounds",
            "approved_at",
            "assignees",
        ]
        read_only_fields = fields


class DeliverableWithHoursSerializer(DeliverableSerializer):
    """A deliverable as production managers and executives see it: with its planned hours."""

    class Meta(DeliverableSerializer.Meta):
        fields = read_only_fields = DeliverableSerializer.Meta.fields + ["planned_hours"]


class DeliverableSubmitSerializer(serializers.Serializer):
    """The work handed in: a link or a file (multipart), and an optional note."""

    link = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


PROJECT_FOR_ROLE = schema_for_roles("ProjectForRole", ProjectWithFeeSerializer, ProjectSerializer)
DELIVERABLE_FOR_ROLE = schema_for_roles(
    "DeliverableForRole", DeliverableWithHoursSerializer, DeliverableSerializer
)


@extend_schema_view(
    list=extend_schema(responses=PROJECT_FOR_ROLE),
    retrieve=extend_schema(responses=PROJECT_FOR_ROLE),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the caller may see. The fee is included for production managers,
    executives and brand managers (their own brands' projects only)."""

    permission_classes = [VisibleToPermission]
    filterset_class = ProjectFilter

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).select_related("brand", "pm")

    def get_serializer_class(self):
        return ProjectWithFeeSerializer if can_see_prices(self.request.user) else ProjectSerializer


@extend_schema_view(
    list=extend_schema(responses=DELIVERABLE_FOR_ROLE),
    retrieve=extend_schema(responses=DELIVERABLE_FOR_ROLE),
)
class DeliverableViewSet(viewsets.ReadOnlyModelViewSet):
    """Deliverables of the projects the caller may see. Planned hours are
    included for production managers and executives only."""

    permission_classes = [VisibleToPermission]
    filterset_class = DeliverableFilter

    def get_queryset(self):
        return (
            Deliverable.objects.visible_to(self.request.user)
            .select_related("project", "deliverable_type")
            .prefetch_related("assignees")
        )

    def get_serializer_class(self):
        return (
            DeliverableWithHoursSerializer
            if can_see_costs(self.request.user)
            else DeliverableSerializer
        )

    @extend_schema(request=DeliverableSubmitSerializer, responses=DELIVERABLE_FOR_ROLE)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def submit(self, request, pk=None):
        """Submit the deliverable for review (its assignees and production managers):
        internal review, then client review."""
        deliverable = self.get_object()
        if not services.can_work_on(request.user, deliverable):
            raise PermissionDenied
        data = DeliverableSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.deliverable_submit_for_review(deliverable=deliverable, user=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=deliverable.pk)).data)
