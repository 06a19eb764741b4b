from django.urls import path

from . import views

app_name = "studio"

urlpatterns = [
    path("talent/", views.talent_list, name="talent-list"),
    path("talent/<int:pk>/", views.talent_detail, name="talent-detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
