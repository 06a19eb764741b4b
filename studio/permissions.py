"""Who may see and do what (DESIGN §1), decided here once: one table of role × object ×
action, read by QuerySets (`visible_to(user, action)`), views, the API, services and
templates (`{% can %}`). `docs/permissions.md` is this table, generated
(`manage.py permissions_table`); a test keeps the two equal.

Each cell of the table is a scope: which of the objects the role may take the action
on. `ALL` is every one in the studio; the others (`BRAND`, `TEAM`, …) are QuerySet
methods of each model (`scope_brand(user)`, …), so a rule is one filter that
PostgreSQL answers with a semi-join, never a condition evaluated row by row.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .roles import Role


class Scope(StrEnum):
    ALL = "all"  # every one in the studio
    BRAND = "brand"  # of the brands they manage
    TEAM = "team"  # of projects they are booked on, assigned work on or were sent a brief of
    BOOKED = "booked"  # of projects they are booked on
    ASSIGNED = "assigned"  # deliverables they are assigned to
    SENT = "sent"  # briefs sent to them
    OWN = "own"  # their own: their profile, bookings, time, time off, delegations


@dataclass(frozen=True)
class Rule:
    scopes: dict[str, Scope]
    meaning: str


PM, EXECUTIVE, ADMIN = Role.PM, Role.EXECUTIVE, Role.ADMIN
CREATIVE, FREELANCER, BRAND_MANAGER = Role.CREATIVE, Role.FREELANCER, Role.BRAND_MANAGER
ALL, BRAND, TEAM, BOOKED, ASSIGNED, SENT, OWN = Scope

# The studio's own roles see the whole studio. Production managers take the production
# decisions; executives also create and plan projects and decide budgets and change
# orders; the admin role sees what they see and decides nothing (DESIGN §1).
STUDIO = {PM: ALL, EXECUTIVE: ALL, ADMIN: ALL}
MANAGERS = {PM: ALL, EXECUTIVE: ALL}
PRODUCTION = {PM: ALL}
TALENT_OWN = {CREATIVE: OWN, FREELANCER: OWN}

RULES: dict[str, Rule] = {
    # Projects, with their phases, deliverables, dependencies and baselines.
    "project.view": Rule({**STUDIO, CREATIVE: TEAM, FREELANCER: BOOKED, BRAND_MANAGER: BRAND},
                         "see the project, its plan and its team"),
    "project.add": Rule(MANAGERS, "create a project"),
    "project.change": Rule(MANAGERS, "change a project, its status and its plan; take baselines"),
    "project.manage": Rule(PRODUCTION, "be named a project's production manager"),
    "project.staff": Rule(PRODUCTION, "assign people to deliverables and book them from the plan"),
    "project.message_team": Rule(PRODUCTION, "send a message to a project's team"),
    "project.see_costs": Rule(STUDIO, "see hours, cost rates, internal costs and margins"),
    "project.see_prices": Rule({**STUDIO, BRAND_MANAGER: BRAND}, "see fees and budget totals at bill rates"),
    "deliverable.view": Rule({**STUDIO, CREATIVE: TEAM, FREELANCER: BOOKED, BRAND_MANAGER: BRAND},
                             "see a deliverable (as its project)"),
    "deliverable.work": Rule({PM: ALL, CREATIVE: ASSIGNED, FREELANCER: ASSIGNED},
                             "report progress on a deliverable and submit it for review"),
    # Requests and briefs.
    "request.view": Rule({**STUDIO, BRAND_MANAGER: BRAND}, "see a request"),
    "request.add": Rule({BRAND_MANAGER: BRAND}, "submit a request for a brand"),
    "request.triage": Rule(PRODUCTION, "accept, decline or ask about a request"),
    "request.answer": Rule({BRAND_MANAGER: BRAND}, "answer the studio's question about a request"),
    "brief.view": Rule({**STUDIO, BRAND_MANAGER: BRAND, CREATIVE: SENT, FREELANCER: SENT},
                       "read a brief (brand managers: once in review or approved)"),
    "brief.change": Rule(PRODUCTION, "write, version and distribute a brief"),
    "brief.receive": Rule({PM: ALL, EXECUTIVE: ALL, CREATIVE: ALL, FREELANCER: BOOKED},
                          "be sent a brief (freelancers: of projects they are booked on)"),
    "brief.answer": Rule(STUDIO, "answer a recipient's question about a brief"),
    "brief_version.view": Rule({**STUDIO, BRAND_MANAGER: BRAND, CREATIVE: SENT, FREELANCER: SENT},
                               "read a version of a brief"),
    "distribution.view": Rule({**STUDIO, **TALENT_OWN}, "see who was sent a brief, opened and acknowledged it"),
    # People.
    "talent.view": Rule({**STUDIO, CREATIVE: TEAM, FREELANCER: TEAM},
                        "see a person's profile (talent: themselves and their projects' teams)"),
    "talent.see_costs": Rule(STUDIO, "see a person's rates and utilization"),
    "talent.log_time": Rule({PM: ALL, **TALENT_OWN}, "log and submit time for the person"),
    "talent.request_time_off": Rule({PM: ALL, **TALENT_OWN}, "request or withdraw time off for the person"),
    # Schedules and time.
    "schedule.my_day": Rule(TALENT_OWN, "see my day"),
    "schedule.team": Rule(STUDIO, "see the team schedule, who is free, utilization and the forecast"),
    "booking.view": Rule({**STUDIO, **TALENT_OWN}, "see a booking"),
    "booking.book": Rule(PRODUCTION, "book, move, split, confirm and release bookings"),
    "booking.override": Rule(PRODUCTION, "confirm a booking over the person's capacity"),
    "time_off.view": Rule({**STUDIO, **TALENT_OWN}, "see time off"),
    "timesheet.view": Rule({**STUDIO, **TALENT_OWN}, "see timesheets and time entries"),
    "timesheet.reopen": Rule(PRODUCTION, "reopen a submitted or approved timesheet"),
    # Money.
    "budget.view": Rule({**STUDIO, BRAND_MANAGER: BRAND}, "see a budget's totals"),
    "budget.change": Rule(PRODUCTION, "draft a project's budget and its change orders, and submit them for approval"),
    "budget.decide": Rule({EXECUTIVE: ALL}, "approve budgets and change orders"),
    "cost.change": Rule(PRODUCTION, "enter a project's costs and move them from committed to invoiced to paid"),
    "studio_budget.view": Rule(STUDIO, "see the studio's production budget and its freelance pool"),
    "studio_budget.change": Rule(MANAGERS, "set the studio's production budget and its freelance pool"),
    # Approvals, the home and the studio's records.
    # Who has an approvals inbox; which steps are theirs the engine decides (a step's
    # role, brand or named person). The admin role decides nothing.
    "approval.decide": Rule({PM: OWN, EXECUTIVE: OWN, BRAND_MANAGER: OWN, CREATIVE: OWN, FREELANCER: OWN},
                            "decide the approval steps assigned to them or to whom they stand in for"),
    "approval.delegate": Rule({PM: ALL, EXECUTIVE: ALL, BRAND_MANAGER: OWN}, "hand one's approvals to a colleague"),
    "home.view": Rule(STUDIO, "see the production home: what needs attention today"),
    "survey.view": Rule({**STUDIO, BRAND_MANAGER: BRAND}, "see satisfaction surveys and their answers"),
    # The nightly metrics: money among them follows project.see_costs (the studio's only).
    "metric.view": Rule({**STUDIO, BRAND_MANAGER: BRAND},
                        "see the metrics: brand managers their brands' schedule health and satisfaction"),
    "metric.people": Rule(MANAGERS, "see productivity and utilization per person and discipline"),
    "metric.recompute": Rule(PRODUCTION, "recompute the metrics of a range of nights"),
    "studio.view": Rule(STUDIO, "see the studio's internal records"),
    # The trail shows before and after as written, money included: only roles that see costs.
    "audit.view": Rule(MANAGERS, "read the audit log: who changed what, when and from where"),
    "studio.settings": Rule(PRODUCTION, "edit studio settings in the admin (staff production managers)"),
}

# Each role's start page, by URL name.
START_PAGES = {
    PM: "metrics:dashboard",
    EXECUTIVE: "metrics:dashboard",
    CREATIVE: "schedules:my-day",
    FREELANCER: "schedules:my-day",
    BRAND_MANAGER: "briefs:request-list",
    ADMIN: "admin:index",
}


# The roles a superuser keeps; any other superuser is read as the admin role.
SUPERUSER_ROLES = (PM, EXECUTIVE)


def role_of(user) -> str | None:
    """The column of the table a user is read in: their role; a superuser without a
    production role is read as the admin role."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_superuser and user.role not in SUPERUSER_ROLES:
        return ADMIN
    return user.role


def scope_of(user, action: str) -> Scope | None:
    """Which objects `user` may take `action` on, or None for none."""
    try:
        rule = RULES[action]
    except KeyError:
        raise ImproperlyConfigured(f"No rule for {action!r} in studio.permissions.RULES") from None
    return rule.scopes.get(role_of(user))


def roles_with(action: str, scope: Scope | None = None) -> list[str]:
    """The roles the table allows `action` to (in `scope`, when given), e.g. the people
    who may be named a PM."""
    scopes = RULES[action].scopes
    return [role for role in Role.values if role in scopes and scope in (None, scopes[role])]


def holders(action: str, scope: Scope | None = None) -> Q:
    """The active users the table allows `action` (in `scope`, when given), as a filter
    on users that reads them as `role_of` does."""
    roles = roles_with(action, scope)
    read_as_role = Q(role__in=roles) & (Q(is_superuser=False) | Q(role__in=SUPERUSER_ROLES))
    if ADMIN in roles:
        read_as_role |= Q(is_superuser=True)
    return read_as_role & Q(is_active=True)


def can(user, action: str, obj: models.Model | None = None) -> bool:
    """Whether `user` may take `action` ("object.verb"), on `obj` when given: their role
    has a scope for it, and `obj` is within that scope."""
    scope = scope_of(user, action)
    if scope is None:
        return False
    if obj is None or scope is ALL:
        return True
    queryset = type(obj)._default_manager.all()
    held = queryset.holds(scope, user, obj)
    if held is not None:
        return held
    return queryset.in_scope(scope, user).filter(pk=obj.pk).exists()


def require(user, action: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


class RestrictedQuerySet(models.QuerySet):
    """Rows the table restricts. `permission_object` is the model's object in the table
    (`project`, `booking`, …); a `scope_<scope>(user)` method returns the rows in each
    scope other than ALL that the table gives it."""

    permission_object = ""

    def visible_to(self, user, action: str = "view"):
        """The rows `user` may take `action` on ("view", or "object.verb")."""
        if "." not in action:
            action = f"{self.permission_object}.{action}"
        scope = scope_of(user, action)
        return self.none() if scope is None else self.in_scope(scope, user)

    def in_scope(self, scope: Scope, user):
        if scope is ALL:
            return self.all()
        method = getattr(self, f"scope_{scope}", None)
        if method is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no scope_{scope}()")
        return method(user)

    def holds(self, scope: Scope, user, obj) -> bool | None:
        """Whether `obj` is in `scope` for `user` when the object in hand tells without a
        query (its own columns, relations already loaded); None to ask the database."""
        return None


def get_visible_or_404(model_or_queryset, user, **lookup):
    """Fetch one object through its `visible_to`; what the user may not see does not exist."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_object_or_404(queryset.visible_to(user), **lookup)


def can_see_object(user, model, pk) -> bool:
    """Whether `user` may see the object `model` #pk, by that model's `visible_to`;
    objects with no access rule of their own are the studio's internal records."""
    if model is None:
        return False
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        return can(user, "studio.view")
    return manager.visible_to(user).filter(pk=pk).exists()


def who_may_see(people, model, pk) -> list:
    """The people of `people` who may see the object `model` #pk (an existing one): those
    who see every such object are answered from the table, the others one by one."""
    manager = model._default_manager
    action = f"{manager.all().permission_object}.view" if hasattr(manager, "visible_to") else "studio.view"
    return [
        person for person in people
        if (scope := scope_of(person, action)) is ALL or (scope is not None and can_see_object(person, model, pk))
    ]


def start_page_for(user) -> str:
    role = role_of(user)
    if role is None:
        return "login"
    return START_PAGES.get(role, "admin:index" if user.is_staff else "login")


def table_markdown() -> str:
    """The table as `docs/permissions.md` shows it: one row an action, one column a role."""
    roles = list(Role)
    lines = [
        "# Who may do what",
        "",
        "Generated from `studio/permissions.py` by `python manage.py permissions_table`; a test",
        "keeps this file equal to the code. A cell says on which objects the role may take the",
        "action; an empty cell, none. A superuser without a production role is read as admin.",
        "",
        "| scope | meaning |",
        "|---|---|",
        *(f"| {scope} | {_SCOPE_MEANINGS[scope]} |" for scope in Scope),
        "",
        "| action | what it allows | " + " | ".join(str(role.label) for role in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action, rule in RULES.items():
        cells = " | ".join(rule.scopes.get(role, "") for role in roles)
        lines.append(f"| `{action}` | {rule.meaning} | {cells} |")
    return "\n".join(lines) + "\n"


_SCOPE_MEANINGS = {
    ALL: "every one in the studio",
    BRAND: "those of the brands they manage",
    TEAM: "those of projects they are booked on, assigned work on or were sent a brief of",
    BOOKED: "those of projects they are booked on",
    ASSIGNED: "deliverables they are assigned to",
    SENT: "briefs (and versions) sent to them",
    OWN: "their own",
}


class ReadOnlyTokenPermission(permissions.BasePermission):
    """A read-only access token reads and never writes, whatever else its owner may do."""

    message = _("This access token is read-only: it may read but not change anything.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or not getattr(request.auth, "read_only", False)


class VisibleToPermission(permissions.IsAuthenticated):
    """API access: authenticated, and only reading on a read-only token; objects come from
    `visible_to`, so others are 404s."""

    message = ReadOnlyTokenPermission.message

    def has_permission(self, request, view):
        # An anonymous caller fails the first test and gets a 401; a token user only the second.
        return super().has_permission(request, view) and ReadOnlyTokenPermission().has_permission(request, view)


def starts_with_own_projects(user) -> bool:
    """The home starts with the projects the user manages when they may manage projects;
    an executive's (and the admin's) with the whole portfolio."""
    return can(user, "project.manage")
