from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import (
    Access,
    HistoryAdmin,
    HistoryInline,
    ModelAdmin,
    ServiceRecordAdmin,
    TabularInline,
)
from studio.admin_money import MoneyColumns, money_column

from .models import Approval, ApprovalFlow, ApprovalStep, Decision, Delegation


class ApprovalStepInline(TabularInline):
    model = ApprovalStep
    # Approvals in flight keep a copy of the steps, so editing a flow never reaches them.
    pm_access = Access.MANAGE_ROWS
    fields = ("order", "name", "role", "user", "only_above_threshold")
    autocomplete_fields = ("user",)


@admin.register(ApprovalFlow)
class ApprovalFlowAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("name", "kind", "active")
    list_filter = ("active",)
    search_fields = ("name", "kind")
    inlines = (ApprovalStepInline,)


@admin.register(ApprovalStep)
class ApprovalStepAdmin(ModelAdmin):
    pm_access = Access.MANAGE_ROWS
    list_display = ("__str__", "flow", "order", "role", "user", "only_above_threshold")
    list_filter = ("flow", "role")
    list_select_related = ("flow", "user")
    search_fields = ("name", "flow__name", "flow__kind")
    autocomplete_fields = ("flow", "user")


class DecisionInline(HistoryInline):
    model = Decision
    fields = ("step", "outcome", "decided_by", "on_behalf_of", "decided_at", "comment")


@admin.register(Approval)
class ApprovalAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "__str__",
        "kind",
        "status",
        "current_step",
        "amount_shown",
        "submitted_by",
        "submitted_at",
        "decided_at",
    )
    list_filter = ("status", "kind")
    list_select_related = ("submitted_by",)
    search_fields = ("object_repr", "kind", "submitted_by__username")
    autocomplete_fields = ("submitted_by",)
    date_hierarchy = "submitted_at"
    inlines = (DecisionInline,)
    amount_shown = money_column("amount", _("amount"))


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = (
        "__str__",
        "approval",
        "step",
        "outcome",
        "decided_by",
        "on_behalf_of",
        "decided_at",
    )
    list_filter = ("outcome",)
    list_select_related = ("approval", "decided_by", "on_behalf_of")
    search_fields = ("approval__object_repr", "comment", "decided_by__username")
    date_hierarchy = "decided_at"


@admin.register(Delegation)
class DelegationAdmin(ServiceRecordAdmin):
    list_display = ("delegator", "delegate", "start_date", "end_date", "created_at")
    list_select_related = ("delegator", "delegate")
    search_fields = (
        "delegator__username",
        "delegator__last_name",
        "delegate__username",
        "delegate__last_name",
    )
    autocomplete_fields = ("delegator", "delegate")
    readonly_fields = ("created_at",)
    date_hierarchy = "start_date"
