"""REST API for approvals: what waits on me, one approval, and deciding it.

Same rules as the pages: an approval whose object the caller cannot see is a 404,
one they may see but not decide a 403, one decided meanwhile a 409."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from studio.api import PersonSerializer
from studio.api_views import CurrentOnConflictMixin, answers, validated
from studio.permissions import VisibleToPermission, can

from . import registry
from .forms import DECISION_CHOICES
from .models import Approval, Decision
from .services import approval_decide


class StepSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    user = serializers.IntegerField(allow_null=True)


class DecisionSerializer(serializers.ModelSerializer):
    """A step's decision; its comment is blank for callers who may not read it
    (Approval.comments_visible_to)."""

    decided_by = PersonSerializer(read_only=True, allow_null=True)
    on_behalf_of = PersonSerializer(read_only=True, allow_null=True)
    comment = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["step", "outcome", "comment", "decided_by", "on_behalf_of", "decided_at"]
        read_only_fields = fields

    def get_comment(self, decision) -> str:
        if decision.approval.comments_visible_to(self.context["request"].user, decision.step):
            return decision.comment
        return ""


class ProjectHoursSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project_id")
    code = serializers.CharField()
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)


class HoursSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    projects = ProjectHoursSerializer(many=True)


class ApprovalSerializer(serializers.ModelSerializer):
    """One round of an object through its flow, with the decisions so far. `amount` is
    null for callers who may not see money; `hours` is a timesheet's week (its total and
    by project), null for other kinds."""

    steps = StepSerializer(many=True, read_only=True)
    current_step_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    hours = serializers.SerializerMethodField()
    submitted_by = PersonSerializer(read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "kind",
            "object_id",
            "object_repr",
            "url",
            "round",
            "status",
            "steps",
            "current_step",
            "current_step_name",
            "amount",
            "hours",
            "submitted_by",
            "submitted_at",
            "decided_at",
            "decisions",
        ]
        read_only_fields = fields

    def get_current_step_name(self, approval) -> str:
        return approval.current["name"] if approval.current else ""

    def get_url(self, approval) -> str:
        try:
            approval_kind = registry.get(approval.kind)
        except LookupError:
            return ""
        target = approval.target
        return approval_kind.url_of(target) if target is not None else ""

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_amount(self, approval) -> str | None:
        if approval.amount is None or not can(self.context["request"].user, "project.see_prices"):
            return None
        return str(approval.amount)


    @extend_schema_field(HoursSerializer(allow_null=True))
    def get_hours(self, approval) -> dict | None:
        # A list attaches its page's hours at once (ApprovalViewSet.paginate_queryset).
        if not hasattr(approval, "hours"):
            registry.attach_hours([approval])
        return HoursSerializer(approval.hours).data if approval.hours is not None else None


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISION_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    step = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The step the decision is for, as last seen; if it moved on meanwhile the answer is 409.",
    )


class ListQuerySerializer(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "all", bool, description="true (or 1): every approval you may see, not only yours; anything else "
                "but false (or 0) is a 400."
            )
        ]
    ),
)
class ApprovalViewSet(CurrentOnConflictMixin, viewsets.ReadOnlyModelViewSet):
    """Approvals waiting on the caller (`?all=1`: all those whose object they may see)."""

    permission_classes = [VisibleToPermission]
    serializer_class = ApprovalSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and not self._everything():
            approvals = Approval.objects.waiting_on(user)
        else:
            approvals = Approval.objects.visible_to(user)
        decisions = Decision.objects.select_related("decided_by", "on_behalf_of").order_by("step")
        return (
            approvals.select_related("submitted_by")
            .prefetch_related("target", Prefetch("decisions", decisions))
            .order_by("submitted_at", "pk")
        )

    def _everything(self) -> bool:
        query = ListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data["all"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            registry.attach_hours(page)
        return page

    @extend_schema(
        request=DecideSerializer,
        responses=answers(
            ApprovalSerializer,
            invalid="Bad outcome, or no comment where one is needed.",
            forbidden="Not yours to decide.",
            missing="No such approval, or its object is not yours to see.",
            conflict="Already decided: `current` is the approval as it stands now.",
        ),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        approval = self.get_object()
        approval_decide(approval=approval, user=request.user, **validated(DecideSerializer, request))
        return self.answer(approval)
