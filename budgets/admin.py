from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import HistoryAdmin, ServiceRecordAdmin, ServiceRecordInline
from studio.admin_money import MoneyColumns, money_column

from .models import Budget, BudgetAlert, BudgetLine, ChangeOrder, ChangeOrderLine, Cost, StudioBudget


class BudgetLineInline(ServiceRecordInline):
    model = BudgetLine
    fields = ("kind", "discipline", "description", "hours", "rate", "amount", "percent")
    autocomplete_fields = ("discipline",)


@admin.register(Budget)
class BudgetAdmin(MoneyColumns, ServiceRecordAdmin):
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

    budget_total = money_column("total", _("total"))


@admin.register(BudgetLine)
class BudgetLineAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "__str__",
        "budget",
        "kind",
        "discipline",
        "hours",
        "rate_shown",
        "amount_shown",
        "percent",
        "line_total",
    )
    list_filter = ("kind", "discipline")
    list_select_related = ("budget__project", "discipline")
    search_fields = ("description", "budget__project__code", "budget__project__name")
    autocomplete_fields = ("budget", "discipline")

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    rate_shown = money_column("rate", _("rate"))
    amount_shown = money_column("amount", _("amount"))
    line_total = money_column("total", _("total"))


class ChangeOrderLineInline(ServiceRecordInline):
    model = ChangeOrderLine
    fields = ("kind", "discipline", "description", "hours", "rate", "amount")
    autocomplete_fields = ("discipline",)


@admin.register(ChangeOrder)
class ChangeOrderAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "__str__",
        "project",
        "status",
        "fee_change_shown",
        "budget_change_shown",
        "requested_by",
        "approved_at",
    )
    list_filter = ("status",)
    list_select_related = ("project", "requested_by")
    search_fields = ("title", "project__code", "project__name")
    autocomplete_fields = ("project",)
    readonly_fields = ("version", "requested_by", "created_at")
    inlines = [ChangeOrderLineInline]
    fee_change_shown = money_column("fee_change", _("fee change"))
    budget_change_shown = money_column("budget_change", _("budget change"))


@admin.register(ChangeOrderLine)
class ChangeOrderLineAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = ("__str__", "change_order", "kind", "discipline", "hours", "rate_shown", "amount_shown")
    list_filter = ("kind", "discipline")
    list_select_related = ("change_order__project", "discipline")
    search_fields = ("description", "change_order__project__code", "change_order__title")
    autocomplete_fields = ("change_order", "discipline")
    rate_shown = money_column("rate", _("rate"))
    amount_shown = money_column("amount", _("amount"))


@admin.register(Cost)
class CostAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "description",
        "project",
        "kind",
        "status",
        "amount_shown",
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
    amount_shown = money_column("amount", _("amount"))


@admin.register(StudioBudget)
class StudioBudgetAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = ("name", "period_start", "period_end", "amount_shown", "freelance_pool_shown")
    search_fields = ("name",)
    date_hierarchy = "period_start"
    amount_shown = money_column("amount", _("amount"))
    freelance_pool_shown = money_column("freelance_pool", _("freelance pool"))


@admin.register(BudgetAlert)
class BudgetAlertAdmin(HistoryAdmin):
    list_display = ("budget", "level", "sent_at")
    list_filter = ("level",)
    list_select_related = ("budget__project",)
    search_fields = ("budget__project__code", "budget__project__name")
    date_hierarchy = "sent_at"
