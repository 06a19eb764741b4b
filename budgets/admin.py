from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import HistoryAdmin, ModelAdmin, TabularInline

from .models import Budget, BudgetAlert, BudgetLine, ChangeOrder, ChangeOrderLine, Cost, StudioBudget


class BudgetLineInline(TabularInline):
    model = BudgetLine
    fields = ("kind", "discipline", "description", "hours", "rate", "amount", "percent")
    autocomplete_fields = ("discipline",)


@admin.register(Budget)
class BudgetAdmin(ModelAdmin):
    list_display = (
        "__str__",
        "project",
        "revision",
        "status",
        "budget_total",
        "approved_at",
        "created_by",
    )
    list_filter = ("status",)
    list_select_related = ("project", "created_by")
    search_fields = ("project__code", "project__name", "note")
    autocomplete_fields = ("project",)
    readonly_fields = ("version", "created_by", "created_at")
    inlines = (BudgetLineInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description=_("total"), ordering="total")
    def budget_total(self, obj):
        return obj.total

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BudgetLine)
class BudgetLineAdmin(ModelAdmin):
    list_display = (
        "__str__",
        "budget",
        "kind",
        "discipline",
        "hours",
        "rate",
        "amount",
        "percent",
        "line_total",
    )
    list_filter = ("kind", "discipline")
    list_select_related = ("budget__project", "discipline")
    search_fields = ("description", "budget__project__code", "budget__project__name")
    autocomplete_fields = ("budget", "discipline")

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description=_("total"), ordering="total")
    def line_total(self, obj):
        return obj.total


class ChangeOrderLineInline(TabularInline):
    model = ChangeOrderLine
    fields = ("kind", "discipline", "description", "hours", "rate", "amount")
    autocomplete_fields = ("discipline",)


@admin.register(ChangeOrder)
class ChangeOrderAdmin(ModelAdmin):
    list_display = (
        "__str__",
        "project",
        "status",
        "fee_change",
        "budget_change",
        "requested_by",
        "approved_at",
    )
    list_filter = ("status",)
    list_select_related = ("project", "requested_by")
    search_fields = ("title", "project__code", "project__name")
    autocomplete_fields = ("project",)
    readonly_fields = ("version", "requested_by", "created_at")
    inlines = [ChangeOrderLineInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ChangeOrderLine)
class ChangeOrderLineAdmin(ModelAdmin):
    list_display = ("__str__", "change_order", "kind", "discipline", "hours", "rate", "amount")
    list_filter = ("kind", "discipline")
    list_select_related = ("change_order__project", "discipline")
    search_fields = ("description", "change_order__project__code", "change_order__title")
    autocomplete_fields = ("change_order", "discipline")


@admin.register(Cost)
class CostAdmin(ModelAdmin):
    list_display = (
        "description",
        "project",
        "kind",
        "status",
        "amount",
        "date",
        "supplier",
        "talent",
        "reference",
    )
    list_filter = ("status", "kind")
    list_select_related = ("project", "talent__user")
    search_fields = ("description", "supplier", "reference", "project__code", "project__name")
    autocomplete_fields = ("project", "talent", "budget_line")
    readonly_fields = ("created_at",)
    date_hierarchy = "date"


@admin.register(StudioBudget)
class StudioBudgetAdmin(ModelAdmin):
    list_display = ("name", "period_start", "period_end", "amount", "freelance_pool")
    search_fields = ("name",)
    date_hierarchy = "period_start"


@admin.register(BudgetAlert)
class BudgetAlertAdmin(HistoryAdmin):
    list_display = ("budget", "level", "sent_at")
    list_filter = ("level",)
    list_select_related = ("budget__project",)
    search_fields = ("budget__project__code", "budget__project__name")
    date_hierarchy = "sent_at"
