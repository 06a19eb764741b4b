"""Budget pages: a project's budget tab with its lines edited in place and its submission
(budget.py), and its change orders (change_orders.py)."""
