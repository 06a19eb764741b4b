from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from approvals.registry import ApprovalKind, register

        from . import services
        from .models import Budget, ChangeOrder

        register(ApprovalKind(
            kind="budget",
            model=Budget,
            on_approve=services.budget_on_approve,
            on_request_changes=services.budget_on_send_back,
            on_reject=services.budget_on_send_back,
            on_withdraw=services.budget_on_send_back,
            amount_of=services.budget_total,
            brand_of=lambda budget: budget.project.brand_id,
            url_of=services.project_url,
        ))
        # Thresholds test the change in total (DESIGN §2), whichever way it goes.
        register(ApprovalKind(
            kind="change_order",
            model=ChangeOrder,
            on_approve=services.change_order_on_approve,
            on_request_changes=services.change_order_on_send_back,
            on_reject=services.change_order_on_reject,
            on_withdraw=services.change_order_on_send_back,
            amount_of=lambda change_order: abs(change_order.budget_change),
            brand_of=lambda change_order: change_order.project.brand_id,
            url_of=services.project_url,
        ))
