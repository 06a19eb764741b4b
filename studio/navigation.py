"""The navigation each role sees, built from URL names.

A page that is not routed yet is left out rather than breaking every page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

_APPROVALS = ("approvals:inbox", _("Approvals"))
_BRIEFS = ("briefs:brief-list", _("Briefs"))
_MANAGER = [
    ("metrics:dashboard", _("Dashboard")),
    ("schedules:team-schedule", _("Schedule")),
    ("schedules:forecast", _("Resources")),
    _APPROVALS,
    ("briefs:request-list", _("Requests")),
    _BRIEFS,
    ("projects:project-list", _("Projects")),
    ("projects:portfolio-timeline", _("Timeline")),
    ("studio:talent-list", _("Talent")),
]
_TALENT = [
    ("schedules:my-day", _("My day")),
    ("schedules:timesheet-week", _("Timesheet")),
    _APPROVALS,
    _BRIEFS,
    ("projects:project-list", _("My projects")),
    ("studio:talent-list", _("Team")),
]
_ITEMS = {
    Role.PM: _MANAGER,
    Role.EXECUTIVE: _MANAGER,
    Role.CREATIVE: _TALENT,
    Role.FREELANCER: _TALENT,
    Role.BRAND_MANAGER: [
        ("briefs:request-list", _("Requests")),
        _APPROVALS,
        _BRIEFS,
        ("projects:project-list", _("Projects")),
    ],
    Role.ADMIN: [],
}
# Items that show a count beside their label, loaded as an HTMX fragment and
# refreshed when the client event names something changed.
_BADGES = {
    "approvals:inbox": ("approvals:inbox-count", "approvalChanged"),
}


def _reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(user, request):
    items = []
    for name, label in _ITEMS.get(user.role, []):
        url = _reverse_or_none(name)
        if url is None:
            continue
        item = {"url": url, "label": label, "active": request.path.startswith(url)}
        if name in _BADGES:
            badge_name, event = _BADGES[name]
            # The badge slot only appears once its fragment is routed.
            if badge_url := _reverse_or_none(badge_name):
                item["badge"] = {"url": badge_url, "event": event}
        items.append(item)
    if user.is_staff:
        url = reverse("admin:index")
        items.append({"url": url, "label": _("Admin"), "active": request.path.startswith(url)})
    # Only the most specific match is current: /projects/timeline/ is Timeline, not Projects.
    current = max((item for item in items if item["active"]), key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return items
