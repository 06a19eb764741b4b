"""REST API for briefs, their approved versions and their distribution.

The same access rules as the pages: rows come from `visible_to`, the budget section is
left out for those who may not see money, and a brief reads as the page shows it (the
studio reads the live draft, others the version they may read).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import ProjectRefSerializer
from studio.api import PersonSerializer
from studio.permissions import VisibleToPermission

from ..models import Brief, BriefDistribution, BriefVersion
from ..services.briefs import distribution_acknowledge, visible_content


class BriefSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    version_number = serializers.SerializerMethodField(
        help_text="The approved version `sections` come from; null for the studio's live draft."
    )
    sections = serializers.SerializerMethodField(help_text="Section name → text; the budget only for who sees money.")

    class Meta:
        model = Brief
        fields = ["id", "title", "project", "status", "current_version_number", "version_number", "sections",
                  "updated_at"]
        read_only_fields = fields

    def _readable_version(self, brief) -> BriefVersion | None:
        user = self.context["request"].user
        if user.sees_everything or (user.is_brand_manager and brief.status == Brief.Status.IN_REVIEW):
            return None
        # Prefetched newest first, already limited to what the user may read.
        return brief.readable_versions[0] if brief.readable_versions else None

    def get_version_number(self, brief) -> int | None:
        version = self._readable_version(brief)
        return version.number if version else None

    def get_sections(self, brief) -> dict[str, str]:
        user = self.context["request"].user
        version = self._readable_version(brief)
        if version is None and not (user.sees_everything or user.is_brand_manager):
            return {}
        return visible_content(version.content if version else brief.content(), user)


class BriefVersionSerializer(serializers.ModelSerializer):
    approved_by = PersonSerializer(read_only=True, allow_null=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = BriefVersion
        fields = ["id", "brief", "number", "title", "content", "approved_at", "approved_by"]
        read_only_fields = fields

    def get_content(self, version) -> dict[str, str]:
        return visible_content(version.content, self.context["request"].user)


class DistributionSerializer(serializers.ModelSerializer):
    brief = serializers.IntegerField(source="version.brief_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    title = serializers.CharField(source="version.title", read_only=True)
    recipient = PersonSerializer(read_only=True)

    class Meta:
        model = BriefDistribution
        fields = ["id", "brief", "version", "version_number", "title", "recipient", "sent_at", "opened_at",
                  "acknowledged_at", "questioned_at"]
        read_only_fields = fields


class BriefViewSet(viewsets.ReadOnlyModelViewSet):
    """Briefs the caller may see: the studio all; brand managers their brands' approved
    briefs (and those in review); creatives and freelancers the briefs sent to them."""

    permission_classes = [VisibleToPermission]
    serializer_class = BriefSerializer

    def get_queryset(self):
        user = self.request.user
        readable = BriefVersion.objects.visible_to(user).order_by("-number")
        return (
            Brief.objects.visible_to(user).select_related("project")
            .prefetch_related(Prefetch("versions", readable, to_attr="readable_versions"))
            .order_by("-updated_at", "-pk")
        )


class BriefVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved, frozen versions of the briefs the caller may read."""

    permission_classes = [VisibleToPermission]
    serializer_class = BriefVersionSerializer

    def get_queryset(self):
        return (
            BriefVersion.objects.visible_to(self.request.user).select_related("approved_by")
            .order_by("brief", "-number")
        )


class DistributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Creatives and freelancers: the brief versions sent to them, to acknowledge.
    Production managers and executives: every distribution (the boards' data)."""

    permission_classes = [VisibleToPermission]
    serializer_class = DistributionSerializer

    def get_queryset(self):
        return (
            BriefDistribution.objects.visible_to(self.request.user)
            .select_related("version", "recipient")
            .order_by("-sent_at", "-pk")
        )

    @extend_schema(request=None, responses=DistributionSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge a brief version sent to you; acknowledging twice changes nothing."""
        distribution = distribution_acknowledge(distribution=self.get_object(), user=request.user)
        return Response(self.get_serializer(distribution).data)
