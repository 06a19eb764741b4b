"""A project's costs beyond its people's time: expenses, purchase orders, fixed-fee
freelance work (committed → invoiced → paid), and freelancers' invoices for hourly work,
which are reconciled against their approved hours and never added to cost (DESIGN §3)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Project
from studio import clock
from studio.limits import MAX_AMOUNT
from studio.models import Talent, User
from studio.permissions import require
from studio.services import audit_record
from studio.workdays import plan_date_errors

from ..health import invoice_period_errors
from ..models import Cost
from ..tasks import budget_alerts_check_on_commit

FIELDS = ("kind", "description", "supplier", "talent", "budget_line", "amount", "date", "reference",
          "period_start", "period_end")
FREELANCE = (Cost.Kind.FREELANCE_FIXED, Cost.Kind.FREELANCE_HOURLY_INVOICE)
# The order a cost moves in; it never moves back (a mistake is corrected by a new cost).
NEXT_STATUS = {Cost.Status.COMMITTED: Cost.Status.INVOICED, Cost.Status.INVOICED: Cost.Status.PAID}
LIMIT = MAX_AMOUNT


def _snapshot(cost: Cost) -> dict:
    return {"kind": cost.kind, "amount": str(cost.amount), "date": cost.date.isoformat(), "status": cost.status}


def _check(cost: Cost) -> None:
    errors = {}
    if cost.project.status in (Project.Status.CLOSED, Project.Status.CANCELLED):
        errors["project"] = _("This project is closed or cancelled; it takes no more costs.")
    if cost.amount is None or not Decimal(0) <= cost.amount <= LIMIT:
        errors["amount"] = _("Enter an amount from 0 to %(limit)s.") % {"limit": f"{LIMIT:,}"}
    dates = plan_date_errors(clock.today(), date=cost.date, period_start=cost.period_start, period_end=cost.period_end)
    errors |= {name: error.messages for name, error in dates.items()}
    if cost.kind in FREELANCE:
        if cost.talent is None or not cost.talent.is_freelance:
            errors["talent"] = _("Name the freelancer for freelance work.")
    elif cost.talent is not None:
        errors["talent"] = _("Only freelance work names a freelancer.")
    if cost.kind == Cost.Kind.FREELANCE_HOURLY_INVOICE and not errors:
        errors |= invoice_period_errors(cost.talent, cost.period_start, cost.period_end)
    if cost.budget_line is not None and cost.budget_line.budget.project_id != cost.project_id:
        errors["budget_line"] = _("Choose a line of this project's budget.")
    if errors:
        raise ValidationError(errors)
    cost.full_clean(exclude=["project", "talent", "budget_line"])


@transaction.atomic
def cost_add(*, project: Project, user: User, kind: str, description: str, amount: Decimal,
             date: dt.date | None = None, supplier: str = "", talent: Talent | None = None, budget_line=None,
             reference: str = "", period_start: dt.date | None = None, period_end: dt.date | None = None) -> Cost:
    """Enter a cost, committed: an order placed, work agreed or an invoice received."""
    require(user, "cost.change", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    cost = Cost(
        project=project, kind=kind, description=description.strip(), supplier=supplier.strip(), talent=talent,
        budget_line=budget_line, amount=amount, date=date or clock.today(), reference=reference.strip(),
        period_start=period_start, period_end=period_end,
        status=Cost.Status.INVOICED if kind == Cost.Kind.FREELANCE_HOURLY_INVOICE else Cost.Status.COMMITTED,
    )
    _check(cost)
    cost.save()
    audit_record(actor=user, obj=project, action="cost.added", after=_snapshot(cost))
    return cost


@transaction.atomic
def cost_advance(*, cost: Cost, user: User, status: str) -> Cost:
    """Move a cost on: committed → invoiced → paid. A cost already there is left as it is."""
    require(user, "cost.change", cost.project)
    cost = Cost.objects.select_for_update().select_related("project").get(pk=cost.pk)
    if cost.status == status:
        return cost
    if NEXT_STATUS.get(cost.status) != status:
        raise ValidationError({"status": _("A %(from)s cost cannot become %(to)s.") % {
            "from": cost.get_status_display().lower(), "to": Cost.Status(status).label.lower()}})
    before = _snapshot(cost)
    cost.status = status
    cost.save(update_fields=["status"])
    audit_record(actor=user, obj=cost.project, action="cost.moved", before=before, after=_snapshot(cost))
    budget_alerts_check_on_commit(lambda: [cost.project_id])
    return cost
