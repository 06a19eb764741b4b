"""REST API for money: project budgets and their lines (budgets.py), change orders
(change_orders.py), costs (costs.py) and the studio's budgets (studio.py). Reads follow
DESIGN §1 (the studio reads lines, hours, rates and costs; brand managers approved totals
and their brands' change orders only); writes go through the services the pages use, a
refusal answered by `studio.api_errors`."""

from .budgets import BudgetLineViewSet, BudgetViewSet
from .change_orders import ChangeOrderLineViewSet, ChangeOrderViewSet
from .costs import CostViewSet
from .studio import StudioBudgetViewSet

__all__ = [
    "BudgetLineViewSet",
    "BudgetViewSet",
    "ChangeOrderLineViewSet",
    "ChangeOrderViewSet",
    "CostViewSet",
    "StudioBudgetViewSet",
]
