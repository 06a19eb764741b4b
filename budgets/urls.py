from django.urls import include, path

app_name = "budgets"

urlpatterns: list = [
    path("", include("budgets.urls_budget")),
    path("", include("budgets.urls_change_orders")),
    path("", include("budgets.urls_studio")),
]
