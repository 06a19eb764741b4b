"""Talent fragments served by schedules to the studio's directory (issue 5), added to the schedules URLs."""

from django.urls import path

from . import talent_views

urlpatterns = [
    path("talent/status/", talent_views.talent_status, name="talent-status"),
    path("talent/<int:pk>/status/", talent_views.talent_detail_status, name="talent-detail-status"),
]
