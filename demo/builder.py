"""Seeds an empty database with the demo studio, in one transaction: people and the
catalogue as rows, then six weeks of history played through the services with the
clock moved to the moment each thing happened."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db import connection, transaction
from django.urls import reverse

from approvals.defaults import default_flows_create
from studio import clock
from studio.models import NotificationDelivery, User
from studio.permissions import start_page_for

from .context import Demo, planner_statistics_refresh
from .intake import build_brief_templates, build_briefs, build_requests
from .money import build_budgets, build_money
from .people import build_people, studio_settings
from .projects import build_projects, finish_projects
from .reviews import build_reviews
from .schedule import plan_schedule
from .surveys import build_surveys, read_notifications
from .timekeeping import build_bookings, build_time, build_time_off
from .work import plan_work

# The named logins, in the order they are shown.
LOGINS = ("pm", "creative", "freelancer", "brand", "exec", "admin")


class DatabaseNotEmpty(Exception):
    """The demo only seeds an empty database: it never mixes with real records."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    start_page: str


def database_is_empty() -> bool:
    return not User.objects.exists()


@transaction.atomic
def demo_studio_seed(*, seed: int, scale: int = 1) -> list[DemoLogin]:
    """Seed the demo studio; one seed always gives the same rows, dated from today."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if not database_is_empty():
        raise DatabaseNotEmpty
    studio_settings()
    # A data migration makes the default approval flows; a flushed database gets them here.
    default_flows_create(django_apps)
    demo = Demo(rng=random.Random(seed), today=clock.today(), scale=scale, zone=clock.studio_zone())
    # The plan is drawn first, from the seed alone; the services then play it in order.
    build_people(demo)
    plan_work(demo)
    plan_schedule(demo)
    with _without_savepoints():
        build_projects(demo)
        build_budgets(demo)
        build_bookings(demo)
        planner_statistics_refresh()
        build_time_off(demo)
        build_time(demo)
        build_reviews(demo)
        finish_projects(demo)
        build_briefs(demo)
        build_requests(demo)
        build_brief_templates(demo)
    build_money(demo)
    build_surveys(demo)
    read_notifications(demo)
    User.objects.update(notification_delivery=NotificationDelivery.IMMEDIATE)
    return [_login(demo.users[username]) for username in LOGINS]


@contextmanager
def _without_savepoints() -> Iterator[None]:
    """Each service is atomic, so each call nested in the seed's one transaction opens and
    releases a savepoint: thousands of round trips that buy nothing here, since the seed
    never catches a failed write and carries on (it fails, and rolls back, as a whole)."""
    features = connection.features
    features.uses_savepoints = False
    try:
        yield
    finally:
        del features.uses_savepoints  # the backend's own setting again


def _login(user: User) -> DemoLogin:
    page = reverse(start_page_for(user))
    role = "superuser" if user.is_superuser else str(user.get_role_display()).lower()
    return DemoLogin(username=user.username, role=role, start_page=page)
