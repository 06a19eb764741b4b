"""A project's budget: its first draft from the plan, its lines, its submission through
the approval engine, and what the approval does to it.

One baseline per project: the approved budget. Every later change is a change order
(`change_orders`), so a project whose budget is approved cannot start another one.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Max, Sum
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.services import approval_submit
from projects.models import DeliverableHours, DeliverableStatus, Project
from studio.limits import MAX_BUDGET_HOURS
from studio.models import Discipline, User
from studio.permissions import require
from studio.services import audit_record
from studio.versions import StaleVersion, lock_version

from ..models import ZERO, Budget, BudgetLine, cents

# Hours fit the field's 8 digits; a line's hours above this are a typing slip.
MAX_HOURS = MAX_BUDGET_HOURS
LINE_FIELDS = ("kind", "discipline", "description", "hours", "rate", "amount", "percent")
OPEN_STATUSES = (Budget.Status.DRAFT, Budget.Status.SUBMITTED)


def _line_snapshot(line: BudgetLine) -> dict:
    return model_to_dict(line, fields=("id", *LINE_FIELDS))


def _check_project_open(project: Project) -> None:
    if project.status in Project.Status.closed():
        raise ValidationError(
            _("The project is %(status)s: its budget no longer changes.") % {"status": project.get_status_display()},
            code="project_closed",
        )


# --- starting a budget ----------------------------------------------------------------


def planned_hours_by_discipline(project: Project) -> dict[int, Decimal]:
    """The plan's hours per discipline (deliverables not cancelled), by discipline id."""
    rows = (
        DeliverableHours.objects.filter(deliverable__project=project)
        .exclude(deliverable__status=DeliverableStatus.CANCELLED)
        .values("discipline")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {row["discipline"]: row["hours"] for row in rows if row["hours"]}


@transaction.atomic
def budget_start(*, project: Project, user: User) -> Budget:
    """The project's budget as a draft, pre-filled from the plan: one internal-labour line
    per discipline (planned hours × its standard cost rate) and a 0 % contingency."""
    require(user, "budget.change", project)
    # Serialises two people starting the same project's budget.
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_project_open(project)
    existing = set(project.budgets.values_list("status", flat=True))
    if Budget.Status.APPROVED in existing:
        raise ValidationError(
            _("This project's budget is approved: it is the baseline. Changes after the baseline are change orders."),
            code="baselined",
        )
    if existing & set(OPEN_STATUSES):
        raise ValidationError(_("This project already has a budget in the works."), code="exists")
    hours = planned_hours_by_discipline(project)
    disciplines = Discipline.objects.filter(pk__in=hours).order_by("name")
    too_many = [discipline.name for discipline in disciplines if hours[discipline.pk] > MAX_HOURS]
    if too_many:
        raise ValidationError(
            _("The plan holds more than %(max)s hours of %(names)s: more than one line can hold. Check the plan.")
            % {"max": f"{MAX_HOURS:,}", "names": ", ".join(too_many)},
            code="too_many_hours",
        )
    revision = (project.budgets.aggregate(last=Max("revision"))["last"] or 0) + 1
    budget = Budget.objects.create(project=project, revision=revision, created_by=user)
    lines = [
        BudgetLine(
            budget=budget,
            kind=BudgetLine.Kind.LABOR,
            discipline=discipline,
            hours=hours[discipline.pk],
            rate=discipline.standard_cost_rate,
        )
        for discipline in disciplines
    ]
    lines.append(
        BudgetLine(budget=budget, kind=BudgetLine.Kind.CONTINGENCY, percent=ZERO, description=_("Contingency"))
    )
    BudgetLine.objects.bulk_create(lines)
    audit_record(
        actor=user,
        obj=budget,
        action="budget.start",
        after={"revision": revision, "lines": [_line_snapshot(line) for line in lines]},
    )
    return budget


# --- its lines ---------------------------------------------------------------------------


def _lock_draft(budget: Budget, version: int) -> Budget:
    """The budget, locked, if it is still at `version` and a draft of an open project."""
    budget = lock_version(Budget.objects.select_related("project"), budget.pk, version)
    if budget.status == Budget.Status.SUBMITTED:
        raise ValidationError(
            _("The budget is waiting for approval: it can be changed again if it is sent back."), code="submitted"
        )
    if budget.status != Budget.Status.DRAFT:
        raise ValidationError(
            _("This budget is approved: it is the baseline. Changes after the baseline are change orders."),
            code="baselined",
        )
    _check_project_open(budget.project)
    return budget


def _bump(budget: Budget) -> None:
    budget.version += 1
    budget.save(update_fields=["version"])


def _check_line(line: BudgetLine) -> None:
    """The model's own rules, and the bounds a budget's line keeps within."""
    errors: dict[str, list] = {}
    try:
        # One contingency per budget is checked below, with a message a person can act on.
        line.full_clean(exclude=["budget"], validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    if "\x00" in str(line.description or "") and "description" not in errors:
        errors["description"] = [str(ProhibitNullCharactersValidator.message)]
    if "hours" not in errors and isinstance(line.hours, Decimal) and line.hours > MAX_HOURS:
        errors["hours"] = [_("Enter at most %(max)s hours.") % {"max": f"{MAX_HOURS:,}"}]
    if (
        line.kind == BudgetLine.Kind.CONTINGENCY
        and BudgetLine.objects.filter(budget_id=line.budget_id, kind=BudgetLine.Kind.CONTINGENCY)
        .exclude(pk=line.pk)
        .exists()
    ):
        errors.setdefault("kind", []).append(
            _("The budget already has a contingency line: change its percentage instead.")
        )
    if errors:
        raise ValidationError(errors)


def _line_values(fields: dict) -> dict:
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"A budget line has no {', '.join(sorted(unknown))}")
    values = dict(fields)
    if isinstance(values.get("description"), str):
        values["description"] = values["description"].strip()
    return values


def _default_rate(line: BudgetLine) -> None:
    """Internal labour is costed at its discipline's standard cost rate unless given one."""
    if line.kind == BudgetLine.Kind.LABOR and line.rate is None and line.hours is not None and line.discipline:
        line.rate = line.discipline.standard_cost_rate


@transaction.atomic
def budget_line_add(*, budget: Budget, user: User, version: int, **fields) -> BudgetLine:
    """Add a line to a draft budget."""
    require(user, "budget.change", budget.project)
    budget = _lock_draft(budget, version)
    line = BudgetLine(budget=budget, **_line_values(fields))
    _default_rate(line)
    _check_line(line)
    line.save()
    _bump(budget)
    audit_record(actor=user, obj=budget, action="budget_line.add", after=_line_snapshot(line))
    return line


@transaction.atomic
def budget_line_change(*, line: BudgetLine, user: User, version: int, **fields) -> BudgetLine:
    """Change a line of a draft budget: only the fields given change."""
    require(user, "budget.change", line.budget.project)
    budget = _lock_draft(line.budget, version)
    current = BudgetLine.objects.select_related("discipline").filter(pk=line.pk, budget=budget).first()
    if current is None:
        raise StaleVersion(budget)
    before = _line_snapshot(current)
    for name, value in _line_values(fields).items():
        setattr(current, name, value)
    _default_rate(current)
    _check_line(current)
    current.save()
    _bump(budget)
    audit_record(actor=user, obj=budget, action="budget_line.change", before=before, after=_line_snapshot(current))
    return current


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, user: User, version: int) -> None:
    """Remove a line from a draft budget."""
    require(user, "budget.change", line.budget.project)
    budget = _lock_draft(line.budget, version)
    current = BudgetLine.objects.filter(pk=line.pk, budget=budget).first()
    if current is None:
        raise StaleVersion(budget)
    audit_record(actor=user, obj=budget, action="budget_line.remove", before=_line_snapshot(current))
    current.delete()
    _bump(budget)


# --- submission and approval ---------------------------------------------------------------


@transaction.atomic
def budget_submit(*, budget: Budget, user: User, version: int) -> Budget:
    """Send a draft budget through the approval engine (its flow: an executive step above
    the studio's threshold at the time of submission)."""
    require(user, "budget.change", budget.project)
    budget = _lock_draft(budget, version)
    if not budget.lines.exclude(kind=BudgetLine.Kind.CONTINGENCY).exists():
        raise ValidationError(_("Add at least one line before submitting the budget."), code="empty")
    budget.status = Budget.Status.SUBMITTED
    budget.version += 1
    budget.save(update_fields=["status", "version"])
    # The engine's approval.submitted on the budget is the record of the submission.
    approval_submit(obj=budget, kind="budget", submitted_by=user)
    # Below the threshold the engine may approve it at once (the submitter's own step is skipped).
    return Budget.objects.select_related("project").get(pk=budget.pk)


@transaction.atomic
def budget_approve(*, budget: Budget, user: User) -> Budget:
    """An approved budget is the project's baseline."""
    budget.status = Budget.Status.APPROVED
    budget.approved_at = timezone.now()
    budget.version += 1
    budget.save(update_fields=["status", "approved_at", "version"])
    return budget


@transaction.atomic
def budget_return_to_draft(*, budget: Budget, user: User) -> Budget:
    budget.status = Budget.Status.DRAFT
    budget.version += 1
    budget.save(update_fields=["status", "version"])
    return budget


def budget_total(budget: Budget) -> Decimal:
    """What the budget's approval thresholds test and the approval keeps: its total, in cents."""
    return cents(Budget.objects.with_totals().get(pk=budget.pk).total)


# --- approval kinds (registered in BudgetsConfig.ready) -------------------------------


def budget_on_approve(budget, approval, user):
    budget_approve(budget=budget, user=user)


def budget_on_send_back(budget, approval, user):
    budget_return_to_draft(budget=budget, user=user)
