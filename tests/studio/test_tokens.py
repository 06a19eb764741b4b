"""Personal access tokens: created on their owner's page and shown once, stored only as
digests, optionally read-only, with an expiry and a last-used time, revoked by their
owner; the token endpoint for scripts, throttled with the login page; and missing or
bad credentials answering 401."""

import datetime as dt
import logging
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from studio.models import AccessToken, AuditEvent
from studio.services import access_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Callsheet-1"  # tests.factories.UserFactory's
TOKEN_ENDPOINT = "/api/auth/token/"
TOKENS_PAGE = "/studio/tokens/"
NOTIFICATIONS = "/api/notifications/"
READ_ALL = "/api/notifications/read-all/"
HERE, THERE = "198.51.100.7", "203.0.113.9"


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_on_page(client, **fields):
    form = {"name": "Timesheet export", "expires_in": "90"} | fields
    response = client.post(TOKENS_PAGE, form)
    assert response.status_code == 200
    match = re.search(r'id="new-token-key" type="text" value="([0-9a-f]{64})"', response.content.decode())
    return response, match and match.group(1)


# --- the settings page ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["pm", "executive", "creative", "freelancer", "brand_manager", "admin_user"])
def test_everyone_reaches_their_tokens_from_the_user_menu(request, role):
    client = page_client(request.getfixturevalue(role))

    assert f'href="{TOKENS_PAGE}"' in client.get("/studio/notifications/").content.decode()
    assert client.get(TOKENS_PAGE).status_code == 200


def test_the_page_needs_a_login():
    assert Client().get(TOKENS_PAGE)["Location"] == f"/login/?next={TOKENS_PAGE}"


def test_a_new_token_is_shown_once_and_stored_only_as_a_digest(creative):
    client = page_client(creative)

    response, key = create_on_page(client)

    assert key, "the new key is on the page"
    assert "no-store" in response["Cache-Control"]
    assert "shown only this once" in response.content.decode()
    token = AccessToken.objects.get(user=creative)
    assert token.name == "Timesheet export" and not token.read_only
    assert key not in token.digest and len(token.digest) == 128 and key.startswith(token.token_key)
    assert len(token.token_key) == 15  # knox's lookup prefix, not the key
    listing = client.get(TOKENS_PAGE).content.decode()
    assert "Timesheet export" in listing and key not in listing
    assert with_token(key).get(NOTIFICATIONS).status_code == 200


@pytest.mark.parametrize(("days", "lifetime"), [("30", dt.timedelta(days=30)), ("365", dt.timedelta(days=365)),
                                                ("0", None)])
def test_a_token_expires_when_its_owner_chose(creative, days, lifetime):
    create_on_page(page_client(creative), expires_in=days)

    token = AccessToken.objects.get(user=creative)
    if lifetime is None:
        assert token.expiry is None
    else:
        assert abs(token.expiry - (timezone.now() + lifetime)) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("fields", [{"name": ""}, {"expires_in": "7"}, {"name": "x" * 101}])
def test_a_token_form_with_errors_creates_nothing(creative, fields):
    response, key = create_on_page(page_client(creative), **fields)

    assert key is None
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AccessToken.objects.exists()


def test_the_list_shows_access_expiry_and_last_use(creative, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC), tick=False)
    _used, used_key = access_token_create(user=creative, name="Calendar sync", read_only=True,
                                          expires_in=dt.timedelta(days=30))
    access_token_create(user=creative, name="Old report", expires_in=dt.timedelta(days=1))
    access_token_create(user=f.UserFactory(), name="Someone else's", expires_in=None)
    with_token(used_key).get(NOTIFICATIONS)
    time_machine.shift(dt.timedelta(days=2))

    html = page_client(creative).get(TOKENS_PAGE).content.decode()

    assert "Calendar sync" in html and "Read-only" in html and "1 Jan 2027" in html
    assert "2 Dec 2026, 09:30" in html  # last used (UTC, the test studio's London winter time)
    assert "Old report" in html and "expired" in html and "Never used" in html
    assert "Someone else" not in html


def test_the_owner_revokes_a_token_and_it_stops_at_once(creative):
    token, key = access_token_create(user=creative, name="Sync", expires_in=None)
    client = page_client(creative)

    response = client.post(f"/studio/tokens/{token.pk}/revoke/", follow=True)

    assert "The token “Sync” is revoked" in response.content.decode()
    assert not AccessToken.objects.exists()
    assert with_token(key).get(NOTIFICATIONS).status_code == 401


def test_nobody_revokes_another_persons_token(creative, pm):
    token, key = access_token_create(user=creative, name="Sync", expires_in=None)

    assert page_client(pm).post(f"/studio/tokens/{token.pk}/revoke/").status_code == 404
    assert page_client(creative).get(f"/studio/tokens/{token.pk}/revoke/").status_code == 405
    assert with_token(key).get(NOTIFICATIONS).status_code == 200


def test_creating_and_revoking_each_leave_one_audit_entry_without_the_key(creative):
    token, key = access_token_create(user=creative, name="Sync", read_only=True, expires_in=None)
    page_client(creative).post(f"/studio/tokens/{token.pk}/revoke/")

    events = AuditEvent.objects.order_by("id")
    assert [(e.actor, e.action, e.object_repr) for e in events] == [
        (creative, "access_token.created", "Sync"), (creative, "access_token.revoked", "Sync")]
    assert events[0].after == {"owner": creative.pk, "name": "Sync", "read_only": True, "expiry": None}
    assert all(key not in str(e.after) + str(e.before) and token.digest not in str(e.after) for e in events)


# --- using a token -----------------------------------------------------------------------


def test_a_read_only_token_reads_and_never_writes(creative):
    f.NotificationFactory(recipient=creative)
    _token, key = access_token_create(user=creative, name="Dashboard", read_only=True, expires_in=None)
    client = with_token(key)

    assert client.get(NOTIFICATIONS).json()["count"] == 1
    response = client.post(READ_ALL)

    assert response.status_code == 403
    assert response.json()["detail"] == "This access token is read-only: it may read but not change anything."
    assert creative.notifications.unread().count() == 1


def test_a_read_write_token_writes(creative):
    f.NotificationFactory(recipient=creative)
    _token, key = access_token_create(user=creative, name="Inbox", expires_in=None)

    assert with_token(key).post(READ_ALL).json() == {"marked_read": 1}


def test_an_expired_token_is_refused(creative, time_machine):
    _token, key = access_token_create(user=creative, name="Sync", expires_in=dt.timedelta(days=30))
    time_machine.move_to(timezone.now() + dt.timedelta(days=30, seconds=1))

    assert with_token(key).get(NOTIFICATIONS).status_code == 401


def test_last_used_is_noted_to_the_minute_without_a_write_per_request(creative, time_machine,
                                                                       django_assert_num_queries):
    time_machine.move_to(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC), tick=False)
    token, key = access_token_create(user=creative, name="Sync", expires_in=None)
    client = with_token(key)
    assert token.last_used is None

    client.get(NOTIFICATIONS)
    token.refresh_from_db()
    assert token.last_used == timezone.now()

    time_machine.shift(dt.timedelta(seconds=59))
    # the token with its user, the count of notifications (none, so no page); no write
    with django_assert_num_queries(2):
        client.get(NOTIFICATIONS)
    time_machine.shift(dt.timedelta(seconds=1))
    with django_assert_num_queries(3):
        client.get(NOTIFICATIONS)
    token.refresh_from_db()
    assert token.last_used == timezone.now()


def test_creating_a_token_clears_its_owners_expired_ones(creative, time_machine):
    access_token_create(user=creative, name="Old", expires_in=dt.timedelta(hours=10))
    access_token_create(user=creative, name="Lasting", expires_in=None)
    other = access_token_create(user=f.UserFactory(), name="Theirs", expires_in=dt.timedelta(hours=10))[0]
    time_machine.move_to(timezone.now() + dt.timedelta(hours=11))

    access_token_create(user=creative, name="New", expires_in=None)

    assert set(AccessToken.objects.values_list("name", flat=True)) == {"Lasting", "New", other.name}


# --- missing or bad credentials: 401 -------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Token", "Token 0123456789abcdef0123456789abcdef", "Token a b", "Token caf\u00e9", "Bearer x"],
    ids=["missing", "no-key", "unknown", "spaces", "not-ascii", "other-scheme"],
)
def test_missing_or_bad_credentials_answer_401_with_the_scheme_to_use(creative, authorization):
    client = APIClient()
    if authorization:
        client.credentials(HTTP_AUTHORIZATION=authorization)

    for response in (client.get(NOTIFICATIONS), client.post(READ_ALL)):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_a_signed_in_page_still_calls_the_api_on_its_session(creative):
    client = APIClient()
    client.force_login(creative)

    assert client.get(NOTIFICATIONS).status_code == 200


# --- the token endpoint for scripts --------------------------------------------------------


def ask_for_token(username, password=PASSWORD, address=HERE):
    return APIClient(REMOTE_ADDR=address).post(
        TOKEN_ENDPOINT, {"username": username, "password": password}, format="json"
    )


def test_the_token_endpoint_exchanges_a_password_for_a_ten_hour_token(creative):
    response = ask_for_token(creative.username)

    assert response.status_code == 200
    body = response.json()
    token = AccessToken.objects.get(user=creative)
    assert (token.name, token.read_only) == ("API login", False)
    assert abs(token.expiry - (timezone.now() + dt.timedelta(hours=10))) < dt.timedelta(minutes=1)
    assert dt.datetime.fromisoformat(body["expiry"]) == token.expiry
    assert with_token(body["token"]).get(NOTIFICATIONS).status_code == 200


def test_the_token_endpoint_refuses_a_wrong_password_with_the_login_pages_message(creative):
    response = ask_for_token(creative.username, "guess")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["That username and password do not match an account. Please try again."]}
    assert not AccessToken.objects.exists()


def test_the_token_endpoint_locks_an_account_at_an_address_and_not_elsewhere(creative):
    attempts = [ask_for_token(creative.username, "guess").status_code for _ in range(5)]
    locked = ask_for_token(creative.username)

    assert attempts == [400] * 4 + [429]
    assert locked.status_code == 429
    assert "Logging in is paused for 15 minutes" in locked.json()["detail"]
    assert locked["Retry-After"] == "900"
    assert ask_for_token(creative.username, address=THERE).status_code == 200
    assert AccessToken.objects.count() == 1


def test_the_login_page_and_the_token_endpoint_count_failures_together(creative):
    page = Client(REMOTE_ADDR=HERE)
    for _ in range(3):
        page.post("/login/", {"username": creative.username, "password": "guess"})
    for _ in range(2):
        ask_for_token(creative.username, "guess")

    assert ask_for_token(creative.username).status_code == 429
    assert page.post("/login/", {"username": creative.username, "password": PASSWORD}).status_code == 429


def test_a_deactivated_person_gets_no_token(creative):
    creative.is_active = False
    creative.save()

    assert ask_for_token(creative.username).status_code == 400
    assert not AccessToken.objects.exists()


def test_a_superuser_revokes_a_token_in_the_admin_through_the_service(admin_client, admin_user, creative):
    token, key = access_token_create(user=creative, name="Sync", expires_in=None)

    response = admin_client.post(f"/admin/studio/accesstoken/{token.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert with_token(key).get(NOTIFICATIONS).status_code == 401
    assert AuditEvent.objects.get(action="access_token.revoked").actor == admin_user
    assert admin_client.get("/admin/studio/accesstoken/add/").status_code == 403


def test_each_token_request_is_one_line_in_the_log(creative, caplog):
    with caplog.at_level(logging.INFO):
        ask_for_token(creative.username, "guess")
        ask_for_token(creative.username)

    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("studio.logins", f"Login failed: user='{creative.username}' address={HERE} path=/api/auth/token/ failures=1"),
        ("studio.logins", f"Login: user='{creative.username}' address={HERE} path=/api/auth/token/"),
    ]


@pytest.mark.parametrize("url", ["/api/", "/api/schema/", "/api/projects/", "/api/time-entries/", "/api/budgets/"])
def test_every_api_door_answers_401_without_credentials(url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
