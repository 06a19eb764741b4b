"""The role × object × action table: documented as it is, complete for every model it
restricts, and answered the same way by `can` and by `visible_to`."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from studio import permissions
from studio.permissions import RULES, RestrictedQuerySet, Scope, can, role_of, scope_of
from studio.roles import Role
from tests import factories as f

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def restricted_models():
    return [
        model for model in apps.get_models()
        if isinstance(model._default_manager.all(), RestrictedQuerySet)
    ]


def test_the_documented_table_is_the_code():
    regenerate = "run: python manage.py permissions_table > docs/permissions.md"
    assert DOCS.read_text() == permissions.table_markdown(), regenerate


def test_every_model_restricted_by_the_table_has_a_method_for_each_scope_it_is_given():
    missing = []
    for model in restricted_models():
        queryset = model._default_manager.all()
        prefix = f"{queryset.permission_object}."
        assert any(action.startswith(prefix) for action in RULES), f"{model.__name__}: no rule for its object"
        for action, rule in RULES.items():
            if not action.startswith(prefix):
                continue
            for scope in set(rule.scopes.values()) - {Scope.ALL}:
                if not hasattr(queryset, f"scope_{scope}"):
                    missing.append(f"{model.__name__}.scope_{scope} (for {action})")
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_model_answers_visible_to_for_every_role_and_action(role):
    user = f.UserFactory(role=role)
    for model in restricted_models():
        queryset = model._default_manager.all()
        for action in RULES:
            if action.startswith(f"{queryset.permission_object}."):
                list(queryset.visible_to(user, action)[:1])


@pytest.mark.django_db
def test_nobody_signed_out_or_inactive_may_do_anything():
    inactive = f.UserFactory(role="pm", is_active=False)
    for action in RULES:
        assert not can(AnonymousUser(), action)
        assert not can(inactive, action)


@pytest.mark.django_db
def test_a_superuser_without_a_production_role_is_read_as_the_admin_role():
    assert role_of(f.UserFactory(role="creative", is_superuser=True)) == Role.ADMIN
    assert role_of(f.UserFactory(role="pm", is_superuser=True)) == Role.PM


@pytest.mark.django_db
def test_the_admin_role_sees_the_studio_and_takes_no_production_decision():
    admin = f.UserFactory(role="admin", is_superuser=True, is_staff=True)
    assert can(admin, "project.view") and can(admin, "schedule.team")
    for action in ("project.change", "booking.book", "booking.override", "timesheet.reopen",
                   "request.triage", "talent.log_time", "budget.decide"):
        assert not can(admin, action), action


@pytest.mark.django_db
def test_can_on_an_object_follows_the_scope(brand, other_brand, brand_manager):
    own = f.ProjectFactory(brand=brand)
    foreign = f.ProjectFactory(brand=other_brand)
    assert scope_of(brand_manager, "project.view") is Scope.BRAND
    assert can(brand_manager, "project.view", own)
    assert not can(brand_manager, "project.view", foreign)
    assert not can(brand_manager, "project.change", own)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(Exception, match="No rule"):
        scope_of(AnonymousUser(), "project.fly")


def test_roles_with_an_action_can_be_narrowed_to_a_scope():
    assert permissions.roles_with("approval.delegate") == ["pm", "brand_manager", "executive"]
    assert permissions.roles_with("approval.delegate", Scope.ALL) == ["pm", "executive"]
    assert permissions.roles_with("approval.delegate", Scope.OWN) == ["brand_manager"]
