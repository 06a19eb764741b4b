"""REST API for the portfolio (`/api/metrics/portfolio/`), read-only: the rows of the page
at /metrics/ (`metrics.views_portfolio.portfolio`) as JSON, from the same read model
(`metrics.portfolio`: `portfolio_rows`, `sort_rows`, the studio's `Thresholds`), the same
filters (`projects.filters.PortfolioFilter`, active projects unless `status` says
otherwise) and the same access: `metric.view` (creatives and freelancers 403), brand
managers their own brands' projects, the budget (money) only for `project.see_costs`.

Where the page forgives a bad question (it sorts by project, ignores a filter), the API
answers 400 with field errors: a client learns at once that it was not answered."""

import datetime as dt
from decimal import ROUND_HALF_UP

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from projects.api.refs import BrandRefSerializer
from projects.filters import PortfolioFilter
from projects.models import Project
from studio import clock
from studio.api import PersonSerializer, schema_for_roles
from studio.api_views import answers, checked
from studio.permissions import VisibleToPermission, can, require

from .portfolio import (
    AMBER,
    COLUMNS,
    DEFAULT_SORT,
    GREEN,
    GREY,
    RED,
    PortfolioRow,
    Thresholds,
    latest_night,
    portfolio_rows,
    sort_rows,
)

# As `MetricSnapshotSerializer`: money in cents rounded half-up, other units as stored.
MONEY = {"max_digits": 20, "decimal_places": 2, "rounding": ROUND_HALF_UP, "allow_null": True, "read_only": True}
STORED = {"max_digits": 20, "decimal_places": 6, "allow_null": True, "read_only": True}
# Text, not an enum: a second choice set of fields named `status` collides by name in the schema.
RAG = {"read_only": True, "help_text": f"{RED}, {AMBER}, {GREEN}, or {GREY} where a figure it needs is missing."}
# The longest a project's name may be: a longer search cannot match any code or name.
MAX_SEARCH = 200
# Each parameter once: a repeated one would otherwise be read as its last value, silently.
PARAMETERS = ("sort", "page", "status", "brand", "pm", "q")
SORTS = [key for column in COLUMNS for key in (column.key, f"-{column.key}")]
MONEY_SORTS = [key for column in COLUMNS if column.costs for key in (column.key, f"-{column.key}")]


# --- the question --------------------------------------------------------------------------


class PortfolioQuerySerializer(serializers.Serializer):
    """What the filterset does not check: the sort (a column the caller may see), the page
    (a number, not the nearest page as on the page), the search's length and the status
    without repeating it back; each parameter once."""

    # The messages do not repeat the value back (a refusal could otherwise echo a huge one).
    sort = serializers.ChoiceField(
        choices=SORTS,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _("Not a column of the portfolio.")},
    )
    # Checked here before the filterset, whose message repeats the value.
    status = serializers.ChoiceField(
        choices=Project.Status.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _("Not a status of a project.")},
    )
    page = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_SEARCH, trim_whitespace=False)

    def validate_sort(self, sort: str) -> str:
        if sort in MONEY_SORTS and not self.context["sees_costs"]:
            raise serializers.ValidationError(_("Sorting by money is for those who may see costs."))
        return sort or DEFAULT_SORT

    def validate(self, data):
        errors = {name: [_("Give one value.")] for name in PARAMETERS if len(self.initial_data.getlist(name)) > 1}
        if errors:
            raise serializers.ValidationError(errors)
        return data


# --- the answer ------------------------------------------------------------------------------


class PortfolioScheduleSerializer(serializers.Serializer):
    """Schedule health: SV(t), SPI(t) and the forecast finish, judged by the studio's
    `schedule_behind_days`."""

    sv_t = serializers.DecimalField(
        source="figures.sv_t.value", **STORED, help_text="SV(t) = ES − AT, in working days; negative is behind."
    )
    spi_t = serializers.DecimalField(source="figures.spi_t.value", **STORED, help_text="SPI(t) = ES / AT.")
    forecast_finish = serializers.DateField(source="figures.forecast_finish.value", allow_null=True, read_only=True)
    status = serializers.CharField(source="schedule.status", **RAG)
    reason = serializers.CharField(source="schedule.reason", read_only=True, help_text="Why, with the figures.")


class PortfolioSatisfactionSerializer(serializers.Serializer):
    """Client satisfaction over the 90 days ending the night, judged by the studio's `csat_target`."""

    csat = serializers.DecimalField(
        source="figures.csat.value", **STORED, help_text="The share of answers rated 4 or 5 (0 to 1)."
    )
    responses = serializers.DecimalField(source="figures.responses.value", **STORED, help_text="How many answers.")
    status = serializers.CharField(source="satisfaction.status", **RAG)
    reason = serializers.CharField(source="satisfaction.reason", read_only=True, help_text="Why, with the figures.")


class PortfolioBudgetSerializer(serializers.Serializer):
    """Budget health, judged by the studio's `budget_warning_ratio`. Money: the studio's roles only."""

    cpi = serializers.DecimalField(source="figures.cpi.value", **STORED, help_text="CPI = EVm / AC.")
    eac = serializers.DecimalField(source="figures.eac.value", **MONEY, help_text="Estimate at completion.")
    bac_money = serializers.DecimalField(source="figures.bac_money.value", **MONEY, help_text="Budget at completion.")
    cost = serializers.DecimalField(source="figures.cost.value", **MONEY, help_text="Actual cost to date.")
    margin_at_completion = serializers.DecimalField(
        source="figures.margin_at_completion.value", **STORED, help_text="(Fee in force − EAC) / fee in force."
    )
    status = serializers.CharField(source="budget.status", **RAG)
    reason = serializers.CharField(source="budget.reason", read_only=True, help_text="Why, with the figures.")


class PortfolioRowSerializer(serializers.Serializer):
    """A project's health on the night, as a brand manager reads it: no budget."""

    id = serializers.IntegerField(source="project.pk", read_only=True)
    code = serializers.CharField(source="project.code", read_only=True)
    name = serializers.CharField(source="project.name", read_only=True)
    brand = BrandRefSerializer(source="project.brand", read_only=True, allow_null=True)
    pm = PersonSerializer(source="project.pm", read_only=True)
    status = serializers.ChoiceField(source="project.status", choices=Project.Status.choices, read_only=True)
    due_date = serializers.DateField(source="project.due_date", read_only=True)
    night = serializers.SerializerMethodField(
        help_text="The night whose snapshots the figures are; null before the first night is computed "
        "(every figure null, every status grey)."
    )
    schedule = PortfolioScheduleSerializer(source="*", read_only=True)
    satisfaction = PortfolioSatisfactionSerializer(source="*", read_only=True)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_night(self, row: PortfolioRow) -> dt.date | None:
        return self.context["night"]


class PortfolioRowWithBudgetSerializer(PortfolioRowSerializer):
    """A project's health on the night as the studio's roles read it: with its budget."""

    budget = PortfolioBudgetSerializer(source="*", read_only=True)


PORTFOLIO_ROW_FOR_ROLE = schema_for_roles(
    "PortfolioRowForRole", PortfolioRowWithBudgetSerializer, PortfolioRowSerializer
)


# --- the endpoint ----------------------------------------------------------------------------

INVALID = (
    "An unknown sort or one by money without seeing costs, an unknown status, brand or production manager, "
    "a page that is not a number, a search too long or with a NUL, a parameter given twice."
)
FORBIDDEN = "Creatives and freelancers: the metrics are not theirs."
QUERY = [
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=SORTS,
        description=f"A column, `-` first for descending; by `{DEFAULT_SORT}` (its code) when absent. A cell "
        "without a value sorts last either way; statuses worst first. The money columns "
        f"({', '.join(key for key in MONEY_SORTS if not key.startswith('-'))}) only for those who see costs.",
    ),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=[*Project.Status.values, ""],
        description=f"The project's status; `{Project.Status.ACTIVE}` when absent, any when empty.",
    ),
    OpenApiParameter("brand", OpenApiTypes.INT, description="A brand the caller may see."),
    OpenApiParameter("pm", OpenApiTypes.INT, description="The production manager, a user id."),
    OpenApiParameter("q", OpenApiTypes.STR, description=f"Words of the code or name; at most {MAX_SEARCH} characters."),
]


@extend_schema_view(
    list=extend_schema(
        parameters=QUERY, responses=answers(PORTFOLIO_ROW_FOR_ROLE, invalid=INVALID, forbidden=FORBIDDEN)
    )
)
class PortfolioViewSet(viewsets.GenericViewSet):
    """The projects the caller may see the metrics of, each with its schedule, satisfaction
    and (for the studio's roles) budget health as of the latest night, the statuses by the
    studio's thresholds as they are now; a page at a time."""

    permission_classes = [VisibleToPermission]
    # For the schema only: rows come from `portfolio_rows` in `list`.
    queryset = Project.objects.none()
    serializer_class = PortfolioRowSerializer

    def get_serializer_class(self):
        return PortfolioRowWithBudgetSerializer if self._sees_costs() else PortfolioRowSerializer

    def _sees_costs(self) -> bool:
        return can(self.request.user, "project.see_costs")

    def list(self, request):
        user = request.user
        require(user, "metric.view")
        sees_costs = self._sees_costs()
        query = PortfolioQuerySerializer(data=request.query_params, context={"sees_costs": sees_costs})
        query.is_valid(raise_exception=True)
        data = request.query_params.copy()
        data.setdefault("status", Project.Status.ACTIVE)
        projects = Project.objects.visible_to(user, "metric.view").select_related("brand", "pm").order_by("code", "pk")
        filters = checked(PortfolioFilter(data, queryset=projects, request=request))
        night = latest_night(clock.today())
        rows = portfolio_rows(filters.qs, night=night, limits=Thresholds.load(), sees_costs=sees_costs)
        # The sort is checked above: `sort_rows` never falls back to the project here.
        rows, _sort = sort_rows(rows, query.validated_data.get("sort", DEFAULT_SORT), sees_costs=sees_costs)
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page, many=True, context={**self.get_serializer_context(), "night": night})
        return self.get_paginated_response(serializer.data)
