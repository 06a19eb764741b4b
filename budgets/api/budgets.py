"""Project budgets and their lines, through the services the budget tab uses.

Reads follow DESIGN §1: the studio reads every budget with its lines, hours, rates,
totals and planned margin; a brand manager reads the approved budgets of their own
brands' projects, by their totals only, each audience through its own serializer so the
schema documents exactly what each one receives. Production managers start a budget
from the plan, change a draft's lines and submit it; every write carries the budget's
`version` and answers with the budget as the caller now reads it (a stale one: 409 with
the budget as it is now).
"""

from decimal import ROUND_HALF_UP, Decimal

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import ProjectRefSerializer
from projects.api.common import ChangeSerializer, VisibleField, conflict_schema, version_field
from projects.filters import visible_projects
from projects.models import Project
from studio.api import PersonSerializer, schema_for_roles
from studio.api_views import CurrentOnConflictMixin, reads_answer, validated, validated_version, version_parameter
from studio.limits import MAX_AMOUNT
from studio.models import Discipline
from studio.permissions import VisibleToPermission, can, require

from ..models import Budget, BudgetLine
from ..services import budgets as services
from ..services.budgets import MAX_HOURS

FOUR_PLACES = Decimal("0.0001")


def money(**kwargs) -> serializers.DecimalField:
    """Money as shown: cents, rounded half-up (fractions of a cent are kept until then)."""
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, rounding=ROUND_HALF_UP, coerce_to_string=True, read_only=True, **kwargs
    )


# --- what the caller reads -----------------------------------------------------------


class BudgetTotalSerializer(serializers.ModelSerializer):
    """A budget as a brand manager sees it: the approved total, no lines, hours or rates."""

    project = ProjectRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted or approved (the baseline).")
    total = money()

    class Meta:
        model = Budget
        fields = ["id", "project", "revision", "status", "approved_at", "total"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    discipline_name = serializers.CharField(source="discipline.name", read_only=True, allow_null=True, default=None)
    kind = serializers.CharField(read_only=True, help_text="labor, freelance, expense or contingency.")
    total = money(
        allow_null=True, help_text="hours × rate, or the amount; null for the contingency (the budget's `contingency`)."
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "budget",
            "kind",
            "discipline",
            "discipline_name",
            "description",
            "hours",
            "rate",
            "amount",
            "percent",
            "total",
        ]
        read_only_fields = fields


class BudgetSerializer(BudgetTotalSerializer):
    """A budget as the studio sees it: its lines, sums, the fee's planned margin, its version."""

    created_by = PersonSerializer(read_only=True)
    subtotal = money(help_text="The lines but the contingency.")
    contingency = money(help_text="The contingency's percentage of the subtotal.")
    fee = money(source="project.fee")
    margin = serializers.SerializerMethodField(help_text="Planned margin, (fee − total) / fee; null without a fee.")
    lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta(BudgetTotalSerializer.Meta):
        fields = read_only_fields = [
            *BudgetTotalSerializer.Meta.fields,
            "note",
            "created_by",
            "created_at",
            "subtotal",
            "contingency",
            "fee",
            "margin",
            "lines",
            "version",
        ]

    # A decimal as text, as every figure here (OpenApiTypes.DECIMAL would say a number).
    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_margin(self, budget) -> str | None:
        fee = budget.project.fee
        if not fee:
            return None
        return str(((fee - budget.total) / fee).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))


BUDGET_FOR_ROLE = schema_for_roles("BudgetForRole", BudgetSerializer, BudgetTotalSerializer)
STALE = {409: conflict_schema("BudgetConflict", BudgetSerializer)}


def budgets_visible_to(user):
    """Budgets as `user` reads them: the studio every one with its lines; a brand manager
    their brands' approved ones."""
    budgets = Budget.objects.visible_to(user).with_totals().select_related("project", "created_by")
    if not can(user, "project.see_costs"):
        return budgets.approved().order_by("project_id", "-revision")
    lines = BudgetLine.objects.with_totals().select_related("discipline").order_by("kind", "discipline__name", "pk")
    return budgets.prefetch_related(Prefetch("lines", queryset=lines)).order_by("project_id", "-revision")


def budget_serializer_for(user):
    return BudgetSerializer if can(user, "project.see_costs") else BudgetTotalSerializer


# --- what the caller writes ------------------------------------------------------------


def budget_projects(request):
    return Project.objects.visible_to(request.user, "budget.view")


class BudgetStartSerializer(serializers.Serializer):
    project = VisibleField(queryset=Project.objects.all(), visible=budget_projects)


class BudgetSubmitSerializer(serializers.Serializer):
    version = version_field()


class BudgetLineInputSerializer(serializers.Serializer):
    """A line: hours × rate, a fixed amount, or (the contingency) a percentage of the rest."""

    budget = VisibleField(queryset=Budget.objects.all(), help_text="A draft budget.")
    version = version_field()
    kind = serializers.ChoiceField(choices=BudgetLine.Kind.choices)
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
        max_value=MAX_HOURS,
        required=False,
        allow_null=True,
        default=None,
        help_text="More than 0, at most 99,999.99.",
    )
    rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        required=False,
        allow_null=True,
        default=None,
        help_text="A fixed amount instead of hours × rate.",
    )
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="The contingency, 0 to 100.",
    )


class BudgetLineUpdateSerializer(BudgetLineInputSerializer, ChangeSerializer):
    """A change to a line: only the fields sent change (send null to clear one)."""

    not_changed = ("budget",)


class BudgetLineFilter(django_filters.FilterSet):
    budget = django_filters.ModelChoiceFilter(queryset=lambda request: Budget.objects.visible_to(request.user))

    class Meta:
        model = BudgetLine
        fields = ["budget"]


class BudgetFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)

    class Meta:
        model = Budget
        fields = ["project"]


class BudgetAnswerMixin(CurrentOnConflictMixin):
    """Writes answer with the budget as the caller now reads it; a stale one's 409 too."""

    def read_back(self, obj) -> dict:
        budget = obj if isinstance(obj, Budget) else obj.budget
        return BudgetSerializer(budgets_visible_to(self.request.user).get(pk=budget.pk)).data


# --- the endpoints ------------------------------------------------------------------------


@reads_answer(BUDGET_FOR_ROLE)
class BudgetViewSet(BudgetAnswerMixin, viewsets.ReadOnlyModelViewSet):
    """Project budgets, newest revision first per project (`?project=` for one). The
    studio reads them with their lines; brand managers read their brands' approved
    budgets by their totals. Production managers start one from the plan and submit a
    draft for approval; a stale `version` answers 409 with the budget as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = BudgetFilter

    def get_queryset(self):
        return budgets_visible_to(self.request.user)

    def get_serializer_class(self):
        return budget_serializer_for(self.request.user)

    @extend_schema(request=BudgetStartSerializer, responses={201: BudgetSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        """The project's budget as a draft, pre-filled from its plan: one internal labour
        line per discipline (planned hours × the standard cost rate) and a 0 % contingency.
        Refused once the project has a budget (after the baseline: change orders)."""
        require(request.user, "budget.change")
        values = validated(BudgetStartSerializer, request)
        budget = services.budget_start(project=values["project"], user=request.user)
        return Response(self.read_back(budget), status=status.HTTP_201_CREATED)

    @extend_schema(request=BudgetSubmitSerializer, responses={200: BudgetSerializer, **STALE})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft budget with at least one line for approval (an executive step
        above the studio's threshold); below it, it may be approved at once."""
        budget = self.get_object()
        require(request.user, "budget.change", budget.project)
        values = validated(BudgetSubmitSerializer, request)
        budget = services.budget_submit(budget=budget, user=request.user, **values)
        return Response(self.read_back(budget))


class BudgetLineViewSet(BudgetAnswerMixin, viewsets.ReadOnlyModelViewSet):
    """The lines of the budgets the caller may see the costs of (`?budget=` for one):
    the studio's only. Production managers add, change and remove a draft's lines with
    the budget's `version`; each write answers with the whole budget (its new version
    and totals), a stale one with a 409 that carries the budget as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = BudgetLineFilter
    serializer_class = BudgetLineSerializer

    def get_queryset(self):
        return (
            BudgetLine.objects.visible_to(self.request.user)
            .with_totals()
            .select_related("discipline")
            .order_by("budget_id", "kind", "pk")
        )

    def for_change(self) -> BudgetLine:
        line = self.get_object()
        require(self.request.user, "budget.change", line.budget.project)
        return line

    @extend_schema(request=BudgetLineInputSerializer, responses={201: BudgetSerializer, **STALE})
    def create(self, request, *args, **kwargs):
        """Add a line to a draft budget."""
        require(request.user, "budget.change")
        values = validated(BudgetLineInputSerializer, request)
        budget = services.budget_line_add(user=request.user, **values).budget
        return Response(self.read_back(budget), status=status.HTTP_201_CREATED)

    @extend_schema(request=BudgetLineUpdateSerializer, responses={200: BudgetSerializer, **STALE})
    def partial_update(self, request, *args, **kwargs):
        """Change a line of a draft budget."""
        line = self.for_change()
        values = validated(BudgetLineUpdateSerializer, request)
        services.budget_line_change(line=line, user=request.user, **values)
        return Response(self.read_back(line))

    @extend_schema(
        parameters=[version_parameter("The budget's version the caller last read (or send it in the body).")],
        request=BudgetSubmitSerializer,
        responses={200: BudgetSerializer, **STALE},
    )
    def destroy(self, request, *args, **kwargs):
        """Remove a line from a draft budget; answers with the budget."""
        line = self.for_change()
        services.budget_line_remove(line=line, user=request.user, **validated_version(BudgetSubmitSerializer, request))
        return Response(self.read_back(line))
