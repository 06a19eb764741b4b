"""The approvals' API routes, included by the studio's API at /api/."""

from rest_framework.routers import SimpleRouter

from .api import ApprovalViewSet

router = SimpleRouter()
router.register("approvals", ApprovalViewSet, basename="approval")

urlpatterns = router.urls
