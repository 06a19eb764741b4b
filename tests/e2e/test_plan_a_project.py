"""Planning a project end to end in headless Chromium, as a production manager would on a
Wednesday: create the project, two phases and three deliverables (one following another),
assign one person and staff another (which books them), set the baseline, drag a
deliverable two days later on the timeline and read the baseline difference; the creative
then finds the booking on my day, and the PM's home lists the dependency conflict and an
overdue deliverable, each link leading to where it is resolved."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects.models import Baseline, Deliverable, Project
from schedules.models import Booking
from tests.e2e.timeline_helpers import drag_by_days
from tests.factories import (
    BrandFactory,
    DeliverableFactory,
    DeliverableTypeFactory,
    DisciplineFactory,
    ProjectFactory,
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
WED = dt.date(2026, 11, 25)


@pytest.fixture
def studio(move_clock):
    # The live server runs in this process: every page sees the same Wednesday.
    move_clock(WED)
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya",
                     last_name="Okafor")
    design = DisciplineFactory(name="Design")
    cleo = TalentFactory(discipline=design, user__username="cleo", user__first_name="Cleo",
                         user__last_name="Reyes", user__password=PASSWORD)
    TalentFactory(discipline=design, user__first_name="Dan", user__last_name="Moss")
    key_visual = DeliverableTypeFactory(name="Key visual")
    StandardHoursFactory(deliverable_type=key_visual, discipline=design, hours_per_unit=Decimal("12"))
    BrandFactory(name="Aurora Oats", code_prefix="AUR")
    # Another of Maya's projects, with work overdue since Monday.
    older = ProjectFactory(code="AUR-001", name="Autumn oats", pm=pm, status="active",
                           planned_start=WED - dt.timedelta(days=30), due_date=WED + dt.timedelta(days=20))
    DeliverableFactory(project=older, name="Autumn banners", status="in_progress",
                       planned_start=WED - dt.timedelta(days=20), due_date=WED - dt.timedelta(days=2))
    return {"pm": pm, "cleo": cleo}


def field(scope, label):
    """The field labelled exactly `label` (Django adds a colon to labels)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def add_in_editor(page, link_name, fields, selects=None, multi=None, button="Save", hours=None):
    """Open the plan editor with `link_name`, fill it in and save; the plan redraws in place."""
    page.get_by_role("button", name=link_name).click()
    editor = page.locator("#plan-editor")
    expect(editor.locator("form")).to_be_visible()
    for label, value in (selects or {}).items():
        field(editor, label).select_option(label=value)
    for label, value in fields.items():
        field(editor, label).fill(value)
    for label, values in (multi or {}).items():
        field(editor, label).select_option(label=values)
    for label, value in (hours or {}).items():
        # The type's standard hours × the units, filled in as the form changes.
        expect(field(editor, label)).to_have_value(value)
    editor.get_by_role("button", name=button).click()
    expect(editor.locator("form")).to_have_count(0)


def test_a_pm_plans_a_project_and_everyone_sees_it(visitors, studio):
    page = visitors.log_in("pm", PASSWORD)

    # The project, in the brand's own sequence.
    page.goto("/projects/")
    page.get_by_role("button", name="New project").click()
    field(page, "Name").fill("Winter porridge")
    field(page, "Brand").select_option(label="Aurora Oats")
    field(page, "Planned start").fill("2026-11-26")
    field(page, "Due").fill("2026-12-18")
    field(page, "Fee (EUR)").fill("18000")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator("h1")).to_have_text("Winter porridge")
    expect(page.locator(".subtitle")).to_contain_text("AUR-002")
    project = Project.objects.get(code="AUR-002")

    # Two phases and three deliverables, in place.
    add_in_editor(page, "Add phase", {"Phase": "Concept", "Starts": "2026-11-26", "Ends": "2026-11-30"},
                  button="Save phase")
    add_in_editor(page, "Add phase", {"Phase": "Production", "Starts": "2026-12-01", "Ends": "2026-12-18"},
                  button="Save phase")
    expect(page.locator("#plan .phase-list li")).to_have_count(2)
    add_in_editor(page, "Add deliverable", {"Deliverable": "Moodboard", "Starts": "2026-11-26", "Due": "2026-11-30"},
                  selects={"Type": "Key visual", "Phase": "Concept"}, multi={"Assigned": ["Dan Moss"]},
                  button="Add deliverable")
    add_in_editor(page, "Add deliverable", {"Deliverable": "Hero KV", "Units": "2", "Starts": "2026-12-01",
                                            "Due": "2026-12-04"},
                  selects={"Type": "Key visual", "Phase": "Production"}, multi={"Starts after": ["Moodboard"]},
                  button="Add deliverable", hours={"Design": "24.00"})
    add_in_editor(page, "Add deliverable", {"Deliverable": "Banner set", "Starts": "2026-12-07", "Due": "2026-12-11"},
                  selects={"Type": "Key visual", "Phase": "Production"}, button="Add deliverable")
    expect(page.locator("#plan .plan-table tbody tr")).to_have_count(3)
    hero = Deliverable.objects.get(project=project, name="Hero KV")
    assert hero.planned_hours == Decimal("24")  # 2 units × 12 design hours, from the type

    # "Staff it" on Hero KV: Cleo is free, and one click assigns and books her.
    page.locator(f"#deliverable-{hero.pk}").get_by_role("link", name="Staff it").click()
    expect(page.locator("h1")).to_contain_text("Hero KV")
    page.get_by_role("button", name="Staff Cleo Reyes").click()
    expect(page.locator(".messages")).to_contain_text("Cleo Reyes is on “Hero KV”")
    booking = Booking.objects.get(deliverable=hero)
    assert (booking.talent, booking.status, booking.start_date) == (studio["cleo"], "tentative",
                                                                     dt.date(2026, 12, 1))

    # The baseline.
    page.get_by_role("button", name="Set baseline").click()
    expect(page.locator("#baseline")).to_contain_text("Baseline 1, set by Maya Okafor")
    assert Baseline.objects.filter(project=project).count() == 1

    # On the timeline, the moodboard is dragged two days later; only it moves, so Hero KV,
    # which follows it, now starts before it is due.
    moodboard = Deliverable.objects.get(project=project, name="Moodboard")
    page.goto(f"/projects/{project.pk}/timeline/?zoom=week")
    drag_by_days(page, page.locator(f"#bar-deliverable-{moodboard.pk}"), 2)
    dialog = page.locator("#timeline-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Hero KV")
    dialog.get_by_role("button", name="Move only this one").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#row-deliverable-{moodboard.pk} .tl-label")).to_contain_text("2 days later")
    moodboard.refresh_from_db()
    assert (moodboard.planned_start, moodboard.due_date) == (dt.date(2026, 11, 28), dt.date(2026, 12, 2))

    # The creative finds the booking among her next working days.
    cleo = visitors.log_in("cleo", PASSWORD)
    cleo.goto("/schedule/my-day/")
    expect(cleo.locator("body")).to_contain_text("AUR-002")

    # The PM's home: the conflict and the overdue deliverable, each leading to where it is resolved.
    page.goto("/dashboard/")
    conflicts = page.locator("#conflicts")
    expect(conflicts).to_contain_text("Hero KV starts before Moodboard is due")
    overdue = page.locator("#overdue")
    expect(overdue).to_contain_text("Autumn banners")
    conflicts.get_by_role("link", name="Hero KV starts before Moodboard is due").click()
    expect(page).to_have_url(f"{visitors.base_url}/projects/{project.pk}/timeline/")
    page.goto("/dashboard/")
    page.locator("#overdue").get_by_role("link", name="Autumn banners").click()
    expect(page.locator("h1")).to_have_text("Autumn banners")
    assert visitors.js_errors == []


def test_the_project_page_and_its_editor_fit_a_phone(visitors, studio):
    project = ProjectFactory(code="AUR-002", name="Winter porridge", pm=studio["pm"], status="planned",
                             planned_start=WED, due_date=WED + dt.timedelta(days=21))
    for n in range(3):
        DeliverableFactory(project=project, name=f"A deliverable with a long name {n}", planned_start=WED,
                           due_date=WED + dt.timedelta(days=7 + n))
    page = visitors.log_in("pm", PASSWORD)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/projects/{project.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Add deliverable").click()
    expect(page.locator("#plan-editor form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert visitors.js_errors == []
