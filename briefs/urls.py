from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
]
