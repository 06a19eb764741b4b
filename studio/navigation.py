"""The navigation each role sees, built from URL names."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

_ITEMS = {
    Role.PM: [("metrics:dashboard", _("Dashboard")), ("briefs:request-list", _("Requests")),
              ("projects:project-list", _("Projects")), ("studio:talent-list", _("Talent"))],
    Role.EXECUTIVE: [("metrics:dashboard", _("Dashboard")), ("briefs:request-list", _("Requests")),
                     ("projects:project-list", _("Projects")), ("studio:talent-list", _("Talent"))],
    Role.CREATIVE: [("schedules:my-day", _("My day")), ("projects:project-list", _("My projects"))],
    Role.FREELANCER: [("schedules:my-day", _("My day")), ("projects:project-list", _("My projects"))],
    Role.BRAND_MANAGER: [("briefs:request-list", _("Requests")), ("projects:project-list", _("Projects"))],
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
        items.append({"url": reverse("admin:index"), "label": _("Admin"), "active": False})
    return items
