"""REST API for the nightly metrics, read-only: the snapshots (`/api/metric-snapshots/`)
and the catalogue they are computed from (`/api/metrics/catalogue/`).

Reads follow DESIGN §1 through `MetricSnapshot.objects.visible_to`: the studio's roles
read every metric, people's (per discipline and per person) with `metric.people`; money
(`costs`) with `project.see_costs` alone; brand managers their own brands' and their
projects' schedule health and satisfaction; everyone else nothing (empty lists). The
catalogue lists what the caller may read, each metric with the scopes they read it in.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from studio.api_views import answers
from studio.dates import day_text
from studio.permissions import VisibleToPermission
from studio.workdays import EARLIEST_DAY, LATEST_DAY

from .catalogue import CATALOGUE, METRICS, MONEY, SCOPES, STUDIO
from .models import MetricSnapshot, readable_catalogue
from .nightly import MAX_RANGE_DAYS

CENTS = Decimal("0.01")
# A scope key as the nightly job writes it: `studio`, or `<kind>:<id>`.
SCOPE_KEY = RegexValidator(
    rf"^(?:{STUDIO}|(?:{'|'.join(kind for kind in SCOPES if kind != STUDIO)}):[1-9][0-9]{{0,17}})\Z",
    _("A scope is studio, or project:<id>, brand:<id>, discipline:<id> or talent:<id>."),
    code="invalid_scope",
)


# --- the question --------------------------------------------------------------------------


def in_window(day: dt.date) -> None:
    """Refuse a day outside the studio's calendar (`studio.workdays`)."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(
            _("Choose a date from %(first)s to %(last)s.")
            % {"first": day_text(EARLIEST_DAY), "last": day_text(LATEST_DAY)},
            code="out_of_window",
        )


class SnapshotDateField(forms.DateField):
    """An ISO date (2026-11-25) inside the studio's calendar."""

    input_formats = ["%Y-%m-%d"]
    default_validators = [in_window]


class SnapshotDateFilter(django_filters.DateFilter):
    field_class = SnapshotDateField


class SnapshotQueryForm(forms.Form):
    """The whole question: each parameter once, a range that ends after it starts and
    spans at most MAX_RANGE_DAYS days (as a backfill does)."""

    def clean(self):
        data = super().clean()
        for name in self.fields:
            # A repeated parameter would otherwise be read as its last value, silently.
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, _("Give one value."))
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The range cannot end before it starts."))
        elif first and last and (last - first).days + 1 > MAX_RANGE_DAYS:
            self.add_error("date_to", _("Ask for at most %(days)d days at a time.") % {"days": MAX_RANGE_DAYS})
        return data


class MetricSnapshotFilter(django_filters.FilterSet):
    """Snapshots by scope (`project:42`, `studio`), kind of scope, metric and dates."""

    scope = django_filters.CharFilter(
        field_name="scope_key",
        max_length=40,
        validators=[SCOPE_KEY],
        help_text="One scope: studio, project:<id>, brand:<id>, discipline:<id> or talent:<id>.",
    )
    scope_kind = django_filters.ChoiceFilter(
        choices=[(kind, kind) for kind in SCOPES],
        method="filter_scope_kind",
        error_messages={"invalid_choice": _("A kind of scope is studio, project, brand, discipline or talent.")},
        help_text="Every scope of one kind.",
    )
    metric = django_filters.ChoiceFilter(
        choices=[(metric.key, metric.key) for metric in METRICS],
        error_messages={"invalid_choice": _("Not a metric of the catalogue (/api/metrics/catalogue/).")},
        help_text="A key of the catalogue.",
    )
    date_from = SnapshotDateFilter(field_name="date", lookup_expr="gte", help_text="The first date, ISO 8601.")
    date_to = SnapshotDateFilter(
        field_name="date",
        lookup_expr="lte",
        help_text=f"The last date, ISO 8601; at most {MAX_RANGE_DAYS} days from `date_from`, counted in.",
    )

    class Meta:
        model = MetricSnapshot
        fields = ["scope", "scope_kind", "metric", "date_from", "date_to"]
        form = SnapshotQueryForm

    def filter_scope_kind(self, queryset, name, kind: str):
        return queryset.of_kind(kind)


# --- the answer ------------------------------------------------------------------------------


class MetricSnapshotSerializer(serializers.ModelSerializer):
    """One metric's value for one scope on one night."""

    value = serializers.SerializerMethodField(
        help_text="Money in cents, rounded half-up; other units as stored, six places. Null while undefined "
        "or for a date-valued metric."
    )
    value_date = serializers.DateField(
        allow_null=True, read_only=True, help_text="The value of a date-valued metric (a forecast finish), or null."
    )
    unit = serializers.SerializerMethodField(help_text="The metric's unit, from the catalogue.")

    class Meta:
        model = MetricSnapshot
        fields = ["date", "scope_key", "metric", "value", "value_date", "unit"]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_value(self, snapshot) -> str | None:
        if snapshot.value is None:
            return None
        if CATALOGUE[snapshot.metric].unit == MONEY:
            return format(snapshot.value.quantize(CENTS, rounding=ROUND_HALF_UP), "f")
        return format(snapshot.value, "f")

    def get_unit(self, snapshot) -> str:
        return CATALOGUE[snapshot.metric].unit


class MetricSerializer(serializers.Serializer):
    """A metric of the catalogue, with the scopes the caller reads it in."""

    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    # Text, not enums: a second `FamilyEnum` or `UnitEnum` in the schema would collide by name.
    family = serializers.CharField(read_only=True, help_text="schedule, money, productivity or satisfaction.")
    scopes = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="studio, project, brand, discipline, talent."
    )
    unit = serializers.CharField(read_only=True)
    formula = serializers.CharField(read_only=True)
    higher_is_better = serializers.BooleanField(
        allow_null=True, read_only=True, help_text="Null where neither way is better."
    )
    costs = serializers.BooleanField(read_only=True, help_text="Money: the studio's roles only.")


# --- the endpoints ---------------------------------------------------------------------------

INVALID = "An unknown metric, a malformed scope or date, a range backwards or too long, a parameter given twice."


@extend_schema_view(list=extend_schema(responses=answers(MetricSnapshotSerializer, invalid=INVALID)))
class MetricSnapshotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The nightly snapshots the caller may read, by date, scope and metric. No object of
    its own: a night's rows are replaced when it is recomputed."""

    permission_classes = [VisibleToPermission]
    filterset_class = MetricSnapshotFilter
    serializer_class = MetricSnapshotSerializer

    def get_queryset(self):
        return (
            MetricSnapshot.objects.visible_to(self.request.user)
            .only("date", "scope_key", "metric", "value", "value_date")
            .order_by("date", "scope_key", "metric")
        )


class MetricCatalogueViewSet(viewsets.ViewSet):
    """The metrics the caller may read, in the catalogue's order."""

    permission_classes = [VisibleToPermission]

    @extend_schema(responses=MetricSerializer(many=True))
    def list(self, request):
        return Response(MetricSerializer(readable_catalogue(request.user), many=True).data)
