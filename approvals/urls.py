from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("count/", views.inbox_count, name="inbox-count"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("panel/<slug:kind>/<str:object_id>/", views.panel, name="panel"),
    path("delegations/", views.delegation_list, name="delegation-list"),
    path("delegations/<int:pk>/end/", views.delegation_end_view, name="delegation-end"),
]
