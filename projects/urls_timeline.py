"""A project's timeline and the portfolio timeline."""

from django.urls import path

from .views import timeline

urlpatterns = [
    path("<int:pk>/timeline/", timeline.project_timeline_page, name="project-timeline"),
    path("timeline/", timeline.portfolio_timeline_page, name="portfolio-timeline"),
    path("deliverables/<int:pk>/timeline-move/", timeline.timeline_move, name="timeline-move"),
    path("phases/<int:pk>/timeline-move/", timeline.timeline_phase_move, name="timeline-phase-move"),
]
