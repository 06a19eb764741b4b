"""REST API for time off: list what the caller may see, request it, cancel a request.

Same access and services as the pages: time off the caller may not see is a 404;
one they may see but not cancel (another person's) a 403."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from studio.api_views import ReadBackMixin, answers, validated
from studio.permissions import VisibleToPermission

from ..filters import TimeOffFilter
from ..models import TimeOff
from ..services import time as services
from .for_talent import ForTalentSerializer


class TimeOffSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.__str__", read_only=True)

    class Meta:
        model = TimeOff
        fields = [
            "id",
            "talent",
            "talent_name",
            "start_date",
            "end_date",
            "full_day",
            "hours_per_day",
            "reason",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class TimeOffCreateSerializer(ForTalentSerializer):
    talent_help = "Production managers only; creatives and freelancers ask for themselves."
    talent_missing = _("Choose the person the time off is for.")

    start_date = serializers.DateField()
    end_date = serializers.DateField()
    full_day = serializers.BooleanField(default=True)
    hours_per_day = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TimeOffViewSet(ReadBackMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Time off the caller may see: their own, or everyone's for production managers
    and executives. `status` filters."""

    permission_classes = [VisibleToPermission]
    serializer_class = TimeOffSerializer
    filterset_class = TimeOffFilter

    def get_queryset(self):
        return (
            TimeOff.objects.visible_to(self.request.user).select_related("talent__user").order_by("-start_date", "-pk")
        )

    @extend_schema(
        request=TimeOffCreateSerializer,
        responses=answers(
            TimeOffSerializer, code=status.HTTP_201_CREATED, invalid="Field errors.", forbidden="Not yours to request."
        ),
    )
    def create(self, request, *args, **kwargs):
        time_off = services.time_off_request(user=request.user, **validated(TimeOffCreateSerializer, request))
        return self.answer(time_off, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=answers(
            TimeOffSerializer,
            invalid="No longer waiting for a decision.",
            forbidden="Not yours to cancel.",
            missing="No such time off, or not yours to see.",
        ),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        time_off = self.get_object()
        services.time_off_cancel(time_off=time_off, user=request.user)
        return self.answer(time_off)
