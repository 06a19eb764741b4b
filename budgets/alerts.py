"""Budget alerts (DESIGN §3, "Budget health"): a project's production manager is told when
its actual cost reaches 80 % and then 100 % of the budget at completion, once for each level
per baseline. Each alert sent is a `BudgetAlert` row, unique per baseline and level: the
row is the claim, taken in the transaction that writes the notification, so a rerun of the
check (the nightly job, or the one after each approval of time or cost) or two running at
once notify nobody twice. A new baseline starts its alerts afresh."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import Project
from projects.progress import project_ids
from studio.models import StudioSettings
from studio.money import format_money
from studio.services import notification_create

from .health import BudgetHealth, health_of
from .models import Budget, BudgetAlert, cents

LEVELS = tuple(BudgetAlert.Level.values)


def alerted_projects(projects: Iterable[Project | int] | None = None):
    """The projects whose money may still cross a level: with an approved budget, not
    closed or cancelled (a delivered project still receives invoices). Their PMs come
    along, for the notification."""
    rows = (
        Project.objects.exclude(status__in=[Project.Status.CLOSED, Project.Status.CANCELLED])
        .filter(pk__in=Budget.objects.approved().values("project"))
        .select_related("pm")
        .order_by("pk")
    )
    if projects is not None:
        rows = rows.filter(pk__in=project_ids(projects))
    return rows


@transaction.atomic
def budget_alert_claim(*, budget: Budget, level: int) -> bool:
    """Record the alert at `level` for the baseline `budget` (and the levels below it, which
    it stands for); True only for the caller that recorded it first. A concurrent claim
    waits on the unique row and then finds it taken."""
    _alert, created = BudgetAlert.objects.get_or_create(budget=budget, level=level)
    if created:
        below = [BudgetAlert(budget=budget, level=lower) for lower in LEVELS if lower < level]
        BudgetAlert.objects.bulk_create(below, ignore_conflicts=True)
    return created


def _notify(project: Project, health: BudgetHealth, currency: str) -> None:
    figures = {
        "code": project.code,
        "level": health.alert_level,
        "ac": format_money(health.ac, currency),
        "bac": format_money(health.bac, currency),
        "percent": f"{cents(health.spent_fraction * 100)}",
    }
    if health.alert_level >= 100:
        subject = _("%(code)s has spent its budget") % figures
    else:
        subject = _("%(code)s has spent %(level)s %% of its budget") % figures
    body = [
        _("Actual cost %(ac)s of a budget at completion of %(bac)s (%(percent)s %%).")
        % figures
    ]
    if health.eac is not None:
        body.append(
            _("Forecast at completion: %(eac)s.") % {"eac": format_money(health.eac, currency)}
        )
    notification_create(
        recipient=project.pm,
        subject=subject,
        body="\n".join(body),
        url=reverse("budgets:project-budget", args=[project.pk]),
        target=project,
    )


def budget_alerts_send(*, day: dt.date, projects: Iterable[Project | int] | None = None) -> int:
    """Alert each project's PM whose actual cost reached 80 % or 100 % of its budget at
    completion as of the end of `day` and was not yet told at that level for its baseline
    (reaching 100 % at once sends the 100 % alert only). `projects` limits the check to
    those. Returns how many alerts were sent."""
    rows = list(alerted_projects(projects))
    health = health_of(rows, day)
    due = {
        project.pk: project
        for project in rows
        if health[project.pk].alert_level is not None and health[project.pk].baseline is not None
    }
    if not due:
        return 0
    sent = set(
        BudgetAlert.objects.filter(budget__in=[health[pk].baseline.pk for pk in due]).values_list("budget", "level")
    )
    pending = [
        (project, health[pk])
        for pk, project in due.items()
        if (health[pk].baseline.pk, health[pk].alert_level) not in sent
    ]
    if not pending:
        return 0
    currency = StudioSettings.load().currency
    count = 0
    for project, project_health in pending:
        with transaction.atomic():
            if budget_alert_claim(budget=project_health.baseline, level=project_health.alert_level):
                _notify(project, project_health, currency)
                count += 1
    return count
