from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin_access import ServiceRecordAdmin, ServiceRecordInline

from .models import Booking, TimeEntry, TimeOff, Timesheet

TALENT_SEARCH = ("talent__user__username", "talent__user__first_name", "talent__user__last_name")


@admin.register(Booking)
class BookingAdmin(ServiceRecordAdmin):
    list_display = (
        "__str__",
        "status",
        "hours_per_day",
        "hold_expires_on",
        "deliverable",
        "include_weekends",
    )
    list_filter = ("status", "include_weekends", "placeholder_discipline")
    list_select_related = ("talent__user", "placeholder_discipline", "project", "deliverable")
    search_fields = (*TALENT_SEARCH, "project__code", "project__name", "note")
    autocomplete_fields = ("talent", "placeholder_discipline", "project", "deliverable")
    readonly_fields = ("created_by", "version", "created_at", "updated_at")
    date_hierarchy = "start_date"


@admin.register(TimeOff)
class TimeOffAdmin(ServiceRecordAdmin):
    list_display = (
        "talent",
        "start_date",
        "end_date",
        "full_day",
        "hours_per_day",
        "status",
        "reason",
    )
    list_filter = ("status", "full_day")
    list_select_related = ("talent__user",)
    search_fields = (*TALENT_SEARCH, "reason")
    autocomplete_fields = ("talent",)
    readonly_fields = ("created_at",)
    date_hierarchy = "start_date"


class TimeEntryInline(ServiceRecordInline):
    model = TimeEntry
    fields = ("date", "project", "deliverable", "hours", "note")
    autocomplete_fields = ("project", "deliverable")


@admin.register(Timesheet)
class TimesheetAdmin(ServiceRecordAdmin):
    list_display = ("talent", "week_start", "status", "submitted_at", "approved_at")
    list_filter = ("status",)
    list_select_related = ("talent__user",)
    search_fields = TALENT_SEARCH
    autocomplete_fields = ("talent",)
    date_hierarchy = "week_start"
    inlines = (TimeEntryInline,)


@admin.register(TimeEntry)
class TimeEntryAdmin(ServiceRecordAdmin):
    list_display = ("talent", "date", "project", "deliverable", "hours", "timesheet_status")
    list_filter = ("timesheet__status",)
    list_select_related = ("talent__user", "project", "deliverable", "timesheet")
    search_fields = (*TALENT_SEARCH, "project__code", "project__name", "note")
    autocomplete_fields = ("timesheet", "talent", "project", "deliverable")
    date_hierarchy = "date"

    @admin.display(description=_("timesheet"), ordering="timesheet__status")
    def timesheet_status(self, obj):
        return obj.timesheet.get_status_display()
