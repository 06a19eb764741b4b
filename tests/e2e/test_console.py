"""Every role's main pages load without a console error or a failed request: no
JavaScript error, no 4xx or 5xx for any of their resources or fragments, the page's
icon and the `/favicon.ico` browsers ask for included."""

from urllib.parse import urlparse

import pytest

from tests import factories as f
from tests.e2e.conftest import leave

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("studio_today"),
]

PASSWORD = "callsheet-demo"


@pytest.fixture
def studio():
    """A small studio: one brand's project with the creative and the freelancer booked,
    a deliverable due, a brief sent to both, a budget and an open request."""
    pm = f.UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD)
    f.UserFactory(username="exec", role="executive", password=PASSWORD)
    brand = f.BrandFactory()
    manager = f.UserFactory(username="brand", role="brand_manager", password=PASSWORD)
    brand.managers.add(manager)
    creative = f.TalentFactory(user__username="creative", user__role="creative", user__password=PASSWORD)
    freelancer = f.FreelanceTalentFactory(user__username="freelancer", user__password=PASSWORD)
    project = f.ProjectFactory(brand=brand, pm=pm, name="Winter launch")
    deliverable = f.DeliverableFactory(project=project)
    deliverable.assignees.add(creative, freelancer)
    for talent in (creative, freelancer):
        f.BookingFactory(talent=talent, project=project)
    version = f.BriefVersionFactory(brief__project=project)
    for talent in (creative, freelancer):
        f.BriefDistributionFactory(version=version, recipient=talent.user)
    f.BudgetFactory(project=project)
    f.RequestFactory(brand=brand, submitted_by=manager)
    return project


class Console:
    """A logged-in browser context that records console errors, uncaught exceptions
    and every request that failed or answered 400 or more."""

    def __init__(self, browser, base_url, username):
        self.context = browser.new_context(base_url=base_url)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        # A request the browser itself abandons (a badge's poll cut short as the page moves on)
        # is not a failure of the site.
        self.page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED"
                     or self.problems.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", self._response)
        self.log_in(username)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text} at {message.location.get('url')}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def log_in(self, username):
        self.page.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form button[type=submit]")
        assert not self.page.url.endswith("/login/"), f"{username} could not log in"

    def visit(self, url):
        """Open `url`, let its fragments load, and ask for its icon as the browser would
        (headless Chromium does not fetch icons itself)."""
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        icons = self.page.eval_on_selector_all("link[rel~=icon]", "links => links.map(l => l.href)")
        # Django's admin has templates of its own: it relies on /favicon.ico.
        assert icons or url.startswith("/admin/"), f"{url} declares no icon"
        for icon in [*icons, "/favicon.ico"]:
            response = self.page.request.get(icon)
            if not response.ok:
                self.problems.append(f"{response.status}: icon {icon} of {url}")

    def menu(self):
        """The pages of the user's menu (and their notifications), as paths."""
        links = self.page.eval_on_selector_all(".site-nav a[href]", "links => links.map(l => l.href)")
        return [urlparse(link).path for link in links]


@pytest.mark.parametrize("username", ["pm", "exec", "creative", "freelancer", "brand"])
def test_main_pages_log_no_console_error(browser, live_server, studio, username):
    console = Console(browser, live_server.url, username)
    try:
        pages = ["/", *console.menu(), f"/projects/{studio.pk}/"]
        assert len(pages) >= 4, pages  # a menu was found

        for url in pages:
            console.visit(url)

        assert console.problems == [], "\n".join(console.problems)
    finally:
        leave([console.context])


def test_the_api_docs_run_under_the_content_security_policy(browser, live_server, studio):
    # Swagger UI's start-up script is served apart from its page; inline, the policy would refuse it.
    console = Console(browser, live_server.url, "pm")
    try:
        console.visit("/api/docs/")
        console.page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        assert console.problems == [], "\n".join(console.problems)
    finally:
        leave([console.context])
