"""A project's costs beyond its people's time, through the services the budget tab uses.

Costs are rows behind a budget's totals (DESIGN §1): the studio reads them, brand managers,
creatives and freelancers never (an empty list; a cost is a 404). A freelancer's invoice for
hourly work comes with its reconciliation against their approved hours in its period (the
difference is shown, never added to cost). Production managers enter costs and move them on
(committed → invoiced → paid).
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import ProjectRefSerializer
from projects.api.common import VisibleField
from projects.filters import visible_projects
from projects.models import Project
from studio.api_views import answers, validated
from studio.models import Talent
from studio.permissions import VisibleToPermission, require

from ..health import InvoiceReconciliation, invoice_reconciliations
from ..models import BudgetLine, Cost
from ..services import costs as services
from ..services.costs import LIMIT
from .budgets import money


class ReconciliationSerializer(serializers.Serializer):
    """An hourly invoice against the freelancer's approved hours on its project in its
    period: `labour_cost` is already in the project's actual cost; `difference` = invoiced −
    labour_cost is shown, never added."""

    hours = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    labour_cost = money(help_text="The approved hours × the cost rate on each entry's date.")
    invoiced = money()
    difference = money(help_text="Invoiced − labour cost.")
    unrated_hours = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text="Hours with no rate card on their date, at 0."
    )


class CostSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    talent_name = serializers.CharField(source="talent", read_only=True, allow_null=True, default=None)
    amount = money()
    kind = serializers.CharField(
        read_only=True, help_text="expense, purchase_order, freelance_fixed or freelance_hourly_invoice."
    )
    status = serializers.CharField(read_only=True, help_text="committed, invoiced or paid.")
    reconciliation = serializers.SerializerMethodField(
        help_text="A freelancer's invoice for hourly work against their approved hours; null for other costs."
    )

    class Meta:
        model = Cost
        fields = [
            "id",
            "project",
            "kind",
            "description",
            "supplier",
            "talent",
            "talent_name",
            "budget_line",
            "amount",
            "date",
            "status",
            "reference",
            "period_start",
            "period_end",
            "created_at",
            "reconciliation",
        ]
        read_only_fields = fields

    @extend_schema_field(ReconciliationSerializer(allow_null=True))
    def get_reconciliation(self, cost) -> dict | None:
        reconciliation: InvoiceReconciliation | None = self.context.get("reconciliations", {}).get(cost.pk)
        return None if reconciliation is None else ReconciliationSerializer(reconciliation).data


def cost_projects(request):
    return Project.objects.visible_to(request.user, "project.see_costs")


class CostInputSerializer(serializers.Serializer):
    """A cost, entered committed (a freelancer's invoice for hourly work: invoiced)."""

    project = VisibleField(queryset=Project.objects.all(), visible=cost_projects, help_text="An open project.")
    kind = serializers.ChoiceField(choices=Cost.Kind.choices)
    description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, max_value=LIMIT)
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text="Today if not given.")
    supplier = serializers.CharField(max_length=120, allow_blank=True, default="")
    talent = VisibleField(
        queryset=Talent.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The freelancer, for freelance work.",
    )
    budget_line = VisibleField(
        queryset=BudgetLine.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A line of the project's budget it is spent against.",
    )
    reference = serializers.CharField(max_length=60, allow_blank=True, default="", help_text="PO or invoice number.")
    period_start = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hourly invoices: the period billed, in the contract."
    )
    period_end = serializers.DateField(required=False, allow_null=True, default=None)


class CostAdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Cost.Status.INVOICED, Cost.Status.PAID], help_text="The next status: committed → invoiced → paid."
    )


class CostFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)
    status = django_filters.ChoiceFilter(choices=Cost.Status.choices)

    class Meta:
        model = Cost
        fields = ["project", "status"]


REFUSALS = {
    "invalid": "Bad input, a closed or cancelled project, an invoice period outside the contract.",
    "forbidden": "Only production managers enter and move costs.",
}


class CostViewSet(viewsets.ReadOnlyModelViewSet):
    """The studio's costs, newest first (`?project=`, `?status=`); each hourly invoice with
    its reconciliation. Production managers enter a cost and move it on."""

    permission_classes = [VisibleToPermission]
    filterset_class = CostFilter
    serializer_class = CostSerializer

    def get_queryset(self):
        return (
            Cost.objects.visible_to(self.request.user)
            .select_related("project", "talent__user")
            .order_by("-date", "-pk")
        )

    def get_serializer(self, *args, **kwargs):
        # The page's hourly invoices are reconciled together: two queries for any number.
        if args and self.action in ("list", "retrieve"):
            costs = args[0] if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())["reconciliations"] = self.reconciled(costs)
        return super().get_serializer(*args, **kwargs)

    @staticmethod
    def reconciled(costs) -> dict:
        return invoice_reconciliations(Cost.objects.filter(pk__in=[cost.pk for cost in costs]))

    def read_back(self, cost: Cost) -> dict:
        cost = self.get_queryset().get(pk=cost.pk)
        return CostSerializer(cost, context={"reconciliations": self.reconciled([cost])}).data

    @extend_schema(request=CostInputSerializer, responses=answers(CostSerializer, code=201, **REFUSALS))
    def create(self, request, *args, **kwargs):
        """Enter a cost of a project."""
        require(request.user, "cost.change")
        cost = services.cost_add(user=request.user, **validated(CostInputSerializer, request))
        return Response(self.read_back(cost), status=status.HTTP_201_CREATED)

    @extend_schema(request=CostAdvanceSerializer, responses=answers(CostSerializer, **REFUSALS))
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move a cost on: committed → invoiced → paid (never back). A cost already there
        is answered as it is."""
        cost = self.get_object()
        require(request.user, "cost.change", cost.project)
        cost = services.cost_advance(cost=cost, user=request.user, **validated(CostAdvanceSerializer, request))
        return Response(self.read_back(cost))
