"""A project's budget tab, its sections and downloads, and their writes (included by
`budgets.urls`)."""

from django.urls import path, re_path

from .views import budget, costs, exports

urlpatterns = [
    path("projects/<int:pk>/", budget.project_budget, name="project-budget"),
    path("projects/<int:pk>/start/", budget.budget_start, name="budget-start"),
    path("projects/<int:pk>/actuals/", budget.project_actuals, name="project-actuals"),
    path("projects/<int:pk>/costs/", costs.project_costs, name="project-costs"),
    re_path(r"^projects/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", exports.budget_export, name="budget-export"),
    re_path(
        r"^projects/(?P<pk>[0-9]+)/change-orders\.(?P<fmt>csv|xlsx)$",
        exports.change_order_export,
        name="change-order-export",
    ),
    path("<int:pk>/lines/add/", budget.budget_line_add, name="budget-line-add"),
    path("<int:pk>/submit/", budget.budget_submit, name="budget-submit"),
    path("lines/<int:pk>/edit/", budget.budget_line_edit, name="budget-line-edit"),
    path("lines/<int:pk>/remove/", budget.budget_line_remove, name="budget-line-remove"),
    path("costs/<int:pk>/advance/", costs.cost_advance, name="cost-advance"),
]
