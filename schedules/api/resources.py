"""REST API for utilization, the resource forecast and who is free: the same read
functions and access as the pages (production managers and executives; others 403)."""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from studio import clock
from studio.api import DisciplineRefSerializer
from studio.api_views import checked
from studio.models import Talent
from studio.permissions import VisibleToPermission, can, require

from ..filters import StudioUtilizationFilter, UtilizationWeeksFilter, WhoIsFreeFilter
from ..forecast import MAX_FREE_DAYS, free_people, resource_forecast, with_talent
from ..utilization import (
    MAX_UTILIZATION_WEEKS,
    UTILIZATION_WEEKS,
    WEEKS_BEFORE,
    utilization_by_person,
    utilization_of_disciplines,
    utilization_people,
)

HOURS = {"max_digits": 9, "decimal_places": 2, "read_only": True}
DENIED = {403: OpenApiResponse(description="Only production managers and executives.")}
WEEKS_PARAMETERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description=f"A day of the first week; by default {WEEKS_BEFORE} weeks ago."
    ),
    OpenApiParameter(
        "weeks", {"type": "integer", "maximum": MAX_UTILIZATION_WEEKS, "minimum": 1, "default": UTILIZATION_WEEKS}
    ),
]


class UtilizationWeekSerializer(serializers.Serializer):
    week = serializers.DateField(read_only=True, help_text="The Monday.")
    capacity = serializers.DecimalField(**HOURS)
    booked = serializers.DecimalField(**HOURS, help_text="Confirmed and tentative.")
    logged = serializers.DecimalField(**HOURS, help_text="On approved timesheets.")
    booked_percent = serializers.DecimalField(max_digits=7, decimal_places=0, read_only=True, allow_null=True)
    logged_percent = serializers.DecimalField(max_digits=7, decimal_places=0, read_only=True, allow_null=True)


class UtilizationRowSerializer(serializers.Serializer):
    discipline = DisciplineRefSerializer(read_only=True)
    weeks = UtilizationWeekSerializer(many=True, read_only=True)


class UtilizationSerializer(serializers.Serializer):
    disciplines = UtilizationRowSerializer(many=True, read_only=True)
    studio = UtilizationWeekSerializer(many=True, read_only=True)


class UtilizationView(APIView):
    """Booked and logged hours against capacity per discipline and for the studio, by week."""

    permission_classes = [VisibleToPermission]

    @extend_schema(parameters=WEEKS_PARAMETERS, responses={200: UtilizationSerializer, **DENIED})
    def get(self, request):
        require(request.user, "schedule.team")
        mondays = checked(StudioUtilizationFilter(request.query_params, today=clock.today())).mondays
        disciplines, studio = utilization_of_disciplines(mondays)
        data = {
            "disciplines": [{"discipline": d, "weeks": _weeks_data(by_week, mondays)} for d, by_week in disciplines],
            "studio": _weeks_data(studio, mondays),
        }
        return Response(UtilizationSerializer(data).data)


def _weeks_data(by_week, mondays: list[dt.date]) -> list[dict]:
    return [
        {
            "week": monday,
            **vars(by_week[monday]),
            "booked_percent": by_week[monday].booked_percent,
            "logged_percent": by_week[monday].logged_percent,
        }
        for monday in mondays
        if monday in by_week
    ]


class UtilizationPersonSerializer(serializers.Serializer):
    talent = serializers.IntegerField(source="talent.pk", read_only=True)
    name = serializers.CharField(source="talent.user", read_only=True)
    discipline = DisciplineRefSerializer(source="talent.discipline", read_only=True)
    weeks = UtilizationWeekSerializer(many=True, read_only=True)


class UtilizationPeopleView(generics.GenericAPIView):
    """Booked and logged hours against capacity per person, by week; active people,
    paginated, by name."""

    permission_classes = [VisibleToPermission]
    serializer_class = UtilizationPersonSerializer
    # For the schema only: rows come from the active people in `get`.
    queryset = Talent.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("discipline", OpenApiTypes.INT), *WEEKS_PARAMETERS],
        responses={200: UtilizationPersonSerializer(many=True), **DENIED},
    )
    def get(self, request):
        require(request.user, "schedule.team")
        people = utilization_people(Talent.objects.visible_to(request.user))
        filters = checked(UtilizationWeeksFilter(request.query_params, queryset=people, today=clock.today()))
        mondays = filters.mondays
        page = self.paginate_queryset(filters.qs)
        by_person = utilization_by_person(mondays[0], len(mondays), [person.pk for person in page])
        rows = [{"talent": person, "weeks": _weeks_data(by_person[person.pk], mondays)} for person in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ForecastWeekSerializer(serializers.Serializer):
    week = serializers.DateField(read_only=True, help_text="The Monday; the first week counts from tomorrow.")
    demand = serializers.DecimalField(**HOURS)
    capacity = serializers.DecimalField(**HOURS)
    gap = serializers.DecimalField(**HOURS, help_text="Freelance hours to source: demand over capacity.")
    gap_cost = serializers.DecimalField(
        **HOURS, allow_null=True, help_text="The gap at the discipline's freelance cost rate."
    )
    load_percent = serializers.DecimalField(max_digits=7, decimal_places=0, read_only=True, allow_null=True)


class ForecastRowSerializer(serializers.Serializer):
    discipline = DisciplineRefSerializer(read_only=True)
    weeks = ForecastWeekSerializer(source="cells", many=True, read_only=True)


class ForecastSerializer(serializers.Serializer):
    weeks = serializers.ListField(child=serializers.DateField(), read_only=True)
    disciplines = ForecastRowSerializer(source="rows", many=True, read_only=True)
    studio = ForecastWeekSerializer(many=True, read_only=True, help_text="The gap sums the disciplines' gaps.")


class ForecastView(APIView):
    """The next 12 weeks by discipline: demand, capacity and the freelance gap with its cost."""

    permission_classes = [VisibleToPermission]

    @extend_schema(responses={200: ForecastSerializer, **DENIED})
    def get(self, request):
        require(request.user, "schedule.team")
        data = ForecastSerializer(resource_forecast(today=clock.today())).data
        if not can(request.user, "project.see_costs"):
            for week in [w for row in data["disciplines"] for w in row["weeks"]] + data["studio"]:
                week["gap_cost"] = None
        return Response(data)


class FreeTalentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    discipline = DisciplineRefSerializer(read_only=True)

    class Meta:
        model = Talent
        fields = ["id", "name", "discipline", "employment", "hours_per_day"]
        read_only_fields = fields


class FreePersonSerializer(serializers.Serializer):
    talent = FreeTalentSerializer(read_only=True)
    free = serializers.DecimalField(**HOURS, help_text="Capacity less every booking, tentative too.")
    cost_rate = serializers.DecimalField(**HOURS, allow_null=True, help_text="The rate card in force on `start`.")


class WhoIsFreeView(generics.GenericAPIView):
    """People with free hours from `start` to `end`, most free hours first, then the lowest cost rate."""

    permission_classes = [VisibleToPermission]
    serializer_class = FreePersonSerializer
    queryset = Talent.objects.none()  # For the schema only.

    @extend_schema(
        parameters=[
            OpenApiParameter("discipline", OpenApiTypes.INT),
            OpenApiParameter("skill", OpenApiTypes.INT),
            OpenApiParameter("start", OpenApiTypes.DATE, description="By default next Monday."),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, description=f"By default next Friday; at most {MAX_FREE_DAYS} days."
            ),
        ],
        responses={200: FreePersonSerializer(many=True), 400: OpenApiResponse(description="Field errors."), **DENIED},
    )
    def get(self, request):
        require(request.user, "schedule.team")
        filters = checked(
            WhoIsFreeFilter(request.query_params, queryset=Talent.objects.visible_to(request.user), today=clock.today())
        )
        start, end = filters.range
        page = self.paginate_queryset(free_people(start=start, end=end, people=filters.qs))
        return self.get_paginated_response(self.get_serializer(with_talent(page), many=True).data)
