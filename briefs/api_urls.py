"""The briefs app's API routes: requests, briefs, their versions and distributions."""

from rest_framework.routers import SimpleRouter

from .api.briefs import BriefVersionViewSet, BriefViewSet, DistributionViewSet
from .api.requests import RequestViewSet

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
router.register("briefs", BriefViewSet, basename="brief")
router.register("brief-versions", BriefVersionViewSet, basename="brief-version")
router.register("distributions", DistributionViewSet, basename="distribution")

urlpatterns = router.urls
