"""The projects API's routes, included by studio/api_urls.py under /api/."""

from rest_framework.routers import SimpleRouter

from .api import BaselineViewSet, DeliverableViewSet, DependencyViewSet, PhaseViewSet, ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("phases", PhaseViewSet, basename="phase")
router.register("dependencies", DependencyViewSet, basename="dependency")
router.register("baselines", BaselineViewSet, basename="baseline")

urlpatterns = router.urls
