"""Projects: read them, and (production managers and executives) create and edit them,
move their status along the lifecycle and set baselines, through the services the
pages use. The fee goes to those who may see prices (DESIGN §1)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from studio.api import PersonSerializer, schema_for_roles
from studio.api_views import reads_answer, validated
from studio.limits import MAX_AMOUNT
from studio.models import Brand, User
from studio.permissions import VisibleToPermission, can

from ..filters import ProjectFilter, visible_brands
from ..models import Project
from ..services import baselines, projects
from .baselines import BASELINE_FOR_ROLE, baseline_serializer_for, baselines_visible_to
from .common import ChangeSerializer, PlanWriteMixin, VisibleField, conflict_schema, version_field
from .refs import BrandRefSerializer


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
            "version",
        ]
        read_only_fields = fields


class ProjectWithFeeSerializer(ProjectSerializer):
    """A project as the studio's managers and the brand's managers see it: with its fee."""

    class Meta(ProjectSerializer.Meta):
        fields = read_only_fields = ProjectSerializer.Meta.fields + ["fee"]


class ProjectInputSerializer(serializers.Serializer):
    """A new project; its code is the next of its brand's sequence."""

    name = serializers.CharField(max_length=200)
    brand = VisibleField(
        queryset=Brand.objects.all(),
        visible=visible_brands,
        required=False,
        allow_null=True,
        default=None,
        help_text="Client work needs one; internal work has none.",
    )
    is_internal = serializers.BooleanField(
        default=False, help_text="The studio's own work: no brand and no fee (send them null and 0)."
    )
    pm = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="An active production manager.")
    planned_start = serializers.DateField()
    due_date = serializers.DateField()
    fee = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, default=Decimal("0")
    )
    description = serializers.CharField(max_length=5000, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=Project.Status.choices, default=Project.Status.PLANNED, help_text="intake or planned."
    )


class ProjectUpdateSerializer(ProjectInputSerializer, ChangeSerializer):
    """A change to a project's own fields: only those sent change. The status moves
    through the `status` action."""

    not_changed = ("status",)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "status" in data:
            raise serializers.ValidationError({"status": [_("Move the status through the project's status action.")]})
        return values


class ProjectStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Project.Status.choices, help_text="Where the project goes next.")
    version = version_field()
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class BaselineInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, allow_blank=True, default="")
    version = version_field()


PROJECT_FOR_ROLE = schema_for_roles("ProjectForRole", ProjectWithFeeSerializer, ProjectSerializer)
STALE = {409: conflict_schema("ProjectConflict", PROJECT_FOR_ROLE)}


@reads_answer(PROJECT_FOR_ROLE)
class ProjectViewSet(PlanWriteMixin, viewsets.ReadOnlyModelViewSet):
    """Projects the caller may see. The fee is included for production managers,
    executives and brand managers (their own brands' projects only). Production
    managers and executives create and change them; a stale `version` answers 409
    with the project as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = ProjectFilter

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).select_related("brand", "pm")

    def get_serializer_class(self):
        return ProjectWithFeeSerializer if can(self.request.user, "project.see_prices") else ProjectSerializer

    object_name = "project"

    def project_of(self, project: Project) -> Project:
        return project

    @extend_schema(request=ProjectInputSerializer, responses={201: PROJECT_FOR_ROLE})
    def create(self, request, *args, **kwargs):
        """Start a project, in intake or planned, under the next code of its brand."""
        return self.add(projects.project_create, ProjectInputSerializer, permission="project.add")

    @extend_schema(request=ProjectUpdateSerializer, responses={200: PROJECT_FOR_ROLE, **STALE})
    def partial_update(self, request, *args, **kwargs):
        """Change a project's own fields (its code stays)."""
        return self.change(projects.project_update, ProjectUpdateSerializer)

    @extend_schema(request=ProjectStatusSerializer, responses={200: PROJECT_FOR_ROLE, **STALE})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        """Move the project along its lifecycle (intake → planned → active → on hold →
        delivered → closed, or cancelled); a move the lifecycle forbids is a 400."""
        return self.change(projects.project_status_change, ProjectStatusSerializer)

    @extend_schema(request=BaselineInputSerializer, responses={201: BASELINE_FOR_ROLE, **STALE})
    @action(detail=True, methods=["post"], url_path="baseline", url_name="baseline")
    def set_baseline(self, request, pk=None):
        """Freeze the plan as it stands as the project's next baseline."""
        project = self.for_change()
        values = validated(BaselineInputSerializer, request)
        baseline = baselines.baseline_set(project=project, user=request.user, **values)
        serializer = baseline_serializer_for(request.user)
        return Response(
            serializer(baselines_visible_to(request.user).get(pk=baseline.pk)).data, status=status.HTTP_201_CREATED
        )
