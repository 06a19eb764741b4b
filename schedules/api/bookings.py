"""REST API for bookings: list, create, move, confirm, split and release.

Same access and services as the schedule pages: a booking, person or project the
caller may not see is a 404 (or an unknown choice in a field); production managers
write, the rest of the studio and the booked person read. A stale `version` and a
clash answer 409 with the current booking or the clashing days (`studio.api_errors`).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import ProjectRefSerializer
from projects.models import Deliverable, Project
from studio.models import Discipline, Talent
from studio.permissions import VisibleToPermission, require

from ..filters import BookingFilter
from ..models import Booking
from ..services import bookings as services


# Documented as text until the settings name this enum (ENUM_NAME_OVERRIDES): an
# unnamed `StatusEnum` would collide with the other models' statuses.
@extend_schema_field({"type": "string", "description": "tentative or confirmed"})
class BookingStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Booking.Status.choices, **kwargs)


class BookingSerializer(serializers.ModelSerializer):
    status = BookingStatusField(read_only=True)
    talent_name = serializers.SerializerMethodField()
    project = ProjectRefSerializer(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id", "talent", "talent_name", "placeholder_discipline", "project", "deliverable", "start_date",
            "end_date", "hours_per_day", "status", "hold_expires_on", "include_weekends", "note",
            "override_reason", "version",
        ]
        read_only_fields = fields

    def get_talent_name(self, booking) -> str | None:
        return str(booking.talent.user) if booking.talent else None


class VisibleField(serializers.PrimaryKeyRelatedField):
    """A choice among the objects the caller may see; others do not exist."""

    def get_queryset(self):
        return self.queryset.visible_to(self.context["request"].user)


class BookingInputSerializer(serializers.Serializer):
    talent = VisibleField(queryset=Talent.objects.all(), required=False, allow_null=True)
    placeholder_discipline = serializers.PrimaryKeyRelatedField(
        queryset=Discipline.objects.all(), required=False, allow_null=True
    )
    project = VisibleField(queryset=Project.objects.all())
    deliverable = VisibleField(queryset=Deliverable.objects.all(), required=False, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours_per_day = serializers.DecimalField(max_digits=5, decimal_places=2)
    status = BookingStatusField(default=Booking.Status.TENTATIVE)
    hold_expires_on = serializers.DateField(required=False, allow_null=True)
    include_weekends = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class BookingUpdateSerializer(BookingInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the caller last saw; 409 if it changed.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
        # Status moves through /confirm/ only.
        del self.fields["status"]

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # Defaults are for creating: a PATCH changes only what it sends.
        return {name: value for name, value in values.items() if name in data}


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the caller last saw; 409 if it changed.")


class ConfirmSerializer(VersionSerializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class SplitSerializer(VersionSerializer):
    on = serializers.DateField(help_text="The first day of the second part.")


class BookingViewSet(viewsets.ReadOnlyModelViewSet):
    """Bookings the caller may see: the studio all, creatives and freelancers their own.
    Production managers create and change them."""

    permission_classes = [VisibleToPermission]
    filterset_class = BookingFilter
    serializer_class = BookingSerializer

    def get_queryset(self):
        return (
            Booking.objects.visible_to(self.request.user)
            .select_related("talent__user", "project")
            .order_by("start_date", "pk")
        )

    def represent_current(self, booking):
        """The booking as it is now, in a stale write's 409."""
        return BookingSerializer(booking).data

    def _detail(self, booking, status_code=status.HTTP_200_OK):
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data, status=status_code)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=BookingInputSerializer, responses={201: BookingSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "booking.book")
        values = self._input(BookingInputSerializer)
        booking = services.booking_create(user=request.user, **values)
        return self._detail(booking, status.HTTP_201_CREATED)

    @extend_schema(request=BookingUpdateSerializer, responses={200: BookingSerializer})
    def partial_update(self, request, *args, **kwargs):
        booking = self.get_object()
        require(request.user, "booking.book")
        values = self._input(BookingUpdateSerializer)
        booking = services.booking_update(booking=booking, user=request.user, **values)
        return self._detail(booking)

    @extend_schema(request=ConfirmSerializer, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        booking = self.get_object()
        require(request.user, "booking.book")
        values = self._input(ConfirmSerializer)
        booking = services.booking_confirm(booking=booking, user=request.user, **values)
        return self._detail(booking)

    @extend_schema(request=SplitSerializer, responses={201: BookingSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        booking = self.get_object()
        require(request.user, "booking.book")
        values = self._input(SplitSerializer)
        parts = services.booking_split(booking=booking, user=request.user, **values)
        return Response(BookingSerializer(parts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        booking = self.get_object()
        require(request.user, "booking.book")
        values = self._input(VersionSerializer)
        services.booking_release(booking=booking, user=request.user, **values)
        return Response(status=status.HTTP_204_NO_CONTENT)
