"""Money: project budgets and their lines, costs, change orders, and the studio's
budget per quarter with its freelance pool. No service writes these (budgets are
approved through the engine, but nothing submits them yet), so they are rows."""

import datetime as dt
from decimal import Decimal

from budgets.models import Budget, BudgetLine, ChangeOrder, Cost, StudioBudget
from projects.models import Project

from . import names
from .context import Demo, cents
from .work import hours_by_discipline, staff_bill_rate

P = Project.Status
SPENDING = (P.ACTIVE, P.ON_HOLD, P.DELIVERED, P.CLOSED, P.CANCELLED)


def build_money(demo: Demo) -> None:
    _budgets(demo)
    _costs(demo)
    _change_orders(demo)
    _studio_budgets(demo)


def _budgets(demo: Demo) -> None:
    """Approved budgets for work under way; of the planned projects two are still drafts."""
    budgets, lines = [], []
    planned_seen = 0
    for plan in demo.plans:
        project = plan.project
        if plan.status == P.INTAKE:
            continue
        status = Budget.Status.APPROVED
        if plan.status == P.PLANNED:
            status = Budget.Status.DRAFT if planned_seen % 4 < 2 else status
            planned_seen += 1
        written = min(plan.start, demo.today) - dt.timedelta(days=demo.rng.randint(8, 14))
        budget = Budget(
            project=project,
            status=status,
            created_by=project.pm,
            created_at=demo.at(written),
            note="Estimated from the deliverables' standard hours.",
            approved_at=demo.at(written + dt.timedelta(days=3), 14)
            if status == Budget.Status.APPROVED
            else None,
        )
        budgets.append(budget)
        plan.budget = budget
        plan.budget_lines = _lines(demo, plan, budget)
        lines += plan.budget_lines
    Budget.objects.bulk_create(budgets)
    BudgetLine.objects.bulk_create(lines, batch_size=2000)


def _lines(demo: Demo, plan, budget) -> list[BudgetLine]:
    rng = demo.rng
    lines = []
    hours = hours_by_discipline(demo, plan)
    outsourced = max(hours, key=hours.get) if rng.random() < 0.4 else None
    disciplines = {discipline.pk: discipline for discipline in demo.disciplines.values()}
    for discipline_id, total in sorted(hours.items()):
        in_house = total
        if discipline_id == outsourced:
            freelance = (total / 4).quantize(Decimal(1))
            in_house -= freelance
            discipline = disciplines[discipline_id]
            lines.append(
                BudgetLine(
                    budget=budget,
                    kind=BudgetLine.Kind.FREELANCE,
                    discipline=discipline,
                    hours=freelance,
                    rate=discipline.freelance_bill_rate,
                    description=f"Freelance {discipline.name.lower()} support",
                )
            )
        lines.append(
            BudgetLine(
                budget=budget,
                kind=BudgetLine.Kind.LABOR,
                discipline=disciplines[discipline_id],
                hours=in_house,
                rate=staff_bill_rate(demo, discipline_id),
            )
        )
    if plan.expenses:
        lines.append(
            BudgetLine(
                budget=budget,
                kind=BudgetLine.Kind.EXPENSE,
                amount=plan.expenses,
                description="Licences, shoots and print",
            )
        )
    subtotal = sum((line.total for line in lines), Decimal(0))
    lines.append(
        BudgetLine(
            budget=budget,
            kind=BudgetLine.Kind.CONTINGENCY,
            amount=cents(subtotal * Decimal("0.08")),
            description="Contingency, 8 %",
        )
    )
    return lines


def _cost_status(demo: Demo, day: dt.date) -> str:
    if day < demo.day(-30):
        return Cost.Status.PAID
    if day < demo.day(-7):
        return Cost.Status.INVOICED
    return Cost.Status.COMMITTED


def _costs(demo: Demo) -> None:
    rng = demo.rng
    costs = []
    freelancers = [person for person in demo.talent if person.is_freelance]
    for plan in demo.plans:
        project = plan.project
        if plan.internal or plan.status not in SPENDING:
            continue
        expense_line = next(
            (line for line in plan.budget_lines if line.kind == BudgetLine.Kind.EXPENSE), None
        )
        last = min(plan.work_end, demo.day(-1))
        span = max((last - plan.work_start).days, 0)
        for _n in range(rng.randint(1, 3)):
            day = plan.work_start + dt.timedelta(days=rng.randint(0, span))
            description, supplier = rng.choice(names.EXPENSES)
            costs.append(
                Cost(
                    project=project,
                    kind=Cost.Kind.EXPENSE,
                    description=description,
                    supplier=supplier,
                    budget_line=expense_line,
                    amount=demo.money(150, max(200, int(plan.expenses) // 2), 25),
                    date=day,
                    status=_cost_status(demo, day),
                    reference=f"EXP-{len(costs) + 1:05d}",
                )
            )
        if plan.status == P.ACTIVE and rng.random() < 0.3:
            costs.append(
                Cost(
                    project=project,
                    kind=Cost.Kind.FREELANCE_FIXED,
                    description="Illustration pack, fixed fee",
                    talent=rng.choice(freelancers),
                    amount=demo.money(1200, 4000, 100),
                    date=demo.day(-rng.randint(2, 20)),
                    status=Cost.Status.COMMITTED,
                    reference=f"PO-{len(costs) + 1:05d}",
                )
            )
    showcase = demo.showcase.project
    costs.append(
        Cost(
            project=showcase,
            kind=Cost.Kind.PURCHASE_ORDER,
            description="Point-of-sale print run",
            supplier="Press & Proof",
            amount=Decimal("3850.00"),
            date=demo.day(-3),
            status=Cost.Status.COMMITTED,
            reference="PO-SHOWCASE",
        )
    )
    costs += _hourly_invoices(demo)
    for cost in costs:
        cost.created_at = demo.at(cost.date, 9)
    Cost.objects.bulk_create(costs, batch_size=2000)


def _hourly_invoices(demo: Demo) -> list[Cost]:
    """Freelancers invoice their approved hours; these are reconciled, never added to cost."""
    # Weeks before last week were approved (`timekeeping.build_time`).
    approved_before = demo.week - dt.timedelta(weeks=1)
    billed: dict[tuple, list] = {}
    for (person, plan, _deliverable, day), hours in demo.logged.items():
        if person.is_freelance and day - dt.timedelta(days=day.weekday()) < approved_before:
            billed.setdefault((person, plan.project), []).append((day, hours))
    invoices = []
    for number, ((person, project), entries) in enumerate(billed.items(), start=1):
        first, last = min(day for day, _hours in entries), max(day for day, _hours in entries)
        amount = sum((hours * demo.rate_on(person, day).cost_rate for day, hours in entries), Decimal(0))
        sent = last + dt.timedelta(days=7 - last.weekday())
        invoices.append(
            Cost(
                project=project,
                kind=Cost.Kind.FREELANCE_HOURLY_INVOICE,
                talent=person,
                amount=cents(amount),
                description=f"{person.user.get_full_name()}: hours {first:%d %b}–{last:%d %b}",
                date=sent,
                status=Cost.Status.INVOICED,
                reference=f"INV-{number:05d}",
                period_start=first,
                period_end=last,
            )
        )
    return invoices


def _change_orders(demo: Demo) -> None:
    showcase = demo.showcase.project
    orders = [
        ChangeOrder(
            project=showcase,
            number=1,
            title="Two extra cut-downs for social",
            description="The brand added a 15-second and a 6-second version.",
            fee_change=Decimal("4500.00"),
            budget_change=Decimal("3800.00"),
            status=ChangeOrder.Status.APPROVED,
            requested_by=showcase.pm,
            created_at=demo.at(demo.day(-14)),
            approved_at=demo.at(demo.day(-10), 16),
        )
    ]
    for plan in demo.plans:
        project = plan.project
        if plan.status == P.ACTIVE and not plan.internal and not plan.showcase:
            orders.append(
                ChangeOrder(
                    project=project,
                    number=1,
                    title="Versions for three more markets",
                    description="Localised copy and resized assets for the new markets.",
                    fee_change=Decimal("14500.00"),
                    budget_change=Decimal("12000.00"),
                    # A draft: nothing sends a change order for approval yet.
                    status=ChangeOrder.Status.DRAFT,
                    requested_by=project.pm,
                    created_at=demo.at(demo.day(-2), 11),
                )
            )
            break
    ChangeOrder.objects.bulk_create(orders)


def _quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _studio_budgets(demo: Demo) -> None:
    current = _quarter(demo.today)
    previous = _quarter(current[0] - dt.timedelta(days=1))
    rows = []
    for (start, end), amount, pool in ((previous, 420000, 60000), (current, 450000, 70000)):
        rows.append(
            StudioBudget(
                name=f"{start.year} Q{(start.month - 1) // 3 + 1}",
                period_start=start,
                period_end=end,
                amount=Decimal(amount * demo.scale),
                freelance_pool=Decimal(pool * demo.scale),
            )
        )
    StudioBudget.objects.bulk_create(rows)
