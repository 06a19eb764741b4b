"""The work: deliverable types, projects in every status, phases, deliverables
and each deliverable's dated progress, consistent with its project's story."""

import datetime as dt
from decimal import Decimal

from projects.models import (
    Baseline,
    BaselineDeliverable,
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    DeliverableStatus,
    DeliverableType,
    Dependency,
    Phase,
    Project,
    StandardHours,
)

from . import names
from .context import Demo, ProjectPlan

S = DeliverableStatus
# Per scale unit: 25 projects over every status.
STATUS_MIX = (
    (Project.Status.INTAKE, 2),
    (Project.Status.PLANNED, 4),
    (Project.Status.ACTIVE, 10),
    (Project.Status.ON_HOLD, 2),
    (Project.Status.DELIVERED, 3),
    (Project.Status.CLOSED, 2),
    (Project.Status.CANCELLED, 2),
)
INTERNAL_PER_UNIT = 2  # of the active projects
LABELS = ("hero", "retail", "social", "launch", "always-on", "phase 2", "regional", "partner")


def build_work(demo: Demo) -> None:
    _deliverable_types(demo)
    for unit in range(demo.scale):
        for status, count in STATUS_MIX:
            for index in range(count):
                internal = status == Project.Status.ACTIVE and index >= count - INTERNAL_PER_UNIT
                showcase = unit == 0 and status == Project.Status.ACTIVE and index == 0
                demo.plans.append(_plan_project(demo, status, internal, showcase, unit, index))
    Project.objects.bulk_create([plan.project for plan in demo.plans])
    _phases_and_deliverables(demo)


def _deliverable_types(demo: Demo) -> None:
    types = [
        DeliverableType(name=name, unit_name=unit, description=f"Standard estimate per {unit}.")
        for name, unit, *_rest in names.DELIVERABLE_TYPES
    ]
    DeliverableType.objects.bulk_create(types)
    rows = []
    for kind, (_name, _unit, hours, _quantity, _concept) in zip(
        types, names.DELIVERABLE_TYPES, strict=True
    ):
        for discipline, per_unit in hours.items():
            rows.append(
                StandardHours(
                    deliverable_type=kind,
                    discipline=demo.disciplines[discipline],
                    hours_per_unit=Decimal(per_unit),
                )
            )
            demo.type_hours.setdefault(kind.pk, {})[demo.disciplines[discipline].pk] = Decimal(
                per_unit
            )
    StandardHours.objects.bulk_create(rows)
    demo.types = types


def _weeks(demo: Demo, n: int, days: int = 0) -> dt.date:
    return demo.week + dt.timedelta(weeks=n, days=days)


def _dates(demo: Demo, status: str):
    """(planned start, due date, the day work stopped) relative to this week."""
    r = demo.rng.randint
    stopped = None
    if status == Project.Status.INTAKE:
        start = _weeks(demo, r(2, 5))
        due = start + dt.timedelta(weeks=r(4, 8), days=4)
    elif status == Project.Status.PLANNED:
        start = _weeks(demo, r(1, 3))
        due = start + dt.timedelta(weeks=r(4, 9), days=4)
    elif status == Project.Status.ACTIVE:
        start, due = _weeks(demo, -r(2, 9)), _weeks(demo, r(1, 8), 4)
    elif status == Project.Status.ON_HOLD:
        start, due, stopped = (
            _weeks(demo, -r(6, 10)),
            _weeks(demo, r(1, 5), 4),
            _weeks(demo, -r(1, 3), 2),
        )
    elif status == Project.Status.DELIVERED:
        start, due = _weeks(demo, -r(9, 14)), _weeks(demo, -r(1, 3), 4)
    elif status == Project.Status.CLOSED:
        start, due = _weeks(demo, -r(20, 30)), _weeks(demo, -r(9, 16), 4)
    else:  # cancelled
        start, due, stopped = (
            _weeks(demo, -r(4, 8)),
            _weeks(demo, r(2, 6), 4),
            _weeks(demo, -r(1, 2), 2),
        )
    return start, due, stopped


def _next_code(demo: Demo, prefix: str) -> str:
    """The brand's (or internal work's) own running number: AUR-001, AUR-002, …"""
    demo.code_numbers[prefix] = demo.code_numbers.get(prefix, 0) + 1
    return f"{prefix}-{demo.code_numbers[prefix]:03d}"


def _plan_project(demo: Demo, status, internal, showcase, unit, index) -> ProjectPlan:
    rng = demo.rng
    number = len(demo.plans) + 1
    pm = demo.users["pm"] if showcase else demo.pms[(number + unit) % len(demo.pms)]
    if showcase:
        start, due, stopped = _weeks(demo, -5), _weeks(demo, 5, 4), None
    else:
        start, due, stopped = _dates(demo, status)
    if internal:
        brand, code = None, _next_code(demo, "INT")
        name = names.INTERNAL_PROJECTS[(number + unit) % len(names.INTERNAL_PROJECTS)]
    else:
        # `brand` runs the first two brands: the showcase, a planned and a delivered project.
        if showcase:
            brand = demo.brands[0]
        elif (
            unit == 0
            and index == 0
            and status in (Project.Status.DELIVERED, Project.Status.PLANNED)
        ):
            brand = demo.brands[1]
        else:
            brand = rng.choice(demo.brands)
        code = _next_code(demo, brand.code_prefix)
        name = f"{brand.name} {rng.choice(names.CAMPAIGNS).lower()}"
    project = Project(
        code=code,
        name=name,
        brand=brand,
        is_internal=internal,
        pm=pm,
        status=status,
        planned_start=start,
        due_date=due,
        description=f"{name}, run by {pm.get_full_name()}.",
        created_at=demo.at(min(start, demo.today) - dt.timedelta(days=rng.randint(7, 30))),
    )
    if status != Project.Status.INTAKE:
        project.baseline_start, project.baseline_due_date = start, due
        project.baseline_set_at = demo.at(
            min(start, demo.today) - dt.timedelta(days=rng.randint(1, 6))
        )
        if (
            status in (Project.Status.ACTIVE, Project.Status.ON_HOLD, Project.Status.DELIVERED)
            and rng.random() < 0.3
        ):
            # The plan slipped since the baseline was frozen.
            project.baseline_due_date = due - dt.timedelta(weeks=rng.randint(1, 2))
    plan = ProjectPlan(project=project, stopped_on=stopped, showcase=showcase)
    if status != Project.Status.INTAKE:
        plan.work_start = start
        plan.work_end = stopped - dt.timedelta(days=1) if stopped else due
    plan.expenses = Decimal(0) if internal else demo.money(500, 4000, 250)
    plan.specs = _deliverable_specs(demo, plan)
    project.fee = Decimal(0) if internal else _fee(demo, plan)
    if showcase:
        demo.showcase = plan
    return plan


def _deliverable_specs(demo: Demo, plan: ProjectPlan):
    """(type, name, quantity, planned hours, start, due) for each deliverable of the project."""
    rng, cal, project = demo.rng, demo.calendar, plan.project
    start, due = project.planned_start, project.due_date
    span = (due - start).days
    types = {kind.name: kind for kind in demo.types}
    concept_types = [
        kind for kind, spec in zip(demo.types, names.DELIVERABLE_TYPES, strict=True) if spec[4]
    ]
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
            last = (
                due
                if n == count - 1
                else first + dt.timedelta(days=rng.randint(10, max(10, (due - first).days)))
            )
            first = cal.on_or_after(first)
            last = max(cal.on_or_before(min(last, due)), first)
            specs.append((rng.choice(other_types), rng.choice(LABELS), first, last))
    types_spec = {spec[0]: spec for spec in names.DELIVERABLE_TYPES}
    result = []
    for kind, label, first, last in specs:
        low, high = types_spec[kind.name][3]
        quantity = rng.randint(low, high)
        hours = sum(per_unit * quantity for per_unit in demo.type_hours[kind.pk].values())
        name = f"{kind.name}: {label}" if label else kind.name
        result.append((kind, name, quantity, Decimal(hours), first, last))
        plan.disciplines.update(demo.type_hours[kind.pk])
    return result


def hours_by_discipline(demo: Demo, plan: ProjectPlan) -> dict[int, Decimal]:
    hours: dict[int, Decimal] = {}
    for kind, _name, quantity, _hours, _first, _last in plan.specs:
        for discipline, per_unit in demo.type_hours[kind.pk].items():
            hours[discipline] = hours.get(discipline, Decimal(0)) + per_unit * quantity
    return hours


def staff_bill_rate(demo: Demo, discipline_id: int) -> Decimal:
    """The studio's list price per hour for a discipline: the middle of its staff bill range."""
    for name, *_rest, (low, high) in names.DISCIPLINES:
        if demo.disciplines[name].pk == discipline_id:
            return Decimal((low + high) // 2)
    raise KeyError(discipline_id)


def _fee(demo: Demo, plan: ProjectPlan) -> Decimal:
    labour = sum(
        (
            hours * staff_bill_rate(demo, discipline)
            for discipline, hours in hours_by_discipline(demo, plan).items()
        ),
        Decimal(0),
    )
    total = (labour + plan.expenses) * Decimal("1.08")
    return (total / 500).quantize(Decimal(1)) * 500


def _phases_and_deliverables(demo: Demo) -> None:
    phases, deliverables = [], []
    for plan in demo.plans:
        project = plan.project
        start, due = project.planned_start, project.due_date
        span = (due - start).days
        cuts = (
            start,
            start + dt.timedelta(days=span // 4),
            start + dt.timedelta(days=span * 4 // 5),
            due,
        )
        plan.phases = [
            Phase(
                project=project,
                name=name,
                order=order,
                start_date=cuts[order] + dt.timedelta(days=order > 0),
                end_date=cuts[order + 1],
            )
            for order, name in enumerate(("Concept", "Production", "Delivery"))
        ]
        phases += plan.phases
    Phase.objects.bulk_create(phases)

    progress = []
    for plan in demo.plans:
        for kind, name, quantity, hours, first, last in plan.specs:
            phase = next(
                (p for p in plan.phases if p.start_date <= last <= p.end_date), plan.phases[-1]
            )
            deliverable = Deliverable(
                project=plan.project,
                phase=phase,
                deliverable_type=kind,
                name=name,
                quantity=quantity,
                planned_hours=hours,
                planned_start=first,
                due_date=last,
            )
            events = _story(demo, plan, deliverable)
            _apply(demo, deliverable, events)
            plan.deliverables.append(deliverable)
            deliverables.append((deliverable, events))
        if plan.showcase:
            demo.creative_deliverable, demo.toolkit_deliverable = (
                plan.deliverables[1],
                plan.deliverables[2],
            )
    Deliverable.objects.bulk_create([deliverable for deliverable, _events in deliverables])
    _hours_dependencies_and_baselines(demo)
    for deliverable, events in deliverables:
        pm = deliverable.project.pm
        previous, hour = None, 9
        for day, status, percent in events:
            hour = hour + 1 if day == previous else 9
            previous = day
            progress.append(
                DeliverableProgress(
                    deliverable=deliverable,
                    date=day,
                    status=status,
                    percent_complete=percent,
                    recorded_by=pm,
                    recorded_at=demo.at(day, min(hour, 20)),
                )
            )
    DeliverableProgress.objects.bulk_create(progress, batch_size=2000)


def _hours_dependencies_and_baselines(demo: Demo) -> None:
    """Each deliverable's planned hours by discipline; the concept leads the work that starts
    after it (and, on the showcase, the motion toolkit leads the 30-second cut, which is
    planned to start too early: a conflict to resolve); baseline 1 where one was frozen."""
    hours, links, baselines, frozen = [], [], [], []
    for plan in demo.plans:
        for deliverable in plan.deliverables:
            hours += [
                DeliverableHours(
                    deliverable=deliverable, discipline_id=discipline, hours=per_unit * deliverable.quantity
                )
                for discipline, per_unit in demo.type_hours[deliverable.deliverable_type_id].items()
            ]
        concept, *rest = plan.deliverables
        links += [Dependency(predecessor=concept, successor=d) for d in rest if d.planned_start > concept.due_date]
        if plan.showcase:
            by_type = {d.deliverable_type.name: d for d in plan.deliverables}
            links.append(Dependency(predecessor=by_type["Motion toolkit"], successor=by_type["30-second cut"]))
        project = plan.project
        if project.baseline_set_at is None:
            continue
        baseline = Baseline(
            project=project, number=1, planned_start=project.baseline_start, due_date=project.baseline_due_date,
            planned_hours=sum((d.planned_hours for d in plan.deliverables), Decimal(0)), set_by=project.pm,
            set_at=project.baseline_set_at, note="Plan agreed with the brand",
        )
        baselines.append(baseline)
        for d in plan.deliverables:
            # Where the plan slipped, the deliverables were due by the baseline's due date.
            due = min(d.due_date, project.baseline_due_date)
            frozen.append(BaselineDeliverable(
                baseline=baseline, deliverable=d, planned_start=min(d.planned_start, due), due_date=due,
                planned_hours=d.planned_hours,
            ))
    DeliverableHours.objects.bulk_create(hours, batch_size=2000)
    Dependency.objects.bulk_create(links, batch_size=2000)
    Baseline.objects.bulk_create(baselines)
    BaselineDeliverable.objects.bulk_create(frozen, batch_size=2000)


def _review_path(demo: Demo, final: str):
    """The statuses a deliverable went through on its way to `final`."""
    rng = demo.rng
    path = [(S.IN_PROGRESS, 10), (S.IN_PROGRESS, 50), (S.INTERNAL_REVIEW, 90)]
    if rng.random() < 0.2:
        path += [(S.CHANGES_REQUESTED, 80), (S.INTERNAL_REVIEW, 90)]
    for _round in range(rng.choices((0, 1, 2), weights=(55, 35, 10))[0]):
        path += [(S.CLIENT_REVIEW, 95), (S.CHANGES_REQUESTED, 85), (S.INTERNAL_REVIEW, 95)]
    path.append((S.CLIENT_REVIEW, 95))
    if final == S.CHANGES_REQUESTED:
        path.append((S.CHANGES_REQUESTED, 85))
    elif final in (S.APPROVED, S.DELIVERED):
        path.append((S.APPROVED, 100))
    return path


def _dated(demo: Demo, path, start: dt.date, end: dt.date):
    days = demo.calendar.spread(start, max(start, end), len(path))
    return [(day, status, percent) for day, (status, percent) in zip(days, path, strict=True)]


def _approved(demo: Demo, deliverable, delivered: bool, latest: dt.date):
    """Approved near its due date (never after `latest`), and maybe delivered a few days on."""
    rng, cal = demo.rng, demo.calendar
    approved_on = max(
        min(cal.on_or_before(deliverable.due_date - dt.timedelta(days=rng.randint(0, 2))), latest),
        deliverable.planned_start,
    )
    events = _dated(demo, _review_path(demo, S.APPROVED), deliverable.planned_start, approved_on)
    if delivered:
        delivered_on = min(approved_on + dt.timedelta(days=rng.randint(0, 3)), latest)
        events.append((max(delivered_on, approved_on), S.DELIVERED, 100))
    return events


def _in_progress(demo: Demo, deliverable, until: dt.date, percent: int | None = None):
    start, due = deliverable.planned_start, deliverable.due_date
    cal = demo.calendar
    if percent is None:
        elapsed = cal.count(start, until) / max(cal.count(start, due), 1)
        percent = int(min(max(elapsed * 100 * demo.rng.uniform(0.75, 1.1), 5), 95)) // 5 * 5
    if until <= start:
        return [(start, S.IN_PROGRESS, percent)]
    events = _dated(
        demo,
        [(S.IN_PROGRESS, 10), (S.IN_PROGRESS, max(10, percent // 2)), (S.IN_PROGRESS, percent)],
        start,
        until,
    )
    if percent >= 80 and cal.count(until, due) <= 3:
        events.append((until, S.INTERNAL_REVIEW, percent))
    return events


def _story(demo: Demo, plan: ProjectPlan, deliverable):
    """The (date, status, percent) history of one deliverable, up to yesterday."""
    rng, status = demo.rng, plan.project.status
    start, due = deliverable.planned_start, deliverable.due_date
    yesterday = demo.day(-1)
    if status in (Project.Status.INTAKE, Project.Status.PLANNED):
        return []
    if status in (Project.Status.DELIVERED, Project.Status.CLOSED):
        return _approved(demo, deliverable, delivered=True, latest=plan.project.due_date)
    if status in (Project.Status.ON_HOLD, Project.Status.CANCELLED):
        stopped = plan.stopped_on
        if due < stopped:
            return _approved(
                demo, deliverable, delivered=False, latest=stopped - dt.timedelta(days=1)
            )
        events = (
            _in_progress(demo, deliverable, stopped - dt.timedelta(days=1))
            if start < stopped
            else []
        )
        if status == Project.Status.CANCELLED:
            percent = events[-1][2] if events else 0
            events.append((stopped, S.CANCELLED, percent))
        return events
    # Active.
    if plan.showcase and deliverable.due_date >= demo.today:
        if start >= demo.today:
            return []
        forced = {"Key visual": 70, "Motion toolkit": 45}.get(deliverable.deliverable_type.name)
        return _in_progress(demo, deliverable, yesterday, forced)
    if due < demo.day(-7):
        return _approved(demo, deliverable, delivered=rng.random() < 0.5, latest=yesterday)
    if due < demo.today:
        final = rng.choices((S.APPROVED, S.CLIENT_REVIEW, S.CHANGES_REQUESTED), weights=(2, 1, 1))[
            0
        ]
        if final == S.APPROVED:
            return _approved(demo, deliverable, delivered=False, latest=yesterday)
        return _dated(demo, _review_path(demo, final), start, yesterday)
    if start < demo.today:
        return _in_progress(demo, deliverable, yesterday)
    return []


def _apply(demo: Demo, deliverable, events) -> None:
    """Set the deliverable's current fields from the last event of its history."""
    if not events:
        return
    _day, status, percent = events[-1]
    deliverable.status = status
    deliverable.percent_complete = 100 if status in (S.APPROVED, S.DELIVERED) else percent
    deliverable.revision_rounds = sum(1 for _d, s, _p in events if s == S.CHANGES_REQUESTED)
    approved = [day for day, s, _p in events if s == S.APPROVED]
    if approved:
        deliverable.approved_at = demo.at(approved[0], 15)
    statuses = [s for _d, s, _p in events]
    if S.CLIENT_REVIEW in statuses:
        after = statuses[statuses.index(S.CLIENT_REVIEW) + 1 :]
        if after and after[0] in (S.APPROVED, S.CHANGES_REQUESTED):
            deliverable.passed_first_client_review = after[0] == S.APPROVED
