"""Who may do what in the Django admin (DESIGN §1), decided here for every ModelAdmin.

PMs are staff with admin access to the studio's settings: they view, add and
change the settings models and view everything else. Admins are superusers
and keep Django's full access. Nobody else is staff, so the admin site itself
turns them away. History, and every record whose writes carry rules (approvals,
plans, briefs, bookings, time, money), is read-only for everyone: it is written by
the services, never by hand. No Django groups or per-model permissions are
needed; a user's explicitly granted model permissions still count.
"""

from django.contrib import admin
from django.core.files import File
from django.db import models

from .permissions import can
from .services import audit_record


class Access:
    """What a PM may do with a model in the admin."""

    VIEW = "view"
    MANAGE = "manage"  # view, add, change; deleting stays with superusers
    MANAGE_ROWS = "manage_rows"  # also delete: rows of a settings record (a flow's steps)


def is_admin_pm(user):
    """A staff member who may edit the studio's settings (`studio.settings`): the
    admin's studio-settings user."""
    return user.is_staff and can(user, "studio.settings")


class StudioAdminAccess:
    """Mixin for every ModelAdmin and inline of the project."""

    pm_access = Access.VIEW
    history = False  # written only by services: no add, change or delete by anyone

    def _pm(self, request):
        return is_admin_pm(request.user)

    def has_module_permission(self, request):
        return self._pm(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._pm(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        # Inlines pass the parent object as well; ModelAdmins pass only the request.
        if self.history:
            return False
        if self._pm(request) and self.pm_access != Access.VIEW:
            return True
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self.history:
            return False
        if self._pm(request) and self.pm_access != Access.VIEW:
            return True
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.history:
            return False
        if self._pm(request) and self.pm_access == Access.MANAGE_ROWS:
            return True
        return super().has_delete_permission(request, obj)


def _plain(value):
    """A form value as the audit trail keeps it: related rows by their key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, File):
        return value.name
    if isinstance(value, models.QuerySet | list | tuple):
        return [_plain(item) for item in value]
    return value


def _changes(form) -> tuple[dict, dict]:
    """Before and after of the fields the form changed; never a password."""
    fields = [name for name in form.changed_data if "password" not in name]
    return ({name: _plain(form.initial.get(name)) for name in fields},
            {name: _plain(form.cleaned_data.get(name)) for name in fields})


class AuditedAdmin:
    """What is added, changed or deleted in the admin is in the audit log, as any write
    of a service is: who, what changed and (the path tells) that it came from the admin."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        before, after = _changes(form)
        audit_record(actor=request.user, obj=obj, action="admin.change" if change else "admin.add",
                     before=before if change else None, after=after)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, obj=obj, action="admin.delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, obj=obj, action="admin.delete")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Deletions are recorded first, while the rows still have their keys.
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                audit_record(actor=request.user, obj=row.instance, action="admin.delete")
        super().save_formset(request, form, formset, change)
        # The rows of an inline (a flow's steps, a person's rate cards), each in its own entry.
        by_instance = {id(row.instance): row for row in formset.forms}
        for obj in formset.new_objects:
            _before, after = _changes(by_instance[id(obj)]) if id(obj) in by_instance else (None, None)
            audit_record(actor=request.user, obj=obj, action="admin.add", after=after)
        for obj, _fields in formset.changed_objects:
            before, after = _changes(by_instance[id(obj)]) if id(obj) in by_instance else (None, None)
            audit_record(actor=request.user, obj=obj, action="admin.change", before=before, after=after)


class ModelAdmin(AuditedAdmin, StudioAdminAccess, admin.ModelAdmin):
    pass


class TabularInline(StudioAdminAccess, admin.TabularInline):
    extra = 0


class StackedInline(StudioAdminAccess, admin.StackedInline):
    extra = 0


class HistoryAdmin(ModelAdmin):
    """History (audit trail, frozen versions, decisions, snapshots): read-only."""

    history = True


class HistoryInline(TabularInline):
    history = True
    show_change_link = True
    can_delete = False


class ServiceRecordAdmin(HistoryAdmin):
    """Records whose writes carry rules (approvals, plans, briefs, bookings, time, money):
    read-only for everyone, superusers included. Their services are the only way in, so
    nothing approved, booked or costed here skips the approval engine, the checks or the
    audit log; a repair goes through the product's pages or API, where the rules run."""


class ServiceRecordInline(HistoryInline):
    pass
