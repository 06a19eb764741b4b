"""Creating and editing projects, their phases, deliverables, dependencies and baselines."""

from django.urls import path

from .views import plan

urlpatterns = [
    path("new/", plan.project_create, name="project-create"),
    path("<int:pk>/edit/", plan.project_edit, name="project-edit"),
    path("<int:pk>/status/", plan.project_status, name="project-status"),
    path("<int:pk>/baseline/", plan.project_baseline, name="project-baseline"),
    path("<int:pk>/phases/add/", plan.phase_add, name="phase-add"),
    path("phases/<int:pk>/edit/", plan.phase_edit, name="phase-edit"),
    path("phases/<int:pk>/move/", plan.phase_move, name="phase-move"),
    path("phases/<int:pk>/remove/", plan.phase_remove, name="phase-remove"),
    path("<int:pk>/deliverables/add/", plan.deliverable_add, name="deliverable-add"),
    path("<int:pk>/deliverables/estimate/", plan.deliverable_estimate, name="deliverable-estimate"),
    path("deliverables/<int:pk>/edit/", plan.deliverable_edit, name="deliverable-edit"),
    path("deliverables/<int:pk>/cancel/", plan.deliverable_cancel, name="deliverable-cancel"),
]
