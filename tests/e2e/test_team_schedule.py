"""The team schedule in headless Chromium: the production manager books a creative by
clicking a day, sees the row change without a reload, is refused a clashing
confirmation with its reason, drags the booking to another day; the creative then
sees the booking on their day."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from schedules.models import Booking
from tests.factories import BookingFactory, ProjectFactory, TalentFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
WEDNESDAY = dt.date(2026, 11, 25)
THURSDAY = WEDNESDAY + dt.timedelta(days=1)


@pytest.fixture
def studio(move_clock):
    # The live server runs in this process: every page sees the same Wednesday.
    move_clock(WEDNESDAY)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    creative = TalentFactory(
        user__username="creative", user__first_name="Cleo", user__last_name="Reyes", user__password=PASSWORD,
        hours_per_day=Decimal("8"),
    )
    launch = ProjectFactory(code="ACME-001", name="Winter launch", pm=pm, status="active")
    other = ProjectFactory(code="ACME-002", name="Spring teaser", pm=pm, status="active")
    # Six confirmed hours on Wednesday already: four more cannot be confirmed.
    BookingFactory(talent=creative, project=other, start_date=WEDNESDAY, end_date=WEDNESDAY,
                   hours_per_day=Decimal("6"), status="confirmed")
    return {"pm": pm, "creative": creative, "launch": launch}


def test_pm_books_by_clicking_a_day_and_the_creative_sees_it(visitors, studio):
    creative = studio["creative"]
    row = f"#row-talent-{creative.pk}"
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/schedule/team/?start={WEDNESDAY.isoformat()}")
    page.evaluate("window.notReloaded = true")

    # Click Wednesday in Cleo's row: the booking dialog opens on that day.
    page.click(f'{row} a.cell[data-day="{WEDNESDAY.isoformat()}"]')
    dialog = page.locator("#booking-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_start_date")).to_have_value(WEDNESDAY.isoformat())
    project = dialog.locator("#id_project")
    project.fill("winter")
    dialog.locator("#id_project-options").get_by_role("option", name="ACME-001 Winter launch").click()
    expect(dialog.locator("#id_project-value")).to_have_value(str(studio["launch"].pk))
    dialog.locator("#id_hours_per_day").fill("4")
    dialog.get_by_role("button", name="Book").click()

    # The row changes in place: a tentative bar, and the day shows the clash (6 + 4 > 8 h).
    expect(dialog).to_be_hidden()
    bar = page.locator(f"{row} a.bar-tentative", has_text="ACME-001")
    expect(bar).to_be_visible()
    expect(page.locator(f'{row} a.cell[data-day="{WEDNESDAY.isoformat()}"]')).to_have_class(
        "cell cell-clash is-today"
    )
    expect(page.locator("#schedule-status")).to_contain_text("Booked")
    assert page.evaluate("window.notReloaded") is True
    booking = Booking.objects.get(project=studio["launch"])
    assert (booking.talent, booking.start_date, booking.hours_per_day, booking.status) == (
        creative, WEDNESDAY, Decimal("4"), "tentative"
    )

    # Confirming it would take Cleo to 10 confirmed hours: refused, with the reason.
    bar.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Confirm", exact=True).click()
    expect(dialog.locator("#booking-action-error")).to_contain_text("more than 8 confirmed hours")
    expect(dialog.locator("#booking-action-error")).to_contain_text("ACME-002")
    booking.refresh_from_db()
    assert booking.status == "tentative"
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    # Drag the booking one day to the right: it moves to Thursday.
    box = bar.bounding_box()
    day_width = page.locator(f'{row} a.cell[data-day="{THURSDAY.isoformat()}"]').bounding_box()["width"]
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 10 + day_width / 2, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + 10 + day_width, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    expect(page.locator("#schedule-status")).to_contain_text("Moved")
    expect(page.locator(f'{row} a.bar[data-start="{THURSDAY.isoformat()}"]')).to_be_visible()
    booking.refresh_from_db()
    assert (booking.start_date, booking.end_date) == (THURSDAY, THURSDAY)
    assert page.evaluate("window.notReloaded") is True
    assert visitors.js_errors == []

    # Back on Wednesday for the creative's day.
    Booking.objects.filter(pk=booking.pk).update(start_date=WEDNESDAY, end_date=WEDNESDAY)
    creative_page = visitors.log_in("creative", PASSWORD)
    creative_page.goto("/schedule/my-day/")
    expect(creative_page.locator("#bookings-heading + table")).to_contain_text("ACME-001")
    expect(creative_page.locator("#bookings-heading + table")).to_contain_text("Winter launch")
    # The booking's brief link comes from the briefs app, swapped into its cell.
    expect(creative_page.locator(f".brief-for-{studio['launch'].pk}")).to_have_text("No brief yet")
    # The page's fragments (next days, quick time, briefs to read) have all loaded.
    expect(creative_page.locator("[aria-busy=true]")).to_have_count(0)
    assert visitors.js_errors == []


def test_dragging_over_days_opens_the_form_for_them_and_a_refused_drag_snaps_back(visitors, studio):
    creative = studio["creative"]
    row = f"#row-talent-{creative.pk}"
    friday = WEDNESDAY + dt.timedelta(days=2)
    # Eight confirmed hours on Thursday: the six on Wednesday cannot move there.
    BookingFactory(talent=creative, project=studio["launch"], start_date=THURSDAY, end_date=THURSDAY,
                   hours_per_day=Decimal("8"), status="confirmed")
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/schedule/team/?start={WEDNESDAY.isoformat()}")

    # Drag from Thursday's cell to Friday's (by their top edge, above the bars).
    thursday_cell = page.locator(f'{row} a.cell[data-day="{THURSDAY.isoformat()}"]').bounding_box()
    friday_cell = page.locator(f'{row} a.cell[data-day="{friday.isoformat()}"]').bounding_box()
    page.mouse.move(thursday_cell["x"] + 5, thursday_cell["y"] + 5)
    page.mouse.down()
    page.mouse.move(friday_cell["x"] + 5, friday_cell["y"] + 5, steps=5)
    page.mouse.up()
    dialog = page.locator("#booking-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_start_date")).to_have_value(THURSDAY.isoformat())
    expect(dialog.locator("#id_end_date")).to_have_value(friday.isoformat())
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Drag Wednesday's confirmed booking onto Thursday: refused, and it stays on Wednesday.
    wednesday = page.locator(f'{row} a.bar[data-start="{WEDNESDAY.isoformat()}"]')
    box = wednesday.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 10 + thursday_cell["width"], box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    expect(page.locator("#schedule-status")).to_contain_text("more than 8 confirmed hours")
    expect(page.locator(f'{row} a.bar[data-start="{WEDNESDAY.isoformat()}"]')).to_be_visible()
    assert Booking.objects.filter(talent=creative, start_date=WEDNESDAY).exists()
    assert visitors.js_errors == []
