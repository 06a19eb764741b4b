"""Every URL pattern of the project, walked from the resolver, and how to fill each one's
arguments from the security world: the own object (brand A's, the creative's) and the
foreign one (brand B's, a colleague's)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, as the resolver writes it
    name: str  # "namespace:name", or the route for an unnamed pattern
    callback: object

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def methods(self) -> tuple[str, ...]:
        """The methods a viewset route maps (GET first); None for a plain view."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return tuple(m for m in _METHOD_ORDER if m.lower() in actions)
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None and self.is_api:
            return tuple(m.upper() for m in _METHOD_ORDER_LOWER if hasattr(view_class, m))
        return ()


_METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"]
_METHOD_ORDER_LOWER = [m.lower() for m in _METHOD_ORDER]


def walk(resolver=None, prefix: str = "", namespace: str | None = None):
    """Every URLPattern under `resolver`, depth first, with its full route and name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from walk(entry, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(route=route, name=name or route, callback=entry.callback)


def all_patterns() -> list[Pattern]:
    return list(walk())


# The object (by its name in the world) whose pk each argument-taking URL is reversed with.
# Another brand's or person's object is the same name with "other_" in front.
TARGETS = {
    # API
    "project-detail": "project", "project-status": "project", "project-baseline": "project",
    "deliverable-detail": "deliverable", "deliverable-cancel": "deliverable",
    "deliverable-preview": "deliverable", "deliverable-submit": "deliverable",
    "phase-detail": "phase", "phase-move": "phase",
    "dependency-detail": "dependency", "baseline-detail": "baseline",
    "request-detail": "request", "request-accept": "request", "request-answer": "request",
    "request-ask-info": "request", "request-decline": "request",
    "brief-detail": "brief", "brief-version-detail": "version",
    "distribution-detail": "distribution", "distribution-acknowledge": "distribution",
    "booking-detail": "booking", "booking-confirm": "booking", "booking-release": "booking",
    "booking-split": "booking",
    "time-off-detail": "time_off", "time-off-cancel": "time_off",
    "timesheet-detail": "timesheet", "timesheet-reopen": "timesheet", "timesheet-submit": "timesheet",
    "time-entry-detail": "time_entry",
    "approval-detail": "approval", "approval-decide": "approval",
    "budget-detail": "budget", "budget-submit": "budget", "budget-line-detail": "budget_line",
    "change-order-detail": "change_order", "change-order-submit": "change_order",
    "change-order-line-detail": "change_order_line",
    "cost-detail": "cost", "cost-advance": "cost",
    "studio-budget-detail": "studio_budget",
    "talent-detail": "creative",
    "notification-detail": "notification", "notification-read": "notification",
    # pages
    "studio:talent-detail": "creative", "studio:attachment-download": "attachment",
    "studio:notification-open": "notification", "studio:notification-read": "notification",
    "projects:project-detail": "project", "projects:project-team-message": "project",
    "projects:deliverable-detail": "deliverable", "projects:deliverable-submit": "deliverable",
    "projects:deliverable-progress": "deliverable",
    "projects:project-edit": "project", "projects:project-status": "project",
    "projects:project-baseline": "project", "projects:phase-add": "project",
    "projects:phase-edit": "phase", "projects:phase-move": "phase", "projects:phase-remove": "phase",
    "projects:deliverable-add": "project", "projects:deliverable-estimate": "project",
    "projects:deliverable-edit": "deliverable", "projects:deliverable-cancel": "deliverable",
    "projects:project-timeline": "project", "projects:timeline-move": "deliverable",
    "projects:timeline-phase-move": "phase",
    "briefs:request-detail": "request", "briefs:request-accept": "request",
    "briefs:request-ask-info": "request", "briefs:request-decline": "request",
    "briefs:request-answer": "request",
    "briefs:brief-detail": "brief", "briefs:brief-edit": "brief", "briefs:brief-submit": "brief",
    "briefs:brief-diff": "brief", "briefs:brief-distribute": "brief", "briefs:brief-recipients": "brief",
    "briefs:brief-board": "brief",
    "briefs:distribution-detail": "distribution", "briefs:distribution-acknowledge": "distribution",
    "briefs:distribution-comment": "distribution",
    "schedules:booking-edit": "booking", "schedules:booking-move": "booking",
    "schedules:booking-confirm": "booking", "schedules:booking-split": "booking",
    "schedules:booking-release": "booking",
    "schedules:timesheet-person": "creative", "schedules:timesheet-cell": "creative",
    "schedules:timesheet-save": "creative", "schedules:timesheet-submit": "creative",
    "schedules:timesheet-reopen": "creative",
    "schedules:time-off-cancel": "time_off",
    "schedules:who-is-free-book": "creative",
    "schedules:deliverable-staffing": "deliverable", "schedules:deliverable-staff-person": "deliverable",
    "schedules:project-staffing": "project", "schedules:talent-detail-status": "creative",
    "budgets:project-budget": "project", "budgets:budget-start": "project",
    "budgets:project-actuals": "project", "budgets:project-costs": "project",
    "budgets:budget-export": "project", "budgets:change-order-export": "project",
    "budgets:budget-line-add": "budget", "budgets:budget-submit": "budget",
    "budgets:budget-line-edit": "budget_line", "budgets:budget-line-remove": "budget_line",
    "budgets:cost-advance": "cost", "budgets:change-orders": "project",
    "budgets:change-order": "change_order", "budgets:change-order-submit": "change_order",
    "budgets:change-order-line-add": "change_order",
    "budgets:change-order-line-remove": "change_order_line",
    "budgets:project-money": "project",
    "approvals:decide": "approval", "approvals:panel": "budget",
    "approvals:delegation-end": "delegation",
    "surveys:response-answer": "survey_response", "surveys:project-surveys": "project",
    "portfolio:project-metrics": "project",
    "schedules:ical": "creative", "surveys:answer": "survey_response",
    "studio:token-revoke": "token",
}
# Objects with no foreign twin: the studio's own records.
NO_FOREIGN = {"studio_budget", "delegation"}


def url_for(pattern: Pattern, world, foreign: bool = False, fmt: str = "csv") -> str:
    """The pattern reversed for the own object, or another brand's or person's."""
    target = TARGETS.get(pattern.name)
    if target is None:
        return "/" + _plain(pattern, fmt)
    obj = target_object(world, target, foreign)
    name = pattern.name
    if name == "schedules:ical":
        return reverse(name, kwargs={"token": obj.ical_token})
    if name == "surveys:answer":
        return reverse(name, kwargs={"token": obj.token})
    if name == "surveys:project-surveys":
        return reverse(name, kwargs={"project_pk": obj.pk})
    if name.startswith("schedules:timesheet-") and name != "schedules:timesheet-week":
        return reverse(name, kwargs={"talent_id": obj.pk})
    if name == "schedules:deliverable-staff-person":
        talent = world["colleague" if foreign else "creative"]
        return reverse(name, kwargs={"pk": obj.pk, "talent_pk": talent.pk})
    if name == "approvals:panel":
        return reverse(name, kwargs={"kind": "budget", "object_id": str(obj.pk)})
    if name in ("budgets:budget-export", "budgets:change-order-export"):
        return reverse(name, kwargs={"pk": obj.pk, "fmt": fmt})
    return reverse(name, kwargs={"pk": obj.pk})


def target_object(world, target: str, foreign: bool = False):
    """The world's object `target`, or its foreign twin: another brand's, or a colleague's."""
    if not foreign:
        return world[target]
    return world["colleague" if target == "creative" else f"other_{target}"]


# Patterns without a target whose route still takes arguments.
PLAIN_ARGUMENTS = {
    "budgets:studio-export": {"fmt": "csv"},
    "portfolio:trends-csv": {"chart": "roi"},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}


def _plain(pattern: Pattern, fmt: str) -> str:
    if pattern.name in PLAIN_ARGUMENTS:
        kwargs = {**PLAIN_ARGUMENTS[pattern.name], **({"fmt": fmt} if "fmt" in PLAIN_ARGUMENTS[pattern.name] else {})}
        return reverse(pattern.name, kwargs=kwargs).lstrip("/")
    if pattern.name == "api-not-found":
        return "api/no-such-collection/"
    if pattern.name == pattern.route:  # unnamed
        return pattern.route
    return reverse(pattern.name).lstrip("/")


def formats(pattern: Pattern) -> tuple[str, ...]:
    """The export formats a pattern serves: each is requested."""
    return ("csv", "xlsx") if "(?P<fmt>csv|xlsx)" in pattern.route else ("csv",)


def has_foreign(pattern: Pattern) -> bool:
    target = TARGETS.get(pattern.name)
    return target is not None and target not in NO_FOREIGN
