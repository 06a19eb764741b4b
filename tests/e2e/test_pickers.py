"""The searchable pickers in headless Chromium: on the booking dialog the deliverable
choices follow the project chosen; on the brief page the production manager finds a
person by typing part of their name, adds them, and the brief sent is on their day."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from briefs.models import Brief, BriefDistribution
from briefs.services import briefs as brief_services
from schedules.models import Booking
from tests.factories import (
    BookingFactory,
    BriefFactory,
    DeliverableFactory,
    ProjectFactory,
    TalentFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
WEDNESDAY = dt.date(2026, 11, 25)


@pytest.fixture
def studio(move_clock):
    move_clock(WEDNESDAY)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    creative = TalentFactory(user__first_name="Cleo", user__last_name="Reyes", hours_per_day=Decimal("8"))
    launch = ProjectFactory(code="LAUNCH", name="Winter launch", pm=pm)
    teaser = ProjectFactory(code="TEASER", name="Spring teaser", pm=pm)
    for number in range(3):
        DeliverableFactory(project=launch, name=f"Launch film {number}")
        DeliverableFactory(project=teaser, name=f"Teaser spot {number}")
    return {"pm": pm, "creative": creative, "launch": launch, "teaser": teaser}


def choose(picker, text: str, option: str) -> None:
    """Type into a picker's box and click the option named."""
    picker.fill(text)
    options = picker.page.locator(f"#{picker.get_attribute('id')}-options")
    options.get_by_role("option", name=option).click()


def test_the_deliverable_choices_follow_the_project_on_the_booking_form(visitors, studio):
    creative = studio["creative"]
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/schedule/team/?start={WEDNESDAY.isoformat()}")
    page.click(f'#row-talent-{creative.pk} a.cell[data-day="{WEDNESDAY.isoformat()}"]')
    dialog = page.locator("#booking-dialog")
    expect(dialog).to_be_visible()
    # No project yet: nothing to choose a deliverable from.
    expect(dialog.get_by_placeholder("Choose a project first")).to_be_disabled()

    choose(dialog.locator("#id_project"), "laun", "LAUNCH Winter launch")
    expect(dialog.locator("#id_project-value")).to_have_value(str(studio["launch"].pk))
    deliverable = dialog.locator("#id_deliverable")
    expect(deliverable).to_be_enabled()
    deliverable.click()
    listbox = dialog.locator("#id_deliverable-options")
    expect(listbox.get_by_role("option")).to_have_count(3)
    expect(listbox).to_contain_text("Launch film 0")
    expect(listbox).not_to_contain_text("Teaser spot")
    # Escape closes the list, not the dialog around it.
    deliverable.press("Escape")
    expect(listbox).to_be_hidden()
    expect(dialog).to_be_visible()

    # Another project: the deliverable chosen is dropped and the choices are the new project's.
    deliverable.press("ArrowDown")
    deliverable.press("Enter")
    expect(dialog.locator("#id_deliverable-value")).not_to_have_value("")
    choose(dialog.locator("#id_project"), "teas", "TEASER Spring teaser")
    expect(dialog.locator("#id_deliverable-value")).to_have_value("")
    deliverable = dialog.locator("#id_deliverable")
    deliverable.fill("spot 2")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox).not_to_contain_text("Launch film")
    deliverable.press("ArrowDown")
    deliverable.press("Enter")
    expect(deliverable).to_have_value("TEASER · Teaser spot 2")

    dialog.locator("#id_hours_per_day").fill("4")
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()
    booking = Booking.objects.get()
    assert (booking.project, booking.deliverable.name) == (studio["teaser"], "Teaser spot 2")
    assert visitors.js_errors == []


def test_the_recipient_picker_adds_a_person_found_by_name_and_the_brief_reaches_them(visitors, studio):
    brief = BriefFactory(project=studio["launch"], title="Winter launch brief")
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    brief.refresh_from_db()
    brief_services.brief_on_approve(brief, None, studio["pm"])
    BookingFactory(talent=studio["creative"], project=studio["launch"])
    wanda = TalentFactory(
        user__username="wanda", user__password=PASSWORD, user__first_name="Wanda", user__last_name="Quist"
    ).user
    walt = UserFactory(role="executive", first_name="Walt", last_name="Quimby")
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/briefs/{brief.pk}/")

    picker = page.locator("#id_recipients")
    choose(picker, "quis", "Wanda Quist")
    chosen = page.locator("#id_recipients-chosen")
    expect(chosen).to_contain_text("Wanda Quist")
    expect(picker).to_have_value("")
    # The keyboard too: Walt is added, then removed again.
    picker.fill("quim")
    expect(page.locator("#id_recipients-options").get_by_role("option", name="Walt Quimby")).to_be_visible()
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(chosen).to_contain_text("Walt Quimby")
    page.get_by_role("button", name="Remove Walt Quimby").click()
    expect(chosen).not_to_contain_text("Walt Quimby")

    with page.expect_navigation():
        picker.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Wanda Quist")
    sent = set(BriefDistribution.objects.filter(version__brief=brief).values_list("recipient", flat=True))
    assert sent == {studio["creative"].user_id, wanda.pk}
    assert walt.pk not in sent

    # Wanda, not on the project's team, finds the brief to read on her day.
    theirs = visitors.log_in("wanda", PASSWORD)
    theirs.goto("/")
    expect(theirs.locator("#briefs-to-read")).to_contain_text("Winter launch brief")
    assert visitors.js_errors == []
