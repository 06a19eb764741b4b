from django.urls import path

from .views import feasibility, my_day, resources, search, staffing, talent, team, time_off, timesheets

app_name = "schedules"

# The creative's own day: call sheet, days ahead, quick time entry and calendar feed.
my_day_patterns = [
    path("my-day/", my_day.my_day, name="my-day"),
    path("my-day/ahead/", my_day.my_day_ahead, name="my-day-ahead"),
    path("my-day/time/", my_day.my_day_time, name="my-day-time"),
    path("ical/<str:token>.ics", my_day.ical_feed, name="ical"),
    path("ical/regenerate/", my_day.ical_regenerate, name="ical-regenerate"),
]

# The team schedule and its booking dialog.
team_patterns = [
    path("team/", team.team_schedule, name="team-schedule"),
    path("bookings/new/", team.booking_new, name="booking-new"),
    path("bookings/deliverable-field/", team.booking_deliverable_field, name="booking-deliverable-field"),
    path("bookings/<int:pk>/", team.booking_edit, name="booking-edit"),
    path("bookings/<int:pk>/move/", team.booking_move, name="booking-move"),
    path("bookings/<int:pk>/confirm/", team.booking_confirm, name="booking-confirm"),
    path("bookings/<int:pk>/split/", team.booking_split, name="booking-split"),
    path("bookings/<int:pk>/release/", team.booking_release, name="booking-release"),
]

# Time: timesheets and time off.
time_patterns = [
    path("timesheets/", timesheets.timesheet_week, name="timesheet-week"),
    path("timesheets/missing/", timesheets.timesheet_missing, name="timesheet-missing"),
    path("timesheets/<int:talent_id>/", timesheets.timesheet_person, name="timesheet-person"),
    path("timesheets/<int:talent_id>/cell/", timesheets.timesheet_cell, name="timesheet-cell"),
    path("timesheets/<int:talent_id>/save/", timesheets.timesheet_save, name="timesheet-save"),
    path("timesheets/<int:talent_id>/submit/", timesheets.timesheet_submit, name="timesheet-submit"),
    path("timesheets/<int:talent_id>/reopen/", timesheets.timesheet_reopen, name="timesheet-reopen"),
    path("time-off/", time_off.time_off_list, name="time-off-list"),
    path("time-off/request/", time_off.time_off_create, name="time-off-request"),
    path("time-off/<int:pk>/cancel/", time_off.time_off_cancel, name="time-off-cancel"),
]

# Resources: utilization, the forecast, who is free; staffing from the plan.
resource_patterns = [
    path("utilization/", resources.utilization, name="utilization"),
    path("forecast/", resources.forecast, name="forecast"),
    path("forecast/cell/", resources.forecast_cell, name="forecast-cell"),
    path("who-is-free/", resources.who_is_free, name="who-is-free"),
    path("who-is-free/<int:pk>/book/", resources.who_is_free_book, name="who-is-free-book"),
    path("staff/<int:pk>/", staffing.deliverable_staffing, name="deliverable-staffing"),
    path("staff/<int:pk>/<int:talent_pk>/", staffing.deliverable_staff_person, name="deliverable-staff-person"),
    path("projects/<int:pk>/staffing/", staffing.project_staffing, name="project-staffing"),
]

# Fragments other apps' pages load (DESIGN §2, composite pages).
fragment_patterns = [
    path("feasibility/", feasibility.feasibility, name="feasibility"),
    path("talent/status/", talent.talent_status, name="talent-status"),
    path("talent/<int:pk>/status/", talent.talent_detail_status, name="talent-detail-status"),
]

# The pickers' searches (studio/widgets.py): people, projects, deliverables.
search_patterns = [
    path("search/talent/", search.search_talent, name="search-talent"),
    path("search/projects/", search.search_project, name="search-project"),
    path("search/deliverables/", search.search_deliverable, name="search-deliverable"),
]

urlpatterns = my_day_patterns + team_patterns + time_patterns + resource_patterns + fragment_patterns + search_patterns
