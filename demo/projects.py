"""Projects, played through the services on the days they happened: a brand's request
accepted into a project (or a project started by the studio), its plan of phases,
deliverables, people and dependencies, its baseline, a slip, and each move along
its lifecycle."""

import datetime as dt
from collections import Counter

from briefs.services.requests import request_accept, request_submit
from projects.models import Deliverable, Project
from projects.services.baselines import baseline_set
from projects.services.plan import deliverable_add, deliverable_update, phase_add
from projects.services.projects import project_create, project_status_change, project_update

from .context import DeliverablePlan, Demo, ProjectPlan, moment, planner_statistics_refresh
from .work import phase_of

P = Project.Status
OBJECTIVES = "Reach new customers with the range; keep the brand recognisable; a measurable uplift."
DAY = dt.timedelta(days=1)
# Projects set up between two refreshes of the planner's statistics: a studio's worth.
STATISTICS_EVERY = 25


def build_projects(demo: Demo) -> None:
    """Set up every project, oldest first, so codes run in the order projects came in."""
    for number, plan in enumerate(sorted(demo.plans, key=lambda plan: plan.created)):
        if number % STATISTICS_EVERY == 0:
            planner_statistics_refresh()
        if plan.from_request:
            _accept_request(demo, plan)
        else:
            with moment(plan.created):
                plan.project = project_create(
                    user=plan.pm, name=plan.name, pm=plan.pm, planned_start=plan.start, due_date=_due(plan),
                    brand=plan.brand, is_internal=plan.internal, fee=plan.fee,
                    description=f"{plan.name}, run by {plan.pm.get_full_name()}.",
                    status=P.INTAKE if plan.status == P.INTAKE else P.PLANNED,
                )
        with moment(plan.created + dt.timedelta(hours=1)):
            _plan(demo, plan)
        if plan.baseline_at is not None:
            with moment(plan.baseline_at):
                baseline_set(project=plan.project, user=plan.pm, note="Plan agreed" if plan.internal else
                             "Plan agreed with the brand")
        if plan.work_start is not None and plan.work_start <= demo.today:
            with moment(demo.at(plan.work_start, 8, 30)):
                project_status_change(project=plan.project, user=plan.pm, status=P.ACTIVE)
        if plan.baseline_due is not None:
            _slip(demo, plan)


def finish_projects(demo: Demo) -> None:
    """Where each project stands today, once its work is done: on hold, cancelled,
    delivered or closed."""
    for plan in demo.plans:
        moves = []
        if plan.status == P.ON_HOLD:
            moves.append((demo.at(plan.stopped_on, 9), P.ON_HOLD, "The brand paused the campaign."))
        elif plan.status == P.CANCELLED:
            moves.append((demo.at(plan.stopped_on, 18), P.CANCELLED, "The brand cancelled the campaign."))
        elif plan.status in (P.DELIVERED, P.CLOSED):
            moves.append((demo.at(plan.due, 18), P.DELIVERED, ""))
            if plan.status == P.CLOSED:
                moves.append((demo.at(plan.due + 14 * DAY, 11), P.CLOSED, "Invoiced and paid."))
        for when, status, reason in moves:
            with moment(when):
                project_status_change(project=plan.project, user=plan.pm, status=status, reason=reason)


def _due(plan: ProjectPlan):
    """The due date the project was planned with: before it slipped, if it did."""
    return plan.baseline_due or plan.due


def _accept_request(demo: Demo, plan: ProjectPlan) -> None:
    """The brand manager asks for the work two days before the PM accepts it."""
    wanted = Counter()
    for deliverable in plan.deliverables:
        wanted[deliverable.kind] += deliverable.quantity
    with moment(plan.created - 2 * DAY):
        plan.request = request_submit(
            submitted_by=demo.managers_of[plan.brand.pk][0], brand=plan.brand, title=plan.name,
            objectives=OBJECTIVES, deadline=_due(plan), budget=plan.fee, items=list(wanted.items()),
        )
    with moment(plan.created):
        project = request_accept(request=plan.request, accepted_by=plan.pm, pm=plan.pm)
        # The request's plan starts on the next working day; the PM sets the agreed start.
        plan.project = project_update(project=project, user=plan.pm, version=project.version, planned_start=plan.start)


def _dates(plan: ProjectPlan, deliverable: DeliverablePlan) -> tuple[dt.date, dt.date]:
    """The dates the deliverable was first planned with."""
    if plan.baseline_due is None:
        return deliverable.start, deliverable.due
    return deliverable.baseline_dates(plan.baseline_due)


def _fits(person, start: dt.date, due: dt.date) -> bool:
    """Whether the person may work on something from `start` to `due` (a freelancer's contract)."""
    return not person.is_freelance or (person.contract_start <= due and person.contract_end >= start)


def _plan(demo: Demo, plan: ProjectPlan) -> None:
    """Phases, then each deliverable with its hours, people and what it waits for. A request's
    project already has one deliverable per wanted type: the PM reshapes those."""
    project, pm = plan.project, plan.pm
    phases = [
        phase_add(project=project, user=pm, name=name, start_date=first, end_date=last)
        for name, first, last in plan.phases
    ]
    from_request = {row.deliverable_type_id: row for row in Deliverable.objects.filter(project=project)}
    concept = plan.deliverables[0]
    by_type = {d.kind.name: d for d in plan.deliverables}
    for deliverable in plan.deliverables:
        start, due = _dates(plan, deliverable)
        waits_for = []
        if deliverable is not concept and deliverable.start > concept.due:
            waits_for.append(concept.row)
        if plan.showcase and deliverable is by_type["30-second cut"]:
            # Planned to start before the toolkit it needs is due: the conflict the PM's home shows.
            waits_for.append(by_type["Motion toolkit"].row)
        fields = {
            "name": deliverable.name, "quantity": deliverable.quantity, "phase": phases[phase_of(plan, deliverable)],
            "planned_start": start, "due_date": due, "hours": _hours(demo, deliverable),
            "assignees": [person for person in deliverable.assignees if _fits(person, start, due)],
            "depends_on": waits_for,
        }
        row = from_request.pop(deliverable.kind.pk, None)
        if row is None:
            deliverable.row = deliverable_add(project=project, user=pm, deliverable_type=deliverable.kind, **fields)
        else:
            deliverable_update(deliverable=row, user=pm, version=row.version, **fields)
            row.refresh_from_db()
            deliverable.row = row


def _hours(demo: Demo, deliverable: DeliverablePlan) -> dict:
    """Its planned hours by discipline: the type's standard hours times the quantity."""
    disciplines = {discipline.pk: discipline for discipline in demo.disciplines.values()}
    return {
        disciplines[discipline]: per_unit * deliverable.quantity
        for discipline, per_unit in demo.type_hours[deliverable.kind.pk].items()
    }


def _slip(demo: Demo, plan: ProjectPlan) -> None:
    """Half-way to the baseline's due date the plan moved: the late deliverables to their
    new dates, which takes the project's due date with them."""
    halfway = plan.start + (plan.baseline_due - plan.start) / 2
    day = max(min(halfway, demo.day(-1)), plan.baseline_at.date() + DAY)
    with moment(demo.at(day, 16)):
        for deliverable in plan.deliverables:
            if _dates(plan, deliverable) == (deliverable.start, deliverable.due):
                continue
            row = deliverable.row
            row.refresh_from_db(fields=["version"])
            deliverable_update(
                deliverable=row, user=plan.pm, version=row.version, planned_start=deliverable.start,
                due_date=deliverable.due, assignees=deliverable.assignees,
            )
        project = Project.objects.get(pk=plan.project.pk)
        if project.due_date != plan.due:
            project_update(project=project, user=plan.pm, version=project.version, due_date=plan.due)
        plan.project = Project.objects.get(pk=plan.project.pk)
