"""The navigation each role sees, built from URL names.

A page that is not routed yet is left out rather than breaking every page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

_MANAGER = [
    ("metrics:dashboard", _("Dashboard")),
    ("briefs:request-list", _("Requests")),
    ("projects:project-list", _("Projects")),
    ("studio:talent-list", _("Talent")),
]
_TALENT = [
    ("schedules:my-day", _("My day")),
    ("projects:project-list", _("My projects")),
]
_ITEMS = {
    Role.PM: _MANAGER,
    Role.EXECUTIVE: _MANAGER,
    Role.CREATIVE: _TALENT,
    Role.FREELANCER: _TALENT,
    Role.BRAND_MANAGER: [
        ("briefs:request-list", _("Requests")),
        ("projects:project-list", _("Projects")),
    ],
    Role.ADMIN: [],
}


def navigation_for(user, request):
    items = []
    for name, label in _ITEMS.get(user.role, []):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    if user.is_staff:
        url = reverse("admin:index")
        items.append({"url": url, "label": _("Admin"), "active": request.path.startswith(url)})
    return items
