"""The work, as a plan: deliverable types, projects in every status with their phases
and deliverables, and the steps each deliverable went through, consistent with its
project's story. `projects.py` and `reviews.py` play the plan through the services."""

import datetime as dt
from decimal import Decimal

from projects.models import DeliverableStatus, DeliverableType, Project, StandardHours

from . import names
from .context import DeliverablePlan, Demo, ProjectPlan, Step

S = DeliverableStatus
P = Project.Status
# Per scale unit: 25 projects over every status.
STATUS_MIX = (
    (P.INTAKE, 2),
    (P.PLANNED, 4),
    (P.ACTIVE, 10),
    (P.ON_HOLD, 2),
    (P.DELIVERED, 3),
    (P.CLOSED, 2),
    (P.CANCELLED, 2),
)
INTERNAL_PER_UNIT = 2  # of the active projects
LABELS = ("hero", "retail", "social", "launch", "always-on", "phase 2", "regional", "partner")
PHASES = ("Concept", "Production", "Delivery")


def plan_work(demo: Demo) -> None:
    _deliverable_types(demo)
    for unit in range(demo.scale):
        for status, count in STATUS_MIX:
            for index in range(count):
                internal = status == P.ACTIVE and index >= count - INTERNAL_PER_UNIT
                showcase = unit == 0 and status == P.ACTIVE and index == 0
                demo.plans.append(_plan_project(demo, status, internal, showcase, unit, index))
    for plan in demo.plans:
        _phases(plan)
        for deliverable in plan.deliverables:
            deliverable.steps = _story(demo, plan, deliverable)


def _deliverable_types(demo: Demo) -> None:
    """The studio's catalogue, kept in the admin: no service writes it."""
    types = [
        DeliverableType(name=name, unit_name=unit, description=f"Standard estimate per {unit}.")
        for name, unit, *_rest in names.DELIVERABLE_TYPES
    ]
    DeliverableType.objects.bulk_create(types)
    rows = []
    for kind, (_name, _unit, hours, _quantity, _concept) in zip(types, names.DELIVERABLE_TYPES, strict=True):
        for discipline, per_unit in hours.items():
            rows.append(
                StandardHours(
                    deliverable_type=kind, discipline=demo.disciplines[discipline], hours_per_unit=Decimal(per_unit)
                )
            )
            demo.type_hours.setdefault(kind.pk, {})[demo.disciplines[discipline].pk] = Decimal(per_unit)
    StandardHours.objects.bulk_create(rows)
    demo.types = types


def _weeks(demo: Demo, n: int, days: int = 0) -> dt.date:
    """`days` after the Monday `n` weeks from this one."""
    return demo.week + dt.timedelta(weeks=n, days=days)


def _dates(demo: Demo, status: str):
    """(planned start, due date, the day work stopped) relative to this week."""
    r = demo.rng.randint
    stopped = None
    if status == P.INTAKE:
        start = _weeks(demo, r(2, 5))
        due = start + dt.timedelta(weeks=r(4, 8), days=4)
    elif status == P.PLANNED:
        start = _weeks(demo, r(1, 3))
        due = start + dt.timedelta(weeks=r(4, 9), days=4)
    elif status == P.ACTIVE:
        start, due = _weeks(demo, -r(2, 9)), _weeks(demo, r(1, 8), 4)
    elif status == P.ON_HOLD:
        start, due, stopped = _weeks(demo, -r(6, 10)), _weeks(demo, r(1, 5), 4), _weeks(demo, -r(1, 3), 2)
    elif status == P.DELIVERED:
        start, due = _weeks(demo, -r(9, 14)), _weeks(demo, -r(1, 3), 4)
    elif status == P.CLOSED:
        start, due = _weeks(demo, -r(20, 30)), _weeks(demo, -r(9, 16), 4)
    else:  # cancelled
        start, due, stopped = _weeks(demo, -r(4, 8)), _weeks(demo, r(2, 6), 4), _weeks(demo, -r(1, 2), 2)
    return start, due, stopped


def _plan_project(demo: Demo, status, internal, showcase, unit, index) -> ProjectPlan:
    rng = demo.rng
    number = len(demo.plans) + 1
    pm = demo.users["pm"] if showcase else demo.pms[(number + unit) % len(demo.pms)]
    if showcase:
        start, due, stopped = _weeks(demo, -5), _weeks(demo, 5, 4), None
    else:
        start, due, stopped = _dates(demo, status)
    if internal:
        brand = None
        name = names.INTERNAL_PROJECTS[(number + unit) % len(names.INTERNAL_PROJECTS)]
    else:
        # `brand` runs the first two brands: the showcase, a planned and a delivered project.
        if showcase:
            brand = demo.brands[0]
        elif unit == 0 and index == 0 and status in (P.DELIVERED, P.PLANNED):
            brand = demo.brands[1]
        else:
            brand = rng.choice(demo.brands)
        name = f"{brand.name} {rng.choice(names.CAMPAIGNS).lower()}"
    plan = ProjectPlan(
        name=name, brand=brand, pm=pm, status=status, start=start, due=due, stopped_on=stopped, showcase=showcase,
        created=demo.at(min(start, demo.today) - dt.timedelta(days=rng.randint(7, 30)), 11),
    )
    if status != P.INTAKE:
        plan.baseline_at = demo.at(min(start, demo.today) - dt.timedelta(days=rng.randint(1, 6)), 17)
        if status in (P.ACTIVE, P.ON_HOLD, P.DELIVERED) and rng.random() < 0.3:
            # The plan slipped since the baseline was frozen.
            plan.baseline_due = due - dt.timedelta(weeks=rng.randint(1, 2))
        plan.work_start = start
        plan.work_end = stopped - dt.timedelta(days=1) if stopped else due
    # Client work came in as a brand's request, which brings its brief; intake is still
    # being scoped by the studio, and internal work has neither request nor brief.
    plan.from_request = not internal and status != P.INTAKE
    plan.expenses = Decimal(0) if internal else demo.money(500, 4000, 250)
    plan.deliverables = _deliverables(demo, plan)
    plan.fee = Decimal(0) if internal else _fee(demo, plan)
    if showcase:
        demo.showcase = plan
        demo.creative_deliverable, demo.toolkit_deliverable = plan.deliverables[1], plan.deliverables[2]
    return plan


def _deliverables(demo: Demo, plan: ProjectPlan) -> list[DeliverablePlan]:
    rng, cal = demo.rng, demo.calendar
    start, due = plan.start, plan.due
    span = (due - start).days
    types = {kind.name: kind for kind in demo.types}
    concept_types = [kind for kind, spec in zip(demo.types, names.DELIVERABLE_TYPES, strict=True) if spec[4]]
    other_types = [kind for kind in demo.types if kind not in concept_types]
    concept_due = max(cal.on_or_before(start + dt.timedelta(days=span // 4)), start)
    specs = [(rng.choice(concept_types), "", start, concept_due)]
    if plan.showcase:
        creative_due = demo.week + dt.timedelta(days=4) if demo.today.weekday() <= 4 else demo.today
        specs += [
            (types["Key visual"], "hero", _weeks(demo, -2), creative_due),
            (types["Motion toolkit"], "launch", _weeks(demo, -2), _weeks(demo, 1, 4)),
            (types["Banner set"], "retail", _weeks(demo, 1), _weeks(demo, 3, 4)),
            (types["30-second cut"], "launch", _weeks(demo, 0), due),
        ]
    else:
        count = rng.randint(3, 6)
        for n in range(1, count):
            first = start + dt.timedelta(days=rng.randint(span * 15 // 100, span // 2))
            last = due if n == count - 1 else first + dt.timedelta(days=rng.randint(10, max(10, (due - first).days)))
            first = cal.on_or_after(first)
            last = max(cal.on_or_before(min(last, due)), first)
            specs.append((rng.choice(other_types), rng.choice(LABELS), first, last))
    quantities = {spec[0]: spec[3] for spec in names.DELIVERABLE_TYPES}
    result = []
    for kind, label, first, last in specs:
        low, high = quantities[kind.name]
        quantity = rng.randint(low, high)
        hours = sum(per_unit * quantity for per_unit in demo.type_hours[kind.pk].values())
        name = f"{kind.name}: {label}" if label else kind.name
        result.append(DeliverablePlan(kind, name, quantity, Decimal(hours), first, last))
        plan.disciplines.update(demo.type_hours[kind.pk])
    return result


def hours_by_discipline(demo: Demo, plan: ProjectPlan) -> dict[int, Decimal]:
    """The project's planned hours by discipline id."""
    hours: dict[int, Decimal] = {}
    for deliverable in plan.deliverables:
        for discipline, per_unit in demo.type_hours[deliverable.kind.pk].items():
            hours[discipline] = hours.get(discipline, Decimal(0)) + per_unit * deliverable.quantity
    return hours


def staff_bill_rate(demo: Demo, discipline_id: int) -> Decimal:
    """The studio's list price per hour for a discipline: the middle of its staff bill range."""
    for name, *_rest, (low, high) in names.DISCIPLINES:
        if demo.disciplines[name].pk == discipline_id:
            return Decimal((low + high) // 2)
    raise KeyError(discipline_id)


def _fee(demo: Demo, plan: ProjectPlan) -> Decimal:
    """Labour at list prices plus expenses and a margin, to the nearest 500."""
    labour = sum(
        (hours * staff_bill_rate(demo, discipline) for discipline, hours in hours_by_discipline(demo, plan).items()),
        Decimal(0),
    )
    total = (labour + plan.expenses) * Decimal("1.08")
    return (total / 500).quantize(Decimal(1)) * 500


def _phases(plan: ProjectPlan) -> None:
    """Concept, production and delivery, cut at a quarter and four fifths of the project."""
    start, due = plan.start, plan.due
    span = (due - start).days
    cuts = (start, start + dt.timedelta(days=span // 4), start + dt.timedelta(days=span * 4 // 5), due)
    plan.phases = [
        (name, cuts[order] + dt.timedelta(days=order > 0), cuts[order + 1]) for order, name in enumerate(PHASES)
    ]


def phase_of(plan: ProjectPlan, deliverable: DeliverablePlan) -> int:
    """The index of the phase the deliverable is due in (the last one, if none)."""
    return next(
        (n for n, (_name, first, last) in enumerate(plan.phases) if first <= deliverable.due <= last),
        len(plan.phases) - 1,
    )


# --- what happened to each deliverable --------------------------------------------------


def _review(demo: Demo, plan: ProjectPlan, final: str) -> list[tuple[str, int]]:
    """The work and review steps that took a deliverable to `final`. Internal work has no
    client step: the production manager's approval is the last word."""
    rng, client = demo.rng, not plan.internal
    steps = [(Step.PROGRESS, 10), (Step.PROGRESS, 50), (Step.PROGRESS, 90), (Step.SUBMIT, 0)]
    if rng.random() < 0.2:
        steps += [(Step.CHANGES, 0), (Step.SUBMIT, 0)]  # sent back at the internal review
    rounds = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
    for _round in range(rounds if client else 0):
        steps += [(Step.APPROVE, 0), (Step.CHANGES, 0), (Step.SUBMIT, 0)]
    if client:
        steps.append((Step.APPROVE, 0))  # past the internal review: with the client
    elif final == S.CLIENT_REVIEW:
        return steps  # still in the internal review
    if final == S.CHANGES_REQUESTED:
        steps.append((Step.CHANGES, 0))
    elif final in (S.APPROVED, S.DELIVERED):
        steps.append((Step.APPROVE, 0))
    return steps


def _dated(demo: Demo, steps, start: dt.date, end: dt.date) -> list[Step]:
    """The steps spread over the working days from `start` to `end`."""
    days = demo.calendar.spread(start, max(start, end), len(steps))
    return [Step(day, action, percent) for day, (action, percent) in zip(days, steps, strict=True)]


def _approved(demo: Demo, plan: ProjectPlan, deliverable: DeliverablePlan, delivered: bool, latest: dt.date):
    """Approved near its due date (never after `latest`), and maybe delivered a few days on."""
    rng, cal = demo.rng, demo.calendar
    approved_on = max(
        min(cal.on_or_before(deliverable.due - dt.timedelta(days=rng.randint(0, 2))), latest), deliverable.start
    )
    steps = _dated(demo, _review(demo, plan, S.APPROVED), deliverable.start, approved_on)
    if delivered:
        delivered_on = min(approved_on + dt.timedelta(days=rng.randint(0, 3)), latest)
        steps.append(Step(max(delivered_on, approved_on), Step.DELIVER, 100))
    return steps


def _in_progress(demo: Demo, deliverable: DeliverablePlan, until: dt.date, percent=None, may_submit=True):
    """Work reported up to `until`, about as far as the time gone; handed in when nearly due."""
    start, due = deliverable.start, deliverable.due
    cal = demo.calendar
    if percent is None:
        elapsed = cal.count(start, until) / max(cal.count(start, due), 1)
        percent = int(min(max(elapsed * 100 * demo.rng.uniform(0.75, 1.1), 5), 95)) // 5 * 5
    if until <= start:
        return [Step(start, Step.PROGRESS, percent)]
    steps = _dated(
        demo,
        [(Step.PROGRESS, 10), (Step.PROGRESS, max(10, percent // 2)), (Step.PROGRESS, percent)],
        start,
        until,
    )
    if may_submit and percent >= 80 and cal.count(until, due) <= 3:
        steps.append(Step(until, Step.SUBMIT))
    return steps


def _story(demo: Demo, plan: ProjectPlan, deliverable: DeliverablePlan) -> list[Step]:
    """What happened to one deliverable, up to yesterday."""
    rng, status = demo.rng, plan.status
    start, due = deliverable.start, deliverable.due
    yesterday = demo.day(-1)
    if status in (P.INTAKE, P.PLANNED):
        return []
    if status in (P.DELIVERED, P.CLOSED):
        return _approved(demo, plan, deliverable, delivered=True, latest=plan.due)
    if status in (P.ON_HOLD, P.CANCELLED):
        stopped = plan.stopped_on
        if due < stopped:
            return _approved(demo, plan, deliverable, delivered=False, latest=stopped - dt.timedelta(days=1))
        cancelled = status == P.CANCELLED
        # Work in review cannot be cancelled: on a project about to stop, nobody hands it in.
        steps = (
            _in_progress(demo, deliverable, stopped - dt.timedelta(days=1), may_submit=not cancelled)
            if start < stopped
            else []
        )
        if cancelled:
            steps.append(Step(stopped, Step.CANCEL))
        return steps
    # Active.
    if plan.showcase and due >= demo.today:
        if start >= demo.today:
            return []
        forced = {"Key visual": 70, "Motion toolkit": 45}.get(deliverable.kind.name)
        return _in_progress(demo, deliverable, yesterday, forced)
    if due < demo.day(-7):
        return _approved(demo, plan, deliverable, delivered=rng.random() < 0.5, latest=yesterday)
    if due < demo.today:
        final = rng.choices((S.APPROVED, S.CLIENT_REVIEW, S.CHANGES_REQUESTED), weights=(2, 1, 1))[0]
        if final == S.APPROVED:
            return _approved(demo, plan, deliverable, delivered=False, latest=yesterday)
        return _dated(demo, _review(demo, plan, final), start, yesterday)
    if start < demo.today:
        return _in_progress(demo, deliverable, yesterday)
    return []


def needs_review(deliverable: DeliverablePlan) -> bool:
    """Whether someone hands it in: it needs an assignee to do so."""
    return any(step.action == Step.SUBMIT for step in deliverable.steps)
