"""A project's change orders and the money section of its page (included by `budgets.urls`)."""

from django.urls import path

from .views import change_orders, money

urlpatterns = [
    path("projects/<int:pk>/change-orders/", change_orders.change_order_list, name="change-orders"),
    path("change-orders/<int:pk>/", change_orders.change_order_detail, name="change-order"),
    path("change-orders/<int:pk>/submit/", change_orders.change_order_submit, name="change-order-submit"),
    path("change-orders/<int:pk>/lines/", change_orders.change_order_line_add, name="change-order-line-add"),
    path("change-order-lines/<int:pk>/remove/", change_orders.change_order_line_remove,
         name="change-order-line-remove"),
    path("projects/<int:pk>/money/", money.project_money, name="project-money"),
]
