"""A project's budget with its actuals, its change-order history, and the studio budget
for a period, as rows written to CSV or XLSX: money as numbers rounded to cents (plain "1234.50" in CSV, a numeric cell
with two decimals in XLSX), dates as dates (ISO in CSV, date cells in XLSX), the currency
in the headers. The figures are the budget tab's (`budgets.health`, as of the same day)
and the studio budget page's (`budgets.studio_budget`).
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from projects.models import Project
from studio.clock import studio_zone

from .health import health_of, plan_against_actual
from .models import ChangeOrder, StudioBudget, cents
from .studio_budget import funded_projects, pool_figures

Cell = str | Decimal | dt.date | int | None

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet would run as a formula (a title typed as "=HYPERLINK(…)").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Sheet:
    """Rows to write: `headings` mark the rows shown bold (a table's column names)."""

    title: str
    rows: list[list[Cell]]
    headings: frozenset[int] = frozenset()


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{cents(value):.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(sheet: Sheet) -> bytes:
    """The rows as CSV, UTF-8 with a byte-order mark so spreadsheets read the accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in sheet.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(sheet: Sheet) -> bytes:
    """The rows as a one-sheet workbook with typed cells."""
    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    widths: dict[int, int] = {}
    for n, row in enumerate(sheet.rows):
        ws.append([cents(value) if isinstance(value, Decimal) else value for value in row])
        for column, value in enumerate(row, 1):
            cell = ws.cell(row=n + 1, column=column)
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if n in sheet.headings:
                cell.font = Font(bold=True)
            widths[column] = max(widths.get(column, 0), min(len(_csv_cell(value)) + 2, 60))
    for column, width in widths.items():
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = max(width, 12)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _money(label: str, currency: str) -> str:
    return f"{label} ({currency})" if currency else label


def budget_sheet(project: Project, day: dt.date, currency: str) -> Sheet:
    """The project's plan against actual by category with its totals, and its budget
    health figures, as of the end of `day`."""
    health = health_of([project], day)[project.pk]
    plan = plan_against_actual(project, day)
    remaining = plan.planned_total - plan.actual_total if plan.planned_total is not None else None
    columns = [_("Planned"), _("Actual"), _("Remaining"), _("Committed"), _("Spent")]
    rows: list[list[Cell]] = [
        [_("Project"), str(project)],
        [_("As of"), day],
        [_("Currency"), currency],
        [],
        [_("Category"), *(_money(label, currency) for label in columns)],
    ]
    table = len(rows) - 1
    rows += [[row.label, row.planned, row.actual, row.remaining, row.committed, row.spent] for row in plan.rows]
    rows.append([_("Total"), plan.planned_total, plan.actual_total, remaining, plan.committed, plan.spent])
    rows += [[], [_("Figure"), _money(_("Amount"), currency)]]
    figures = len(rows) - 1
    rows += [
        [_("Fee in force"), health.fee_in_force],
        [_("Budget at completion (BAC)"), health.bac],
        [_("Actual cost (AC)"), health.ac],
        [_("Forecast at completion (EAC)"), health.eac],
        [_("Variance at completion (VAC)"), health.vac],
    ]
    return Sheet(title=_("Budget"), rows=rows, headings=frozenset({table, figures}))


def change_order_sheet(project: Project, change_orders: Iterable[ChangeOrder], currency: str) -> Sheet:
    """The project's change orders by number: what they changed and when they were approved."""
    rows: list[list[Cell]] = [
        [
            _("Number"),
            _("Title"),
            _("Status"),
            _money(_("Fee change"), currency),
            _money(_("Budget change"), currency),
            _("Approved"),
        ]
    ]
    zone = studio_zone()
    for order in change_orders:
        approved = order.approved_at.astimezone(zone).date() if order.approved_at else None
        rows.append(
            [
                order.number,
                order.title,
                order.get_status_display(),
                order.fee_change,
                order.budget_change,
                approved,
            ]
        )
    return Sheet(title=_("Change orders"), rows=rows, headings=frozenset({0}))


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else fraction * HUNDRED


def studio_budget_sheet(studio_budget: StudioBudget, day: dt.date, currency: str, projects=None) -> Sheet:
    """The period's budget and freelance-support pool as of the end of `day`, then each
    project it funds (of `projects`, a queryset the reader may see) with its budget health."""
    pool = pool_figures(studio_budget, day)
    rows: list[list[Cell]] = [
        [_("Studio budget"), studio_budget.name],
        [_("Period start"), studio_budget.period_start],
        [_("Period end"), studio_budget.period_end],
        [_("As of"), day],
        [_("Currency"), currency],
        [_("Pool run-out date"), _("Over the pool") if pool.over_pool else pool.run_out_date],
        [],
        [_("Figure"), _money(_("Amount"), currency)],
    ]
    figures = len(rows) - 1
    rows += [
        [_("Studio budget"), studio_budget.amount],
        [_("Freelance-support pool"), pool.pool],
        [_("Freelance actual"), pool.actual],
        [_("Committed"), pool.committed],
        [_("If every hold is confirmed"), pool.if_holds_confirmed],
        [_("Pool remaining"), pool.remaining],
        [_("Pool remaining if every hold is confirmed"), pool.remaining_if_holds_confirmed],
        [],
        [
            _("Code"),
            _("Project"),
            _("Production manager"),
            _money(_("Fee in force"), currency),
            _money(_("Budget at completion (BAC)"), currency),
            _money(_("Actual cost (AC)"), currency),
            _("Spent (%)"),
            _money(_("Forecast at completion (EAC)"), currency),
            _money(_("Variance at completion (VAC)"), currency),
            _("Margin at completion (%)"),
        ],
    ]
    table = len(rows) - 1
    for row in funded_projects(studio_budget, day, projects=projects):
        project, health = row.project, row.health
        rows.append(
            [
                project.code,
                project.name,
                project.pm.get_full_name() or project.pm.get_username(),
                None if project.is_internal else health.fee_in_force,
                health.bac,
                health.ac,
                _percent(health.spent_fraction),
                health.eac,
                health.vac,
                _percent(health.margin_at_completion),
            ]
        )
    return Sheet(title=_("Studio budget"), rows=rows, headings=frozenset({figures, table}))
