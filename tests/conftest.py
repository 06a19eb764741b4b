import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings

from studio.permissions import Scope, roles_with
from studio.roles import Role
from tests import factories
from tests.celery_worker import celery_worker, isolated_broker  # noqa: F401 (fixtures)

# CI runs the suite a second time with the whole clock moved (to just before a year
# end, a year ahead), so a test that assumes today's date fails there.
MOVED_TODAY = os.environ.get("CALLSHEET_TEST_TODAY", "")

HAS_POSTGRES = settings.USING_POSTGRES
HAS_REDIS = bool(settings.REDIS_URL)
SCALE_TESTS = os.environ.get("CALLSHEET_SCALE_TESTS") == "1"


def studio_noon(day: dt.date) -> dt.datetime:
    """Noon UTC: the same calendar day in every studio time zone from UTC−11 to UTC+11."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def pytest_configure(config):
    if MOVED_TODAY:
        time_machine.travel(studio_noon(dt.date.fromisoformat(MOVED_TODAY)), tick=True).start()


def pytest_report_header(config):
    db = "PostgreSQL" if HAS_POSTGRES else "SQLite (DATABASE_URL unset)"
    redis = "Redis" if HAS_REDIS else "none (REDIS_URL unset: Celery eager, local-memory cache)"
    today = f"moved to {MOVED_TODAY} (CALLSHEET_TEST_TODAY)" if MOVED_TODAY else "the real date"
    return [f"callsheet: database {db}; broker {redis}; clock {today}"]


@pytest.fixture
def move_clock(time_machine):
    """`move_clock(day)` moves the whole clock (Python's and so Django's) to noon on
    `day`, for a test that needs a particular weekday or date; time keeps ticking."""

    def move(day: dt.date) -> None:
        time_machine.move_to(studio_noon(day), tick=True)

    return move


@pytest.fixture
def studio_today(move_clock):
    """The clock at noon on `tests.factories.TODAY`, the day the factories' dates count
    from: `pytestmark = pytest.mark.usefixtures("studio_today")` for a whole module."""
    move_clock(factories.TODAY)
    return factories.TODAY


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: DATABASE_URL is not set")
    skip_redis = pytest.mark.skip(reason="needs Redis: REDIS_URL is not set")
    skip_scale = pytest.mark.skip(reason="seeds the demo at scale 10: `make test-scale` runs it")
    for item in items:
        if "scale" in item.keywords and not SCALE_TESTS:
            item.add_marker(skip_scale)
        if "postgres" in item.keywords and not HAS_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not HAS_REDIS:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sessions_outlast_moved_clocks(settings):
    # Tests move the clock by days under one signed-in client; the idle and absolute
    # limits of a session are tested with their own values (tests/studio/test_sessions.py).
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_MAX_AGE = 100 * 365 * 24 * 60 * 60


@pytest.fixture(autouse=True)
def _celery_in_process_unless_marked_redis(request):
    """Tasks enqueued on commit run in-process, so no test leaves messages on the
    shared broker; tests marked `redis` use the real broker and a real worker."""
    if "redis" in request.keywords:
        yield
        return
    from studio.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _private_cache(request, settings):
    """Each test gets an empty cache of its own (throttles, cached reads), so tests
    cannot see each other's keys; tests marked `redis` keep the real Redis cache."""
    if "redis" in request.keywords:
        return
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture(autouse=True)
def _studio_settings_row(request):
    """The settings row and the default approval flows come from data migrations,
    which a transactional test's flush removes; put them back so every test starts
    from a migrated database."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        return
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from approvals.defaults import default_flows_create
    from approvals.models import ApprovalFlow
    from studio.models import StudioSettings

    StudioSettings.objects.get_or_create(pk=1)
    if not ApprovalFlow.objects.exists():
        default_flows_create(apps)


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def xdist_worker():
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


# --- one user per role, and an outsider -----------------------------------

# The fixtures of the studio's own roles, who see the whole studio and its money, and of
# the managers among them, whose home is the dashboard and who plan projects (DESIGN §1).
STUDIO_ROLES = ("pm", "executive", "admin_user")
MANAGERS = ("pm", "executive")


def role_fixtures(action: str, scope: Scope | None = None) -> tuple[str, ...]:
    """The fixtures of the roles the permission table allows `action` (in `scope`, when
    given), in the table's order: who a test of that action expects to succeed."""
    return tuple("admin_user" if role == Role.ADMIN else role for role in roles_with(action, scope))


@pytest.fixture
def pm(db):
    return factories.UserFactory(role="pm", is_staff=True)


@pytest.fixture
def executive(db):
    return factories.UserFactory(role="executive")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def creative(db):
    return factories.TalentFactory(user__role="creative").user


@pytest.fixture
def freelancer(db):
    return factories.FreelanceTalentFactory().user


@pytest.fixture
def brand(db):
    return factories.BrandFactory()


@pytest.fixture
def brand_manager(brand):
    user = factories.UserFactory(role="brand_manager")
    brand.managers.add(user)
    return user


@pytest.fixture
def other_brand(db):
    return factories.BrandFactory()


@pytest.fixture
def outsider(other_brand):
    """A brand manager of another brand."""
    user = factories.UserFactory(role="brand_manager")
    other_brand.managers.add(user)
    return user
