"""Timesheet rows of the approval inbox and of /api/approvals/ carry the week's hours,
in total and by project, so approving several at once is not blind; one query per page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.services import approval_submit
from projects.models import Project
from tests import factories as f

from .conftest import KIND, make_flow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

INBOX = reverse("approvals:inbox")
LIST = "/api/approvals/"


def submitted_week(hours_by_code: dict[str, list[str]]):
    """A creative's last week, submitted, with entries of `hours` on each project code."""
    sheet = f.TimesheetFactory(status="submitted")
    for code, hours in hours_by_code.items():
        project = f.ProjectFactory(code=code, name=f"Project {code}")
        for day, value in enumerate(hours):
            f.TimeEntryFactory(
                timesheet=sheet, project=project, date=sheet.week_start + dt.timedelta(days=day),
                hours=Decimal(value),
            )
    return approval_submit(obj=sheet, kind="timesheet", submitted_by=sheet.talent.user)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def row_of(html, approval):
    return re.search(rf'<tr id="approval-{approval.pk}".*?</tr>', html, re.S).group(0)


def test_inbox_rows_show_the_weeks_total_and_its_projects_on_expanding(client, pm):
    approval = submitted_week({"ACME-1": ["8", "7.5"], "BETA-2": ["0.5"]})
    empty = submitted_week({})
    client.force_login(pm)

    html = client.get(INBOX).content.decode()

    row = row_of(html, approval)
    assert '<details class="approval-hours" data-hours="16">' in row
    assert "<summary>16 h this week</summary>" in row
    assert re.findall(r'<li data-project="([^"]+)"><strong>[^<]+</strong> [^:]+: ([\d.]+) h</li>', row) == [
        ("ACME-1", "15.5"), ("BETA-2", "0.5"),
    ]
    assert "<summary>0 h this week</summary>" in row_of(html, empty) and "No time logged." in row_of(html, empty)


def test_an_inline_decision_keeps_the_rows_hours(client, pm):
    approval = submitted_week({"ACME-1": ["6"]})
    client.force_login(pm)
    response = client.post(
        reverse("approvals:decide", args=[approval.pk]), {"outcome": "approve", "step": 0}, HTTP_HX_REQUEST="true"
    )
    assert "<summary>6 h this week</summary>" in response.content.decode()


def test_the_inbox_reads_every_rows_hours_in_one_query(client, pm, django_assert_num_queries):
    submitted_week({"ACME-1": ["8"]})
    client.force_login(pm)
    client.get(INBOX)  # caches the studio's time zone
    # session, user, studio settings (page), counts, page of approvals, the timesheets,
    # their hours, flow names.
    with django_assert_num_queries(8):
        client.get(INBOX)
    for n in range(4):
        submitted_week({f"P-{n}": ["1", "2"], f"Q-{n}": ["3"]})
    with django_assert_num_queries(8):
        html = client.get(INBOX).content.decode()
    assert html.count('class="approval-hours"') == 5


def test_the_api_list_gives_the_weeks_hours_by_project(pm):
    approval = submitted_week({"BETA-2": ["2"], "ACME-1": ["8", "7.5"]})
    row = api(pm).get(LIST).json()["results"][0]
    projects = {p.code: p for p in Project.objects.filter(code__in=["ACME-1", "BETA-2"])}
    assert row["id"] == approval.pk
    assert row["hours"] == {
        "total": "17.50",
        "projects": [
            {"project": projects["ACME-1"].pk, "code": "ACME-1", "name": "Project ACME-1", "hours": "15.50"},
            {"project": projects["BETA-2"].pk, "code": "BETA-2", "name": "Project BETA-2", "hours": "2.00"},
        ],
    }
    # One approval, and deciding it, answer with its hours too.
    assert api(pm).get(f"{LIST}{approval.pk}/").json()["hours"]["total"] == "17.50"


def test_other_kinds_have_no_hours(calls, pm, executive):
    make_flow(KIND, {"role": "pm"})
    approval_submit(obj=f.BudgetFactory(), kind=KIND, submitted_by=executive)
    assert [row["hours"] for row in api(pm).get(LIST).json()["results"]] == [None]


def test_the_api_list_reads_every_rows_hours_in_one_query(pm, django_assert_num_queries):
    submitted_week({"ACME-1": ["8"]})
    client = api(pm)
    client.get(LIST)  # caches the studio's time zone
    # user's count, page of approvals, decisions, the timesheets, their hours.
    with django_assert_num_queries(5):
        client.get(LIST)
    for n in range(4):
        submitted_week({f"P-{n}": ["1", "2"], f"Q-{n}": ["3"]})
    with django_assert_num_queries(5):
        results = client.get(LIST).json()["results"]
    assert sorted(row["hours"]["total"] for row in results) == ["6.00"] * 4 + ["8.00"]
