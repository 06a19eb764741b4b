from django.urls import path

from . import (
    staffing_views,
    team_views,
    time_entry_views,
    time_off_views,
    urls_resources,
    urls_talent,
    urls_timesheets,
    views,
)

app_name = "schedules"

urlpatterns = [
    path("team/", team_views.team_schedule, name="team-schedule"),
    path("bookings/new/", team_views.booking_new, name="booking-new"),
    path("bookings/<int:pk>/", team_views.booking_edit, name="booking-edit"),
    path("bookings/<int:pk>/move/", team_views.booking_move, name="booking-move"),
    path("bookings/<int:pk>/confirm/", team_views.booking_confirm, name="booking-confirm"),
    path("bookings/<int:pk>/split/", team_views.booking_split, name="booking-split"),
    path("bookings/<int:pk>/release/", team_views.booking_release, name="booking-release"),
    path("my-day/", views.my_day, name="my-day"),
    path("my-day/ahead/", views.my_day_ahead, name="my-day-ahead"),
    path("my-day/time/", time_entry_views.my_day_time, name="my-day-time"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("ical/regenerate/", views.ical_regenerate, name="ical-regenerate"),
    path("feasibility/", views.feasibility, name="feasibility"),
    path("time-off/", time_off_views.time_off_list, name="time-off-list"),
    path("time-off/request/", time_off_views.time_off_create, name="time-off-request"),
    path("time-off/<int:pk>/cancel/", time_off_views.time_off_cancel, name="time-off-cancel"),
    path("staff/<int:pk>/", staffing_views.deliverable_staffing, name="deliverable-staffing"),
    path("staff/<int:pk>/<int:talent_pk>/", staffing_views.deliverable_staff_person, name="deliverable-staff-person"),
    path("projects/<int:pk>/staffing/", staffing_views.project_staffing, name="project-staffing"),
]

urlpatterns += urls_timesheets.urlpatterns + urls_resources.urlpatterns + urls_talent.urlpatterns
