from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .admin_access import Access, AuditedAdmin, HistoryAdmin, ModelAdmin, StudioAdminAccess, TabularInline
from .admin_money import MoneyColumns, money_column
from .models import (
    AccessToken,
    Attachment,
    AuditEvent,
    Brand,
    Client,
    Comment,
    Discipline,
    Holiday,
    Notification,
    RateCard,
    Skill,
    StudioSettings,
    Talent,
    User,
)
from .services import access_token_revoke

TALENT_SEARCH = ("talent__user__username", "talent__user__first_name", "talent__user__last_name")


@admin.register(User)
class UserAdmin(AuditedAdmin, StudioAdminAccess, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (_("Studio"), {"fields": ("role", "notification_delivery")}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Studio"),
            {"classes": ("wide",), "fields": ("first_name", "last_name", "email", "role")},
        ),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "notification_delivery",
        "is_staff",
        "is_active",
    )
    list_filter = ("role", "notification_delivery", "is_staff", "is_superuser", "is_active")


@admin.register(Discipline)
class DisciplineAdmin(MoneyColumns, ModelAdmin):
    pm_access = Access.MANAGE
    list_display = (
        "name",
        "freelance_bill_rate_shown",
        "freelance_cost_rate_shown",
        "freelance_hours_per_week",
        "standard_cost_rate_shown",
        "active",
    )
    list_filter = ("active",)
    search_fields = ("name",)
    freelance_bill_rate_shown = money_column("freelance_bill_rate", _("freelance bill rate"))
    freelance_cost_rate_shown = money_column("freelance_cost_rate", _("freelance cost rate"))
    standard_cost_rate_shown = money_column("standard_cost_rate", _("standard cost rate"))


@admin.register(Skill)
class SkillAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    search_fields = ("name",)


class RateCardInline(TabularInline):
    model = RateCard
    pm_access = Access.MANAGE  # rates change by a new card; the old ones stay as history
    fields = ("valid_from", "cost_rate", "bill_rate")


@admin.register(Talent)
class TalentAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = (
        "__str__",
        "discipline",
        "employment",
        "hours_per_day",
        "working_days",
        "contract_start",
        "contract_end",
        "active",
    )
    list_filter = ("employment", "active", "discipline")
    list_select_related = ("user", "discipline")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("user", "discipline", "skills")
    inlines = (RateCardInline,)
    fieldsets = (
        (None, {"fields": ("user", "discipline", "skills", "active")}),
        (
            _("Working time"),
            {
                "fields": (
                    "employment",
                    "hours_per_day",
                    "working_days",
                    "overtime_hours_per_day",
                    "time_zone",
                )
            },
        ),
        (
            _("Contract"),
            {
                "fields": ("contract_start", "contract_end"),
                "description": _("Required for freelancers."),
            },
        ),
        (_("Contact"), {"fields": ("phone",)}),
    )


@admin.register(RateCard)
class RateCardAdmin(MoneyColumns, ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("talent", "valid_from", "cost_rate_shown", "bill_rate_shown")
    list_select_related = ("talent__user",)
    search_fields = TALENT_SEARCH
    autocomplete_fields = ("talent",)
    date_hierarchy = "valid_from"
    cost_rate_shown = money_column("cost_rate", _("cost rate"))
    bill_rate_shown = money_column("bill_rate", _("bill rate"))


@admin.register(Client)
class ClientAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("name", "contact_name", "contact_email", "active")
    list_filter = ("active",)
    search_fields = ("name", "contact_name", "contact_email")


@admin.register(Brand)
class BrandAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("name", "code_prefix", "client", "active")
    list_filter = ("active",)
    list_select_related = ("client",)
    search_fields = ("name", "code_prefix", "client__name")
    autocomplete_fields = ("client", "managers")


@admin.register(Holiday)
class HolidayAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(StudioSettings)
class StudioSettingsAdmin(ModelAdmin):
    pm_access = Access.MANAGE
    fieldsets = (
        (None, {"fields": ("name", "time_zone", "currency", "internal_code_prefix")}),
        (
            _("Approvals"),
            {"fields": ("budget_approval_threshold", "change_order_approval_threshold")},
        ),
        (
            _("Metrics"),
            {
                "fields": (
                    "schedule_behind_days",
                    "budget_warning_ratio",
                    "csat_target",
                    "utilization_target",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # The one row comes from a migration (or the list below), never from "add".
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row, _created = StudioSettings.objects.get_or_create(pk=1)
        return redirect(reverse("admin:studio_studiosettings_change", args=[row.pk]))


@admin.register(AuditEvent)
class AuditEventAdmin(HistoryAdmin):
    list_display = ("created_at", "actor", "action", "content_type", "object_repr", "source")
    list_filter = ("source", "action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("object_repr", "action", "reason", "actor__username", "object_id")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = ("subject", "recipient", "created_at", "read_at", "emailed_at", "email_skipped")
    list_filter = ("email_skipped",)
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__username", "recipient__email")
    autocomplete_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(ModelAdmin):
    list_display = ("__str__", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    list_select_related = ("author", "content_type")
    search_fields = ("body", "author__username")
    fields = ("content_type", "object_id", "body", "author", "created_at")
    readonly_fields = ("author", "created_at")
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class AttachmentAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if isinstance(upload, UploadedFile):
            # Name, type and size describe the file itself, so they are read from the
            # upload and checked by Attachment.clean(), never typed in.
            self.instance.original_name = upload.name[:200]
            self.instance.mime_type = upload.content_type or ""
            self.instance.size = upload.size
        return data


@admin.register(Attachment)
class AttachmentAdmin(ModelAdmin):
    form = AttachmentAdminForm
    list_display = (
        "original_name",
        "mime_type",
        "size",
        "content_type",
        "object_id",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("mime_type",)
    list_select_related = ("uploaded_by", "content_type")
    search_fields = ("original_name", "uploaded_by__username")
    fields = (
        "content_type",
        "object_id",
        "file",
        "original_name",
        "mime_type",
        "size",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = ("original_name", "mime_type", "size", "uploaded_by", "created_at")
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AccessToken)
class AccessTokenAdmin(ModelAdmin):
    """Who has which API token. Nobody creates or edits one here (only its owner sees its
    key, on their own page); a superuser may revoke one, through the service."""

    list_display = ("name", "user", "read_only", "created", "expiry", "last_used")
    list_filter = ("read_only",)
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    fields = ("name", "user", "read_only", "created", "expiry", "last_used")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        access_token_revoke(token=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            access_token_revoke(token=token, user=request.user)
