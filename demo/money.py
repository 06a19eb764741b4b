"""Money: project budgets written from the plan and approved through the engine, change
orders, costs, and the studio's budget per quarter with its freelance pool. Costs of the
past are rows: most belong to projects closed since, which take no new cost."""

import datetime as dt
from decimal import Decimal

from approvals.models import Approval, Decision
from approvals.services import approval_decide
from budgets.models import Budget, BudgetLine, Cost, StudioBudget
from budgets.services.budgets import budget_line_add, budget_line_change, budget_start, budget_submit
from budgets.services.change_orders import change_order_create, change_order_line_add, change_order_submit
from projects.models import Project

from . import names
from .context import Demo, cents, moment

P = Project.Status
SPENDING = (P.ACTIVE, P.ON_HOLD, P.DELIVERED, P.CLOSED, P.CANCELLED)


def build_money(demo: Demo) -> None:
    _costs(demo)
    _change_orders(demo)
    _studio_budgets(demo)


# How the PM's estimate compares with the hours the work takes: a generous budget, a
# fair one and a tight one, so the studio has projects under, near and over budget.
ESTIMATES = (Decimal("1.25"), Decimal("1.00"), Decimal("0.70"))


def build_budgets(demo: Demo) -> None:
    """Each project's budget, written by its PM from the plan a week or two before work
    starts and, for work under way, submitted through the engine (an executive approves
    those above the threshold); of the planned projects two in four are still drafts."""
    planned_seen = 0
    for plan in demo.plans:
        if plan.status == P.INTAKE:
            continue
        submit = True
        if plan.status == P.PLANNED:
            submit = planned_seen % 4 >= 2
            planned_seen += 1
        day = min(plan.start, demo.today) - dt.timedelta(days=demo.rng.randint(8, 14))
        written = max(demo.at(day, 10), plan.created + dt.timedelta(hours=2))
        with moment(written):
            plan.budget = _budget_written(demo, plan)
        if submit:
            _budget_approved(demo, plan, written + dt.timedelta(days=3))
        plan.budget_lines = list(plan.budget.lines.all())


def _budget_written(demo: Demo, plan) -> Budget:
    """From the plan, with the hours the PM expects by experience: at least what the team
    has logged, staff at the discipline's standard rate and freelancers on lines of their
    own at the freelance rate, scaled by how generous the estimate is."""
    pm = plan.pm
    budget = budget_start(project=plan.project, user=pm)
    estimate = demo.rng.choice(ESTIMATES)
    staff_logged, freelance_logged = _logged_by_discipline(demo, plan)
    for line in budget.lines.filter(kind=BudgetLine.Kind.LABOR).select_related("discipline"):
        discipline = line.discipline
        freelance = freelance_logged.get(discipline.pk, Decimal(0))
        staff = max(line.hours - freelance, staff_logged.get(discipline.pk, Decimal(0)), Decimal(1))
        budget_line_change(line=line, user=pm, version=_version(budget), hours=cents(staff * estimate))
        if freelance:
            budget_line_add(
                budget=budget, user=pm, version=_version(budget), kind=BudgetLine.Kind.FREELANCE,
                discipline=discipline, hours=cents(freelance * estimate), rate=discipline.freelance_cost_rate,
                description=f"Freelance {discipline.name.lower()} support",
            )
    if plan.expenses:
        budget_line_add(
            budget=budget, user=pm, version=_version(budget), kind=BudgetLine.Kind.EXPENSE,
            amount=plan.expenses, description="Licences, shoots and print",
        )
    contingency = budget.lines.get(kind=BudgetLine.Kind.CONTINGENCY)
    budget_line_change(line=contingency, user=pm, version=_version(budget), percent=Decimal(8))
    return budget


def _logged_by_discipline(demo: Demo, plan) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """The hours the demo's people log on the project, staff and freelance, by discipline."""
    staff: dict[int, Decimal] = {}
    freelance: dict[int, Decimal] = {}
    for (person, logged_plan, _deliverable, _day), hours in demo.logged.items():
        if logged_plan is plan:
            into = freelance if person.is_freelance else staff
            into[person.discipline_id] = into.get(person.discipline_id, Decimal(0)) + hours
    return staff, freelance


def _version(budget: Budget) -> int:
    budget.refresh_from_db(fields=["version"])
    return budget.version


def _budget_approved(demo: Demo, plan, when: dt.datetime) -> None:
    budget = plan.budget
    with moment(when):
        budget_submit(budget=budget, user=plan.pm, version=_version(budget))
    approval = Approval.objects.filter(kind="budget", object_id=str(budget.pk), status=Approval.Status.PENDING).first()
    if approval is not None:
        with moment(when + dt.timedelta(hours=5)):
            approval_decide(approval=approval, user=demo.users["exec"], outcome=Decision.Outcome.APPROVE)


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
    """The showcase's approved change order, and one waiting for the executive elsewhere."""
    showcase = demo.showcase.project
    with moment(demo.at(demo.day(-14), 11)):
        approved = change_order_create(
            project=showcase, user=showcase.pm, title="Two extra cut-downs for social",
            description="The brand added a 15-second and a 6-second version.",
            fee_change=Decimal("4500.00"),
        )
        # 40 h × 70.00 of freelance motion design and a 1,000.00 music licence: 3,800.00.
        _lines(approved, ("freelance", "Motion design for the cut-downs", Decimal("40"), Decimal("70.00"), None),
               ("expense", "Music licence extension", None, None, Decimal("1000.00")))
    with moment(demo.at(demo.day(-10), 16)):
        # Under the change-order threshold: the PM's own step, so it is in force at once.
        change_order_submit(change_order=approved, user=showcase.pm, version=approved.version)
    for plan in demo.plans:
        project = plan.project
        if plan.status == P.ACTIVE and not plan.internal and not plan.showcase:
            with moment(demo.at(demo.day(-2), 11)):
                waiting = change_order_create(
                    project=project, user=project.pm, title="Versions for three more markets",
                    description="Localised copy and resized assets for the new markets.",
                    fee_change=Decimal("14500.00"),
                )
                # 100 h × 75.00 of freelance artwork and 4,500.00 of translation: 12,000.00.
                _lines(waiting, ("freelance", "Resized artwork", Decimal("100"), Decimal("75.00"), None),
                       ("expense", "Translation and localisation", None, None, Decimal("4500.00")))
                # Above the threshold: it waits for the executive.
                change_order_submit(change_order=waiting, user=project.pm, version=waiting.version)
            break


def _lines(change_order, *lines) -> None:
    """Lines on a draft change order, through the service: its change to the budget is their sum."""
    for kind, description, hours, rate, amount in lines:
        change_order.refresh_from_db(fields=["version"])
        change_order_line_add(
            change_order=change_order, user=change_order.project.pm, version=change_order.version, kind=kind,
            description=description, hours=hours, rate=rate, amount=amount,
        )
    change_order.refresh_from_db()


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
