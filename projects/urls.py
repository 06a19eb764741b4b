from django.urls import include, path

from .views import deliverables, projects

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="project-list"),
    path("<int:pk>/", projects.project_detail, name="project-detail"),
    path("<int:pk>/team-message/", projects.project_team_message, name="project-team-message"),
    path("deliverables/<int:pk>/", deliverables.deliverable_detail, name="deliverable-detail"),
    path("deliverables/<int:pk>/submit/", deliverables.deliverable_submit, name="deliverable-submit"),
    path("deliverables/<int:pk>/progress/", deliverables.deliverable_progress, name="deliverable-progress"),
    path("", include("projects.urls_plan")),
    path("", include("projects.urls_timeline")),
]
