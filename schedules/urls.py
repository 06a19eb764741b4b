from django.urls import path

from . import views

app_name = "schedules"

urlpatterns = [
    path("my-day/", views.my_day, name="my-day"),
    path("feasibility/", views.feasibility, name="feasibility"),
]
