"""REST API for briefs, their approved versions and their distribution.

The same access rules as the pages: rows come from `visible_to`, the budget section is
left out for those who may not see money, and a brief reads as the page shows it (the
studio reads the live draft, others the version they may read).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import ProjectRefSerializer
from studio.api import PersonSerializer
from studio.permissions import VisibleToPermission

from ..models import Brief, BriefDistribution, BriefVersion
from ..services.briefs import brief_reading, brief_readings, distribution_acknowledge, versions_content


class BriefSerializer(serializers.ModelSerializer):
    """A brief as its reader reads it: `context["readings"]` holds {brief id: BriefReading}."""

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

    def get_version_number(self, brief) -> int | None:
        version = self.context["readings"][brief.pk].version
        return version.number if version else None

    def get_sections(self, brief) -> dict[str, str]:
        return self.context["readings"][brief.pk].content


class BriefVersionSerializer(serializers.ModelSerializer):
    """A frozen version; `context["contents"]` holds {version id: the sections the reader may read}."""

    approved_by = PersonSerializer(read_only=True, allow_null=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = BriefVersion
        fields = ["id", "brief", "number", "title", "content", "approved_at", "approved_by"]
        read_only_fields = fields

    def get_content(self, version) -> dict[str, str]:
        return self.context["contents"][version.pk]


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
    briefs (and those in review); creatives and freelancers the briefs sent to them.
    Reading one is what opening it on its page is: a recipient's opening is recorded."""

    permission_classes = [VisibleToPermission]
    serializer_class = BriefSerializer

    def get_queryset(self):
        return Brief.objects.visible_to(self.request.user).select_related("project").order_by("-updated_at", "-pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        readings = brief_readings(briefs=page, user=request.user, opening=False)
        context = {**self.get_serializer_context(), "readings": readings}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        brief = self.get_object()
        readings = {brief.pk: brief_reading(brief=brief, user=request.user)}
        serializer = self.get_serializer(brief, context={**self.get_serializer_context(), "readings": readings})
        return Response(serializer.data)


class BriefVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved, frozen versions of the briefs the caller may read."""

    permission_classes = [VisibleToPermission]
    serializer_class = BriefVersionSerializer

    def get_queryset(self):
        return (
            BriefVersion.objects.visible_to(self.request.user).select_related("approved_by", "brief")
            .order_by("brief", "-number")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._serialize(page))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize([self.get_object()])[0])

    def _serialize(self, versions):
        context = {**self.get_serializer_context(), "contents": versions_content(versions, self.request.user)}
        return self.get_serializer(versions, many=True, context=context).data


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
