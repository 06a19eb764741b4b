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
from studio.api_views import CurrentOnConflictMixin, answers, validated, validated_version, version_parameter
from studio.models import Discipline
from studio.permissions import VisibleToPermission, require

from ..models import ChangeOrder, ChangeOrderLine
from ..services import change_orders as services
from ..services.change_orders import LIMIT, MAX_HOURS
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


# --- lines ----------------------------------------------------------------------------------


class ChangeOrderLineSerializer(serializers.ModelSerializer):
    discipline_name = serializers.CharField(source="discipline.name", read_only=True, allow_null=True, default=None)
    kind = serializers.CharField(read_only=True, help_text="labor, freelance or expense.")
    total = money(help_text="hours × rate, or the amount; negative for a reduction.")

    class Meta:
        model = ChangeOrderLine
        fields = [
            "id",
            "change_order",
            "kind",
            "discipline",
            "discipline_name",
            "description",
            "hours",
            "rate",
            "amount",
            "total",
        ]
        read_only_fields = fields


class ChangeOrderLineInputSerializer(serializers.Serializer):
    """A line of a draft change order: hours × rate or an amount, negative for a reduction."""

    change_order = VisibleField(queryset=ChangeOrder.objects.all(), help_text="A draft change order.")
    version = version_field()
    kind = serializers.ChoiceField(choices=ChangeOrderLine.Kind.choices)
    discipline = serializers.PrimaryKeyRelatedField(
        queryset=Discipline.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Internal labour needs one; its standard cost rate is the rate unless one is given.",
    )
    description = serializers.CharField(max_length=200, allow_blank=True, default="")
    hours = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=-MAX_HOURS,
        max_value=MAX_HOURS,
        required=False,
        allow_null=True,
        default=None,
        help_text="Negative for hours taken out; not 0.",
    )
    rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=-LIMIT,
        max_value=LIMIT,
        required=False,
        allow_null=True,
        default=None,
        help_text="Instead of hours × rate; negative for a reduction.",
    )


class ChangeOrderLineFilter(django_filters.FilterSet):
    change_order = django_filters.ModelChoiceFilter(
        queryset=lambda request: ChangeOrder.objects.visible_to(request.user)
    )

    class Meta:
        model = ChangeOrderLine
        fields = ["change_order"]


class ChangeOrderLineViewSet(CurrentOnConflictMixin, viewsets.ReadOnlyModelViewSet):
    """The lines of change orders (`?change_order=` for one's), for those who see a
    project's costs: the studio's only. Production managers add and remove a draft's lines
    with the change order's `version`; its change to the budget becomes the lines' sum.
    Each write answers with the change order; a stale one with a 409 that carries it."""

    permission_classes = [VisibleToPermission]
    filterset_class = ChangeOrderLineFilter
    serializer_class = ChangeOrderLineSerializer

    def get_queryset(self):
        return (
            ChangeOrderLine.objects.visible_to(self.request.user)
            .select_related("discipline")
            .order_by("change_order_id", "kind", "pk")
        )

    def read_back(self, obj) -> dict:
        change_order = obj if isinstance(obj, ChangeOrder) else obj.change_order
        return ChangeOrderSerializer(ChangeOrder.objects.select_related("project").get(pk=change_order.pk)).data

    @extend_schema(
        request=ChangeOrderLineInputSerializer,
        responses=answers(ChangeOrderSerializer, code=201, **CHANGE_REFUSALS) | {409: STALE},
    )
    def create(self, request, *args, **kwargs):
        """Add a line to a draft change order."""
        require(request.user, "budget.change")
        values = validated(ChangeOrderLineInputSerializer, request)
        require(request.user, "budget.change", values["change_order"].project)
        line = services.change_order_line_add(user=request.user, **values)
        return self.answer(line.change_order, code=201)

    @extend_schema(
        parameters=[version_parameter("The change order's version the caller last read (or send it in the body).")],
        request=ChangeOrderSubmitSerializer,
        responses=answers(ChangeOrderSerializer, **CHANGE_REFUSALS) | {409: STALE},
    )
    def destroy(self, request, *args, **kwargs):
        """Remove a line from a draft change order; answers with the change order."""
        line = self.get_object()
        require(request.user, "budget.change", line.change_order.project)
        values = validated_version(ChangeOrderSubmitSerializer, request)
        change_order = services.change_order_line_remove(line=line, user=request.user, **values)
        return self.answer(change_order)
