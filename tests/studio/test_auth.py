"""Logging in and out, changing and resetting a password, and the layout around them."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

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
