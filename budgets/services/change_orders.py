"""Change orders: after a project's budget is approved (its baseline), every change to
its fee or its budget is a change order, approved through its own flow (DESIGN §2)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.services import approval_submit
from projects.models import Project
from studio.limits import MAX_AMOUNT, MAX_BUDGET_HOURS
from studio.models import User
from studio.permissions import require
from studio.services import audit_record
from studio.versions import StaleVersion, lock_version

from ..models import Budget, ChangeOrder, ChangeOrderLine, cents

FIELDS = ("title", "description", "fee_change", "budget_change")
LINE_FIELDS = ("kind", "discipline", "description", "hours", "rate", "amount")
# A line's hours either way beyond this are a typing slip (the field holds 8 digits).
MAX_HOURS = MAX_BUDGET_HOURS
# A change of more than this either way is a typing slip, not a change order.
LIMIT = MAX_AMOUNT


def _snapshot(change_order: ChangeOrder) -> dict:
    return {
        "number": change_order.number,
        "title": change_order.title,
        "status": change_order.status,
        "fee_change": str(change_order.fee_change),
        "budget_change": str(change_order.budget_change),
        "lines": [
            {name: str(getattr(line, f"{name}_id" if name == "discipline" else name) or "") for name in LINE_FIELDS}
            for line in change_order.lines.order_by("pk")
        ],
    }


def _check(change_order: ChangeOrder) -> None:
    errors = {}
    if not change_order.title:
        errors["title"] = _("Say what the change is.")
    for field in ("fee_change", "budget_change"):
        value = getattr(change_order, field)
        if value is None or not -LIMIT <= value <= LIMIT:
            errors[field] = _("Enter an amount between −%(limit)s and %(limit)s.") % {"limit": f"{LIMIT:,}"}
    if not errors and not change_order.fee_change and not change_order.budget_change:
        errors["budget_change"] = _("A change order changes the fee, the budget or both.")
    if errors:
        raise ValidationError(errors)
    change_order.full_clean(exclude=["project", "requested_by", "number"])


def _open_project(project: Project) -> Project:
    """The project, locked, if it may take a change order: open, with an approved budget."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    # A delivered project may still settle its fee; a closed or cancelled one does not.
    if project.status in (Project.Status.CLOSED, Project.Status.CANCELLED):
        raise ValidationError({"project": _("This project is closed; its money no longer changes.")})
    if not Budget.objects.filter(project=project).approved().exists():
        raise ValidationError(
            {"project": _("A change order changes an approved budget: submit the project's budget first.")}
        )
    return project


@transaction.atomic
def change_order_create(
    *,
    project: Project,
    user: User,
    title: str,
    description: str = "",
    fee_change: Decimal = Decimal(0),
    budget_change: Decimal = Decimal(0),
) -> ChangeOrder:
    """A draft change order, numbered after the project's last one."""
    require(user, "budget.change", project)
    project = _open_project(project)
    last = ChangeOrder.objects.filter(project=project).aggregate(last=Max("number"))["last"]
    change_order = ChangeOrder(
        project=project,
        number=(last or 0) + 1,
        title=title.strip(),
        description=description.strip(),
        fee_change=fee_change,
        budget_change=budget_change,
        requested_by=user,
    )
    _check(change_order)
    change_order.save()
    audit_record(actor=user, obj=change_order, action="change_order.created", after=_snapshot(change_order))
    return change_order


@transaction.atomic
def change_order_update(*, change_order: ChangeOrder, user: User, version: int, **changes) -> ChangeOrder:
    """Change a draft (or one sent back for changes) at the version the caller saw."""
    require(user, "budget.change", change_order.project)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"change_order_update cannot change {', '.join(sorted(unknown))}")
    change_order = _lock_draft(change_order, version)
    before = _snapshot(change_order)
    lines_total = _lines_total(change_order)
    if lines_total is not None and changes.get("budget_change", lines_total) != lines_total:
        raise ValidationError(
            {
                "budget_change": _(
                    "This change order has lines: its change to the budget is their sum. Change the lines."
                )
            }
        )
    for name, value in changes.items():
        setattr(change_order, name, value.strip() if isinstance(value, str) else value)
    _check(change_order)
    change_order.version += 1
    change_order.save()
    audit_record(
        actor=user, obj=change_order, action="change_order.updated", before=before, after=_snapshot(change_order)
    )
    return change_order


# --- its lines ------------------------------------------------------------------------------


def _lines_total(change_order: ChangeOrder) -> Decimal | None:
    """The sum of the change order's lines, in cents (None without lines)."""
    lines = list(change_order.lines.all())
    if not lines:
        return None
    return cents(sum((line.total for line in lines), Decimal(0)))


def _lock_draft(change_order: ChangeOrder, version: int) -> ChangeOrder:
    change_order = lock_version(ChangeOrder.objects.select_related("project"), change_order.pk, version)
    if change_order.status != ChangeOrder.Status.DRAFT:
        raise ValidationError(_("Only a draft change order can be changed."))
    return change_order


def _check_line(line: ChangeOrderLine) -> None:
    errors: dict[str, list] = {}
    try:
        line.full_clean(exclude=["change_order"])
    except ValidationError as error:
        errors = error.message_dict
    if "\x00" in str(line.description or "") and "description" not in errors:
        errors["description"] = [str(ProhibitNullCharactersValidator.message)]
    if "hours" not in errors and isinstance(line.hours, Decimal) and abs(line.hours) > MAX_HOURS:
        errors["hours"] = [_("Enter hours between −%(max)s and %(max)s.") % {"max": f"{MAX_HOURS:,}"}]
    if errors:
        raise ValidationError(errors)


def _sum_lines(change_order: ChangeOrder) -> None:
    """The change to the budget is the sum of the lines; within the limit a change order keeps."""
    total = _lines_total(change_order) or Decimal(0)
    if not -LIMIT <= total <= LIMIT:
        raise ValidationError({"amount": _("The lines add up to more than a change order can hold.")})
    change_order.budget_change = total
    change_order.version += 1
    change_order.save(update_fields=["budget_change", "version"])


@transaction.atomic
def change_order_line_add(*, change_order: ChangeOrder, user: User, version: int, **fields) -> ChangeOrderLine:
    """Add a line to a draft change order; its change to the budget becomes the lines' sum."""
    require(user, "budget.change", change_order.project)
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"A change order's line has no {', '.join(sorted(unknown))}")
    change_order = _lock_draft(change_order, version)
    line = ChangeOrderLine(change_order=change_order, **fields)
    line.description = (line.description or "").strip()
    if line.kind == ChangeOrderLine.Kind.LABOR and line.rate is None and line.hours is not None and line.discipline:
        line.rate = line.discipline.standard_cost_rate
    _check_line(line)
    before = _snapshot(change_order)
    line.save()
    _sum_lines(change_order)
    audit_record(
        actor=user, obj=change_order, action="change_order.line_added", before=before, after=_snapshot(change_order)
    )
    return line


@transaction.atomic
def change_order_line_remove(*, line: ChangeOrderLine, user: User, version: int) -> ChangeOrder:
    """Remove a line from a draft change order. The last one gone, the change to the
    budget is 0 until set again."""
    require(user, "budget.change", line.change_order.project)
    change_order = _lock_draft(line.change_order, version)
    current = ChangeOrderLine.objects.filter(pk=line.pk, change_order=change_order).first()
    if current is None:
        raise StaleVersion(change_order)
    before = _snapshot(change_order)
    current.delete()
    _sum_lines(change_order)
    audit_record(
        actor=user, obj=change_order, action="change_order.line_removed", before=before, after=_snapshot(change_order)
    )
    return change_order


@transaction.atomic
def change_order_submit(*, change_order: ChangeOrder, user: User, version: int) -> ChangeOrder:
    """Send a draft for approval through the change-order flow; the thresholds test the
    change in budget, read from the studio settings now."""
    require(user, "budget.change", change_order.project)
    change_order = lock_version(ChangeOrder.objects.select_related("project"), change_order.pk, version)
    if change_order.status != ChangeOrder.Status.DRAFT:
        raise ValidationError(_("Only a draft change order can be submitted."))
    _open_project(change_order.project)
    _check(change_order)
    change_order.status = ChangeOrder.Status.SUBMITTED
    change_order.version += 1
    change_order.save(update_fields=["status", "version"])
    approval_submit(obj=change_order, kind="change_order", submitted_by=user)
    change_order.refresh_from_db(fields=["status", "approved_at", "version"])
    return change_order


@transaction.atomic
def change_order_set_status(*, change_order: ChangeOrder, status: str, user: User) -> ChangeOrder:
    change_order = ChangeOrder.objects.select_for_update().get(pk=change_order.pk)
    before = _snapshot(change_order)
    change_order.status = status
    change_order.approved_at = timezone.now() if status == ChangeOrder.Status.APPROVED else None
    change_order.version += 1
    change_order.save(update_fields=["status", "approved_at", "version"])
    audit_record(
        actor=user, obj=change_order, action=f"change_order.{status}", before=before, after=_snapshot(change_order)
    )
    return change_order


# --- approval kind (registered in BudgetsConfig.ready) ---------------------------------


def change_order_on_approve(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.APPROVED, user=user)


def change_order_on_send_back(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.DRAFT, user=user)


def change_order_on_reject(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.REJECTED, user=user)
