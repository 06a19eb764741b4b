"""The budgets API's routes, included by studio/api_urls.py under /api/."""

from rest_framework.routers import SimpleRouter

from .api import (
    BudgetLineViewSet,
    BudgetViewSet,
    ChangeOrderLineViewSet,
    ChangeOrderViewSet,
    CostViewSet,
    StudioBudgetViewSet,
)

router = SimpleRouter()
router.register("budgets", BudgetViewSet, basename="budget")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("change-orders", ChangeOrderViewSet, basename="change-order")
router.register("change-order-lines", ChangeOrderLineViewSet, basename="change-order-line")
router.register("costs", CostViewSet, basename="cost")
router.register("studio-budgets", StudioBudgetViewSet, basename="studio-budget")

urlpatterns = router.urls
