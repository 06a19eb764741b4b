"""Deliverables: read them, hand one in for review, and (production managers and
executives) plan them through the services the pages use: add, change (moving one
can push what depends on it, previewed first), cancel. Planned hours, in total and
by discipline, go only to those who may see costs (DESIGN §1)."""

import re

from django.core.validators import RegexValidator
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from studio.api import schema_for_roles
from studio.api_parsers import JSONTextParser
from studio.api_views import reads_answer, validated
from studio.models import Discipline, Talent
from studio.permissions import VisibleToPermission, can, require

from ..filters import DeliverableFilter
from ..models import Deliverable, DeliverableHours, DeliverableType, Phase, Project
from ..services import plan, review
from .common import ChangeSerializer, PlanWriteMixin, VisibleField, conflict_schema, version_field
from .refs import DeliverableTypeRefSerializer, ProjectRefSerializer


class DeliverableSerializer(serializers.ModelSerializer):
    """A deliverable as the team and the brand see it: no hours."""

    project = ProjectRefSerializer(read_only=True)
    deliverable_type = DeliverableTypeRefSerializer(read_only=True)
    assignees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    outside_project = serializers.SerializerMethodField(
        help_text="Planned to start before its project or to end after it (allowed, flagged)."
    )

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "project",
            "phase",
            "deliverable_type",
            "name",
            "quantity",
            "planned_start",
            "due_date",
            "outside_project",
            "status",
            "percent_complete",
            "revision_rounds",
            "approved_at",
            "assignees",
            "version",
        ]
        read_only_fields = fields

    def get_outside_project(self, deliverable) -> bool:
        return deliverable.is_outside_project


class DisciplineHoursSerializer(serializers.ModelSerializer):
    discipline_name = serializers.CharField(source="discipline.name", read_only=True)

    class Meta:
        model = DeliverableHours
        fields = ["discipline", "discipline_name", "hours"]
        read_only_fields = fields


class DeliverableWithHoursSerializer(DeliverableSerializer):
    """A deliverable as production managers and executives see it: with its planned
    hours, in total and by discipline."""

    hours = DisciplineHoursSerializer(source="planned_by_discipline", many=True, read_only=True)

    class Meta(DeliverableSerializer.Meta):
        fields = read_only_fields = DeliverableSerializer.Meta.fields + ["planned_hours", "hours"]


class DeliverableSubmitSerializer(serializers.Serializer):
    """The work handed in: a link or a file (multipart), and an optional note."""

    link = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


# --- planning input ------------------------------------------------------------------------


class DisciplineHoursInputSerializer(serializers.Serializer):
    discipline = serializers.PrimaryKeyRelatedField(queryset=Discipline.objects.all())
    hours = serializers.DecimalField(max_digits=8, decimal_places=2)


class DeliverableInputSerializer(serializers.Serializer):
    """A deliverable to plan. Without `hours`, its type's standard hours × the units."""

    project = VisibleField(queryset=Project.objects.all())
    deliverable_type = serializers.PrimaryKeyRelatedField(queryset=DeliverableType.objects.all())
    name = serializers.CharField(max_length=200)
    quantity = serializers.IntegerField(default=1, help_text="Output units, 1 to 10,000.")
    phase = VisibleField(queryset=Phase.objects.all(), required=False, allow_null=True, default=None)
    planned_start = serializers.DateField()
    due_date = serializers.DateField()
    hours = DisciplineHoursInputSerializer(
        many=True, required=False, help_text="Planned hours by discipline, each discipline once."
    )
    assignees = VisibleField(queryset=Talent.objects.all(), many=True, required=False)

    def validate_deliverable_type(self, kind):
        current = self.context.get("deliverable")
        if not kind.active and (current is None or current.deliverable_type_id != kind.pk):
            raise serializers.ValidationError(_("This deliverable type is no longer in use."))
        return kind

    def validate_hours(self, rows) -> dict:
        """{discipline: hours}, as the services take them."""
        hours = {row["discipline"]: row["hours"] for row in rows}
        if len(hours) != len(rows):
            raise serializers.ValidationError(_("Give each discipline's hours once."))
        return hours


EXPECTED = re.compile(r"^\d{1,10}:\d{1,10}(,\d{1,10}:\d{1,10})*$")


class DeliverableUpdateSerializer(DeliverableInputSerializer, ChangeSerializer):
    """A change to a deliverable's plan: only what is sent changes (`hours` and
    `assignees` replace the whole set). New dates move only this deliverable unless
    `push`; `expected` is the preview's, so a plan changed since is refused (409)."""

    not_changed = ("project",)
    always = ("version", "push")

    push = serializers.BooleanField(default=False, help_text="Push what depends on it forward, as the preview showed.")
    expected = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[RegexValidator(EXPECTED, message=gettext_lazy("Send back the preview's `expected` as it came."))],
        help_text="The preview's `expected`: the versions it was computed from.",
    )

    def validate_expected(self, value: str) -> dict[int, int] | None:
        return plan.parse_expected(value) if value else None


class DeliverablePreviewInputSerializer(serializers.Serializer):
    planned_start = serializers.DateField()
    due_date = serializers.DateField()
    push = serializers.BooleanField(default=True, help_text="Push what depends on it forward.")


class DeliverableCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")
    version = version_field()


# --- what a move would do ------------------------------------------------------------------


class DateChangeSerializer(serializers.Serializer):
    deliverable = serializers.IntegerField(source="deliverable.pk")
    name = serializers.CharField(source="deliverable.name")
    old_planned_start = serializers.DateField(source="old_start")
    old_due_date = serializers.DateField(source="old_due")
    planned_start = serializers.DateField(source="start")
    due_date = serializers.DateField(source="due")
    days_later = serializers.IntegerField(help_text="Calendar days the due date moves (negative: earlier).")


class BookingOutsideSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    deliverable = serializers.IntegerField(source="deliverable.pk")
    who = serializers.CharField()
    start_date = serializers.DateField(source="start")
    end_date = serializers.DateField(source="end")


class MovePreviewSerializer(serializers.Serializer):
    """What moving a deliverable would change, before anything is saved."""

    moved = serializers.SerializerMethodField()
    pushed = DateChangeSerializer(many=True, help_text="The dependents pushed forward.")
    project_due_date = serializers.DateField(
        source="project_due", allow_null=True, help_text="The project's new due date, when the plan ends later."
    )
    bookings_outside = BookingOutsideSerializer(
        many=True, help_text="Bookings of the moved deliverables their new dates leave outside (not changed)."
    )
    expected = serializers.CharField(help_text="Send back with the change (and `push`): the versions seen here.")

    @extend_schema_field(DateChangeSerializer)
    def get_moved(self, preview) -> dict:
        return DateChangeSerializer(preview.changes[0]).data


DELIVERABLE_FOR_ROLE = schema_for_roles("DeliverableForRole", DeliverableWithHoursSerializer, DeliverableSerializer)
STALE = {409: conflict_schema("DeliverableConflict", DELIVERABLE_FOR_ROLE)}


@reads_answer(DELIVERABLE_FOR_ROLE)
class DeliverableViewSet(PlanWriteMixin, viewsets.ReadOnlyModelViewSet):
    """Deliverables of the projects the caller may see. Planned hours are included for
    production managers and executives only, who also plan them; a stale `version`
    answers 409 with the deliverable as it is now."""

    permission_classes = [VisibleToPermission]
    filterset_class = DeliverableFilter
    object_name = "deliverable"

    def get_queryset(self):
        queryset = (
            Deliverable.objects.visible_to(self.request.user)
            .select_related("project", "deliverable_type")
            .prefetch_related("assignees")
        )
        if can(self.request.user, "project.see_costs"):
            hours = DeliverableHours.objects.select_related("discipline")
            queryset = queryset.prefetch_related(Prefetch("planned_by_discipline", queryset=hours))
        return queryset

    def get_serializer_class(self):
        return DeliverableWithHoursSerializer if can(self.request.user, "project.see_costs") else DeliverableSerializer

    @extend_schema(request=DeliverableInputSerializer, responses={201: DELIVERABLE_FOR_ROLE})
    def create(self, request, *args, **kwargs):
        """Plan a deliverable in a project; it may fall outside the project's dates (flagged)."""
        return self.add(plan.deliverable_add, DeliverableInputSerializer)

    @extend_schema(request=DeliverableUpdateSerializer, responses={200: DELIVERABLE_FOR_ROLE, **STALE})
    def partial_update(self, request, *args, **kwargs):
        """Change a deliverable's plan; moving it with `push` moves its dependents too
        (and the project's due date when the plan now ends later), in one transaction."""
        return self.change(plan.deliverable_update, DeliverableUpdateSerializer)

    @extend_schema(request=DeliverablePreviewInputSerializer, responses={200: MovePreviewSerializer})
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        """What moving the deliverable to these dates would change; nothing is saved."""
        deliverable = self.for_change()
        values = validated(DeliverablePreviewInputSerializer, request)
        preview = plan.deliverable_move_preview(deliverable=deliverable, user=request.user, **values)
        return Response(MovePreviewSerializer(preview).data)

    @extend_schema(request=DeliverableCancelSerializer, responses={200: DELIVERABLE_FOR_ROLE, **STALE})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Take the deliverable out of the plan; its history, time and bookings stay."""
        return self.change(review.deliverable_cancel, DeliverableCancelSerializer)

    @extend_schema(request=DeliverableSubmitSerializer, responses=DELIVERABLE_FOR_ROLE)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONTextParser])
    def submit(self, request, pk=None):
        """Submit the deliverable for review (its assignees and production managers):
        internal review, then client review."""
        deliverable = self.get_object()
        require(request.user, "deliverable.work", deliverable)
        values = validated(DeliverableSubmitSerializer, request)
        review.deliverable_submit_for_review(deliverable=deliverable, user=request.user, **values)
        return self.answer(deliverable)
