"""REST API for the studio's people: the talent directory, API tokens, and each
user's own notifications.

Rates are for the studio's managers only (DESIGN §1). Each audience gets its
own serializer class, so the schema documents exactly what each one receives.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from . import clock
from .filters import TalentFilter
from .models import Discipline, Notification, RateCard, Talent, User
from .notifications import NotificationFilter, notifications_of
from .permissions import VisibleToPermission, can
from .services import notification_mark_read, notifications_mark_all_read


class PersonSerializer(serializers.ModelSerializer):
    """A user as others see them: a name to show."""

    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields

    def get_name(self, user) -> str:
        return str(user)


class DisciplineRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["id", "name"]
        read_only_fields = fields


class RateSerializer(serializers.ModelSerializer):
    """The rate card in force today: hourly cost to the studio and price to the brand."""

    class Meta:
        model = RateCard
        fields = ["cost_rate", "bill_rate", "valid_from"]
        read_only_fields = fields


class TalentSerializer(serializers.ModelSerializer):
    """A member of the team: who they are and how to reach them. No rates or hours."""

    name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email", read_only=True)
    discipline = DisciplineRefSerializer(read_only=True)
    skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Talent
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "discipline",
            "skills",
            "employment",
            "time_zone",
            "active",
        ]
        read_only_fields = fields

    def get_name(self, talent) -> str:
        return str(talent.user)


class TalentWithRatesSerializer(TalentSerializer):
    """The talent directory as production managers and executives see it:
    working pattern, contract and today's rates."""

    current_rate = serializers.SerializerMethodField()
    working_day_names = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The working days as short weekday names, Monday first.",
    )

    class Meta(TalentSerializer.Meta):
        fields = read_only_fields = TalentSerializer.Meta.fields + [
            "hours_per_day",
            "working_days",
            "working_day_names",
            "overtime_hours_per_day",
            "contract_start",
            "contract_end",
            "current_rate",
        ]

    @extend_schema_field(RateSerializer(allow_null=True))
    def get_current_rate(self, talent):
        # Prefetched by TalentViewSet: the one card valid today, or none yet.
        cards = talent.current_rate_cards
        return RateSerializer(cards[0]).data if cards else None


def schema_for_roles(name, full, limited):
    """The documented response of an endpoint whose fields depend on the caller's
    role: one of its serializers, as chosen in the view's get_serializer_class."""
    return PolymorphicProxySerializer(component_name=name, serializers=[full, limited], resource_type_field_name=None)


TALENT_FOR_ROLE = schema_for_roles("TalentForRole", TalentWithRatesSerializer, TalentSerializer)


@extend_schema_view(
    list=extend_schema(responses=TALENT_FOR_ROLE),
    retrieve=extend_schema(responses=TALENT_FOR_ROLE),
)
class TalentViewSet(viewsets.ReadOnlyModelViewSet):
    """Production managers and executives see the whole directory with working pattern,
    contract dates and today's rates; creatives and freelancers see themselves and the
    teams of their projects, with names and contacts only; brand managers see nobody.
    Bookings and utilization are under the schedules endpoints."""

    permission_classes = [VisibleToPermission]
    filterset_class = TalentFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Talent.objects.visible_to(user).select_related("user", "discipline").prefetch_related("skills")
        if can(user, "talent.see_costs"):
            today_cards = RateCard.objects.valid_on(clock.today())
            queryset = queryset.prefetch_related(Prefetch("rate_cards", today_cards, to_attr="current_rate_cards"))
        return queryset

    def get_serializer_class(self):
        return TalentWithRatesSerializer if can(self.request.user, "talent.see_costs") else TalentSerializer


class TokenRateThrottle(AnonRateThrottle):
    """Slows password guessing through the token endpoint, per client address."""

    scope = "token"
    rate = "10/minute"


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token; send it as
    `Authorization: Token <key>`."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "created_at", "read", "read_at"]
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, newest first (`?unread=1` for unread only);
    anyone else's do not exist here."""

    permission_classes = [VisibleToPermission]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        notification_mark_read(notification=notification)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsMarkedRead", {"marked_read": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all the caller's unread notifications read; says how many were unread."""
        return Response({"marked_read": notifications_mark_all_read(recipient=request.user)})
