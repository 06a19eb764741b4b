from django.urls import path

from . import time_off_views, views

app_name = "schedules"

urlpatterns = [
    path("my-day/", views.my_day, name="my-day"),
    path("my-day/ahead/", views.my_day_ahead, name="my-day-ahead"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("ical/regenerate/", views.ical_regenerate, name="ical-regenerate"),
    path("feasibility/", views.feasibility, name="feasibility"),
    path("time-off/", time_off_views.time_off_list, name="time-off-list"),
    path("time-off/request/", time_off_views.time_off_create, name="time-off-request"),
    path("time-off/<int:pk>/cancel/", time_off_views.time_off_cancel, name="time-off-cancel"),
]
