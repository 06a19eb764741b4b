"""The REST API, included at /api/: the studio's own routes (people, notifications,
tokens) and each app's, which it owns in `<app>/api_urls.py` and are included here by
name. The schema and its docs are routed in studio/urls.py."""

from django.urls import include, path, re_path
from rest_framework.routers import APIRootView, SimpleRouter

from .api import NotificationViewSet, ObtainTokenView, TalentViewSet
from .api_errors import not_found

router = SimpleRouter()
router.register("talent", TalentViewSet, basename="talent")
router.register("notifications", NotificationViewSet, basename="notification")

# The root lists the collections by URL name, so it needs none of the apps' code.
COLLECTIONS = {
    "projects": "project-list",
    "phases": "phase-list",
    "deliverables": "deliverable-list",
    "dependencies": "dependency-list",
    "baselines": "baseline-list",
    "requests": "request-list",
    "briefs": "brief-list",
    "brief-versions": "brief-version-list",
    "distributions": "distribution-list",
    "bookings": "booking-list",
    "time-off": "time-off-list",
    "timesheets": "timesheet-list",
    "time-entries": "time-entry-list",
    "schedule": "schedule",
    "utilization": "utilization",
    "forecast": "forecast",
    "who-is-free": "who-is-free",
    "approvals": "approval-list",
    "budgets": "budget-list",
    "budget-lines": "budget-line-list",
    "change-orders": "change-order-list",
    "change-order-lines": "change-order-line-list",
    "costs": "cost-list",
    "studio-budgets": "studio-budget-list",
    "metric-snapshots": "metric-snapshot-list",
    "metric-catalogue": "metric-catalogue-list",
    "metrics-portfolio": "metric-portfolio-list",
    "talent": "talent-list",
    "notifications": "notification-list",
}

urlpatterns = [
    path("", APIRootView.as_view(api_root_dict=COLLECTIONS), name="api-root"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("projects.api_urls")),
    path("", include("briefs.api_urls")),
    path("", include("schedules.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("budgets.api_urls")),
    path("", include("metrics.api_urls")),
    *router.urls,
    # Last: whatever else ends in a slash under /api/ is the API's 404 (without a slash,
    # CommonMiddleware first redirects to it).
    re_path(r"^.*/$", not_found, name="api-not-found"),
]
