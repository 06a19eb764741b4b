"""REST API for timesheets and time entries (issue 5): the same access and services as
the pages. A person's own rows; everyone's for production managers and executives.
Writes go through `time_entry_set`, so the 24-hour cap, the open projects and the
locked weeks answer 400 with field errors, as the pages show them next to the cell."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.models import Deliverable, Project
from studio.api_views import ReadBackMixin, TextField, answers, validated
from studio.permissions import VisibleToPermission, require

from ..models import TimeEntry, Timesheet
from ..services import timesheets as services
from .for_talent import ForTalentSerializer


class TimeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeEntry
        fields = ["id", "timesheet", "talent", "project", "deliverable", "date", "hours", "note"]
        read_only_fields = fields


class TimesheetSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.__str__", read_only=True)
    entries = TimeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Timesheet
        fields = ["id", "talent", "talent_name", "week_start", "status", "submitted_at", "approved_at", "entries"]
        read_only_fields = fields


class ReopenSerializer(serializers.Serializer):
    reason = TextField(help_text="Why the week is reopened; the person reads it.")


class TimeEntryWriteSerializer(ForTalentSerializer):
    talent_help = "Production managers only; others log their own."
    talent_missing = gettext_lazy("Choose the person the time is for.")

    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), error_messages={"does_not_exist": services.NOT_LOGGABLE}
    )
    deliverable = serializers.PrimaryKeyRelatedField(
        queryset=Deliverable.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No request when the schema is generated; the queryset stays as declared then.
        if request := self.context.get("request"):
            self.fields["project"].queryset = Project.objects.visible_to(request.user)

    def validate_hours(self, value):
        if value == 0:
            raise serializers.ValidationError(_("Enter more than 0 hours; delete the entry to remove its time."))
        return value


class TimeEntryUpdateSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    validate_hours = TimeEntryWriteSerializer.validate_hours


class TimesheetViewSet(ReadBackMixin, viewsets.ReadOnlyModelViewSet):
    """Timesheets the caller may see: their own, or everyone's for production managers
    and executives. `week_start` and `status` filter."""

    permission_classes = [VisibleToPermission]
    serializer_class = TimesheetSerializer
    filterset_fields = ["week_start", "status", "talent"]

    def get_queryset(self):
        return (
            Timesheet.objects.visible_to(self.request.user)
            .select_related("talent__user")
            .prefetch_related("entries")
            .order_by("-week_start", "pk")
        )

    @extend_schema(
        request=None,
        responses=answers(
            TimesheetSerializer,
            invalid="Already submitted or approved.",
            forbidden="Only the person submits their week.",
        ),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        timesheet = self.get_object()
        services.timesheet_submit(timesheet=timesheet, user=request.user)
        return self.answer(timesheet)

    @extend_schema(
        request=ReopenSerializer,
        responses=answers(
            TimesheetSerializer, invalid="No reason, or the week is open.", forbidden="Production managers only."
        ),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        timesheet = self.get_object()
        require(request.user, "timesheet.reopen", timesheet)
        services.timesheet_reopen_by_pm(timesheet=timesheet, user=request.user, **validated(ReopenSerializer, request))
        return self.answer(timesheet)


class TimeEntryViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Time entries the caller may see. Creating one sets that cell of the week (an
    existing entry of the same project, deliverable and day takes the new hours)."""

    permission_classes = [VisibleToPermission]
    serializer_class = TimeEntrySerializer
    filterset_fields = {"date": ["exact", "gte", "lte"], "talent": ["exact"], "project": ["exact"]}

    def get_queryset(self):
        return TimeEntry.objects.visible_to(self.request.user).order_by("date", "pk")

    @extend_schema(
        request=TimeEntryWriteSerializer,
        responses=answers(
            TimeEntrySerializer, code=status.HTTP_201_CREATED, invalid="Field errors.", forbidden="Not yours to log."
        ),
    )
    def create(self, request, *args, **kwargs):
        values = validated(TimeEntryWriteSerializer, request)
        entry = services.time_entry_set(
            user=request.user,
            talent=values["talent"],
            project=values["project"],
            deliverable=values.get("deliverable"),
            day=values["date"],
            hours=values["hours"],
            note=values.get("note"),
        )
        return Response(self.get_serializer(entry).data, status.HTTP_201_CREATED)

    @extend_schema(
        request=TimeEntryUpdateSerializer,
        responses=answers(TimeEntrySerializer, invalid="Field errors.", forbidden="Not yours to change."),
    )
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = TimeEntryUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        saved = self._set_again(
            entry, hours=data.validated_data.get("hours", entry.hours), note=data.validated_data.get("note")
        )
        return Response(self.get_serializer(saved).data)

    @extend_schema(
        responses=answers(
            None, code=status.HTTP_204_NO_CONTENT, invalid="The week is locked.", forbidden="Not yours to change."
        ),
    )
    def destroy(self, request, *args, **kwargs):
        self._set_again(self.get_object(), hours=None)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _set_again(self, entry: TimeEntry, **values) -> TimeEntry | None:
        """The entry's cell of the week (its person, project, deliverable and day) set to `values`."""
        return services.time_entry_set(
            user=self.request.user,
            talent=entry.talent,
            project=entry.project,
            deliverable=entry.deliverable,
            day=entry.date,
            **values,
        )
