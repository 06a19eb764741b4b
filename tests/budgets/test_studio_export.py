"""The studio budget for a period as CSV and XLSX, read back: the pool's figures, then one
row per funded project with its budget health; numbers are numbers, dates are dates, the
currency is in the headers, and the figures are the studio budget page's. Only the studio
downloads it."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from tests.budgets.test_studio_budget_views import PAGE, SEES, pool, quarter, three  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


def export(fmt: str, studio_budget=None, budget: str | None = None) -> str:
    url = reverse("budgets:studio-export", args=[fmt])
    if budget is None and studio_budget is not None:
        budget = str(studio_budget.pk)
    return url if budget is None else f"{url}?budget={budget}"


def logged_in(client, user):
    client.force_login(user)
    return client


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def by_label(rows) -> dict:
    """The rows by their first cell (the later one wins: the figures after the header block)."""
    return {row[0]: row for row in rows if row}


HEADINGS = [
    "Code",
    "Project",
    "Production manager",
    "Fee in force (EUR)",
    "Budget at completion (BAC) (EUR)",
    "Actual cost (AC) (EUR)",
    "Spent (%)",
    "Forecast at completion (EAC) (EUR)",
    "Variance at completion (VAC) (EUR)",
    "Margin at completion (%)",
]


# --- who may download it -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["pm", "executive", "admin_user"])
def test_the_studio_downloads_the_studio_budget(client, pool, quarter, who, fmt, request):  # noqa: F811
    assert SEES == ("pm", "executive", "admin_user")
    response = logged_in(client, request.getfixturevalue(who)).get(export(fmt, quarter))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="studio-budget-2026_Q4-2026-11-25.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["creative", "freelancer", "brand_manager", "outsider"])
def test_no_one_else_downloads_it(client, pool, quarter, who, fmt, request):  # noqa: F811
    response = logged_in(client, request.getfixturevalue(who)).get(export(fmt, quarter))

    assert response.status_code == 403
    body = response.content.decode(errors="replace")
    for figure in ("6840", "6,840.00", "250000", "AUR-001", "Spring launch"):
        assert figure not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_visitor_signs_in_first(client, quarter, fmt):  # noqa: F811
    response = client.get(export(fmt, quarter))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("budget", ["999999", "abc", "-1", "1" * 12])
def test_a_period_that_does_not_exist_is_a_404(client, pm, quarter, budget):  # noqa: F811
    assert logged_in(client, pm).get(export("csv", budget=budget)).status_code == 404


def test_without_a_period_none_is_a_404(client, pm):
    assert logged_in(client, pm).get(export("xlsx")).status_code == 404


def test_without_a_period_asked_the_one_covering_today_comes(client, pm, pool, quarter):  # noqa: F811
    rows = read_csv(logged_in(client, pm).get(export("csv")))

    assert rows[0] == ["Studio budget", "2026 Q4"]


# --- what it holds --------------------------------------------------------------------------------


def test_the_csv_has_the_pool_and_each_project_as_plain_numbers(client, pm, pool, quarter):  # noqa: F811
    response = logged_in(client, pm).get(export("csv", quarter))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    # Computed by hand in tests/budgets/test_studio_budget_views.py (`pool`).
    assert rows[:16] == [
        ["Studio budget", "2026 Q4"],
        ["Period start", "2026-10-01"],
        ["Period end", "2026-12-31"],
        ["As of", "2026-11-25"],
        ["Currency", "EUR"],
        ["Pool run-out date", "2027-04-14"],
        [],
        ["Figure", "Amount (EUR)"],
        ["Studio budget", "250000.00"],
        ["Freelance-support pool", "6840.00"],
        ["Freelance actual", "1140.00"],  # 640.00 labour + 500.00 costs
        ["Committed", "1200.00"],  # 30 h × 40.00
        ["If every hold is confirmed", "1200.00"],  # 40 h × 30.00
        ["Pool remaining", "4500.00"],  # 6,840.00 − 1,140.00 − 1,200.00
        ["Pool remaining if every hold is confirmed", "3300.00"],
        [],
    ]
    assert rows[16] == HEADINGS
    project = pool.pm.get_full_name()
    # No baseline: no BAC, EAC, VAC or margin; the actual cost is the freelancer's 1,140.00.
    assert rows[17:] == [["AUR-001", "Spring launch", project, "31415.92", "", "1140.00", "", "", "", ""]]


def test_the_xlsx_has_numeric_cells_and_date_cells(client, pm, pool, quarter, three):  # noqa: F811
    response = logged_in(client, pm).get(export("xlsx", quarter))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = read_xlsx(response)
    values = {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}

    for label in ("Period start", "Period end", "As of", "Pool run-out date"):
        assert values[label][1].is_date, label
    assert values["As of"][1].value.date() == dt.date(2026, 11, 25)
    assert values["Pool run-out date"][1].value.date() == dt.date(2027, 4, 14)
    for label in ("Freelance-support pool", "Freelance actual", "Committed", "Pool remaining"):
        cell = values[label][1]
        assert isinstance(cell.value, int | float) and cell.number_format == "#,##0.00", label
    assert values["Pool remaining"][1].value == 4500
    assert values["Code"][3].value == "Fee in force (EUR)" and values["Code"][3].font.b

    codes = [row[0].value for row in sheet.iter_rows(min_row=18)]
    assert codes == ["AAA-001", "AUR-001", "BBB-001", "CCC-001"]
    bbb = values["BBB-001"]
    assert [cell.value for cell in bbb[3:6]] == [10000, 4000, 0]  # fee, BAC, AC
    assert all(isinstance(cell.value, int | float) for cell in bbb[3:6])
    assert bbb[6].value == 0  # spent: 0 of 4,000.00
    assert values["AUR-001"][3].value == pytest.approx(31415.92)


def test_the_figures_are_the_page_s(client, pm, pool, quarter, three):  # noqa: F811
    client = logged_in(client, pm)
    html = client.get(PAGE, {"budget": quarter.pk}).content.decode()
    rows = by_label(read_csv(client.get(export("csv", quarter))))

    remaining = D(rows["Pool remaining"][1])
    assert f"EUR {remaining:,.2f}" in html and remaining == D("4500.00")
    bac = D(rows["BBB-001"][4])
    assert f"{bac:,.2f}" in html and bac == D("4000.00")
    assert f"{D(rows['AUR-001'][3]):,.2f}" == "31,415.92" and "31,415.92" in html


def test_an_over_spent_pool_reads_over_the_pool(client, pm, pool, quarter):  # noqa: F811
    quarter.freelance_pool = D("1000.00")
    quarter.save()

    rows = by_label(read_csv(logged_in(client, pm).get(export("csv", quarter))))

    assert rows["Pool run-out date"] == ["Pool run-out date", "Over the pool"]
    assert rows["Pool remaining"] == ["Pool remaining", "-1340.00"]


def test_the_page_links_the_downloads(client, pm, quarter):  # noqa: F811
    html = logged_in(client, pm).get(PAGE).content.decode()

    assert f'{export("csv", quarter)}"' in html and f'{export("xlsx", quarter)}"' in html
