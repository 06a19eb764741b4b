"""The menu: one list of pages by URL name, each shown to those the permission table
allows its action, so every role's menu follows the table.

Every name must reverse: a mistyped or unrouted one fails loudly rather than
silently dropping an item from every page."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Scope, scope_of, start_page_for


@dataclass(frozen=True)
class Item:
    """A menu item, shown to those the table allows `action` (only in the `scopes`
    named, when given); `labels` names it by the user's scope."""

    url_name: str
    label: str
    action: str
    scopes: frozenset[Scope] | None = None
    labels: dict[Scope, str] = field(default_factory=dict)
    # A count beside the label, loaded as an HTMX fragment and refreshed when the
    # client event says something changed: (URL name, event).
    badge: tuple[str, str] | None = None

    def label_for(self, user) -> str | None:
        """The item's label for `user`, or None if it is not theirs."""
        scope = scope_of(user, self.action)
        if scope is None or (self.scopes is not None and scope not in self.scopes):
            return None
        return self.labels.get(scope, self.label)


_ONLY_ALL = frozenset({Scope.ALL})
_MINE = {Scope.TEAM: _("My projects"), Scope.BOOKED: _("My projects")}

# One menu, in order; each user's start page leads it.
ITEMS = [
    Item("metrics:dashboard", _("Dashboard"), "home.view"),
    Item("schedules:my-day", _("My day"), "schedule.my_day"),
    # Their own week, for those who log their own time; managers reach timesheets from the home.
    Item("schedules:timesheet-week", _("Timesheet"), "talent.log_time", scopes=frozenset({Scope.OWN})),
    Item("schedules:team-schedule", _("Schedule"), "schedule.team"),
    Item("schedules:forecast", _("Resources"), "schedule.team"),
    Item("approvals:inbox", _("Approvals"), "approval.decide", badge=("approvals:inbox-count", "approvalChanged")),
    Item("briefs:request-list", _("Requests"), "request.view"),
    Item("briefs:brief-list", _("Briefs"), "brief.view"),
    Item("projects:project-list", _("Projects"), "project.view", labels=_MINE),
    # The portfolio, for those who see every project.
    Item("projects:portfolio-timeline", _("Timeline"), "project.view", scopes=_ONLY_ALL),
    Item("portfolio:portfolio", _("Metrics"), "metric.view"),
    Item("budgets:studio", _("Budgets"), "studio_budget.view"),
    Item("studio:talent-list", _("Talent"), "talent.view", labels={Scope.TEAM: _("Team")}),
    Item("studio:audit-list", _("Audit log"), "audit.view"),
]


def navigation_for(user, request):
    items = []
    for entry in _in_start_order(user):
        label = entry.label_for(user)
        if label is None:
            continue
        url = reverse(entry.url_name)
        item = {"url": url, "label": label, "active": request.path.startswith(url)}
        if entry.badge:
            badge_name, event = entry.badge
            item["badge"] = {"url": reverse(badge_name), "event": event}
        items.append(item)
    if user.is_staff:
        url = reverse("admin:index")
        items.append({"url": url, "label": _("Admin"), "active": request.path.startswith(url)})
    # Only the most specific match is current: /projects/timeline/ is Timeline, not Projects.
    current = max((item for item in items if item["active"]), key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return items


def _in_start_order(user) -> list[Item]:
    """The menu with the user's start page first (a brand manager's requests)."""
    start = start_page_for(user)
    return sorted(ITEMS, key=lambda item: item.url_name != start)
