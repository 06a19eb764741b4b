"""Background jobs of budgets: thin wrappers that take ids and call a service."""

from collections.abc import Callable, Iterable

from celery import shared_task
from django.db import transaction

from studio import clock

from .alerts import budget_alerts_send


@shared_task
def budget_alerts_send_task(project_ids: list[int] | None = None) -> int:
    """Nightly for every project with a baseline; after an approval of time or cost, for
    the projects it touched."""
    return budget_alerts_send(day=clock.today(), projects=project_ids)


def budget_alerts_check_on_commit(projects: Callable[[], Iterable[int]]) -> None:
    """Once the transaction commits, check the alerts of the projects `projects()` names
    (read then, so the write itself pays nothing for it). Robust: a broker outage does not
    fail a write that was saved; the nightly run catches up."""

    def enqueue() -> None:
        ids = sorted(set(projects()))
        if ids:
            budget_alerts_send_task.delay(ids)

    transaction.on_commit(enqueue, robust=True)
