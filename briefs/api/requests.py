"""REST API for requests: brand managers submit and follow them, production managers triage.

Same access as the pages: a request the caller may not see is a 404; one they may
see but not act on (an executive accepting, a PM answering) is a 403. Writes go
through the same services as the pages; a stale `version` answers 409 with the
request as it is now (`studio.api_errors`).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api import BrandRefSerializer, DeliverableTypeRefSerializer, ProjectRefSerializer
from projects.api.common import version_field
from projects.models import DeliverableType
from studio.api import PersonSerializer
from studio.attachments import attachments_of
from studio.limits import MAX_AMOUNT
from studio.models import Attachment, User
from studio.permissions import VisibleToPermission, require

from ..filters import RequestFilter
from ..models import Request, RequestItem
from ..services import requests as intake


class RequestItemSerializer(serializers.ModelSerializer):
    deliverable_type = DeliverableTypeRefSerializer(read_only=True)

    class Meta:
        model = RequestItem
        fields = ["deliverable_type", "quantity"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "mime_type", "size", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse("studio:attachment-download", args=[attachment.pk])


class RequestSerializer(serializers.ModelSerializer):
    """A request as its brand's managers and the studio's managers see it."""

    brand = BrandRefSerializer(read_only=True)
    submitted_by = PersonSerializer(read_only=True)
    project = ProjectRefSerializer(read_only=True, allow_null=True)
    items = RequestItemSerializer(many=True, read_only=True)

    class Meta:
        model = Request
        fields = [
            "id",
            "title",
            "brand",
            "submitted_by",
            "objectives",
            "deadline",
            "budget",
            "status",
            "decline_reason",
            "project",
            "items",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RequestDetailSerializer(RequestSerializer):
    """One request, with its attached files."""

    attachments = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = read_only_fields = RequestSerializer.Meta.fields + ["attachments"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, brand_request) -> list[dict]:
        return AttachmentSerializer(attachments_of(brand_request), many=True).data


class RequestItemInputSerializer(serializers.Serializer):
    deliverable_type = serializers.PrimaryKeyRelatedField(queryset=DeliverableType.objects.filter(active=True))
    quantity = serializers.IntegerField(
        min_value=1,
        error_messages={"min_value": _("Ask for at least 1.")},
        help_text=f"From 1 to {intake.MAX_QUANTITY}.",
    )

    def validate_quantity(self, quantity):
        if message := intake.quantity_error(quantity):
            raise serializers.ValidationError(message)
        return quantity


@extend_schema_field(OpenApiTypes.INT)
class OwnBrandField(serializers.PrimaryKeyRelatedField):
    """One of the caller's brands: other brands' ids are "not found", whether or not they exist."""

    def get_queryset(self):
        return self.context["request"].user.brands.filter(active=True)


class RequestCreateSerializer(serializers.Serializer):
    """A new request; `brand` must be one of the caller's brands."""

    title = serializers.CharField(max_length=200)
    brand = OwnBrandField(error_messages={"does_not_exist": _("Choose one of your brands.")})
    objectives = serializers.CharField()
    deadline = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        error_messages={"min_value": _("The budget cannot be negative.")},
    )
    items = RequestItemInputSerializer(many=True, allow_empty=False)

    def validate_deadline(self, deadline):
        if message := intake.deadline_error(deadline):
            raise serializers.ValidationError(message)
        return deadline

    def validate_items(self, items):
        if messages := intake.items_errors([(item["deliverable_type"], item["quantity"]) for item in items]):
            raise serializers.ValidationError(messages)
        return items


class VersionedInputSerializer(serializers.Serializer):
    version = version_field()


class AcceptInputSerializer(VersionedInputSerializer):
    pm = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.able_to("project.manage"),
        required=False,
        allow_null=True,
        help_text="The project's production manager; the caller if left out.",
    )
    code = serializers.CharField(max_length=20, required=False, allow_blank=True)


class AskInfoInputSerializer(VersionedInputSerializer):
    question = serializers.CharField()


class DeclineInputSerializer(VersionedInputSerializer):
    reason = serializers.CharField()


class AnswerInputSerializer(VersionedInputSerializer):
    answer = serializers.CharField()


class RequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests the caller may see: brand managers their brands' own, production
    managers and executives all. Brand managers create them; production managers
    accept, ask for information or decline; brand managers answer questions."""

    permission_classes = [VisibleToPermission]
    filterset_class = RequestFilter

    def get_queryset(self):
        return (
            Request.objects.visible_to(self.request.user)
            .select_related("brand", "submitted_by", "project")
            .with_items()
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action != "list" else RequestSerializer

    def represent_current(self, brand_request) -> dict:
        # Read again: status, project and version have moved on since the caller's read.
        return RequestDetailSerializer(self.get_queryset().get(pk=brand_request.pk)).data

    def _detail(self, brand_request, status_code=status.HTTP_200_OK):
        return Response(self.represent_current(brand_request), status=status_code)

    @extend_schema(request=RequestCreateSerializer, responses={201: RequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "request.add")
        data = RequestCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        brand_request = intake.request_submit(
            submitted_by=request.user,
            brand=values["brand"],
            title=values["title"],
            objectives=values["objectives"],
            deadline=values["deadline"],
            budget=values["budget"],
            items=[(item["deliverable_type"], item["quantity"]) for item in values["items"]],
            files=[],
        )
        return self._detail(brand_request, status.HTTP_201_CREATED)

    def _triage(self, input_class, service, *, action="request.triage", by="user"):
        """The request (404 if not visible), whether the caller may take `action` on it
        (403) and the validated input (400); then `service` with that input, the caller
        passed as `by`, and the request as it is now."""
        brand_request = self.get_object()
        require(self.request.user, action, brand_request)
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        service(request=brand_request, **{by: self.request.user}, **data.validated_data)
        return self._detail(brand_request)

    @extend_schema(request=AcceptInputSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._triage(AcceptInputSerializer, intake.request_accept, by="accepted_by")

    @extend_schema(request=AskInfoInputSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="ask-info")
    def ask_info(self, request, pk=None):
        return self._triage(AskInfoInputSerializer, intake.request_ask_info)

    @extend_schema(request=DeclineInputSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._triage(DeclineInputSerializer, intake.request_decline)

    @extend_schema(request=AnswerInputSerializer, responses=RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._triage(AnswerInputSerializer, intake.request_answer, action="request.answer")
