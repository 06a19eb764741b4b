"""Downloads of a project's budget with actuals and of its change orders, read back: CSV
with the csv module, XLSX with openpyxl; numbers are numbers, dates are dates, the currency
is in the headers, and the figures are the tab's. Only the studio downloads them."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from budgets.exports import Sheet, to_csv, to_xlsx
from studio.models import StudioSettings
from tests import factories as f
from tests.budgets.test_budget_health_views import build_case, day, figure
from tests.conftest import studio_noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

HX = {"HTTP_HX_REQUEST": "true"}


def logged_in(client, user):
    client.force_login(user)
    return client


def export(project, fmt) -> str:
    return reverse("budgets:budget-export", args=[project.pk, fmt])


def change_orders(project, fmt) -> str:
    return reverse("budgets:change-order-export", args=[project.pk, fmt])


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def case(brand):
    """See `build_case`: BAC 12,000.00, AC 3,600.00, EAC 7,200.00, as of Wed 25 Nov 2026."""
    return build_case(brand)


@pytest.fixture
def history(brand):
    """Change order 1 approved Fri 20 Nov (fee +3,000.00, budget +2,000.00); 2 submitted
    (fee +1,500.50, budget −250.25); 3 a draft whose title a spreadsheet would run."""
    project = f.ProjectFactory(brand=brand, code="ACME-7")
    co = f.ChangeOrderFactory
    co(
        project=project,
        number=1,
        title="Extra cut-downs",
        status="approved",
        approved_at=studio_noon(day(-3)),
        fee_change=D("3000"),
        budget_change=D("2000"),
    )
    co(
        project=project,
        number=2,
        title="Voice-over",
        status="submitted",
        fee_change=D("1500.50"),
        budget_change=D("-250.25"),
    )
    co(project=project, number=3, title='=HYPERLINK("http://example.com","x")', fee_change=D("0"), budget_change=D("0"))
    return project


# --- the budget with actuals ----------------------------------------------------------------


def test_the_budget_csv_has_the_tab_s_figures_as_plain_numbers(client, case, pm):
    response = logged_in(client, pm).get(export(case.project, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    code = case.project.code
    assert response["Content-Disposition"] == f'attachment; filename="{code}-budget-2026-11-25.csv"'
    rows = read_csv(response)
    assert rows[:5] == [
        ["Project", str(case.project)],
        ["As of", "2026-11-25"],
        ["Currency", "EUR"],
        [],
        ["Category", "Planned (EUR)", "Actual (EUR)", "Remaining (EUR)", "Committed (EUR)", "Spent (EUR)"],
    ]
    # Hand-computed in `build_case`: labour 100 h × 60 planned, 40 h × 60 spent; expenses 4,000
    # planned, 1,200 invoiced, 500 committed; change order 1 adds 2,000 to the budget.
    assert rows[5:11] == [
        ["Internal labour: Design", "6000.00", "2400.00", "3600.00", "0.00", "0.00"],
        ["Freelance", "0.00", "0.00", "0.00", "0.00", "0.00"],
        ["Expense", "4000.00", "1200.00", "2800.00", "500.00", "1200.00"],
        ["Contingency", "0.00", "", "", "0.00", "0.00"],
        ["Approved change orders", "2000.00", "", "", "0.00", "0.00"],
        ["Total", "12000.00", "3600.00", "8400.00", "500.00", "1200.00"],
    ]
    assert rows[11:] == [
        [],
        ["Figure", "Amount (EUR)"],
        ["Fee in force", "23000.00"],  # 20,000 + 3,000
        ["Budget at completion (BAC)", "12000.00"],  # 10,000 + 2,000
        ["Actual cost (AC)", "3600.00"],  # 2,400 + 1,200
        ["Forecast at completion (EAC)", "7200.00"],  # 12,000 × 3,600 / 6,000
        ["Variance at completion (VAC)", "4800.00"],  # 12,000 − 7,200
    ]


def test_the_budget_xlsx_has_numeric_cells_date_cells_and_the_page_s_total(client, case, pm):
    client = logged_in(client, pm)
    response = client.get(export(case.project, "xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;") and ".xlsx" in response["Content-Disposition"]
    sheet = read_xlsx(response)
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}

    as_of = rows["As of"][1]
    assert as_of.is_date and as_of.value.date() == dt.date(2026, 11, 25)
    total = rows["Total"]
    for cell in total[1:]:
        assert isinstance(cell.value, int | float) and cell.number_format == "#,##0.00"
    assert [cell.value for cell in total[1:]] == [12000, 3600, 8400, 500, 1200]
    assert rows["Expense"][1].value == 4000 and rows["Expense"][4].value == 500
    assert rows["Contingency"][2].value is None  # no actual of its own
    assert rows["Budget at completion (BAC)"][1].value == 12000
    assert rows["Category"][1].value == "Planned (EUR)" and rows["Category"][1].font.b

    page = client.get(reverse("budgets:project-actuals", args=[case.project.pk]), **HX).content.decode()
    shown = re.search(r'<td class="num plan-total">EUR ([\d,.]+)</td>', page).group(1)
    assert f"{total[1].value:,.2f}" == shown == "12,000.00"
    assert f"EUR {rows['Forecast at completion (EAC)'][1].value:,.2f}" == figure(page, "eac")


def test_the_currency_is_the_studio_s(client, case, pm):
    StudioSettings.objects.filter(pk=1).update(currency="GBP")

    rows = read_csv(logged_in(client, pm).get(export(case.project, "csv")))

    assert rows[2] == ["Currency", "GBP"] and rows[4][1] == "Planned (GBP)"


def test_fractions_of_a_cent_are_rounded_half_up_when_written(client, case, pm):
    sheet = Sheet(title="Money", rows=[["a", D("1234.505"), D("-0.005"), dt.date(2026, 1, 2), None]])

    assert next(csv.reader(io.StringIO(to_csv(sheet).decode("utf-8-sig")))) == [
        "a",
        "1234.51",
        "-0.01",
        "2026-01-02",
        "",
    ]
    row = next(openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet))).active.iter_rows(values_only=True))
    assert row[1:3] == (1234.51, -0.01)


# --- the change orders ----------------------------------------------------------------------


def test_the_change_order_history_in_csv(client, history, executive):
    response = logged_in(client, executive).get(change_orders(history, "csv"))

    assert response["Content-Disposition"] == 'attachment; filename="ACME-7-change-orders.csv"'
    assert read_csv(response) == [
        ["Number", "Title", "Status", "Fee change (EUR)", "Budget change (EUR)", "Approved"],
        ["1", "Extra cut-downs", "Approved", "3000.00", "2000.00", "2026-11-20"],
        ["2", "Voice-over", "Submitted", "1500.50", "-250.25", ""],
        ["3", '\'=HYPERLINK("http://example.com","x")', "Draft", "0.00", "0.00", ""],
    ]


def test_the_change_order_history_in_xlsx(client, history, admin_user):
    sheet = read_xlsx(logged_in(client, admin_user).get(change_orders(history, "xlsx")))
    rows = list(sheet.iter_rows(min_row=2))

    number, title, status, fee, budget, approved = rows[0]
    assert number.value == 1 and title.value == "Extra cut-downs" and status.value == "Approved"
    assert (fee.value, budget.value) == (3000, 2000) and fee.number_format == "#,##0.00"
    assert approved.is_date and approved.value.date() == dt.date(2026, 11, 20)
    assert rows[1][4].value == -250.25 and rows[1][5].value is None
    assert rows[2][1].value == '=HYPERLINK("http://example.com","x")' and rows[2][1].data_type == "s"


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "who, status",
    [
        ("pm", 200),
        ("executive", 200),
        ("admin_user", 200),
        ("brand_manager", 403),
        ("outsider", 404),
        ("creative", 404),
        ("freelancer", 404),
    ],
)
def test_only_the_studio_downloads_the_money(client, case, who, status, fmt, request):
    user = request.getfixturevalue(who)
    if who in ("creative", "freelancer"):
        f.BookingFactory(talent=user.talent, project=case.project)
    client = logged_in(client, user)

    for url in (export(case.project, fmt), change_orders(case.project, fmt)):
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            assert "attachment" not in response.get("Content-Disposition", "")
            body = response.content.decode(errors="replace")
            for secret in ("3600", "3,600", "2400", "6000", "12000", "Design"):
                assert secret not in body


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(export(case.project, "xlsx"))

    assert response.status_code == 302 and "login" in response.url


def test_other_formats_are_not_found(client, case, pm):
    assert logged_in(client, pm).get(f"/budgets/projects/{case.project.pk}/export.pdf").status_code == 404


@pytest.mark.parametrize("size", [1, 9])
# Session, user, project, the studio's settings; health_of (6) and plan_against_actual (6).
def test_the_budget_export_runs_a_fixed_number_of_queries(client, brand, pm, size, django_assert_num_queries):
    case = build_case(brand, costs=size, lines=size)
    client = logged_in(client, pm)
    client.get(export(case.project, "xlsx"))

    with django_assert_num_queries(16):
        assert client.get(export(case.project, "xlsx")).status_code == 200
