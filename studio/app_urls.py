from django.urls import path

from . import views, views_audit

app_name = "studio"

urlpatterns = [
    path("talent/", views.talent_list, name="talent-list"),
    path("talent/<int:pk>/", views.talent_detail, name="talent-detail"),
    path("audit/", views_audit.audit_list, name="audit-list"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/count/", views.notification_count, name="notification-count"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
