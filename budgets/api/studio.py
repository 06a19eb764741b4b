"""The studio's production budget per period and its freelance-support pool, for the studio
(read-only here: the budgets page sets them).

The list gives each period's budget and pool; one studio budget read alone adds the pool's
figures as of today (DESIGN §3, "The studio budget"). The figures cost a handful of queries
per budget, so a page of the list does not compute them: the list stays at a fixed number
of queries however many periods there are.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from studio import clock
from studio.permissions import VisibleToPermission

from ..models import StudioBudget
from ..studio_budget import PoolFigures, pool_figures
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
        fields = ["id", "name", "period_start", "period_end", "amount", "freelance_pool"]
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


class StudioBudgetViewSet(viewsets.ReadOnlyModelViewSet):
    """The studio's budgets, latest period first; one read alone comes with its
    freelance-support pool's figures as of today (actual, committed, if every hold is
    confirmed, remaining, the run-out date)."""

    permission_classes = [VisibleToPermission]

    def get_queryset(self):
        return StudioBudget.objects.visible_to(self.request.user, "studio_budget.view").order_by("-period_start")

    def get_serializer_class(self):
        return StudioBudgetWithFiguresSerializer if self.action == "retrieve" else StudioBudgetSerializer
