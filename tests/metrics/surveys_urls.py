"""Studio's URLs with the survey pages mounted where the lead mounts them
(`metrics/surveys/`), for the survey tests: `@pytest.mark.urls("tests.metrics.surveys_urls")`."""

from django.urls import include, path

from studio import urls as studio_urls

urlpatterns = [
    *[pattern for pattern in studio_urls.urlpatterns if getattr(pattern, "namespace", None) != "surveys"],
    path("metrics/surveys/", include("metrics.surveys.urls")),
]
