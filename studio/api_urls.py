"""The REST API, included at /api/ (schema and docs are routed in studio/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from projects.api import DeliverableViewSet, ProjectViewSet

from .api import ObtainTokenView, TalentViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("talent", TalentViewSet, basename="talent")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
