"""Budget alerts (DESIGN §3): the project's PM is told when its actual cost reaches 80 %
and then 100 % of the budget at completion, once for each level per baseline, by the
nightly job and after each approval of time or cost; a rerun sends nothing again."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.alerts import budget_alert_claim, budget_alerts_send
from budgets.models import BudgetAlert
from budgets.services.costs import cost_advance
from budgets.tasks import budget_alerts_send_task
from schedules.services.time import timesheet_approve
from studio import clock
from studio.celery import app as celery_app
from studio.models import Notification
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# Wed 25 November 2026.
TODAY = f.TODAY
MON = f.monday(TODAY) - dt.timedelta(days=7)  # Mon 16 November


def baseline(project, total, *, revision=1, days_ago=9):
    budget = f.BudgetFactory(
        project=project,
        revision=revision,
        status="approved",
        approved_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    f.BudgetLineFactory(budget=budget, kind="expense", amount=D(total))
    return budget


def spend(project, amount, status="invoiced"):
    return f.CostFactory(project=project, amount=D(amount), date=TODAY - dt.timedelta(days=3), status=status)


def alerts_of(pm):
    return list(Notification.objects.filter(recipient=pm).order_by("pk").values_list("subject", "url"))


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm, code="AUR-008", fee=D("20000.00"))


@pytest.fixture
def designer():
    # A member of staff costing 50.00 an hour.
    talent = f.TalentFactory()
    f.RateCardFactory(talent=talent, cost_rate=D("50.00"), valid_from=TODAY - dt.timedelta(days=365))
    return talent


def test_the_pm_is_told_at_80_then_at_100_percent_once_each(project, pm, designer):
    first = baseline(project, "10000.00")  # BACm 10,000.00
    spend(project, "7000.00")
    url = reverse("budgets:project-budget", args=[project.pk])

    # AC 7,000.00 / 10,000.00 = 70 %: nothing yet.
    assert budget_alerts_send(day=TODAY) == 0
    # + 20 h approved × 50.00 = 1,000.00: AC 8,000.00 = 80 %.
    sheet = f.TimesheetFactory(talent=designer, week_start=MON, status="approved", approved_at=timezone.now())
    f.TimeEntryFactory(timesheet=sheet, project=project, date=MON, hours=D("20"))
    assert budget_alerts_send(day=TODAY) == 1
    assert alerts_of(pm) == [("AUR-008 has spent 80 % of its budget", url)]
    notification = Notification.objects.get(recipient=pm)
    assert "8,000.00 of a budget at completion of" in notification.body
    assert "10,000.00 (80.00 %)" in notification.body
    assert notification.target == project
    # A rerun sends nothing.
    assert budget_alerts_send(day=TODAY) == 0
    # + 2,500.00: AC 10,500.00 ≥ 10,000.00 = 105 %.
    spend(project, "2500.00")
    assert budget_alerts_send(day=TODAY) == 1
    assert budget_alerts_send(day=TODAY) == 0
    assert alerts_of(pm)[1] == ("AUR-008 has spent its budget", url)
    assert sorted(BudgetAlert.objects.values_list("budget", "level")) == [(first.pk, 80), (first.pk, 100)]

    # A new baseline of 20,000.00: AC 10,500.00 = 52.5 %, nothing; + 6,000.00: AC
    # 16,500.00 / 20,000.00 = 82.5 %, the 80 % alert again, for the new baseline.
    second = baseline(project, "20000.00", revision=2, days_ago=1)
    assert budget_alerts_send(day=TODAY) == 0
    spend(project, "6000.00")
    assert budget_alerts_send(day=TODAY) == 1
    assert alerts_of(pm)[2] == ("AUR-008 has spent 80 % of its budget", url)
    assert BudgetAlert.objects.filter(budget=second).count() == 1
    assert Notification.objects.count() == 3


def test_reaching_100_percent_at_once_sends_the_100_percent_alert_only(project, pm):
    budget = baseline(project, "1000.00")
    # AC 1,200.00 / 1,000.00 = 120 %.
    spend(project, "1200.00")

    assert budget_alerts_send(day=TODAY) == 1
    assert budget_alerts_send(day=TODAY) == 0

    assert [subject for subject, _url in alerts_of(pm)] == ["AUR-008 has spent its budget"]
    assert sorted(BudgetAlert.objects.filter(budget=budget).values_list("level", flat=True)) == [80, 100]


def test_change_orders_move_the_budget_at_completion(project, pm):
    baseline(project, "10000.00")
    f.ChangeOrderFactory(project=project, budget_change=D("2000.00"), status="approved", approved_at=timezone.now())
    # AC 9,000.00 / (10,000.00 + 2,000.00) = 75 %: nothing; + 600.00: 9,600.00 / 12,000.00 = 80 %.
    spend(project, "9000.00")
    assert budget_alerts_send(day=TODAY) == 0
    spend(project, "600.00")
    assert budget_alerts_send(day=TODAY) == 1


def test_committed_costs_and_projects_without_a_baseline_or_closed_are_not_alerted(pm):
    unbudgeted = f.ProjectFactory(pm=pm)
    spend(unbudgeted, "5000.00")
    draft_only = f.ProjectFactory(pm=pm)
    f.BudgetLineFactory(budget=f.BudgetFactory(project=draft_only), amount=D("100.00"))
    spend(draft_only, "5000.00")
    closed = f.ProjectFactory(pm=pm, status="closed")
    baseline(closed, "100.00")
    spend(closed, "5000.00")
    committed = f.ProjectFactory(pm=pm)
    baseline(committed, "100.00")
    spend(committed, "5000.00", status="committed")

    assert budget_alerts_send(day=TODAY) == 0
    assert not Notification.objects.exists()


def test_the_check_is_limited_to_the_projects_given(project, pm):
    other = f.ProjectFactory(pm=pm)
    for each in (project, other):
        baseline(each, "100.00")
        spend(each, "90.00")

    assert budget_alerts_send(day=TODAY, projects=[other.pk]) == 1
    assert budget_alerts_send(day=TODAY, projects=[]) == 0
    assert [subject for subject, _url in alerts_of(pm)] == [f"{other.code} has spent 80 % of its budget"]


def test_an_alert_is_claimed_once(project):
    budget = baseline(project, "100.00")

    # Two runs at once: the second finds the first's row and sends nothing.
    assert budget_alert_claim(budget=budget, level=100) is True
    assert budget_alert_claim(budget=budget, level=100) is False
    assert budget_alert_claim(budget=budget, level=80) is False


@pytest.mark.parametrize("size", [2, 10])
def test_the_check_takes_the_same_queries_for_2_or_10_projects(pm, size, django_assert_num_queries):
    for _n in range(size):
        project = f.ProjectFactory(pm=pm)
        baseline(project, "100.00")
        spend(project, "90.00")
    assert budget_alerts_send(day=TODAY) == size
    clock.studio_zone()

    # The projects; health (earned hours, baselines, change orders, labour, costs,
    # holidays); the alerts already sent.
    with django_assert_num_queries(8):
        assert budget_alerts_send(day=TODAY) == 0


def test_an_invoiced_cost_checks_its_project_at_once(project, pm, django_capture_on_commit_callbacks):
    assert celery_app.conf.task_always_eager
    baseline(project, "1000.00")
    cost = spend(project, "850.00", status="committed")

    with django_capture_on_commit_callbacks(execute=True):
        cost_advance(cost=cost, user=pm, status="invoiced")

    # AC 850.00 / 1,000.00 = 85 %.
    assert [subject for subject, _url in alerts_of(pm)] == ["AUR-008 has spent 80 % of its budget"]


def test_an_approved_timesheet_checks_its_projects_at_once(project, pm, designer, django_capture_on_commit_callbacks):
    baseline(project, "1000.00")
    sheet = f.TimesheetFactory(talent=designer, week_start=MON, status="submitted")
    f.TimeEntryFactory(timesheet=sheet, project=project, date=MON, hours=D("20"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sheet.save()
    assert callbacks == []  # a save that approves nothing enqueues nothing
    with django_capture_on_commit_callbacks(execute=True):
        timesheet_approve(timesheet=sheet, user=pm)

    # 20 h × 50.00 = 1,000.00 = 100 % of 1,000.00.
    assert [subject for subject, _url in alerts_of(pm)] == ["AUR-008 has spent its budget"]


def test_the_nightly_task_checks_every_project(project, pm):
    baseline(project, "1000.00")
    spend(project, "999.99")  # 99.999 %: 80

    assert budget_alerts_send_task.delay().get() == 1
    assert budget_alerts_send_task.delay().get() == 0
    assert budget_alerts_send_task.name == "budgets.tasks.budget_alerts_send_task"
    assert "budget-alerts-send" in celery_app.conf.beat_schedule
