"""Seeds an empty database with the demo studio, in one transaction."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from studio import clock
from studio.models import User
from studio.permissions import start_page_for

from .context import Demo
from .intake import build_intake
from .money import build_money
from .people import build_people, studio_settings
from .schedule import build_schedule
from .work import build_work
from .workflow import build_workflow

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
    studio = studio_settings()
    demo = Demo(rng=random.Random(seed), today=clock.today(), scale=scale, zone=clock.studio_zone())
    build_people(demo)
    build_work(demo)
    build_schedule(demo)
    build_money(demo)
    build_intake(demo)
    build_workflow(demo, studio)
    return [_login(demo.users[username]) for username in LOGINS]


def _login(user: User) -> DemoLogin:
    name = start_page_for(user)
    try:
        page = reverse(name)
    except NoReverseMatch:
        page = name
    role = "superuser" if user.is_superuser else str(user.get_role_display()).lower()
    return DemoLogin(username=user.username, role=role, start_page=page)
