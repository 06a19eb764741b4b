"""The metrics dashboard in headless Chromium: the production manager opens the portfolio,
sees a project's schedule status, drills into its metrics tab and its trend, comes back and
recomputes the last week, watching the progress until it is done; and reads the trends as
charts, as tables and as CSV. The live server runs Celery in-process unless REDIS_URL is set
(then "Done" arrives by polling)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from metrics.nightly import metrics_compute_night
from tests.factories import TODAY, DeliverableFactory, MetricSnapshotFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"), pytest.mark.django_db(transaction=True)]

PASSWORD = "callsheet-demo"
NIGHT = TODAY - dt.timedelta(days=1)  # Tue 24 Nov 2026


@pytest.fixture
def studio(studio_today):
    UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD)
    project = ProjectFactory(code="OAT-01", name="Winter oats", status="active")
    DeliverableFactory(project=project)
    # A figure four weeks back, so the tab has a trend to draw beside the night computed here.
    MetricSnapshotFactory(date=NIGHT - dt.timedelta(weeks=4), scope_key=f"project:{project.pk}", metric="csat",
                          value=Decimal("0.9"))
    metrics_compute_night(NIGHT)
    return project


def test_pm_drills_into_a_project_and_recomputes_a_week(studio, visitors):
    project = studio
    pm = visitors.log_in("pm", PASSWORD)
    pm.goto("/metrics/")
    row = pm.locator(".portfolio-table tbody tr", has_text="OAT-01")
    expect(row).to_have_count(1)
    # The schedule column: a status in words ("No data", "Green", "Amber" or "Red"), never colour alone.
    expect(row.locator("td").first.locator(".rag")).to_have_text(re.compile(r"Schedule: (No data|Green|Amber|Red)"))

    row.get_by_role("link", name="OAT-01").click()
    expect(pm).to_have_url(re.compile(rf"/metrics/projects/{project.pk}/$"))
    expect(pm.locator(".sparkline svg").first).to_be_visible()

    pm.go_back()
    form = pm.locator("#recompute form")
    form.get_by_label("From").fill((NIGHT - dt.timedelta(days=6)).isoformat())
    form.get_by_label("To").fill(NIGHT.isoformat())
    form.get_by_role("button", name="Recompute").click()
    expect(pm.locator("#recompute-progress")).to_contain_text("Done: 7 nights recomputed.", timeout=15_000)
    assert pm.locator("#recompute-progress[hx-trigger]").count() == 0
    assert visitors.js_errors == []


def test_pm_sees_the_trends_as_charts_with_their_numbers(studio, visitors):
    for weeks, sv_t in ((2, "-1.5"), (1, "2.25")):
        MetricSnapshotFactory(date=NIGHT - dt.timedelta(weeks=weeks), scope_key="studio", metric="sv_t",
                              value=Decimal(sv_t))
    pm = visitors.log_in("pm", PASSWORD)
    pm.goto("/metrics/")
    pm.get_by_role("link", name="Trends").click()
    expect(pm).to_have_url(re.compile(r"/metrics/trends/$"))

    chart = pm.locator("#chart-sv_t")
    expect(chart.get_by_role("img")).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    chart.get_by_text("The numbers as a table").click()
    expect(chart.locator("table")).to_contain_text("2.3 working days")
    expect(chart.locator("table")).to_contain_text("-1.5")
    with pm.expect_download() as download:
        chart.get_by_role("link", name="Download as CSV").click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0] == "Night,The studio (working days)"
    assert f"{(NIGHT - dt.timedelta(weeks=1)).isoformat()},2.2500" in lines

    pm.get_by_role("combobox", name="Weeks").select_option(label="Last 12 weeks")
    pm.get_by_role("button", name="Show").click()
    expect(pm).to_have_url(re.compile(r"weeks=12"))
    expect(pm.locator("#chart-sv_t tbody tr")).to_have_count(12)
    assert visitors.js_errors == []
