"""The budget tab in headless Chromium on a phone-sized screen: the PM builds the budget
from the plan, edits it in place and submits it; a second PM's stale save is refused
with the current figures; the executive opens it from the inbox, sees its lines and
approves it there, and the tab shows the baseline."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from approvals.models import Approval
from budgets.models import Budget
from studio.models import StudioSettings
from tests.factories import DeliverableFactory, DeliverableHoursFactory, DisciplineFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"), pytest.mark.django_db(transaction=True)]

PASSWORD = "callsheet-demo"
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def studio():
    StudioSettings.objects.filter(pk=1).update(budget_approval_threshold=Decimal("1000.00"))
    UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD)
    UserFactory(username="pm2", role="pm", is_staff=True, password=PASSWORD)
    UserFactory(username="exec", role="executive", password=PASSWORD)
    design = DisciplineFactory(name="Design", standard_cost_rate=Decimal("60.00"))
    project = ProjectFactory(name="Winter oats", status="planned", fee=Decimal("20000.00"))
    DeliverableHoursFactory(deliverable=DeliverableFactory(project=project), discipline=design, hours=Decimal("32.5"))
    return project


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_build_submit_and_approve_a_budget_on_a_phone(studio, visitors):  # noqa: F811
    project = studio
    tab = f"/budgets/projects/{project.pk}/"
    pm = visitors.log_in("pm", PASSWORD)
    pm.set_viewport_size(PHONE)
    pm.goto(tab)
    pm.get_by_role("button", name="Start from the plan").click()

    budget = pm.locator("#budget")
    expect(budget).to_contain_text("Budget started from the plan")
    # 32.5 h × 60.00 = 1,950.00
    expect(budget.locator(".budget-total")).to_contain_text("1,950.00")
    assert fits_the_screen(pm)

    add = pm.locator(".budget-add form")
    add.locator("#add-kind").select_option("expense")
    add.locator("#add-description").fill("Location fee")
    add.locator("#add-amount").fill("500")
    add.get_by_role("button", name="Add line").click()
    # 1,950.00 + 500.00 = 2,450.00
    expect(budget.locator(".budget-total")).to_contain_text("2,450.00")

    # Meanwhile a second production manager adds a line on the same budget.
    other = visitors.log_in("pm2", PASSWORD)
    other.goto(tab)
    other_add = other.locator(".budget-add form")
    other_add.locator("#add-kind").select_option("expense")
    other_add.locator("#add-description").fill("Courier")
    other_add.locator("#add-amount").fill("50")
    other_add.get_by_role("button", name="Add line").click()
    expect(other.locator("#budget .budget-total")).to_contain_text("2,500.00")

    # The first one's page is stale: their line is refused and the current figures shown.
    add.locator("#add-kind").select_option("expense")
    add.locator("#add-description").fill("Props")
    add.locator("#add-amount").fill("100")
    add.get_by_role("button", name="Add line").click()
    expect(budget).to_contain_text("Someone else changed this")
    expect(budget).to_contain_text("Courier")
    expect(budget).not_to_contain_text("Props")
    expect(budget.locator(".budget-total")).to_contain_text("2,500.00")

    pm.locator("tbody[data-kind=contingency]").get_by_role("link", name="Edit").click()
    pm.locator("#edit-percent").fill("10")
    pm.get_by_role("button", name="Save line").click()
    # 2,500.00 + 10 % (250.00) = 2,750.00; margin (20,000 − 2,750) / 20,000 = 86.3 %
    expect(budget.locator(".budget-total")).to_contain_text("2,750.00")
    expect(budget.locator(".budget-margin")).to_contain_text("86.3 %")
    assert fits_the_screen(pm)

    pm.get_by_role("button", name="Submit for approval").click()
    expect(budget).to_contain_text("Submitted for approval.")
    expect(pm.locator(".approval-panel")).to_contain_text("Executive")
    assert Approval.objects.get().current["role"] == "executive"

    executive = visitors.log_in("exec", PASSWORD)
    executive.set_viewport_size(PHONE)
    executive.goto("/approvals/")
    executive.get_by_role("link", name=str(Budget.objects.get())).click()
    expect(executive.locator("#budget")).to_contain_text("Location fee")
    expect(executive.locator("#budget .budget-total")).to_contain_text("2,750.00")
    executive.locator(".approval-panel").get_by_role("button", name="Approve").click()

    expect(executive.locator("#budget")).to_contain_text("Changes after the baseline are change orders.")
    expect(executive.locator("#budget .badge").first).to_contain_text("Approved")
    assert Budget.objects.get().status == "approved"
    assert fits_the_screen(executive)
    assert visitors.js_errors == []
