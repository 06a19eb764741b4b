"""The whole intake-to-brief path in headless Chromium, one person per browser context:
the brand manager asks (and sees whether the studio can make it), the production
manager accepts and writes the brief, the brand manager approves it, the production
manager sends it, the creative reads and acknowledges it, and the board shows it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from briefs.models import Brief, BriefDistribution, BriefVersion, Request
from studio import clock
from tests.factories import (
    BrandFactory,
    DeliverableTypeFactory,
    DisciplineFactory,
    StandardHoursFactory,
    TalentFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
TITLE = "Winter launch films"
KEY_MESSAGE = "Warmth you can carry: the winter range goes wherever you go."
# 28 days hold exactly 20 working days (Monday to Friday) whatever today is, and
# there are no holidays: the creative's 8 h a day make 160 free hours by the deadline.
DAYS_TO_DEADLINE = 28
HOURS_PER_UNIT = Decimal("10")


@pytest.fixture
def studio():
    """A brand with its manager, a PM, and a designer who is the only capacity of the
    discipline the deliverable type needs."""
    design = DisciplineFactory(name="Design", freelance_bill_rate=Decimal("120.00"),
                               freelance_hours_per_week=Decimal("40"))
    creative = TalentFactory(
        user__username="creative", user__first_name="Cleo", user__last_name="Reyes", user__password=PASSWORD,
        discipline=design, hours_per_day=Decimal("8"),
    )
    brand_manager = UserFactory(username="brand", role="brand_manager", password=PASSWORD)
    brand = BrandFactory(name="Northwind Outdoor")
    brand.managers.add(brand_manager)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD)
    film = DeliverableTypeFactory(name="Social film")
    StandardHoursFactory(deliverable_type=film, discipline=design, hours_per_unit=HOURS_PER_UNIT)
    return {"brand": brand, "brand_manager": brand_manager, "pm": pm, "creative": creative, "film": film}


def test_request_becomes_an_approved_brief_the_creative_acknowledges(visitors, studio):
    deadline = clock.today() + dt.timedelta(days=DAYS_TO_DEADLINE)

    # 1. The brand manager asks, and the form tells her whether the studio can make it.
    brand = visitors.log_in("brand", PASSWORD)
    brand.goto("/requests/new/")
    brand.fill("#id_title", TITLE)
    brand.select_option("#id_brand", label=studio["brand"].name)
    brand.fill("#id_objectives", "Three weeks of films for the winter range launch.")
    brand.fill("#id_deadline", deadline.isoformat())
    brand.fill("#id_budget", "15000")
    brand.select_option("#id_items-0-deliverable_type", label=studio["film"].name)
    verdict = brand.locator("#feasibility .verdict")
    # 20 films need 200 h against 160 free: the 40 h gap is within what freelancers can add.
    # The fragment follows the form's change events: a number field changes when it is left.
    brand.fill("#id_items-0-quantity", "20")
    brand.press("#id_items-0-quantity", "Tab")
    expect(verdict).to_have_attribute("data-verdict", "freelance")
    expect(verdict).to_contain_text("Needs about 40 extra freelance hours")
    # 2 films need 20 h: they fit.
    brand.fill("#id_items-0-quantity", "2")
    brand.press("#id_items-0-quantity", "Tab")
    expect(verdict).to_have_attribute("data-verdict", "fits")
    expect(verdict).to_contain_text("Fits")
    design_row = brand.locator("#feasibility tbody tr", has_text="Design")
    expect(design_row).to_contain_text("20 h")
    expect(design_row).to_contain_text("160 h")
    brand.get_by_role("button", name="Send the request").click()
    expect(brand).to_have_url(re.compile(r"/requests/\d+/$"))
    expect(brand.locator(".page-header .badge")).to_have_text("Submitted")
    request_pk = int(re.search(r"/requests/(\d+)/$", brand.url)[1])
    assert Request.objects.get(pk=request_pk).items.get().quantity == 2

    # 2. The PM accepts it from the request's page: a project and a draft brief exist.
    pm = visitors.log_in("pm", PASSWORD)
    pm.goto("/requests/")
    # The PM sees the verdict too, in the list and on the request's page, as of today.
    expect(pm.locator("tr", has_text=TITLE).locator("[data-verdict]")).to_have_attribute("data-verdict", "fits")
    pm.get_by_role("link", name=TITLE).click()
    expect(pm).to_have_url(re.compile(rf"/requests/{request_pk}/$"))
    expect(pm.locator("#feasibility .verdict")).to_have_attribute("data-verdict", "fits")
    # One set of decisions: the triage, no approval buttons beside it.
    expect(pm.get_by_role("button", name="Approve")).to_have_count(0)
    pm.get_by_role("button", name="Accept the request").click()
    expect(pm.locator(".page-header .badge")).to_have_text("Accepted")
    brand_request = Request.objects.select_related("project").get(pk=request_pk)
    assert brand_request.project is not None, "accepting the request made no project"
    brief = Brief.objects.get(project=brand_request.project)
    assert brief.status == Brief.Status.DRAFT
    # No page assigns people to deliverables yet: the creative is put on the film here.
    deliverable = brand_request.project.deliverables.get()
    deliverable.assignees.add(studio["creative"])

    # 3. The PM writes the key message and submits the brief.
    pm.goto("/briefs/")
    pm.get_by_role("link", name=TITLE).click()
    expect(pm).to_have_url(re.compile(rf"/briefs/{brief.pk}/$"))
    pm.get_by_role("button", name="Edit", exact=True).click()
    pm.fill("#id_key_message", KEY_MESSAGE)
    pm.get_by_role("button", name="Save", exact=True).click()
    expect(pm).to_have_url(re.compile(rf"/briefs/{brief.pk}/$"))
    expect(pm.locator("main")).to_contain_text(KEY_MESSAGE)
    pm.get_by_role("button", name="Submit for approval").click()
    expect(pm.locator(".page-header .badge")).to_have_attribute("data-status", "in_review")

    # 4. The brand manager approves it from her inbox (the PM's own step was skipped).
    brand.goto("/approvals/")
    row = brand.locator("tr.approval-row", has_text=TITLE)
    expect(row).to_contain_text("Brand manager")
    row.get_by_role("button", name="Approve").click()
    expect(brand.locator("tr.approval-row", has_text=TITLE)).to_have_attribute("data-status", "approved")
    version = BriefVersion.objects.get(brief=brief)
    assert version.number == 1
    assert version.content["key_message"] == KEY_MESSAGE
    assert version.approved_by == studio["brand_manager"]

    # 5. The PM sends version 1; the creative assigned to the film gets it.
    pm.goto(f"/briefs/{brief.pk}/")
    expect(pm.locator("#distribute-heading")).to_have_text("Send version 1")
    pm.get_by_role("button", name="Send to the team").click()
    expect(pm).to_have_url(re.compile(rf"/briefs/{brief.pk}/board/$"))
    board_row = pm.locator("#brief-board tbody tr", has_text="Cleo Reyes")
    expect(board_row).to_contain_text("not yet")

    # 6. The creative finds it among her briefs to read, opens it and acknowledges it.
    creative = visitors.log_in("creative", PASSWORD)
    expect(creative).to_have_url(re.compile(r"/schedule/my-day/$"))
    creative.locator("#briefs-to-read").get_by_role("link", name=TITLE).click()
    expect(creative).to_have_url(re.compile(rf"/briefs/{brief.pk}/$"))
    expect(creative.locator("main")).to_contain_text(KEY_MESSAGE)
    distribution = BriefDistribution.objects.get(version=version, recipient=studio["creative"].user)
    assert distribution.opened_at is not None, "opening the brief was not recorded"
    assert distribution.acknowledged_at is None
    creative.get_by_role("button", name="Acknowledge: I have read this brief").click()
    expect(creative.locator("#brief-acknowledge")).to_contain_text("You acknowledged this version")

    # 7. The PM's board shows her as having read and acknowledged it.
    pm.goto(f"/briefs/{brief.pk}/board/")
    expect(pm.locator("#brief-board .result-count")).to_contain_text("1 opened · 1 acknowledged")
    expect(board_row.locator(".badge-ok")).to_be_visible()
    expect(board_row).not_to_contain_text("not yet")
    distribution.refresh_from_db()
    assert distribution.acknowledged_at is not None
    assert visitors.js_errors == []
