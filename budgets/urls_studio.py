"""The studio's production budget, its downloads, and the pool effect of a booking (included by
`budgets.urls`)."""

from django.urls import path, re_path

from .views import exports, studio

urlpatterns = [
    path("", studio.studio_budget_view, name="studio"),
    path("pool-effect/", studio.pool_effect, name="pool-effect"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", exports.studio_budget_export, name="studio-export"),
]
