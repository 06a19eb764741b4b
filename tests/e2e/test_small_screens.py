"""Every role's main pages on a phone, 375 px wide: the page never scrolls sideways (a
wide table or grid scrolls inside its own box), the menu folds behind a button that
unfolds it, and the buttons and fields of the daily pages are big enough for a thumb.
On a desktop screen, 1280 px wide, the same menu is shown inline without a tap."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from approvals.services import approval_submit
from schedules.services.timesheets import timesheet_submit
from studio.permissions import Scope, can, scope_of
from tests import factories as f
from tests.e2e.conftest import leave

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("studio_today"),
]

PASSWORD = "callsheet-demo"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 720}

# How wide the page is, and the elements that stick out of the screen's width outside any
# box that scrolls or clips them: the outermost ones, named by tag, id and classes.
OVERFLOW = """() => {
  const doc = document.documentElement;
  const width = window.innerWidth;
  const inScrollBox = (el) => {
    for (let box = el.parentElement; box && box !== document.body && box !== doc; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const sticksOut = (el) => {
    const box = el.getBoundingClientRect();
    return box.right > width + 0.5 && el.checkVisibility() && !inScrollBox(el);
  };
  const outermost = (el) => !(el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement));
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && outermost(el))
    .map((el) => `${name(el)} (right ${Math.round(el.getBoundingClientRect().right)})`);
  return {scrollWidth: doc.scrollWidth, width, culprits: culprits.slice(0, 8)};
}"""

# The visible buttons and fields of the page's main part too small for a thumb: lower than
# 44 px (a checkbox: smaller than 24 px, the least WCAG allows), or a number field too
# narrow to show "7.25".
SMALL_TARGETS = """() => {
  const fields = "button, [role=button], select, textarea, input:not([type=hidden], [type=checkbox], [type=radio])";
  const small = [];
  for (const el of document.querySelectorAll("main :is(" + fields + ", input[type=checkbox], input[type=radio])")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    const tick = el.matches("[type=checkbox], [type=radio]");
    const tooSmall = box.height < (tick ? 24 : 44) - 0.5 || (el.type === "number" && box.width < 56);
    if (!tooSmall) continue;
    const label = (el.getAttribute("aria-label") || el.innerText || el.name || "").trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""

# The pages used through the day, which must work with a thumb: my day, the timesheet,
# the approval inbox and the request form.
THUMB_PAGES = ("/schedule/my-day/", "/schedule/timesheets/", "/approvals/", "/requests/new/")


@pytest.fixture
def studio():
    """A small studio with something on every main page: a project with the creative
    and the freelancer booked from last week through this one, last week's hours of the
    creative submitted (waiting on the production manager), a time-off request of the
    freelancer, a brief sent to both, a budget and a request of the brand manager.

    Built for each role's test: a test with the live server ends by emptying the
    database, so data cannot outlive one test."""
    pm = f.UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    f.UserFactory(username="exec", role="executive", password=PASSWORD)
    brand = f.BrandFactory()
    manager = f.UserFactory(username="brand", role="brand_manager", password=PASSWORD)
    brand.managers.add(manager)
    creative = f.TalentFactory(user__username="creative", user__role="creative", user__password=PASSWORD)
    freelancer = f.FreelanceTalentFactory(user__username="freelancer", user__password=PASSWORD)
    # A long name, as real ones are: it must wrap, not widen the page.
    project = f.ProjectFactory(brand=brand, pm=pm, name="Winter launch campaign for the northern markets")
    deliverable = f.DeliverableFactory(project=project)
    deliverable.assignees.add(creative, freelancer)
    last_monday = f.monday() - dt.timedelta(days=7)
    for talent in (creative, freelancer):
        f.BookingFactory(talent=talent, project=project, start_date=last_monday)
    sheet = f.TimesheetFactory(talent=creative, week_start=last_monday)
    for offset in range(5):
        f.TimeEntryFactory(
            timesheet=sheet, project=project, date=last_monday + dt.timedelta(days=offset), hours=Decimal("6")
        )
    timesheet_submit(user=creative.user, timesheet=sheet)
    time_off = f.TimeOffFactory(talent=freelancer, status="requested")
    approval_submit(obj=time_off, kind="time_off", submitted_by=freelancer.user)
    version = f.BriefVersionFactory(brief__project=project)
    distributions = [f.BriefDistributionFactory(version=version, recipient=t.user) for t in (creative, freelancer)]
    f.BudgetFactory(project=project)
    return {
        "project": project,
        "brief": version.brief,
        "request": f.RequestFactory(brand=brand, submitted_by=manager),
        "creative": creative,
        "week": last_monday,
        "distributions": {d.recipient_id: d for d in distributions},
    }


def main_pages(user, menu, studio):
    """The pages `user` works on: their start page and menu (Django's own admin aside),
    the project and, for those who may see them, its budget, the brief, the request and
    the request form, and last week's timesheet (their own or the creative's)."""
    project, request = studio["project"], studio["request"]
    pages = ["/", *(url for url in menu if not url.startswith("/admin/")), f"/projects/{project.pk}/"]
    if can(user, "budget.view", project):
        pages.append(f"/budgets/projects/{project.pk}/")
    if user.pk in studio["distributions"]:
        pages.append(f"/briefs/distributions/{studio['distributions'][user.pk].pk}/")
    elif can(user, "brief.view", studio["brief"]):
        pages.append(f"/briefs/{studio['brief'].pk}/")
    if can(user, "request.view", request):
        pages.append(f"/requests/{request.pk}/")
    if can(user, "request.add"):
        pages.append("/requests/new/")
    week = studio["week"].isoformat()
    if scope_of(user, "talent.log_time") is Scope.OWN:
        pages.append(f"/schedule/timesheets/?week={week}")
    elif can(user, "talent.log_time", studio["creative"]):
        pages.append(f"/schedule/timesheets/{studio['creative'].pk}/?week={week}")
    return list(dict.fromkeys(pages))


class Phone:
    """One person's browser context, logged in once, on a 375 px wide screen."""

    def __init__(self, browser, base_url, username):
        self.context = browser.new_context(base_url=base_url, viewport=PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form button[type=submit]")
        assert not self.page.url.endswith("/login/"), f"{username} could not log in"
        self.page.wait_for_load_state("networkidle")

    def menu(self):
        """The pages of the menu (notifications and settings included), as paths."""
        links = self.page.eval_on_selector_all(".site-nav a[href]", "links => links.map(l => l.href)")
        return [urlparse(link).path for link in links]

    def problems(self, url):
        """What is wrong with `url` on this screen: what makes the page wider than the
        screen, and on the pages used through the day, what is too small for a thumb."""
        response = self.page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        self.page.wait_for_load_state("networkidle")
        problems = []
        found = self.page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["width"] or found["culprits"]:
            culprits = ", ".join(found["culprits"]) or "nothing visible"
            problems.append(f"{url} is {found['scrollWidth']} px wide, not {found['width']}: {culprits}")
        if urlparse(url).path.startswith(THUMB_PAGES) and (small := self.page.evaluate(SMALL_TARGETS)):
            problems.append(f"{url} has targets too small for a thumb: {'; '.join(small)}")
        return problems


def assert_menu_folds(page):
    """On a phone the menu's links wait behind its button; a tap shows them all, each a
    thumb high, without widening the page; a tap beside the open menu folds it again
    (the open menu may fill the screen below the header: the tap is on the header)."""
    links = page.locator(".site-nav > li > a, .site-nav .user-menu > summary")
    button = page.locator(".site-menu > summary")
    expect(button).to_be_visible()
    expect(button).to_contain_text("Menu")
    for link in links.all():
        expect(link).to_be_hidden()
    # A count in the folded menu (approvals waiting, unread notifications) marks its button.
    dot = page.locator(".menu-dot")
    waiting = page.locator(".site-nav .nav-badge .badge").count() > 0
    expect(dot).to_be_visible() if waiting else expect(dot).to_be_hidden()

    button.click()

    for link in links.all():
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44 - 0.5, link.inner_text()
    assert page.evaluate(OVERFLOW)["culprits"] == []
    expect(dot).to_be_hidden()
    page.mouse.click(5, 5)  # on the header, beside the button
    for link in links.all():
        expect(link).to_be_hidden()


def assert_menu_inline(page):
    """On a desktop screen the menu's links are shown in the header without a button (a
    long menu wraps onto a line of its own, as it always did)."""
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    assert page.locator(".site-menu").evaluate("menu => menu.open") is False
    header = page.locator(".site-header").bounding_box()
    links = page.locator(".site-nav > li > a")
    assert links.count() >= 3
    for link in links.all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= header["y"] + header["height"], link.inner_text()
    expect(page.locator(".site-nav .user-menu > summary")).to_be_visible()
    assert page.evaluate(OVERFLOW)["culprits"] == []


@pytest.mark.parametrize("username", ["pm", "exec", "creative", "freelancer", "brand"])
def test_main_pages_fit_a_phone_and_the_menu_folds(browser, live_server, studio, django_user_model, username):
    user = django_user_model.objects.get(username=username)
    phone = Phone(browser, live_server.url, username)
    page = phone.page
    try:
        assert_menu_folds(page)
        pages = main_pages(user, phone.menu(), studio)
        assert len(pages) >= 8, pages
        assert [url for url in pages if url.startswith(THUMB_PAGES)], pages

        problems = [problem for url in pages for problem in phone.problems(url)]

        assert problems == [], "\n".join(problems)
        page.set_viewport_size(DESKTOP)
        assert_menu_inline(page)
    finally:
        leave([phone.context])
