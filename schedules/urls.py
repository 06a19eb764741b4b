from django.urls import path

app_name = "schedules"

urlpatterns: list = []
