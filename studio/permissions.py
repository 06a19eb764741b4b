"""Who may see and do what (DESIGN §1), decided here and in each model's
`visible_to` QuerySet method. Pages and the API both call these."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from rest_framework import permissions

from .models import Role

# Each role's start page, by URL name.
START_PAGES = {
    Role.PM: "metrics:dashboard",
    Role.EXECUTIVE: "metrics:dashboard",
    Role.CREATIVE: "schedules:my-day",
    Role.FREELANCER: "schedules:my-day",
    Role.BRAND_MANAGER: "briefs:request-list",
    Role.ADMIN: "admin:index",
}


def start_page_for(user):
    if user.is_superuser:
        return "admin:index"
    return START_PAGES.get(user.role, "admin:index" if user.is_staff else "login")


def can_see_costs(user):
    """Cost rates, hours, internal costs, talent rates: PMs and executives only."""
    return user.is_authenticated and user.sees_everything


def can_see_prices(user):
    """Fees and budget totals at bill rates: also brand managers (their own brands)."""
    return user.is_authenticated and (user.sees_everything or user.role == Role.BRAND_MANAGER)


def is_studio_manager(user):
    """PMs, executives and admins: run the studio's production."""
    return user.is_authenticated and user.sees_everything


# Who may do what beyond seeing, by action (DESIGN §1, §4). Production managers run
# production; executives see everything and may also create and plan projects; the
# admin role manages users and settings and takes no production decision.
_MANAGERS = frozenset({Role.PM, Role.EXECUTIVE})
ACTIONS: dict[str, frozenset[str]] = {
    "project.add": _MANAGERS,
    # The project's own fields, its status, phases, deliverables, dependencies, baselines.
    "project.change": _MANAGERS,
    # Assign people to deliverables and book them ("staff it").
    "project.staff": frozenset({Role.PM}),
}


def can(user, action: str, obj=None) -> bool:
    """Whether `user` may take `action` (a key of ACTIONS), on `obj` when given: the
    role may, and the object is one the user may see."""
    if not (user.is_authenticated and user.is_active) or user.role not in ACTIONS[action]:
        return False
    if obj is None or user.sees_everything:
        return True
    return can_see_object(user, type(obj), obj.pk)


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


# --- the production manager's home -----------------------------------------------------

HOME_ROLES = (Role.PM, Role.EXECUTIVE)


def can_see_home(user) -> bool:
    """The attention page is the start page of production managers and executives."""
    return user.is_authenticated and (user.role in HOME_ROLES or user.is_superuser)


def require_home(user) -> None:
    """403 for everyone else: the page is no secret, its contents are the studio's."""
    if not can_see_home(user):
        raise PermissionDenied


def starts_with_own_projects(user) -> bool:
    """A production manager's home starts with the projects they manage; an executive's
    (and a superuser's) with the whole portfolio."""
    return user.role == Role.PM and not user.is_superuser


def get_visible_or_404(model_or_queryset, user, **lookup):
    """Fetch one object through its `visible_to`; what the user may not see does not exist."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_object_or_404(queryset.visible_to(user), **lookup)


def can_see_object(user, model, pk) -> bool:
    """Whether `user` may see the object `model` #pk, by that model's `visible_to`;
    objects with no access rule of their own are the studio's internal records."""
    if model is None or not user.is_authenticated:
        return False
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        return user.sees_everything
    return manager.visible_to(user).filter(pk=pk).exists()


def require_role(user, *roles):
    """For pages only some roles have. A page is no secret, so others get 403;
    objects they may not see are 404s through `visible_to`."""
    if not (user.is_authenticated and (user.role in roles or user.is_superuser)):
        raise PermissionDenied


class VisibleToPermission(permissions.IsAuthenticated):
    """API access: authenticated; objects come from `visible_to`, so others are 404s."""
