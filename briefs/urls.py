from django.urls import path

from .views import briefs, requests  # noqa: F401  (briefs: pages being added)

app_name = "briefs"

# Intake: the brand's requests and their triage.
request_patterns = [
    path("requests/", requests.request_list, name="request-list"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
]

# Briefs: writing, versions, distribution.
brief_patterns: list = []

urlpatterns = request_patterns + brief_patterns
