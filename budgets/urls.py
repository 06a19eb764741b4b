from django.urls import path

app_name = "budgets"

urlpatterns: list = []
