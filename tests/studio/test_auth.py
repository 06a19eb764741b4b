"""Logging in and out, changing and resetting a password, and the layout around them."""

import datetime as dt
import io
import logging
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from studio.logins import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Callsheet-1"  # tests.factories.UserFactory's password
GENERIC_LOGIN_ERROR = "That username and password do not match an account. Please try again."


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


@pytest.mark.parametrize(
    ("role_fixture", "start_page"),
    [
        ("pm", "/dashboard/"),
        ("executive", "/dashboard/"),
        ("creative", "/schedule/my-day/"),
        ("freelancer", "/schedule/my-day/"),
        ("brand_manager", "/requests/"),
        ("admin_user", "/admin/"),
    ],
)
def test_login_sends_each_role_to_its_start_page(client, request, role_fixture, start_page):
    user = request.getfixturevalue(role_fixture)

    response = log_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/"

    # The start page itself is another app's; only where "/" sends the user is ours.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == start_page


def test_login_follows_a_safe_next_url(client, creative):
    response = log_in(client, creative.username, next="/projects/")
    assert response["Location"] == "/projects/"


def test_login_ignores_a_next_url_on_another_site(client, creative):
    response = log_in(client, creative.username, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_wrong_password_shows_one_generic_message_with_the_form(client, creative):
    response = log_in(client, creative.username, password="not-the-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(GENERIC_LOGIN_ERROR) == 1
    assert 'name="password"' in html
    assert "_auth_user_id" not in client.session


def test_unknown_user_and_deactivated_user_get_the_same_message(client, creative):
    unknown = log_in(client, "nobody-here")
    creative.is_active = False
    creative.save()
    inactive = log_in(client, creative.username)

    for response in (unknown, inactive):
        assert response.status_code == 200
        assert GENERIC_LOGIN_ERROR in response.content.decode()


def test_signed_in_user_visiting_login_goes_to_home(client, pm):
    client.force_login(pm)
    response = client.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_home_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_logout_needs_post(client, creative):
    client.force_login(creative)

    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_password_change_needs_the_old_password_and_keeps_the_user_signed_in(client, creative):
    client.force_login(creative)

    wrong = client.post(
        "/password_change/",
        {
            "old_password": "wrong",
            "new_password1": "Fresh-Paint-42",
            "new_password2": "Fresh-Paint-42",
        },
    )
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()

    response = client.post(
        "/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-Paint-42",
            "new_password2": "Fresh-Paint-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/password_change/done/"
    creative.refresh_from_db()
    assert creative.check_password("Fresh-Paint-42")
    assert client.get("/password_change/done/").status_code == 200


def test_password_change_page_needs_login(client):
    response = client.get("/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_password_reset_emails_one_working_link(client, creative):
    response = client.post("/password_reset/", {"email": creative.email})
    assert response.status_code == 302
    assert response["Location"] == "/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [creative.email]
    assert "\n" not in message.subject
    assert creative.username in message.body

    link = re.search(r"https?://[^/\s]+(/reset/\S+/)", message.body).group(1)
    # Django swaps the token for a session-held one and redirects to the form.
    form_url = client.get(link)["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()

    done = client.post(
        form_url, {"new_password1": "Fresh-Paint-42", "new_password2": "Fresh-Paint-42"}
    )
    assert done["Location"] == "/reset/done/"
    assert log_in(client, creative.username, "Fresh-Paint-42")["Location"] == "/"


def test_password_reset_link_works_only_once(client, creative):
    client.post("/password_reset/", {"email": creative.email})
    link = re.search(r"https?://[^/\s]+(/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "Fresh-Paint-42", "new_password2": "Fresh-Paint-42"})

    page = client.get(link)
    assert "This link no longer works" in page.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/password_reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/password_reset/done/"
    assert mail.outbox == []


def test_layout_has_skip_link_role_navigation_and_post_logout(client, pm):
    client.force_login(pm)
    html = client.get("/projects/").content.decode()

    assert 'href="#main"' in html and 'id="main"' in html
    assert 'href="/studio/talent/"' in html  # PMs' navigation has the directory
    assert re.search(r'<form method="post" action="/logout/"', html)
    assert 'href="/password_change/"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "callsheet.css" in html


def test_creatives_navigation_has_their_day_timesheet_and_team(client, creative):
    client.force_login(creative)
    html = client.get("/projects/").content.decode()
    assert 'href="/studio/talent/">Team<' in html  # the teams of their projects only
    assert 'href="/schedule/timesheets/"' in html
    assert 'href="/schedule/team/"' not in html
    assert 'href="/schedule/my-day/"' in html
    assert 'href="/briefs/"' in html  # the briefs sent to them


def test_messages_are_shown_in_the_layout(creative):
    request = RequestFactory().get("/")
    request.user = creative
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = default_storage(request)
    messages.success(request, "Booking confirmed.")
    messages.error(request, "That day is full.")

    html = render_to_string("base.html", request=request)

    assert re.search(r'class="message message-success"\s+role="status">Booking confirmed.', html)
    assert re.search(r'class="message message-error"\s+role="alert">That day is full.', html)


def test_unknown_page_answers_404_with_the_layout(client, creative):
    client.force_login(creative)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "couldn" in html and 'id="main"' in html


def test_server_error_page_renders_without_the_database(django_assert_num_queries):
    # Django's server_error view renders 500.html with no request and no context processors.
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "/static/css/callsheet.css" in html


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_form_posted_without_its_csrf_token_is_refused_in_the_layout(db, creative, logged_in):
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(creative)
    response = client.post(reverse("login"), {"username": "creative", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html and "Nothing was saved" in html
    assert 'id="main"' in html and "/static/css/callsheet.css" in html


def test_only_the_most_specific_menu_item_is_current(client, pm):
    client.force_login(pm)
    html = client.get(reverse("projects:portfolio-timeline")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse("projects:portfolio-timeline")}" aria-current="page"' in html


# --- failed logins are throttled (django-axes) -------------------------------------------

LOCKED_OUT = "Too many failed attempts to log in from here"
HERE, THERE = "198.51.100.7", "203.0.113.9"


def log_in_from(client, address, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, address, username, times):
    return [log_in_from(client, address, username, "guess").status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_at_that_address_with_a_message_in_the_layout(client, creative):
    assert fail(client, HERE, creative.username, 4) == [200] * 4

    fifth = log_in_from(client, HERE, creative.username, "guess")
    right = log_in_from(client, HERE, creative.username)

    for response in (fifth, right):
        assert response.status_code == 429
        html = response.content.decode()
        assert LOCKED_OUT in html and "15 minutes" in html
        assert 'id="main"' in html and 'name="password"' in html
        assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_owner_still_logs_in_from_another_address_while_an_attacker_is_locked(client, creative):
    fail(client, HERE, creative.username, 5)

    assert log_in_from(Client(), THERE, creative.username)["Location"] == "/"


def test_another_person_at_the_locked_address_still_logs_in(client, creative, pm):
    fail(client, HERE, creative.username, 5)

    assert log_in_from(Client(), HERE, pm.username)["Location"] == "/"


def test_the_lockout_ends_after_the_cool_off_even_when_the_attacker_keeps_trying(client, creative, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fail(client, HERE, creative.username, 5)
    time_machine.shift(dt.timedelta(minutes=10))
    assert fail(client, HERE, creative.username, 3) == [429] * 3  # refusals do not restart the clock

    time_machine.shift(dt.timedelta(minutes=5, seconds=1))

    assert log_in_from(client, HERE, creative.username)["Location"] == "/"


def test_an_address_guessing_across_many_accounts_is_locked_as_a_whole(client, settings, creative):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for name in ("ana", "ben", "cy", "dee", "eve"):
        assert fail(client, HERE, name, 1) == [200]

    assert fail(client, HERE, "fay", 1) == [429]
    assert log_in_from(client, HERE, creative.username).status_code == 429
    assert log_in_from(Client(), THERE, creative.username)["Location"] == "/"


def test_each_attempt_is_one_line_in_the_log_without_a_traceback(client, creative, caplog):
    with caplog.at_level(logging.INFO):
        fail(client, HERE, creative.username, 4)
        fail(client, HERE, creative.username, 2)  # the fifth locks, the sixth is refused
        log_in_from(Client(), THERE, creative.username)

    lines = [(record.name, record.getMessage()) for record in caplog.records]
    who = f"user='{creative.username}'"
    assert lines == [
        *[("studio.logins", f"Login failed: {who} address={HERE} path=/login/ failures={n}") for n in (1, 2, 3, 4)],
        ("studio.logins", f"Login failed, now locked out for 15 min: {who} address={HERE} path=/login/ failures=5"),
        ("studio.logins", f"Login refused, locked out: {who} address={HERE} path=/login/"),
        ("studio.logins", f"Login: {who} address={THERE} path=/login/"),
    ]
    assert all(record.exc_info is None for record in caplog.records)
    assert "Traceback" not in caplog.text


def test_the_login_rotates_the_session_key(client, creative):
    session = client.session
    session["seen_the_login_page"] = True
    session.save()
    before = session.session_key

    log_in(client, creative.username)

    assert client.session.session_key != before
    assert not SessionStore().exists(before)
    assert client.session["_auth_user_id"] == str(creative.pk)


def test_the_address_is_the_proxys_last_forwarded_entry_only_behind_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{THERE}, {HERE}")
    assert client_address(request) == "10.0.0.2"

    settings.BEHIND_PROXY = True
    assert client_address(request) == HERE
    # A proxy that appended nothing usable: the connection's own address.
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.2"


def test_the_admin_login_counts_towards_the_same_lock(client, admin_user):
    for _ in range(5):
        response = client.post("/admin/login/", {"username": admin_user.username, "password": "guess"},
                               REMOTE_ADDR=HERE)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert log_in_from(client, HERE, admin_user.username).status_code == 429


def test_an_operator_lifts_a_lock_early_from_the_command_line(client, creative):
    fail(client, HERE, creative.username, 5)

    call_command("axes_reset_username", creative.username, stdout=io.StringIO())

    assert log_in_from(client, HERE, creative.username)["Location"] == "/"
