"""The schedules API's routes: bookings, time off, timesheets and time entries, and the
read-only schedule, utilization, forecast and who is free."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.bookings import BookingViewSet
from .api.resources import ForecastView, UtilizationPeopleView, UtilizationView, WhoIsFreeView
from .api.schedule import ScheduleView
from .api.time_off import TimeOffViewSet
from .api.timesheets import TimeEntryViewSet, TimesheetViewSet

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")
router.register("time-off", TimeOffViewSet, basename="time-off")
router.register("timesheets", TimesheetViewSet, basename="timesheet")
router.register("time-entries", TimeEntryViewSet, basename="time-entry")

urlpatterns = [
    path("schedule/", ScheduleView.as_view(), name="schedule"),
    path("utilization/", UtilizationView.as_view(), name="utilization"),
    path("utilization/people/", UtilizationPeopleView.as_view(), name="utilization-people"),
    path("forecast/", ForecastView.as_view(), name="forecast"),
    path("who-is-free/", WhoIsFreeView.as_view(), name="who-is-free"),
    *router.urls,
]
