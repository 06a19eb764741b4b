"""REST API for the schedule of a person or the team over a range of days (DESIGN §4,
"Team schedule"): each person's days (capacity after time off and holidays, hours
booked, clashes) and the bookings drawn on them.

The same read model (`team.py`), filters and access as the team schedule page:
production managers and executives see the team, creatives and freelancers only
their own row, brand managers nobody (403).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from studio import clock
from studio.api import DisciplineRefSerializer
from studio.api_views import answers, checked
from studio.models import Talent
from studio.permissions import VisibleToPermission, can

from ..filters import TeamScheduleFilter
from ..forms.dates import plan_date
from ..models import TimeOff
from ..team import Window, schedule_people, schedule_rows
from .bookings import BookingSerializer

# About a quarter: a longer range is a report, not a schedule, and its rows grow with days.
MAX_DAYS = 92
HOURS = {"max_digits": 7, "decimal_places": 2, "read_only": True}


class ScheduleQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day, ISO 8601.", validators=[plan_date])
    end = serializers.DateField(
        help_text=f"The last day, ISO 8601; at most {MAX_DAYS} days after `start`, counted in.", validators=[plan_date]
    )
    talent = serializers.IntegerField(
        required=False, min_value=1, help_text="One person's schedule; another person's is empty for creatives."
    )

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": _("The end cannot be before the start.")})
        if (data["end"] - data["start"]).days + 1 > MAX_DAYS:
            raise serializers.ValidationError(
                {"end": _("Ask for at most %(days)d days at a time.") % {"days": MAX_DAYS}}
            )
        return data


class ScheduleTalentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    discipline = DisciplineRefSerializer(read_only=True)

    class Meta:
        model = Talent
        fields = ["id", "name", "discipline", "employment", "hours_per_day", "overtime_hours_per_day"]
        read_only_fields = fields


class ScheduleTimeOffSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeOff
        fields = ["id", "full_day", "hours_per_day", "status"]
        read_only_fields = fields


class ScheduleDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day", read_only=True)
    capacity = serializers.DecimalField(**HOURS, help_text="Working hours after time off and holidays.")
    confirmed = serializers.DecimalField(**HOURS)
    tentative = serializers.DecimalField(**HOURS)
    booked = serializers.DecimalField(**HOURS, help_text="Confirmed plus tentative.")
    is_clash = serializers.BooleanField(
        read_only=True, help_text="Booked past the person's hours per day plus overtime."
    )
    # Text, not an enum: a second `StateEnum` in the schema would collide by name.
    state = serializers.CharField(read_only=True, help_text="clash, over, off, full, free or part.")
    holiday = serializers.CharField(read_only=True, help_text="The studio holiday's name, or empty.")
    time_off = ScheduleTimeOffSerializer(many=True, read_only=True, help_text="Requested or approved.")


class ScheduleRowSerializer(serializers.Serializer):
    """A person across the days; or, with `talent` null, the placeholder bookings of a
    discipline, still to be staffed."""

    talent = ScheduleTalentSerializer(read_only=True, allow_null=True)
    discipline = DisciplineRefSerializer(read_only=True)
    days = ScheduleDaySerializer(source="cells", many=True, read_only=True)
    bookings = serializers.SerializerMethodField()

    @extend_schema_field(BookingSerializer(many=True))
    def get_bookings(self, row):
        bookings = [bar.booking for bar in row.bars]
        if row.talent is not None:
            # The row's person, already loaded with their user: no query per booking.
            for booking in bookings:
                booking.talent = row.talent
        return BookingSerializer(bookings, many=True).data


def _filter_parameters():
    return [
        OpenApiParameter("start", OpenApiTypes.DATE, required=True),
        OpenApiParameter("end", OpenApiTypes.DATE, required=True, description=f"At most {MAX_DAYS} days in all."),
        OpenApiParameter("talent", OpenApiTypes.INT, description="One person's schedule."),
        OpenApiParameter("q", OpenApiTypes.STR, description="Words of the name."),
        OpenApiParameter("discipline", OpenApiTypes.INT),
        OpenApiParameter("skill", OpenApiTypes.INT),
        OpenApiParameter("project", OpenApiTypes.INT, description="People booked on it in the range or assigned."),
        OpenApiParameter("employment", OpenApiTypes.STR, enum=Talent.Employment.values),
        OpenApiParameter("free", OpenApiTypes.BOOL, description="Only people with free hours in the range."),
    ]


class ScheduleView(generics.GenericAPIView):
    """People × days from `start` to `end`. Production managers and executives see the
    team, with placeholders after the people of the first page unless a filter picks
    people by what only people have; creatives and freelancers see their own row."""

    permission_classes = [VisibleToPermission]
    serializer_class = ScheduleRowSerializer
    # For the schema only: rows come from `schedule_people` in `get`.
    queryset = Talent.objects.none()

    @extend_schema(
        parameters=_filter_parameters(),
        responses=answers(
            ScheduleRowSerializer(many=True),
            invalid="Field errors.",
            forbidden="Brand managers and others without a schedule.",
        ),
    )
    def get(self, request):
        team = can(request.user, "schedule.team")
        if not (team or can(request.user, "schedule.my_day")):
            raise PermissionDenied
        query = ScheduleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        window = Window.between(query.validated_data["start"], query.validated_data["end"])
        people = schedule_people(request.user, window)
        if not team:
            # The schedule of their own days only.
            people = people.filter(pk__in=Talent.objects.visible_to(request.user, "schedule.my_day").values("pk"))
        if "talent" in query.validated_data:
            people = people.filter(pk=query.validated_data["talent"])
        filters = checked(TeamScheduleFilter(request.query_params, queryset=people, window=window, request=request))
        page = self.paginate_queryset(filters.qs)
        # One person asked for, or a creative's own row: no placeholders.
        placeholders = team and "talent" not in query.validated_data and self.paginator.page.number == 1
        rows = schedule_rows(
            request.user,
            window,
            list(page),
            filters=filters.form.cleaned_data,
            with_placeholders=placeholders,
            today=clock.today(),
        )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
