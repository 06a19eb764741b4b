"""Headless Chromium driven by Playwright against pytest-django's live server."""

import os
import time
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread while it
# is started; Django would otherwise refuse ORM calls from the test body.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in CI containers
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Not per session: while Playwright runs, this
    thread has a running event loop, which must not leak into the other tests that
    share this pytest worker."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    leave([context])


@pytest.fixture
def js_errors(page):
    """Uncaught JavaScript errors of the page, collected as they happen."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


class Visitors:
    """Browser contexts of their own (one per person, so their sessions stay apart),
    each page logged in through the login form; JavaScript errors of every page are
    collected in `js_errors`."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url = browser, base_url
        self.contexts = []
        self.js_errors = []

    def log_in(self, username, password):
        context = self.browser.new_context(base_url=self.base_url)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: self.js_errors.append(f"{username}: {error}"))
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert not page.url.endswith("/login/"), f"{username} could not log in"
        return page

    def close(self):
        leave(self.contexts)


def leave(contexts) -> None:
    """Close browser contexts once none of their fragment requests is still reading the
    database: the test's flush would deadlock with it on PostgreSQL. Each page waits for
    its network to go quiet, then leaves; the live server's threads get a moment to
    finish what they had begun."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for context in contexts:
        for page in context.pages:
            try:
                page.wait_for_load_state("networkidle", timeout=5_000)
            except PlaywrightTimeout:  # a page still polling: leaving it stops that too
                pass
            page.goto("about:blank")
        context.close()
    time.sleep(0.3)


@pytest.fixture
def visitors(browser, live_server):
    """Several people at once, each in a fresh browser context: `visitors.log_in(name, password)`."""
    people = Visitors(browser, live_server.url)
    yield people
    people.close()
