"""Money in the admin's lists in the one format of studio.money ("EUR 43,109.28"), not Django's
raw decimals ("43109.2800000000"). Forms keep plain numbers to type into.

    class CostAdmin(MoneyColumns, ModelAdmin):
        list_display = ("description", "amount_shown")
        amount_shown = money_column("amount", _("amount"))
"""

from django.contrib import admin
from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Coalesce

from .models import StudioSettings
from .money import format_money

# Each row carries the studio currency, read in the list's own query (never a query per row).
CURRENCY = "studio_currency"


def with_currency(queryset):
    currency = StudioSettings.objects.filter(pk=1).values("currency")[:1]
    default = StudioSettings._meta.get_field("currency").default
    return queryset.annotate(**{CURRENCY: Coalesce(Subquery(currency), Value(default), output_field=CharField())})


class MoneyColumns:
    """Mixin for a ModelAdmin whose lists show money_column()s. On a change page the user
    may only view, each money field shows through its column too; a form to type into keeps
    the plain number."""

    def get_queryset(self, request):
        return with_currency(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        shown = {
            column.money_field: name
            for name in dir(type(self))
            if (column := getattr(type(self), name, None)) is not None and hasattr(column, "money_field")
        }

        def swap(entry):
            return tuple(swap(part) for part in entry) if isinstance(entry, list | tuple) else shown.get(entry, entry)

        return [(title, {**options, "fields": swap(options["fields"])}) for title, options in fieldsets]


def money_column(field: str, description, ordering: str | None = None):
    """A list_display column (or read-only field) showing `field`, a model field or an
    annotation, as money."""

    @admin.display(description=description, ordering=ordering or field)
    def column(self, obj):
        currency = getattr(obj, CURRENCY, None)
        if currency is None:  # a row that did not come through get_queryset
            currency = StudioSettings.load().currency
        return format_money(getattr(obj, field), currency)

    column.money_field = field
    return column
