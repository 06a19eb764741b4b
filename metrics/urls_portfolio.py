"""The portfolio and each project's metrics tab, mounted at `metrics/` in the namespace
"portfolio": `path("metrics/", include(("metrics.urls_portfolio", "portfolio")))`."""

from django.urls import path

from . import views_people, views_recompute, views_trends
from . import views_portfolio as views

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("projects/<int:pk>/", views.project_metrics_tab, name="project-metrics"),
    path("people/", views_people.people, name="people"),
    path("trends/", views_trends.trends_page, name="trends"),
    path("trends/<slug:chart>.csv", views_trends.trends_csv, name="trends-csv"),
    path("recompute/", views_recompute.recompute, name="recompute"),
    path("recompute/progress/", views_recompute.recompute_progress, name="recompute-progress"),
]
