from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import views
from .api_schema import SchemaView
from .forms import LoginForm

admin.site.site_header = "Callsheet administration"
admin.site.site_title = "Callsheet"

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for it on pages that name no icon (the admin's, the 500 page); a temporary
    # redirect, since the icon's hashed static name changes with it.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/callsheet.svg"))),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is served from the same address (?script), not inline, so the
    # page keeps the site's Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="studio/api_docs.html"),
         name="api-docs"),
    path("api/", include("studio.api_urls")),
    path("studio/", include("studio.app_urls")),
    path("projects/", include("projects.urls")),
    path("", include("briefs.urls")),
    path("schedule/", include("schedules.urls")),
    path("budgets/", include("budgets.urls")),
    path("approvals/", include("approvals.urls")),
    path("dashboard/", include("metrics.urls")),
    path("metrics/surveys/", include("metrics.surveys.urls")),
    path("metrics/", include(("metrics.urls_portfolio", "portfolio"))),
]
