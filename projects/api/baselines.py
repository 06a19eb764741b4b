"""Baselines: the plans frozen on a day, read only (a project's `baseline` action sets
the next one). Everyone who may see the project sees its frozen dates; the frozen
hours go only to those who may see costs (DESIGN §1)."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from studio.api import PersonSerializer, schema_for_roles
from studio.api_views import reads_answer
from studio.permissions import VisibleToPermission, can

from ..filters import visible_projects
from ..models import Baseline, BaselineDeliverable


class BaselineFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)

    class Meta:
        model = Baseline
        fields = ["project"]


class BaselineDeliverableSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deliverable.name", read_only=True)

    class Meta:
        model = BaselineDeliverable
        fields = ["deliverable", "name", "planned_start", "due_date"]
        read_only_fields = fields


class BaselineDeliverableWithHoursSerializer(BaselineDeliverableSerializer):
    class Meta(BaselineDeliverableSerializer.Meta):
        fields = read_only_fields = BaselineDeliverableSerializer.Meta.fields + ["planned_hours"]


class BaselineSerializer(serializers.ModelSerializer):
    """A baseline as the team and the brand see it: the frozen dates, no hours."""

    set_by = PersonSerializer(read_only=True)
    deliverables = BaselineDeliverableSerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = ["id", "project", "number", "planned_start", "due_date", "note", "set_by", "set_at", "deliverables"]
        read_only_fields = fields


class BaselineWithHoursSerializer(BaselineSerializer):
    """A baseline as production managers and executives see it: with its frozen hours."""

    deliverables = BaselineDeliverableWithHoursSerializer(many=True, read_only=True)

    class Meta(BaselineSerializer.Meta):
        fields = read_only_fields = BaselineSerializer.Meta.fields + ["planned_hours"]


BASELINE_FOR_ROLE = schema_for_roles("BaselineForRole", BaselineWithHoursSerializer, BaselineSerializer)


def baseline_serializer_for(user):
    return BaselineWithHoursSerializer if can(user, "project.see_costs") else BaselineSerializer


def baselines_visible_to(user):
    rows = BaselineDeliverable.objects.select_related("deliverable").order_by("due_date", "pk")
    return (
        Baseline.objects.visible_to(user)
        .select_related("set_by")
        .prefetch_related(Prefetch("deliverables", queryset=rows))
        .order_by("project_id", "-number")
    )


@reads_answer(BASELINE_FOR_ROLE)
class BaselineViewSet(viewsets.ReadOnlyModelViewSet):
    """The baselines of the projects the caller may see, newest first per project
    (`?project=` for one), each with its deliverables' frozen dates. Hours are
    included for production managers and executives only."""

    permission_classes = [VisibleToPermission]
    filterset_class = BaselineFilter

    def get_queryset(self):
        return baselines_visible_to(self.request.user)

    def get_serializer_class(self):
        return baseline_serializer_for(self.request.user)
