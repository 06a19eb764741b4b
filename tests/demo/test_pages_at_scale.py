"""The key pages run the same queries for the demo studio at scale 1 and at twice its size
and, with `make test-scale`, at ten times (scale 10: minutes of seeding, so left out of
`make test`). The studio is seeded on the tests' fixed day (`tests.factories.TODAY`): a
section with nothing to show skips its rows' query, and what the demo shows depends on the
weekday it is seeded on."""

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from demo.builder import demo_studio_seed
from demo.metrics import build_metrics
from tests.conftest import studio_noon
from tests.factories import TODAY

from .pages import KEPT_CACHE, PINNED, queries_of_pages

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SEED = 20261125
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seeded_counts(scale: int) -> dict[str, dict[str, int]]:
    with (
        time_machine.travel(studio_noon(TODAY), tick=True),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, CACHES=KEPT_CACHE),
        transaction.atomic(),
    ):
        demo_studio_seed(seed=SEED, scale=scale)
        # The metrics pages read the nights: the last week's and two weekly ones before.
        build_metrics(TODAY, weeks=2)
        counts = {who: queries_of_pages(who) for who in PINNED}
        transaction.set_rollback(True)
    return counts


@pytest.fixture(scope="module")
def at_once_and_twice(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {scale: seeded_counts(scale) for scale in (1, 2)}


@pytest.mark.parametrize("who", list(PINNED))
def test_the_pages_run_the_same_queries_at_twice_the_studio(at_once_and_twice, who):
    assert at_once_and_twice[1][who] == PINNED[who]
    assert at_once_and_twice[2][who] == PINNED[who]


@pytest.fixture(scope="module")
def at_ten_times(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return seeded_counts(10)


@pytest.mark.scale
@pytest.mark.postgres
@pytest.mark.parametrize("who", list(PINNED))
def test_the_pages_run_the_same_queries_at_ten_times_the_studio(at_ten_times, who):
    assert at_ten_times[who] == PINNED[who]
