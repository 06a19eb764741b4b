"""The studio's production budget per period and its freelance-support pool, for the studio;
production managers and executives add a period and set its amount and pool, through the
services the budgets page uses.

The list gives each period's budget and pool; one studio budget read alone adds the pool's
figures as of today (DESIGN §3, "The studio budget"). The figures cost a handful of queries
per budget, so a page of the list does not compute them: the list stays at a fixed number
of queries however many periods there are. `pool-effect` answers what a proposed freelancer
booking would do to the pool, before the booking is sent to `/api/bookings/`.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api.common import conflict_schema, version_field
from studio import clock
from studio.api_views import CurrentOnConflictMixin, answers, validated
from studio.limits import MAX_AMOUNT
from studio.permissions import VisibleToPermission, require

from ..forms_studio import PoolEffectForm
from ..models import MONEY, StudioBudget
from ..services import studio as services
from ..studio_budget import PoolFigures, pool_after_booking, pool_figures
from .budgets import money


def hours(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


class PoolFiguresSerializer(serializers.Serializer):
    """The freelance-support pool as of the end of `day`."""

    day = serializers.DateField(read_only=True)
    pool = money()
    actual_labour = money(help_text="Freelancers' approved hours in the period × their cost rate on each date.")
    actual_costs = money(help_text="Freelance costs counted in the period.")
    actual = money()
    committed_hours = hours(help_text="Hours confirmed freelancer bookings land after `day` in the period.")
    committed = money()
    tentative_hours = hours(help_text="Hours tentative freelancer bookings would land.")
    if_holds_confirmed = money(help_text="The money of the tentative hours.")
    remaining = money(help_text="pool − actual − committed.")
    remaining_if_holds_confirmed = money()
    spent_last_28_days = money()
    burn_rate = money(help_text="Per working day, over the 28 days ending `day`.")
    run_out_date = serializers.DateField(read_only=True, allow_null=True)
    over_pool = serializers.BooleanField(read_only=True)
    spent_fraction = serializers.DecimalField(
        max_digits=12, decimal_places=4, read_only=True, allow_null=True, help_text="actual / pool."
    )
    unrated_hours = hours(help_text="Logged or booked hours with no rate card, counted at 0.")


class StudioBudgetSerializer(serializers.ModelSerializer):
    amount = money()
    freelance_pool = money()

    class Meta:
        model = StudioBudget
        fields = ["id", "name", "period_start", "period_end", "amount", "freelance_pool", "version"]
        read_only_fields = fields


class StudioBudgetWithFiguresSerializer(StudioBudgetSerializer):
    """A studio budget with its pool's figures as of today."""

    figures = serializers.SerializerMethodField()

    class Meta(StudioBudgetSerializer.Meta):
        fields = read_only_fields = [*StudioBudgetSerializer.Meta.fields, "figures"]

    @extend_schema_field(PoolFiguresSerializer)
    def get_figures(self, studio_budget) -> dict:
        figures: PoolFigures = pool_figures(studio_budget, clock.today())
        return PoolFiguresSerializer(figures).data


def _money_input(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(min_value=0, max_value=MAX_AMOUNT, **MONEY, **kwargs)


class StudioBudgetSetSerializer(serializers.Serializer):
    """A period's amount and freelance pool (the pool within the amount)."""

    version = version_field()
    amount = _money_input()
    freelance_pool = _money_input()


class StudioBudgetAddSerializer(serializers.Serializer):
    """A new period of the studio budget: its dates do not overlap another's start."""

    name = serializers.CharField(max_length=StudioBudget._meta.get_field("name").max_length)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    amount = _money_input()
    freelance_pool = _money_input(default=0)


class PoolEffectSerializer(serializers.Serializer):
    """What a proposed booking would do to the pool of the period its start falls in."""

    studio_budget = StudioBudgetSerializer(allow_null=True, help_text="Null when no period covers the start.")
    affects_pool = serializers.BooleanField(help_text="False for staff, placeholders and talent without a rate.")
    status = serializers.CharField()
    hours = hours(help_text="The hours the booking lands after today in the period.")
    cost = money(help_text="Those hours at the freelancer's cost rate valid today.")
    replaced_cost = money(help_text="For a change to a saved booking: its cost before the change.")
    committed = money()
    if_holds_confirmed = money()
    remaining = money(help_text="pool − actual − committed, after the booking.")
    remaining_if_holds_confirmed = money()
    exceeds_pool = serializers.BooleanField()


POOL_EFFECT_PARAMETERS = [
    OpenApiParameter("talent", int, required=True),
    OpenApiParameter("start_date", str, required=True, description="YYYY-MM-DD"),
    OpenApiParameter("end_date", str, required=True, description="YYYY-MM-DD"),
    OpenApiParameter("hours_per_day", str, description="Default: the person's hours a day."),
    OpenApiParameter("status", str, description="tentative or confirmed; default: the saved booking's."),
    OpenApiParameter("include_weekends", bool),
    OpenApiParameter("booking", int, description="A saved booking this would change."),
]
STALE = {409: conflict_schema("StudioBudgetConflict", StudioBudgetSerializer)}
REFUSALS = {
    "invalid": "Bad input: the pool above the amount, dates outside the plan window, a period that exists.",
    "forbidden": "Only production managers and executives set the studio budget.",
}


class StudioBudgetViewSet(CurrentOnConflictMixin, viewsets.ReadOnlyModelViewSet):
    """The studio's budgets, latest period first; one read alone comes with its
    freelance-support pool's figures as of today (actual, committed, if every hold is
    confirmed, remaining, the run-out date). Production managers and executives add a
    period and set its amount and pool with its `version` (a stale one: 409 with the
    period as it is now)."""

    permission_classes = [VisibleToPermission]

    def get_queryset(self):
        return StudioBudget.objects.visible_to(self.request.user, "studio_budget.view").order_by("-period_start")

    def get_serializer_class(self):
        return StudioBudgetWithFiguresSerializer if self.action == "retrieve" else StudioBudgetSerializer

    def read_back(self, obj) -> dict:
        return StudioBudgetSerializer(self.get_queryset().get(pk=obj.pk)).data

    @extend_schema(request=StudioBudgetAddSerializer, responses=answers(StudioBudgetSerializer, code=201, **REFUSALS))
    def create(self, request, *args, **kwargs):
        """Add a period of the studio budget, with its freelance pool."""
        require(request.user, "studio_budget.change")
        studio_budget = services.studio_budget_add(user=request.user, **validated(StudioBudgetAddSerializer, request))
        return self.answer(studio_budget, code=status.HTTP_201_CREATED)

    @extend_schema(request=StudioBudgetSetSerializer, responses=answers(StudioBudgetSerializer, **REFUSALS) | STALE)
    def partial_update(self, request, *args, **kwargs):
        """Set a period's amount and freelance pool."""
        require(request.user, "studio_budget.change")
        studio_budget = self.get_object()
        values = validated(StudioBudgetSetSerializer, request)
        return self.answer(services.studio_budget_set(studio_budget=studio_budget, user=request.user, **values))

    @extend_schema(parameters=POOL_EFFECT_PARAMETERS, responses=answers(PoolEffectSerializer, invalid="Bad input."))
    @action(detail=False, methods=["get"], url_path="pool-effect")
    def pool_effect(self, request):
        """What a proposed booking (or a change to a saved one, `booking`) would do to the
        freelance pool of the period its start falls in, before it is saved."""
        require(request.user, "studio_budget.view")
        form = PoolEffectForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        fields = form.booking_fields()
        studio_budget = StudioBudget.objects.covering(fields["start_date"]).first()
        if studio_budget is None:
            return Response({"studio_budget": None, "affects_pool": False})
        effect = pool_after_booking(studio_budget, fields, clock.today())
        data = PoolEffectSerializer(effect).data
        data["studio_budget"] = StudioBudgetSerializer(studio_budget).data
        return Response(data)
