"""A submitted week decided on its own page in headless Chromium: the production manager
finds it in the inbox (its hours shown, by project on expanding), opens it, sees its
total and approves it; or opens the week's address and sends it back with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from schedules.models import Timesheet
from schedules.services.timesheets import time_entry_set, timesheet_submit
from studio.models import Notification
from tests.factories import BookingFactory, ProjectFactory, TalentFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
MONDAY = dt.date(2026, 11, 23)
FRIDAY = MONDAY + dt.timedelta(days=4)


@pytest.fixture
def week(move_clock):
    """Cleo's week: 6 h on Monday and 7.5 h on Tuesday on ACME-001, 2 h on Tuesday on
    BETA-002; submitted on Friday."""
    move_clock(FRIDAY)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    creative = TalentFactory(
        user__username="creative", user__first_name="Cleo", user__last_name="Reyes", user__password=PASSWORD
    )
    acme = ProjectFactory(code="ACME-001", name="Winter launch", pm=pm, status="active")
    beta = ProjectFactory(code="BETA-002", name="Spring teaser", pm=pm, status="active")
    for project in (acme, beta):
        BookingFactory(talent=creative, project=project, start_date=MONDAY, end_date=FRIDAY)
    tuesday = MONDAY + dt.timedelta(days=1)
    for project, day, hours in ((acme, MONDAY, "6"), (acme, tuesday, "7.5"), (beta, tuesday, "2")):
        time_entry_set(
            user=creative.user, talent=creative, project=project, deliverable=None, day=day, hours=Decimal(hours)
        )
    timesheet_submit(user=creative.user, talent=creative, week_start=MONDAY)
    return creative


def status_of(talent):
    return Timesheet.objects.get(talent=talent, week_start=MONDAY).status


def test_pm_opens_the_week_from_the_inbox_sees_its_total_and_approves_it(visitors, week):
    page = visitors.log_in("pm", PASSWORD)
    page.goto("/approvals/")
    row = page.locator(".approval-row", has_text="Cleo Reyes")
    # The row tells the week's hours before anyone opens it; by project on expanding.
    hours = row.locator("details.approval-hours")
    expect(hours.locator("summary")).to_have_text("15.5 h this week")
    expect(hours.locator("li[data-project]").first).not_to_be_visible()
    hours.locator("summary").click()
    expect(hours.locator("li[data-project]")).to_have_text(
        ["ACME-001 Winter launch: 13.5 h", "BETA-002 Spring teaser: 2 h"]
    )

    row.get_by_role("link", name="Cleo Reyes").click()
    expect(page).to_have_url(f"{visitors.base_url}/schedule/timesheets/{week.pk}/?week={MONDAY.isoformat()}")
    expect(page.locator("#week-total")).to_have_text("15.5")
    approval = page.locator("#timesheet-approval")
    expect(approval.locator("[data-week-total]")).to_have_text("15.5 h")
    expect(page.locator("[data-locked]")).to_contain_text("waits for your approval")
    expect(page.get_by_text("ask your production manager")).to_have_count(0)

    approval.get_by_role("button", name="Approve week").click()

    expect(page.locator(".messages")).to_contain_text("Approved")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "approved")
    expect(page.locator("#timesheet-approval")).to_have_count(0)
    assert status_of(week) == "approved"
    assert visitors.js_errors == []


def test_pm_sends_the_week_back_with_a_reason_from_its_address(visitors, week):
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/schedule/timesheets/{week.pk}/?week={MONDAY.isoformat()}")
    approval = page.locator("#timesheet-approval")
    expect(approval).to_contain_text("Submitted by Cleo Reyes")
    expect(approval.locator("[data-week-total]")).to_have_text("15.5 h")

    # No reason: the browser asks for one and nothing is sent.
    approval.get_by_role("button", name="Send back").click()
    assert status_of(week) == "submitted"

    approval.get_by_label("Or send it back, saying what should change").fill("Tuesday's two hours were on ACME-001.")
    approval.get_by_role("button", name="Send back").click()

    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "open")
    expect(page.locator("#timesheet-approval")).to_have_count(0)
    assert status_of(week) == "open"
    assert Notification.objects.filter(
        recipient=week.user, body__contains="Tuesday's two hours were on ACME-001."
    ).exists()
    assert visitors.js_errors == []
