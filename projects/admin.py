from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import (
    Access,
    HistoryAdmin,
    HistoryInline,
    ModelAdmin,
    ServiceRecordAdmin,
    ServiceRecordInline,
    TabularInline,
)
from studio.admin_money import MoneyColumns, money_column

from .models import (
    Baseline,
    BaselineDeliverable,
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    DeliverableType,
    Dependency,
    Phase,
    Project,
    StandardHours,
)


class PhaseInline(ServiceRecordInline):
    model = Phase
    fields = ("order", "name", "start_date", "end_date")


class DeliverableInline(ServiceRecordInline):
    model = Deliverable
    fields = (
        "name",
        "deliverable_type",
        "phase",
        "quantity",
        "planned_hours",
        "planned_start",
        "due_date",
        "status",
        "percent_complete",
    )
    autocomplete_fields = ("deliverable_type", "phase")
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "code",
        "name",
        "brand",
        "pm",
        "status",
        "is_internal",
        "fee_shown",
        "planned_start",
        "due_date",
    )
    list_filter = ("status", "is_internal")
    list_select_related = ("brand", "pm")
    search_fields = ("code", "name", "brand__name", "brand__client__name")
    autocomplete_fields = ("brand", "pm")
    date_hierarchy = "due_date"
    readonly_fields = (
        "baseline_start",
        "baseline_due_date",
        "baseline_set_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "brand",
                    "is_internal",
                    "pm",
                    "status",
                    "fee",
                    "description",
                )
            },
        ),
        (_("Dates"), {"fields": ("planned_start", "due_date")}),
        (
            _("Frozen baseline"),
            {"fields": ("baseline_start", "baseline_due_date", "baseline_set_at")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (PhaseInline, DeliverableInline)
    fee_shown = money_column("fee", _("fee"))


@admin.register(Phase)
class PhaseAdmin(ServiceRecordAdmin):
    list_display = ("name", "project", "order", "start_date", "end_date")
    list_select_related = ("project",)
    search_fields = ("name", "project__code", "project__name")
    autocomplete_fields = ("project",)


class StandardHoursInline(TabularInline):
    model = StandardHours
    pm_access = Access.MANAGE_ROWS
    fields = ("discipline", "hours_per_unit")
    autocomplete_fields = ("discipline",)


@admin.register(DeliverableType)
class DeliverableTypeAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("name", "unit_name", "active")
    list_filter = ("active",)
    search_fields = ("name", "description")
    inlines = (StandardHoursInline,)


@admin.register(StandardHours)
class StandardHoursAdmin(ModelAdmin):
    pm_access = Access.MANAGE_ROWS
    list_display = ("deliverable_type", "discipline", "hours_per_unit")
    list_filter = ("discipline",)
    list_select_related = ("deliverable_type", "discipline")
    search_fields = ("deliverable_type__name", "discipline__name")
    autocomplete_fields = ("deliverable_type", "discipline")


class DeliverableHoursInline(ServiceRecordInline):
    model = DeliverableHours
    fields = ("discipline", "hours")
    autocomplete_fields = ("discipline",)


class DeliverableProgressInline(HistoryInline):
    model = DeliverableProgress
    fields = ("date", "status", "percent_complete", "recorded_by", "recorded_at")


@admin.register(Deliverable)
class DeliverableAdmin(ServiceRecordAdmin):
    list_display = (
        "name",
        "project",
        "deliverable_type",
        "status",
        "percent_complete",
        "quantity",
        "planned_hours",
        "planned_start",
        "due_date",
    )
    list_filter = ("status", "deliverable_type")
    list_select_related = ("project", "deliverable_type")
    search_fields = ("name", "project__code", "project__name")
    autocomplete_fields = ("project", "phase", "deliverable_type", "assignees")
    date_hierarchy = "due_date"
    inlines = (DeliverableHoursInline, DeliverableProgressInline)


@admin.register(DeliverableProgress)
class DeliverableProgressAdmin(HistoryAdmin):
    list_display = (
        "deliverable",
        "date",
        "status",
        "percent_complete",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("status",)
    list_select_related = ("deliverable", "recorded_by")
    search_fields = ("deliverable__name", "deliverable__project__code")
    date_hierarchy = "date"


@admin.register(DeliverableHours)
class DeliverableHoursAdmin(ServiceRecordAdmin):
    list_display = ("deliverable", "discipline", "hours")
    list_filter = ("discipline",)
    list_select_related = ("deliverable", "discipline")
    search_fields = ("deliverable__name", "deliverable__project__code")
    autocomplete_fields = ("deliverable", "discipline")


@admin.register(Dependency)
class DependencyAdmin(ServiceRecordAdmin):
    list_display = ("predecessor", "successor", "created_at")
    list_select_related = ("predecessor__project", "successor")
    search_fields = ("predecessor__name", "successor__name", "predecessor__project__code")
    autocomplete_fields = ("predecessor", "successor")


class BaselineDeliverableInline(HistoryInline):
    model = BaselineDeliverable
    fields = ("deliverable", "planned_start", "due_date", "planned_hours")


@admin.register(Baseline)
class BaselineAdmin(HistoryAdmin):
    list_display = ("project", "number", "planned_start", "due_date", "planned_hours", "set_by", "set_at")
    list_select_related = ("project", "set_by")
    search_fields = ("project__code", "project__name", "note")
    date_hierarchy = "set_at"
    inlines = (BaselineDeliverableInline,)


@admin.register(BaselineDeliverable)
class BaselineDeliverableAdmin(HistoryAdmin):
    list_display = ("baseline", "deliverable", "planned_start", "due_date", "planned_hours")
    list_select_related = ("baseline__project", "deliverable")
    search_fields = ("deliverable__name", "baseline__project__code")
