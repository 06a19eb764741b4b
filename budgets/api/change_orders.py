"""Change orders, through the services the change-order pages use.

Whoever sees a project's budget reads its change orders (the studio every one, brand
managers their brands'): what changes, the change to the fee and to the budget, where it
stands. Production managers draft one against an approved baseline, change a draft and
submit it for approval; a change and a submission carry the change order's `version`
(a stale one: 409 with the change order as it is now).
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from projects.api import ProjectRefSerializer
from projects.api.common import ChangeSerializer, VisibleField, conflict_schema, version_field
from projects.filters import visible_projects
from projects.models import Project
from studio.api_views import CurrentOnConflictMixin, answers, validated
from studio.permissions import VisibleToPermission, require

from ..models import ChangeOrder
from ..services import change_orders as services
from ..services.change_orders import LIMIT
from .budgets import money


class ChangeOrderSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    fee_change = money(help_text="The change to the fee; negative for a reduction.")
    budget_change = money(help_text="The change to the budget at completion; negative for a reduction.")
    status = serializers.CharField(read_only=True, help_text="draft, submitted, approved or rejected.")

    class Meta:
        model = ChangeOrder
        fields = [
            "id",
            "project",
            "number",
            "title",
            "description",
            "fee_change",
            "budget_change",
            "status",
            "approved_at",
            "version",
        ]
        read_only_fields = fields


def budget_projects(request):
    return Project.objects.visible_to(request.user, "budget.view")


def amount_field() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=-LIMIT,
        max_value=LIMIT,
        default=0,
        help_text="Negative for a reduction.",
    )


class ChangeOrderInputSerializer(serializers.Serializer):
    """A change order: what changes and why, and the change to the fee, the budget or both."""

    project = VisibleField(
        queryset=Project.objects.all(), visible=budget_projects, help_text="A project with an approved budget."
    )
    title = serializers.CharField(max_length=200, help_text="What changes.")
    description = serializers.CharField(max_length=5000, allow_blank=True, default="", help_text="Why.")
    fee_change = amount_field()
    budget_change = amount_field()


class ChangeOrderUpdateSerializer(ChangeOrderInputSerializer, ChangeSerializer):
    """A change to a draft: only the fields sent change."""

    not_changed = ("project",)


class ChangeOrderSubmitSerializer(serializers.Serializer):
    version = version_field()


class ChangeOrderFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)

    class Meta:
        model = ChangeOrder
        fields = ["project"]


CHANGE_REFUSALS = {
    "invalid": "Bad input, a project without an approved baseline, or one closed.",
    "forbidden": "Only production managers draft and submit change orders.",
}
STALE = conflict_schema("ChangeOrderConflict", ChangeOrderSerializer)


class ChangeOrderViewSet(CurrentOnConflictMixin, viewsets.ReadOnlyModelViewSet):
    """Change orders, by project and number (`?project=` for one project's), for whoever
    sees the project's budget. Production managers draft one (against an approved
    baseline), change a draft and submit it, with its `version`; a stale one answers 409
    with the change order as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = ChangeOrderFilter
    serializer_class = ChangeOrderSerializer

    def get_queryset(self):
        return (
            ChangeOrder.objects.visible_to(self.request.user)
            .select_related("project")
            .order_by("project__code", "number")
        )

    @extend_schema(
        request=ChangeOrderInputSerializer, responses=answers(ChangeOrderSerializer, code=201, **CHANGE_REFUSALS)
    )
    def create(self, request, *args, **kwargs):
        """Draft a change order, numbered after the project's last one."""
        require(request.user, "budget.change")
        change_order = services.change_order_create(user=request.user, **validated(ChangeOrderInputSerializer, request))
        return self.answer(change_order, code=201)

    @extend_schema(
        request=ChangeOrderUpdateSerializer,
        responses=answers(ChangeOrderSerializer, **CHANGE_REFUSALS) | {409: STALE},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a draft change order."""
        change_order = self.for_change()
        values = validated(ChangeOrderUpdateSerializer, request)
        services.change_order_update(change_order=change_order, user=request.user, **values)
        return self.answer(change_order)

    @extend_schema(
        request=ChangeOrderSubmitSerializer,
        responses=answers(ChangeOrderSerializer, **CHANGE_REFUSALS) | {409: STALE},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft for approval through the change-order flow (the thresholds test
        the change in budget); below every threshold it may be approved at once."""
        change_order = self.for_change()
        values = validated(ChangeOrderSubmitSerializer, request)
        services.change_order_submit(change_order=change_order, user=request.user, **values)
        return self.answer(change_order)

    def for_change(self) -> ChangeOrder:
        change_order = self.get_object()
        require(self.request.user, "budget.change", change_order.project)
        return change_order
