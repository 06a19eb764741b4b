from django.apps import AppConfig
from django.db.models.signals import post_save
from django.urls import reverse


def timesheet_saved(sender, instance, update_fields=None, **kwargs):
    """An approved week moves its projects' actual cost: check their budget alerts once it
    commits. Schedules sits below budgets and cannot call it, so the save is listened to."""
    from .tasks import budget_alerts_check_on_commit

    if instance.status != sender.Status.APPROVED or (update_fields is not None and "status" not in update_fields):
        return
    budget_alerts_check_on_commit(lambda: instance.entries.order_by().values_list("project", flat=True).distinct())


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from approvals.registry import ApprovalKind, register
        from schedules.models import Timesheet

        from .models import Budget, ChangeOrder
        from .services import budgets, change_orders

        def budget_url(budget) -> str:
            return f"{reverse('budgets:project-budget', args=[budget.project_id])}?revision={budget.revision}"

        register(ApprovalKind(
            kind="budget",
            model=Budget,
            on_approve=budgets.budget_on_approve,
            on_request_changes=budgets.budget_on_send_back,
            on_reject=budgets.budget_on_send_back,
            on_withdraw=budgets.budget_on_send_back,
            amount_of=budgets.budget_total,
            brand_of=lambda budget: budget.project.brand_id,
            url_of=budget_url,
        ))
        # Thresholds test the change in total (DESIGN §2), whichever way it goes.
        register(ApprovalKind(
            kind="change_order",
            model=ChangeOrder,
            on_approve=change_orders.change_order_on_approve,
            on_request_changes=change_orders.change_order_on_send_back,
            on_reject=change_orders.change_order_on_reject,
            on_withdraw=change_orders.change_order_on_send_back,
            amount_of=lambda change_order: abs(change_order.budget_change),
            brand_of=lambda change_order: change_order.project.brand_id,
            url_of=lambda change_order: reverse("budgets:change-order", args=[change_order.pk]),
        ))
        post_save.connect(timesheet_saved, sender=Timesheet, dispatch_uid="budgets.timesheet_saved")
