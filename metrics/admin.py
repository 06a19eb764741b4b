from django.contrib import admin

from studio.admin_access import HistoryAdmin, ModelAdmin, TabularInline

from .models import MetricSnapshot, SatisfactionSurvey, SurveyResponse


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(HistoryAdmin):
    list_display = ("date", "scope_key", "metric", "value", "computed_at")
    list_filter = ("metric",)
    search_fields = ("scope_key", "metric")
    date_hierarchy = "date"


class SurveyResponseInline(TabularInline):
    model = SurveyResponse
    fields = ("respondent", "rating", "comment", "responded_at")
    autocomplete_fields = ("respondent",)


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ModelAdmin):
    list_display = ("__str__", "project", "deliverable", "sent_at")
    list_select_related = ("project", "deliverable")
    search_fields = ("project__code", "project__name", "deliverable__name")
    autocomplete_fields = ("project", "deliverable")
    date_hierarchy = "sent_at"
    inlines = (SurveyResponseInline,)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ModelAdmin):
    list_display = ("respondent", "survey", "rating", "responded_at")
    list_filter = ("rating",)
    list_select_related = ("respondent", "survey__project", "survey__deliverable")
    search_fields = ("respondent__username", "survey__project__code", "comment")
    autocomplete_fields = ("survey", "respondent")
    date_hierarchy = "responded_at"
