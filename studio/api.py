"""REST API for the studio's people: the talent directory, API tokens, and each
user's own notifications.

Rates are for the studio's managers only (DESIGN §1). Each audience gets its
own serializer class, so the schema documents exactly what each one receives.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from knox.settings import knox_settings
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import clock
from .filters import TalentFilter
from .forms import LOGIN_FAILED
from .logins import lockout_message
from .models import Discipline, Notification, RateCard, Talent, User
from .notifications import NotificationFilter, notifications_of
from .permissions import VisibleToPermission, can
from .services import access_token_create, notification_mark_read, notifications_mark_all_read


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


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. It is shown this once.")
    expiry = serializers.DateTimeField(allow_null=True)


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token that works for ten hours; send it
    as `Authorization: Token <token>`. For longer, create a named token on your API tokens
    page. Failed attempts count towards the same lockout as the login page's (429)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="The username and password do not match an active account."),
            429: OpenApiResponse(
                description="Too many failed logins for this username from this address (or from this address "
                "at all): logging in is paused for the cool-off, given in seconds in `Retry-After`."
            ),
        },
        auth=[],
    )
    def post(self, request):
        login = TokenLoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        user = authenticate(request, **login.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise Throttled(wait=settings.LOGIN_COOLOFF_MINUTES * 60, detail=lockout_message())
        if user is None:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [LOGIN_FAILED]})
        token, key = access_token_create(
            user=user, name=_("API login"), expires_in=knox_settings.TOKEN_TTL
        )
        # The login page's signal: its one log line and the user's last login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenSerializer({"token": key, "expiry": token.expiry}).data)


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
