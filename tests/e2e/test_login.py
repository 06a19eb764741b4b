"""Each demo role logs in through the form and lands on its own start page."""

from urllib.parse import urlparse

import pytest

from tests.factories import BrandFactory, FreelanceTalentFactory, TalentFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
SCREENSHOT = "/tmp/e2e-pm.png"


def make_demo_user(username):
    """The demo login `username`, built the way the demo studio has it."""
    if username == "creative":
        return TalentFactory(
            user__username="creative", user__role="creative", user__password=PASSWORD
        ).user
    if username == "freelancer":
        return FreelanceTalentFactory(user__username="freelancer", user__password=PASSWORD).user
    if username == "brand":
        user = UserFactory(username="brand", role="brand_manager", password=PASSWORD)
        BrandFactory().managers.add(user)
        return user
    extra = {
        "pm": {"role": "pm", "is_staff": True},
        "exec": {"role": "executive"},
        "admin": {"role": "admin", "is_staff": True, "is_superuser": True},
    }[username]
    return UserFactory(username=username, password=PASSWORD, **extra)


def log_in(page, username, password):
    """Fill in and send the login form; the response the browser finally landed on."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("form button[type=submit]")
    return navigation.value


@pytest.mark.parametrize(
    ("username", "start_page"),
    [
        ("pm", "/dashboard/"),
        ("exec", "/dashboard/"),
        ("creative", "/schedule/my-day/"),
        ("freelancer", "/schedule/my-day/"),
        ("brand", "/requests/"),
        ("admin", "/admin/"),
    ],
)
def test_demo_role_logs_in_and_lands_on_its_start_page(page, js_errors, username, start_page):
    make_demo_user(username)

    response = log_in(page, username, PASSWORD)

    assert urlparse(page.url).path == start_page
    assert response.status < 400, f"{start_page} answered {response.status}"
    assert page.locator("h1").first.is_visible()
    assert js_errors == []
    if username == "pm":
        page.screenshot(path=SCREENSHOT, full_page=True)


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(page):
    make_demo_user("pm")

    response = log_in(page, "pm", "not-the-password")

    assert response.status == 200
    assert urlparse(page.url).path == "/login/"
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "do not match" in alert.inner_text()
    # Still anonymous: the start page sends the visitor back to the login form.
    page.goto("/dashboard/")
    assert urlparse(page.url).path == "/login/"
