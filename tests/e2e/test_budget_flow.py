"""A project's money end to end in headless Chromium, on Wednesday 25 November 2026: the PM
builds the budget from the plan, sets its contingency and submits it; the executive opens
it from the inbox, sees its lines and approves it; an approved timesheet moves the actual
cost; a change order raising the fee is drafted, submitted and approved, and the project
page shows the fee in force; the budget's XLSX download holds the total the tab shows."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Budget, ChangeOrder
from studio.models import StudioSettings
from tests.factories import (
    DeliverableFactory,
    DeliverableHoursFactory,
    DisciplineFactory,
    ProjectFactory,
    RateCardFactory,
    TalentFactory,
    TimeEntryFactory,
    TimesheetFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"), pytest.mark.django_db(transaction=True)]

PASSWORD = "callsheet-demo"
WED = dt.date(2026, 11, 25)
MON = dt.date(2026, 11, 23)


@pytest.fixture
def studio(move_clock):
    """Project AUR-001, fee 20,000.00, its plan 40 design hours at the discipline's
    standard cost rate of 60.00. Budgets above 1,000.00 and change orders moving the
    budget by more than 100.00 wait for an executive."""
    move_clock(WED)
    StudioSettings.objects.filter(pk=1).update(
        budget_approval_threshold=Decimal("1000.00"), change_order_approval_threshold=Decimal("100.00")
    )
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD, first_name="Maya", last_name="Okafor")
    UserFactory(username="exec", role="executive", password=PASSWORD)
    design = DisciplineFactory(name="Design", standard_cost_rate=Decimal("60.00"))
    project = ProjectFactory(code="AUR-001", name="Winter oats", pm=pm, status="active", fee=Decimal("20000.00"))
    deliverable = DeliverableFactory(project=project, planned_hours=Decimal("40"))
    DeliverableHoursFactory(deliverable=deliverable, discipline=design, hours=Decimal("40"))
    return project


def approved_timesheet(project, hours_a_day: str, days: int) -> None:
    """A designer costing 60.00 an hour logs `hours_a_day` on the project from Monday, approved."""
    talent = TalentFactory(discipline=DisciplineFactory(name="Design"))
    RateCardFactory(talent=talent, cost_rate=Decimal("60.00"))
    sheet = TimesheetFactory(talent=talent, week_start=MON, status="approved", approved_at=timezone.now())
    for n in range(days):
        TimeEntryFactory(timesheet=sheet, project=project, date=MON + dt.timedelta(days=n), hours=Decimal(hours_a_day))


def test_a_budget_from_plan_to_change_order_to_download(studio, visitors):
    project = studio
    tab = f"/budgets/projects/{project.pk}/"

    # The PM starts the budget from the plan and sets a 10 % contingency.
    pm = visitors.log_in("pm", PASSWORD)
    pm.goto(tab)
    pm.get_by_role("button", name="Start from the plan").click()
    budget = pm.locator("#budget")
    expect(budget).to_contain_text("Budget started from the plan")
    expect(budget.locator(".budget-total")).to_contain_text("2,400.00")  # 40 h × 60.00
    pm.locator("tbody[data-kind=contingency]").get_by_role("link", name="Edit").click()
    pm.locator("#edit-percent").fill("10")
    pm.get_by_role("button", name="Save line").click()
    # 2,400.00 + 10 % = 2,640.00; margin (20,000 − 2,640) / 20,000 = 86.8 %
    expect(budget.locator(".budget-total")).to_contain_text("2,640.00")
    expect(budget.locator(".budget-margin")).to_contain_text("86.8 %")

    # Above the threshold: submitted, an executive's step waits.
    pm.get_by_role("button", name="Submit for approval").click()
    expect(budget).to_contain_text("Submitted for approval.")
    expect(pm.locator(".approval-panel")).to_contain_text("Executive")
    assert Budget.objects.get(project=project).status == "submitted"

    # The executive opens it from the inbox, sees the lines and approves.
    executive = visitors.log_in("exec", PASSWORD)
    executive.goto("/approvals/")
    executive.get_by_role("link", name="AUR-001 budget r1").click()
    lines = executive.locator("#budget .budget-lines")
    expect(lines).to_contain_text("Design")
    expect(lines).to_contain_text("10 %")
    expect(executive.locator("#budget .budget-total")).to_contain_text("2,640.00")
    executive.locator(".approval-panel").get_by_role("button", name="Approve").click()
    expect(executive.locator("#budget")).to_contain_text("Changes after the baseline are change orders.")
    assert Budget.objects.get(project=project).status == "approved"

    # Nothing spent yet; then a timesheet is approved: 2 days × 8 h × 60.00 = 960.00.
    pm.goto(tab)
    actuals = pm.locator("#budget-actuals")
    expect(actuals.locator(".plan-total")).to_contain_text("2,640.00")
    expect(actuals.locator(".actual-total")).to_contain_text("0.00")
    expect(actuals.locator("[data-figure=ac]")).to_contain_text("EUR 0.00")
    approved_timesheet(project, "8", days=2)
    pm.reload()
    expect(actuals.locator(".actual-total")).to_contain_text("960.00")
    expect(actuals.locator("[data-figure=ac]")).to_contain_text("EUR 960.00")

    # A change order: the fee +3,000.00, the budget +500.00; submitted, it waits for an executive.
    pm.goto(f"/budgets/projects/{project.pk}/change-orders/")
    draft = pm.locator("form").filter(has=pm.get_by_role("button", name="Draft it"))
    draft.get_by_label("What changes").fill("Two extra cut-downs")
    draft.get_by_label("Change to the fee").fill("3000")
    draft.get_by_label("Change to the budget").fill("500")
    draft.get_by_role("button", name="Draft it").click()
    expect(pm.locator("h1")).to_contain_text("Change order 1: Two extra cut-downs")
    pm.get_by_role("button", name="Submit for approval").click()
    expect(pm.locator(".messages")).to_contain_text("Change order submitted for approval.")
    expect(pm.locator(".approval-panel")).to_contain_text("Executive")
    assert ChangeOrder.objects.get(project=project).status == "submitted"

    executive.goto("/approvals/")
    executive.get_by_role("link", name="AUR-001 CO1 Two extra cut-downs").click()
    expect(executive.locator("h1")).to_contain_text("Change order 1: Two extra cut-downs")
    panel = executive.locator(".approval-panel")
    panel.get_by_role("button", name="Approve").click()
    expect(panel.locator(".approval-round .badge").first).to_contain_text("Approved")
    assert ChangeOrder.objects.get(project=project).status == "approved"

    # The project page's money: the fee in force is 20,000.00 + 3,000.00.
    pm.goto(f"/projects/{project.pk}/")
    money = pm.locator("#project-money")
    expect(money).to_contain_text("EUR 23,000.00")
    expect(money).to_contain_text("contract EUR 20,000.00")

    # The tab plans 2,640.00 + 500.00 = 3,140.00; the download holds the same total.
    pm.goto(tab)
    expect(actuals.locator(".plan-total")).to_contain_text("3,140.00")
    expect(actuals.locator(".actual-total")).to_contain_text("960.00")
    shown = actuals.locator(".plan-total").inner_text().strip()
    downloads = pm.locator(".budget-downloads li").filter(has_text="Budget with actuals")
    with pm.expect_download() as download:
        downloads.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "AUR-001-budget-2026-11-25.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(download_bytes(download.value))).active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}
    total = rows["Total"]
    assert f"EUR {total[1].value:,.2f}" == shown == "EUR 3,140.00"
    assert total[2].value == 960
    assert rows["Fee in force"][1].value == 23000
    assert visitors.js_errors == []


def download_bytes(download) -> bytes:
    with open(download.path(), "rb") as file:
        return file.read()
