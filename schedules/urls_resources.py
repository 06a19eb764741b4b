"""Resource pages: utilization, the forecast and who is free (issue 5), added to the schedules URLs."""

from django.urls import path

from . import resource_views

urlpatterns = [
    path("utilization/", resource_views.utilization, name="utilization"),
    path("forecast/", resource_views.forecast, name="forecast"),
    path("forecast/cell/", resource_views.forecast_cell, name="forecast-cell"),
    path("who-is-free/", resource_views.who_is_free, name="who-is-free"),
    path("who-is-free/<int:pk>/book/", resource_views.who_is_free_book, name="who-is-free-book"),
]
