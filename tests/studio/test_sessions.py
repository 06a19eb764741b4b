"""A session ends when idle and when old, whatever the user does; deactivating a person
ends their sessions and API tokens at once."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from studio.services import access_token_create
from studio.sessions import LOGIN_AT, SEEN_AT
from tests.studio.test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Callsheet-1"  # tests.factories.UserFactory's
PAGE = "/studio/notifications/"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def limits(settings):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    settings.SESSION_MAX_AGE = 3 * 60 * 60


@pytest.fixture
def clock(time_machine):
    """The clock stands still unless a test moves it."""
    time_machine.move_to(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False)
    return time_machine


def logged_in(creative) -> Client:
    client = Client()
    assert client.post("/login/", {"username": creative.username, "password": PASSWORD})["Location"] == "/"
    return client


SHOW_LIMITS = (
    "from django.conf import settings as s; print(s.SESSION_IDLE_TIMEOUT, s.SESSION_MAX_AGE, s.SESSION_COOKIE_AGE)"
)


@pytest.mark.parametrize(
    ("env", "shown"),
    [({}, "28800 1209600 1209600"), ({"SESSION_IDLE_TIMEOUT": "900", "SESSION_MAX_AGE": "43200"}, "900 43200 43200")],
)
def test_the_limits_default_to_eight_idle_hours_and_fourteen_days(env, shown):
    result = manage("shell", "--no-imports", "-c", SHOW_LIMITS, env=PRODUCTION_ENV | env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


def test_an_idle_timeout_longer_than_the_maximum_age_refuses_to_start():
    result = manage("check", env=PRODUCTION_ENV | {"SESSION_IDLE_TIMEOUT": "90000", "SESSION_MAX_AGE": "3600"})
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT must be positive and at most SESSION_MAX_AGE" in result.stderr


def test_a_session_in_use_stays_and_one_left_idle_ends_with_a_message(limits, clock, creative):
    client = logged_in(creative)

    clock.shift(59 * dt.timedelta(minutes=1))
    assert client.get(PAGE).status_code == 200
    clock.shift(59 * dt.timedelta(minutes=1))
    assert client.get(PAGE).status_code == 200  # an hour and 58 minutes in, seen a minute ago

    clock.shift(HOUR + dt.timedelta(seconds=1))
    response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0] == f"/login/?next={PAGE}"
    assert "_auth_user_id" not in client.session
    assert "You were logged out after a while without activity." in response.content.decode()


def test_a_session_ends_at_its_maximum_age_however_busy(limits, clock, creative):
    client = logged_in(creative)
    for _ in range(3):
        clock.shift(50 * dt.timedelta(minutes=1))
        assert client.get(PAGE).status_code == 200  # 50, 100 and 150 minutes in

    clock.shift(31 * dt.timedelta(minutes=1))
    response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0] == f"/login/?next={PAGE}"
    assert "your session was over" in response.content.decode()


def test_the_last_seen_time_is_written_only_now_and_then(limits, clock, creative):
    client = logged_in(creative)
    login_at = client.session[LOGIN_AT]
    assert client.session[SEEN_AT] == login_at

    clock.shift(dt.timedelta(seconds=30))  # under a hundredth of the idle hour
    client.get(PAGE)
    assert client.session[SEEN_AT] == login_at

    clock.shift(dt.timedelta(seconds=10))
    client.get(PAGE)
    assert client.session[SEEN_AT] == login_at + 40
    assert client.session[LOGIN_AT] == login_at


def test_a_request_within_the_minute_does_not_write_the_session(limits, clock, creative, django_assert_num_queries):
    client = logged_in(creative)
    client.get(PAGE)

    # session, user, the page's own reads; no UPDATE of the session
    with django_assert_num_queries(4) as captured:
        assert client.get(PAGE).status_code == 200
    assert not any("UPDATE" in query["sql"] for query in captured.captured_queries)


def test_a_session_from_before_the_limits_starts_its_clocks_at_its_next_request(limits, clock, creative):
    client = Client()
    client.force_login(creative)
    session = client.session
    del session[LOGIN_AT], session[SEEN_AT]
    session.save()

    clock.shift(10 * HOUR)
    assert client.get(PAGE).status_code == 200
    assert client.session[LOGIN_AT] == client.session[SEEN_AT]


def test_deactivating_a_person_ends_their_sessions_and_tokens_at_once(creative):
    page = Client()
    page.force_login(creative)
    api = APIClient()
    api.force_login(creative)
    _token, key = access_token_create(user=creative, name="Sync", expires_in=None)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert (page.get(PAGE).status_code, api.get("/api/notifications/").status_code,
            by_token.get("/api/notifications/").status_code) == (200, 200, 200)

    creative.is_active = False
    creative.save()

    assert page.get(PAGE)["Location"] == f"/login/?next={PAGE}"
    assert api.get("/api/notifications/").status_code == 401
    assert by_token.get("/api/notifications/").status_code == 401
