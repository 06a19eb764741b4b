"""REST API for time off: list what the caller may see, request it, cancel a request.

Same access and services as the pages: time off the caller may not see is a 404;
one they may see but not cancel (another person's) a 403."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from studio.models import Talent
from studio.permissions import VisibleToPermission

from ..filters import TimeOffFilter
from ..models import TimeOff
from ..services import time as services


class TimeOffSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.__str__", read_only=True)

    class Meta:
        model = TimeOff
        fields = [
            "id", "talent", "talent_name", "start_date", "end_date", "full_day", "hours_per_day", "reason",
            "status", "created_at",
        ]
        read_only_fields = fields


class TimeOffCreateSerializer(serializers.Serializer):
    talent = serializers.PrimaryKeyRelatedField(
        queryset=Talent.objects.none(), required=False,
        help_text="Production managers only; creatives and freelancers ask for themselves.",
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    full_day = serializers.BooleanField(default=True)
    hours_per_day = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No request when the schema is generated; the field keeps its empty queryset then.
        if request := self.context.get("request"):
            self.fields["talent"].queryset = Talent.objects.visible_to(request.user)


class TimeOffViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
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
        responses={201: TimeOffSerializer, 400: OpenApiResponse(description="Field errors."),
                   403: OpenApiResponse(description="Not yours to request.")},
    )
    def create(self, request, *args, **kwargs):
        data = TimeOffCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        talent = values.pop("talent", None) or Talent.objects.filter(user=request.user).first()
        if talent is None:
            raise serializers.ValidationError({"talent": [_("Choose the person the time off is for.")]})
        time_off = services.time_off_request(talent=talent, user=request.user, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=time_off.pk)).data, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: TimeOffSerializer, 400: OpenApiResponse(description="No longer waiting for a decision."),
                   403: OpenApiResponse(description="Not yours to cancel."),
                   404: OpenApiResponse(description="No such time off, or not yours to see.")},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        time_off = self.get_object()
        services.time_off_cancel(time_off=time_off, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=time_off.pk)).data)
