"""The timesheet in headless Chromium: the creative fills a week cell by cell and
submits it; the production manager approves it in the inbox; the week is locked for
the creative."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from schedules.models import TimeEntry, Timesheet
from schedules.timegrid import cell_name
from tests.factories import BookingFactory, ProjectFactory, TalentFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
WEDNESDAY = dt.date(2026, 11, 25)
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def studio(move_clock):
    move_clock(WEDNESDAY)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    creative = TalentFactory(
        user__username="creative", user__first_name="Cleo", user__last_name="Reyes", user__password=PASSWORD
    )
    project = ProjectFactory(code="ACME-001", name="Winter launch", pm=pm, status="active")
    BookingFactory(
        talent=creative,
        project=project,
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=4),
        hours_per_day=Decimal("6"),
    )
    return {"creative": creative, "project": project}


def test_creative_fills_and_submits_a_week_the_pm_approves_it_and_it_is_locked(visitors, studio, move_clock):
    creative, project = studio["creative"], studio["project"]
    page = visitors.log_in("creative", PASSWORD)
    page.goto(f"/schedule/timesheets/?week={MONDAY.isoformat()}")
    page.evaluate("window.notReloaded = true")

    hours = {0: "6", 1: "7.5", 2: "5"}
    for offset, value in hours.items():
        day = MONDAY + dt.timedelta(days=offset)
        page.fill(f'input[name="{cell_name(project.pk, None, day)}"]', value)
        page.keyboard.press("Tab")
        expect(page.locator(f"#day-total-{day.isoformat()}")).to_have_text(value)
    # 6 + 7.5 + 5 = 18.5 h, saved cell by cell without a reload.
    expect(page.locator("#week-total")).to_have_text("18.5")
    assert page.evaluate("window.notReloaded") is True

    # Too many hours: the cell says why, nothing is saved.
    wednesday = cell_name(project.pk, None, WEDNESDAY)
    page.fill(f'input[name="{wednesday}"]', "25")
    page.keyboard.press("Tab")
    expect(page.locator(f"#errors-{wednesday}")).to_contain_text("at most 24")
    assert sorted(TimeEntry.objects.values_list("hours", flat=True)) == [Decimal("5"), Decimal("6"), Decimal("7.5")]
    # Thursday has not happened yet: its cell takes no hours, and the week waits for Friday.
    expect(page.locator(f'input[name="{cell_name(project.pk, None, MONDAY + dt.timedelta(days=3))}"]')).to_be_disabled()
    expect(page.locator("#timesheet-submit")).to_be_disabled()
    expect(page.locator("#timesheet-submit-waits")).to_have_text("You can submit this week from Fri 27 Nov.")

    move_clock(MONDAY + dt.timedelta(days=4))
    page.reload()
    page.click("#timesheet-submit")
    expect(page.locator(".messages")).to_contain_text("submitted for approval")
    assert Timesheet.objects.get(talent=creative).status == "submitted"

    pm_page = visitors.log_in("pm", PASSWORD)
    pm_page.goto("/approvals/")
    row = pm_page.locator(".approval-row", has_text="Cleo Reyes")
    row.get_by_role("button", name="Approve").click()
    expect(pm_page.locator(".approval-row", has_text="Cleo Reyes")).to_contain_text("Approved")
    assert Timesheet.objects.get(talent=creative).status == "approved"

    page.goto(f"/schedule/timesheets/?week={MONDAY.isoformat()}")
    expect(page.locator("[data-locked]")).to_contain_text("approved")
    expect(page.locator(f'input[name="{cell_name(project.pk, None, MONDAY)}"]')).to_be_disabled()
    expect(page.locator("#timesheet-submit")).to_have_count(0)
    assert visitors.js_errors == []
