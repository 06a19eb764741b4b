from django.urls import path

from .views import briefs, recipients, requests

app_name = "briefs"

# Intake: the brand's requests and their triage.
request_patterns = [
    path("requests/", requests.request_list, name="request-list"),
    path("requests/new/", requests.request_create, name="request-create"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/accept/", requests.request_triage, {"step": "accept"}, name="request-accept"),
    path("requests/<int:pk>/ask-info/", requests.request_triage, {"step": "ask_info"}, name="request-ask-info"),
    path("requests/<int:pk>/decline/", requests.request_triage, {"step": "decline"}, name="request-decline"),
    path("requests/<int:pk>/answer/", requests.request_triage, {"step": "answer"}, name="request-answer"),
]

# Briefs: writing, versions, distribution.
brief_patterns = [
    path("briefs/", briefs.brief_list, name="brief-list"),
    path("briefs/to-read/", briefs.briefs_to_read, name="briefs-to-read"),
    path("briefs/links/", briefs.brief_links, name="brief-links"),
    path("briefs/<int:pk>/", briefs.brief_detail, name="brief-detail"),
    path("briefs/<int:pk>/edit/", briefs.brief_edit, name="brief-edit"),
    path("briefs/<int:pk>/submit/", briefs.brief_submit, name="brief-submit"),
    path("briefs/<int:pk>/diff/", briefs.brief_diff, name="brief-diff"),
    path("briefs/<int:pk>/distribute/", briefs.brief_distribute, name="brief-distribute"),
    path("briefs/<int:pk>/recipients/", recipients.brief_recipients, name="brief-recipients"),
    path("briefs/<int:pk>/board/", briefs.brief_board, name="brief-board"),
    path("briefs/distributions/<int:pk>/", briefs.distribution_detail, name="distribution-detail"),
    path(
        "briefs/distributions/<int:pk>/acknowledge/", briefs.distribution_acknowledge, name="distribution-acknowledge"
    ),
    path("briefs/distributions/<int:pk>/comments/", briefs.distribution_comment, name="distribution-comment"),
]

urlpatterns = request_patterns + brief_patterns
