"""Writes to budgets that approvals trigger: a budget or change order approved,
sent back or rejected."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from studio.models import User

from .models import Budget, ChangeOrder


@transaction.atomic
def budget_approve(*, budget: Budget, user: User) -> Budget:
    """An approved budget is the project's baseline."""
    budget.status = Budget.Status.APPROVED
    budget.approved_at = timezone.now()
    budget.save(update_fields=["status", "approved_at"])
    return budget


@transaction.atomic
def budget_return_to_draft(*, budget: Budget, user: User) -> Budget:
    budget.status = Budget.Status.DRAFT
    budget.save(update_fields=["status"])
    return budget


@transaction.atomic
def change_order_set_status(*, change_order: ChangeOrder, status: str, user: User) -> ChangeOrder:
    change_order.status = status
    change_order.approved_at = timezone.now() if status == ChangeOrder.Status.APPROVED else None
    change_order.save(update_fields=["status", "approved_at"])
    return change_order


def budget_total(budget: Budget):
    """What the budget's approval thresholds test: its total."""
    return Budget.objects.with_totals().get(pk=budget.pk).total


def project_url(obj) -> str:
    return reverse("projects:project-detail", args=[obj.project_id])


# --- approval kinds (registered in BudgetsConfig.ready) -------------------------------

def budget_on_approve(budget, approval, user):
    budget_approve(budget=budget, user=user)


def budget_on_send_back(budget, approval, user):
    budget_return_to_draft(budget=budget, user=user)


def change_order_on_approve(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.APPROVED, user=user)


def change_order_on_send_back(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.DRAFT, user=user)


def change_order_on_reject(change_order, approval, user):
    change_order_set_status(change_order=change_order, status=ChangeOrder.Status.REJECTED, user=user)
