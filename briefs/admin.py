from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import (
    Access,
    HistoryAdmin,
    HistoryInline,
    ModelAdmin,
    ServiceRecordAdmin,
    ServiceRecordInline,
)
from studio.admin_money import MoneyColumns, money_column

from .models import Brief, BriefDistribution, BriefTemplate, BriefVersion, Request, RequestItem


class RequestItemInline(ServiceRecordInline):
    model = RequestItem
    fields = ("deliverable_type", "quantity")
    autocomplete_fields = ("deliverable_type",)


@admin.register(Request)
class RequestAdmin(MoneyColumns, ServiceRecordAdmin):
    list_display = (
        "title",
        "brand",
        "submitted_by",
        "status",
        "deadline",
        "budget_shown",
        "project",
        "created_at",
    )
    list_filter = ("status",)
    list_select_related = ("brand", "submitted_by", "project")
    search_fields = ("title", "objectives", "brand__name", "project__code")
    autocomplete_fields = ("brand", "submitted_by", "project")
    readonly_fields = ("version", "created_at", "updated_at")
    date_hierarchy = "deadline"
    inlines = (RequestItemInline,)
    budget_shown = money_column("budget", _("budget"))


@admin.register(RequestItem)
class RequestItemAdmin(ServiceRecordAdmin):
    list_display = ("request", "deliverable_type", "quantity")
    list_select_related = ("request", "deliverable_type")
    search_fields = ("request__title", "deliverable_type__name")
    autocomplete_fields = ("request", "deliverable_type")


@admin.register(BriefTemplate)
class BriefTemplateAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("name", "deliverable_type", "active")
    list_filter = ("active",)
    list_select_related = ("deliverable_type",)
    search_fields = ("name",)
    autocomplete_fields = ("deliverable_type",)


class BriefVersionInline(HistoryInline):
    model = BriefVersion
    fields = ("number", "title", "approved_at", "approved_by")


@admin.register(Brief)
class BriefAdmin(ServiceRecordAdmin):
    list_display = (
        "title",
        "project",
        "status",
        "current_version_number",
        "created_by",
        "updated_at",
    )
    list_filter = ("status",)
    list_select_related = ("project", "created_by")
    search_fields = ("title", "project__code", "project__name")
    autocomplete_fields = ("project", "request", "template")
    readonly_fields = (
        "current_version_number",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("project", "request", "template", "title", "status", "deadline")}),
        (
            _("Sections"),
            {
                "fields": (
                    "background",
                    "objectives",
                    "audience",
                    "key_message",
                    "mandatories",
                    "tone",
                    "deliverables",
                    "budget_summary",
                    "references",
                )
            },
        ),
        (
            _("Record"),
            {
                "fields": (
                    "current_version_number",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = (BriefVersionInline,)


@admin.register(BriefVersion)
class BriefVersionAdmin(HistoryAdmin):
    list_display = ("__str__", "brief", "number", "approved_at", "approved_by")
    list_select_related = ("brief", "approved_by")
    search_fields = ("title", "brief__title", "brief__project__code")
    date_hierarchy = "approved_at"


@admin.register(BriefDistribution)
class BriefDistributionAdmin(ServiceRecordAdmin):
    list_display = (
        "version",
        "recipient",
        "sent_by",
        "sent_at",
        "opened_at",
        "acknowledged_at",
        "questioned_at",
    )
    list_select_related = ("version", "recipient", "sent_by")
    search_fields = ("version__title", "recipient__username", "recipient__last_name")
    autocomplete_fields = ("version", "recipient", "sent_by")
    date_hierarchy = "sent_at"
