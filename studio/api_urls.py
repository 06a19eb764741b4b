"""The REST API, included at /api/ (schema and docs are routed in studio/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from approvals.api import ApprovalViewSet
from briefs.api.briefs import BriefVersionViewSet, BriefViewSet, DistributionViewSet
from briefs.api.requests import RequestViewSet
from projects.api import BaselineViewSet, DeliverableViewSet, DependencyViewSet, PhaseViewSet, ProjectViewSet
from schedules.api import BookingViewSet
from schedules.api_resources import ForecastView, UtilizationPeopleView, UtilizationView, WhoIsFreeView
from schedules.api_schedule import ScheduleView
from schedules.api_time_off import TimeOffViewSet
from schedules.api_timesheets import TimeEntryViewSet, TimesheetViewSet

from .api import NotificationViewSet, ObtainTokenView, TalentViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("phases", PhaseViewSet, basename="phase")
router.register("dependencies", DependencyViewSet, basename="dependency")
router.register("baselines", BaselineViewSet, basename="baseline")
router.register("talent", TalentViewSet, basename="talent")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("requests", RequestViewSet, basename="request")
router.register("briefs", BriefViewSet, basename="brief")
router.register("brief-versions", BriefVersionViewSet, basename="brief-version")
router.register("distributions", DistributionViewSet, basename="distribution")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("bookings", BookingViewSet, basename="booking")
router.register("time-off", TimeOffViewSet, basename="time-off")
router.register("timesheets", TimesheetViewSet, basename="timesheet")
router.register("time-entries", TimeEntryViewSet, basename="time-entry")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schedule/", ScheduleView.as_view(), name="schedule"),
    path("utilization/", UtilizationView.as_view(), name="utilization"),
    path("utilization/people/", UtilizationPeopleView.as_view(), name="utilization-people"),
    path("forecast/", ForecastView.as_view(), name="forecast"),
    path("who-is-free/", WhoIsFreeView.as_view(), name="who-is-free"),
    *router.urls,
]
