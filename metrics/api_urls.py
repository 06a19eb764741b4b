"""The metrics API's routes, included by studio/api_urls.py under /api/."""

from rest_framework.routers import SimpleRouter

from .api import MetricCatalogueViewSet, MetricSnapshotViewSet
from .api_portfolio import PortfolioViewSet

router = SimpleRouter()
router.register("metric-snapshots", MetricSnapshotViewSet, basename="metric-snapshot")
router.register("metrics/catalogue", MetricCatalogueViewSet, basename="metric-catalogue")
router.register("metrics/portfolio", PortfolioViewSet, basename="metric-portfolio")

urlpatterns = router.urls
