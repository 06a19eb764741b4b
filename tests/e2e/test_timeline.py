"""A project's timeline in headless Chromium: the production manager drags a deliverable
two days later, is told what else moves, confirms, and sees both bars moved and the
baseline difference; a cancelled drag snaps back; Alt+→ moves a bar from the keyboard,
and a refused move redraws it as saved with the reason; on a phone the timeline scrolls
inside its own box."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from projects.models import Deliverable
from tests.e2e.timeline_helpers import drag_by_days
from tests.factories import (
    BaselineDeliverableFactory,
    BaselineFactory,
    DeliverableFactory,
    DependencyFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "callsheet-demo"
MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2 = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


@pytest.fixture
def plan(move_clock):
    # The live server runs in this process: every page sees the same Wednesday.
    move_clock(WED)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya")
    project = ProjectFactory(code="ACME-001", name="Winter launch", pm=pm, status="active",
                             planned_start=MON, due_date=dt.date(2026, 12, 4))
    shoot = DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    edit = DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    copy = DeliverableFactory(project=project, name="Copy", planned_start=MON, due_date=TUE)
    DependencyFactory(predecessor=shoot, successor=edit)
    baseline = BaselineFactory(project=project, set_by=pm)
    for deliverable in (shoot, edit, copy):
        BaselineDeliverableFactory(baseline=baseline, deliverable=deliverable)
    return {"project": project, "shoot": shoot, "edit": edit, "copy": copy}


def open_timeline(visitors, project):
    page = visitors.log_in("pm", PASSWORD)
    page.goto(f"/projects/{project.pk}/timeline/?zoom=week")
    page.evaluate("window.notReloaded = true")
    return page


def test_pm_drags_a_deliverable_two_days_later_and_sees_the_baseline_difference(visitors, plan):
    shoot, edit = plan["shoot"], plan["edit"]
    page = open_timeline(visitors, plan["project"])
    bar = page.locator(f"#bar-deliverable-{shoot.pk}")
    expect(bar).to_have_attribute("data-start", MON.isoformat())

    drag_by_days(page, bar, 2)

    # Edit depends on Shoot: the move is shown before anything is saved.
    dialog = page.locator("#timeline-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Mon 30 Nov – Tue 1 Dec 2026")
    assert Deliverable.objects.get(pk=shoot.pk).planned_start == MON
    dialog.get_by_role("button", name="Move and push 1").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#timeline-status")).to_contain_text("“Shoot” now runs Wed 25 Nov – Fri 27 Nov.")
    expect(page.locator(f"#bar-deliverable-{shoot.pk}")).to_have_attribute("data-start", WED.isoformat())
    expect(page.locator(f"#bar-deliverable-{edit.pk}")).to_have_attribute("data-start", MON2.isoformat())
    # The baseline difference: Shoot is due two days after its baseline, Edit four.
    expect(page.locator(f"#row-deliverable-{shoot.pk} .tl-label")).to_contain_text("2 days later")
    expect(page.locator(f"#row-deliverable-{edit.pk} .tl-label")).to_contain_text("4 days later")
    shoot.refresh_from_db()
    edit.refresh_from_db()
    assert (shoot.planned_start, shoot.due_date, edit.planned_start, edit.due_date) == (WED, FRI, MON2, TUE2)
    assert page.evaluate("window.notReloaded") is True
    assert visitors.js_errors == []


def test_a_cancelled_move_snaps_back(visitors, plan):
    shoot = plan["shoot"]
    page = open_timeline(visitors, plan["project"])
    bar = page.locator(f"#bar-deliverable-{shoot.pk}")
    left = bar.evaluate("(el) => el.style.left")

    drag_by_days(page, bar, 3)
    dialog = page.locator("#timeline-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("link", name="Cancel").click()

    expect(dialog).to_be_hidden()
    expect(bar).to_have_attribute("style", re.compile(rf"left: {re.escape(left)};"))

    # From the keyboard too: Alt+→ asks, Escape leaves it where it was, focused.
    bar.focus()
    page.keyboard.press("Alt+ArrowRight")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Move and push 1")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(bar).to_be_focused()
    expect(bar).to_have_attribute("style", re.compile(rf"left: {re.escape(left)};"))
    assert Deliverable.objects.get(pk=shoot.pk).planned_start == MON
    assert visitors.js_errors == []


def test_alt_arrows_move_the_focused_bar_and_stretch_its_end(visitors, plan):
    copy = plan["copy"]
    page = open_timeline(visitors, plan["project"])
    bar = page.locator(f"#bar-deliverable-{copy.pk}")
    bar.focus()

    page.keyboard.press("Alt+ArrowRight")  # nothing depends on Copy: saved at once
    expect(page.locator(f"#bar-deliverable-{copy.pk}")).to_have_attribute("data-start", TUE.isoformat())
    expect(page.locator(f"#bar-deliverable-{copy.pk}")).to_be_focused()

    page.keyboard.press("Alt+Shift+ArrowRight")
    expect(page.locator(f"#bar-deliverable-{copy.pk}")).to_have_attribute("data-end", THU.isoformat())
    copy.refresh_from_db()
    assert (copy.planned_start, copy.due_date) == (TUE, THU)

    # Someone else saves Copy meanwhile: the next move is refused, and the bar shows Copy as saved.
    Deliverable.objects.filter(pk=copy.pk).update(version=copy.version + 1, planned_start=MON)
    page.locator(f"#bar-deliverable-{copy.pk}").focus()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("#timeline-status")).to_contain_text("Someone else changed this")
    expect(page.locator(f"#bar-deliverable-{copy.pk}")).to_have_attribute("data-start", MON.isoformat())
    assert Deliverable.objects.get(pk=copy.pk).planned_start == MON
    assert page.evaluate("window.notReloaded") is True
    assert visitors.js_errors == []


def test_on_a_phone_the_timeline_scrolls_inside_its_box(visitors, plan):
    page = open_timeline(visitors, plan["project"])
    page.set_viewport_size({"width": 375, "height": 800})

    scroller = page.locator("#timeline .timeline-scroll")
    assert scroller.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert visitors.js_errors == []
