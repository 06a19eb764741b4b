"""The shape of the code that the layers and the permission table rely on: checked here
so that it does not erode (the import layers themselves are `lint-imports`, in `make lint`)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("studio", "approvals", "projects", "briefs", "schedules", "budgets", "metrics", "demo")
PERMISSIONS = ROOT / "studio" / "permissions.py"


def source_files(*suffixes):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path
    if ".html" in suffixes:
        yield from sorted((ROOT / "templates").rglob("*.html"))


# A line that compares a role as data (an approval step is assigned to a role) says so.
DATA_MARK = "# a step's role: data"


def hits(pattern, files):
    found = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(pattern, line) and not line.rstrip().endswith(DATA_MARK):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


# The default approval flows are written by a data migration, with the registry it is
# given; no other code looks a model up by name.
MIGRATION_HELPERS = {"approvals/defaults.py"}


def test_no_model_is_looked_up_by_name_to_hide_an_upward_import():
    files = [path for path in source_files(".py") if str(path.relative_to(ROOT)) not in MIGRATION_HELPERS]
    assert hits(r"apps\.get_model\(", files) == []


# Deciding access by role, anywhere but the table: a role compared or listed, a role
# predicate, or a superuser check standing in for one.
ROLE_DECISIONS = (
    r"\.role\s*(==|!=|in\b|not in\b)"
    r"|\brole__in\b"
    r"|\b(is_pm|is_executive|is_brand_manager|is_talent|sees_everything)\b"
    r"|\bis_superuser\b"
    r"|\brequire_role\b"
)
# Where a role is data, not a decision: the user model's field and admin, creating the
# demo's people, an approval step's role, and the start page by role.
ROLE_AS_DATA = {
    "studio/admin.py",
    "studio/models.py",
    "studio/roles.py",
}


@pytest.mark.parametrize("suffixes", [(".py",), (".html",)])
def test_access_is_decided_by_the_permission_table_alone(suffixes):
    files = [
        path for path in source_files(*suffixes)
        if path != PERMISSIONS
        and str(path.relative_to(ROOT)) not in ROLE_AS_DATA
        and "demo" not in path.relative_to(ROOT).parts[:1]
    ]
    assert hits(ROLE_DECISIONS, files) == []
