from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/team-message/", views.project_team_message, name="project-team-message"),
    path("deliverables/<int:pk>/", views.deliverable_detail, name="deliverable-detail"),
    path("deliverables/<int:pk>/submit/", views.deliverable_submit, name="deliverable-submit"),
    path("deliverables/<int:pk>/progress/", views.deliverable_progress, name="deliverable-progress"),
]
