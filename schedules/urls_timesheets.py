"""Timesheet pages (issue 5), added to the schedules URLs."""

from django.urls import path

from . import timesheet_views

urlpatterns = [
    path("timesheets/", timesheet_views.timesheet_week, name="timesheet-week"),
    path("timesheets/missing/", timesheet_views.timesheet_missing, name="timesheet-missing"),
    path("timesheets/<int:talent_id>/", timesheet_views.timesheet_person, name="timesheet-person"),
    path("timesheets/<int:talent_id>/cell/", timesheet_views.timesheet_cell, name="timesheet-cell"),
    path("timesheets/<int:talent_id>/save/", timesheet_views.timesheet_save, name="timesheet-save"),
    path("timesheets/<int:talent_id>/submit/", timesheet_views.timesheet_submit, name="timesheet-submit"),
    path("timesheets/<int:talent_id>/reopen/", timesheet_views.timesheet_reopen, name="timesheet-reopen"),
]
