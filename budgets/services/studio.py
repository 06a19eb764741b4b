"""The studio's production budget: a period's amount and its freelance-support pool, set
by production managers and executives (DESIGN §3, "The studio budget")."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from studio import clock
from studio.models import User
from studio.permissions import require
from studio.services import audit_record
from studio.versions import lock_version
from studio.workdays import plan_date_errors

from ..models import StudioBudget


def _snapshot(studio_budget: StudioBudget) -> dict:
    return {
        "name": studio_budget.name,
        "period_start": studio_budget.period_start.isoformat(),
        "period_end": studio_budget.period_end.isoformat(),
        "amount": str(studio_budget.amount),
        "freelance_pool": str(studio_budget.freelance_pool),
    }


def _check(studio_budget: StudioBudget) -> None:
    """The model's rules (pool within the amount, end after start, digits, name), and the
    studio's window for dates, reported field by field."""
    dates = plan_date_errors(
        clock.today(), period_start=studio_budget.period_start, period_end=studio_budget.period_end
    )
    errors = {name: error.messages for name, error in dates.items()}
    try:
        studio_budget.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def studio_budget_add(
    *, user: User, name: str, period_start: dt.date, period_end: dt.date, amount: Decimal, freelance_pool: Decimal
) -> StudioBudget:
    """Add a period of the studio budget, with its freelance pool."""
    require(user, "studio_budget.change")
    studio_budget = StudioBudget(
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        freelance_pool=freelance_pool,
    )
    _check(studio_budget)
    studio_budget.save()
    audit_record(actor=user, obj=studio_budget, action="studio_budget.added", after=_snapshot(studio_budget))
    return studio_budget


@transaction.atomic
def studio_budget_set(
    *, studio_budget: StudioBudget, user: User, version: int, amount: Decimal, freelance_pool: Decimal
) -> StudioBudget:
    """Set a period's budget amount and its freelance pool, at the version the caller saw."""
    require(user, "studio_budget.change")
    studio_budget = lock_version(StudioBudget.objects.all(), studio_budget.pk, version)
    before = _snapshot(studio_budget)
    studio_budget.amount, studio_budget.freelance_pool = amount, freelance_pool
    _check(studio_budget)
    studio_budget.version += 1
    studio_budget.save(update_fields=["amount", "freelance_pool", "version"])
    audit_record(
        actor=user, obj=studio_budget, action="studio_budget.changed", before=before, after=_snapshot(studio_budget)
    )
    return studio_budget
