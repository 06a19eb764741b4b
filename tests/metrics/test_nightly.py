"""The night's computation: the money family worked out by hand, and the writer that stores
a night's rows — replaced whole, safe to rerun, as of the end of its date, bounded ranges,
the command and the beat task on a real worker.

The studio's today is Wed 25 Nov 2026; "the night" computed is Tue 24 Nov unless said."""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from celery.result import EagerResult
from django.core.management import CommandError, call_command
from django.utils import timezone

from metrics.families import money
from metrics.models import MetricSnapshot
from metrics.nightly import metrics_compute_night, metrics_compute_range, snapshot_values
from metrics.tasks import metrics_compute_range_task, metrics_compute_yesterday_task
from schedules.models import Timesheet
from studio.clock import studio_zone
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

NIGHT = dt.date(2026, 11, 24)


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=studio_zone())


def approved_week(talent, monday, project, hours_by_day: dict):
    sheet = f.TimesheetFactory(
        talent=talent, week_start=monday, status=Timesheet.Status.APPROVED, approved_at=timezone.now()
    )
    for day, hours in hours_by_day.items():
        f.TimeEntryFactory(timesheet=sheet, project=project, date=day, hours=D(hours))


@pytest.fixture
def studio(brand, pm):
    """A client project of fee 10,000.00 and an internal one, priced by hand below."""
    client_work = f.ProjectFactory(
        brand=brand, pm=pm, fee=D("10000.00"), planned_start=nov(16), due_date=nov(30) + dt.timedelta(days=4)
    )
    work = f.DeliverableFactory(
        project=client_work, planned_hours=D("100"), planned_start=nov(16), due_date=dt.date(2026, 12, 4)
    )
    f.DeliverableProgressFactory(deliverable=work, date=nov(23), percent_complete=40, status="in_progress")
    budget = f.BudgetFactory(project=client_work, status="approved", approved_at=noon(nov(13)))
    f.BudgetLineFactory(budget=budget, kind="expense", amount=D("6000.00"))
    internal = f.ProjectFactory(
        brand=None, is_internal=True, fee=D("0"), planned_start=nov(16), due_date=dt.date(2026, 12, 4)
    )
    f.DeliverableFactory(project=internal, planned_hours=D("10"), planned_start=nov(16), due_date=dt.date(2026, 12, 4))

    staff = f.TalentFactory()
    f.RateCardFactory(talent=staff, cost_rate=D("50.00"), valid_from=nov(1) - dt.timedelta(days=300))
    f.RateCardFactory(talent=staff, cost_rate=D("60.00"), valid_from=nov(23))  # a raise from Mon 23 Nov
    freelancer = f.FreelanceTalentFactory()
    f.RateCardFactory(talent=freelancer, cost_rate=D("80.00"), valid_from=nov(1) - dt.timedelta(days=300))
    approved_week(staff, nov(16), client_work, {nov(17): "10"})  # 10 h × 50.00 = 500.00
    approved_week(staff, nov(23), client_work, {nov(23): "5"})  # 5 h × 60.00 = 300.00
    approved_week(freelancer, nov(23), client_work, {nov(24): "5"})  # 5 h × 80.00 = 400.00
    f.TimeEntryFactory(
        timesheet=Timesheet.objects.get(talent=staff, week_start=nov(23)), project=internal, date=nov(23), hours=D("2")
    )  # internal: 2 h × 60.00 = 120.00
    f.CostFactory(project=client_work, kind="expense", amount=D("200.00"), date=nov(20), status="invoiced")
    f.CostFactory(project=client_work, kind="expense", amount=D("1000.00"), date=nov(20), status="committed")
    # Approved today, after the night of the 24th: it counts from the 25th.
    f.ChangeOrderFactory(
        project=client_work,
        fee_change=D("2000.00"),
        budget_change=D("1000.00"),
        status="approved",
        approved_at=noon(nov(25)),
    )
    return {"client": client_work, "internal": internal, "brand": brand}


def values(day: dt.date, scope: str) -> dict:
    return {value.metric: value.value for value in money.compute(day) if value.scope_key == scope}


def test_a_projects_return_and_budget_health_by_hand(studio):
    got = values(NIGHT, f"project:{studio['client'].pk}")

    # Cost: 500.00 + 300.00 (the raise from the 23rd) + 400.00 (the freelancer) + 200.00
    # invoiced; the committed 1,000.00 does not count yet.
    assert got["cost"] == D("1400.00")
    # EV / BAC = 100 h × 40 % / 100 h = 0.4; revenue = 10,000.00 × 0.4 = 4,000.00 (the change
    # order approved on the 25th is not in force on the 24th).
    assert (got["fee_in_force"], got["revenue_earned"]) == (D("10000.00"), D("4000.00"))
    # ROI = (4,000 − 1,400) / 1,400 = 1.857142…; margin = 2,600 / 4,000 = 0.65.
    assert round(got["roi"], 4) == D("1.8571") and got["margin"] == D("0.65")
    # BACm 6,000.00; EVm = 6,000 × 0.4 = 2,400.00; CV = 2,400 − 1,400 = 1,000.00;
    # CPI = 2,400 / 1,400 = 1.714285…; EAC = 6,000 × 1,400 / 2,400 = 3,500.00; VAC 2,500.00;
    # margin at completion = (10,000 − 3,500) / 10,000 = 0.65.
    assert (got["bac_money"], got["cv"], round(got["cpi"], 4)) == (D("6000.00"), D("1000.00"), D("1.7143"))
    assert (got["eac"], got["vac"], got["margin_at_completion"]) == (D("3500.00"), D("2500.00"), D("0.65"))


def test_the_next_night_has_the_change_order_in_force(studio):
    got = values(nov(25), f"project:{studio['client'].pk}")

    # Fee 10,000 + 2,000 = 12,000.00; revenue 12,000 × 0.4 = 4,800.00; BACm 6,000 + 1,000.
    assert (got["fee_in_force"], got["revenue_earned"], got["bac_money"]) == (D("12000.00"), D("4800.00"), D("7000.00"))


def test_brand_and_studio_sum_their_projects(studio):
    brand = values(NIGHT, f"brand:{studio['brand'].pk}")
    whole = values(NIGHT, "studio")
    internal = values(NIGHT, f"project:{studio['internal'].pk}")

    assert (brand["revenue_earned"], brand["cost"]) == (D("4000.00"), D("1400.00"))
    # Internal work earns nothing and costs 2 h × 60.00 = 120.00, counted for the studio only.
    assert (internal["revenue_earned"], internal["cost"], internal["roi"]) == (D("0"), D("120.00"), D("-1"))
    assert internal["margin"] is None
    # Studio: 4,000 against 1,400 + 120 = 1,520; ROI = 2,480 / 1,520 = 1.631578…; margin 0.62.
    assert (whole["revenue_earned"], whole["cost"]) == (D("4000.00"), D("1520.00"))
    assert round(whole["roi"], 4) == D("1.6316") and whole["margin"] == D("0.62")


@pytest.mark.parametrize("extra", [0, 5])
def test_the_money_family_runs_a_fixed_number_of_queries(studio, brand, extra, django_assert_num_queries):
    for _ in range(extra):
        project = f.ProjectFactory(brand=brand, planned_start=nov(16))
        f.DeliverableFactory(project=project, planned_start=nov(16), due_date=dt.date(2026, 12, 4))
    values(NIGHT, "studio")  # the studio's time zone, cached

    # The projects; health_of: earned hours, baselines, change orders, labour, costs, holidays.
    with django_assert_num_queries(7):
        money.compute(NIGHT)


# --- the writer -------------------------------------------------------------------------------


def test_a_night_is_stored_and_a_rerun_writes_the_same_rows(studio):
    written = metrics_compute_night(NIGHT)
    first = sorted(MetricSnapshot.objects.filter(date=NIGHT).values_list("scope_key", "metric", "value", "value_date"))

    assert written == len(first) > 0
    assert metrics_compute_night(NIGHT) == written
    again = sorted(MetricSnapshot.objects.filter(date=NIGHT).values_list("scope_key", "metric", "value", "value_date"))
    assert again == first
    stored = snapshot_values(NIGHT, [f"project:{studio['client'].pk}"])
    # Six places: 1.857142857… → 1.857143.
    assert stored[(f"project:{studio['client'].pk}", "roi")] == D("1.857143")
    assert isinstance(stored[(f"project:{studio['client'].pk}", "forecast_finish")], dt.date | None)


def test_a_night_replaces_that_dates_rows_only(studio):
    f.MetricSnapshotFactory(date=NIGHT, scope_key="project:999999", metric="spi")
    other = f.MetricSnapshotFactory(date=nov(23), scope_key="studio", metric="spi", value=D("0.5"))

    metrics_compute_night(NIGHT)

    assert not MetricSnapshot.objects.filter(date=NIGHT, scope_key="project:999999").exists()
    assert MetricSnapshot.objects.get(pk=other.pk).value == D("0.5")


def test_a_failing_night_leaves_the_previous_rows(studio, monkeypatch):
    metrics_compute_night(NIGHT)
    before = MetricSnapshot.objects.filter(date=NIGHT).count()

    def broken(day):
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(money, "compute", broken)
    with pytest.raises(RuntimeError):
        metrics_compute_night(NIGHT)

    assert MetricSnapshot.objects.filter(date=NIGHT).count() == before


def test_a_backfill_gives_the_past_not_today(studio):
    metrics_compute_range(nov(24), nov(25))

    client = f"project:{studio['client'].pk}"
    assert snapshot_values(nov(24), [client])[(client, "fee_in_force")] == D("10000.00")
    assert snapshot_values(nov(25), [client])[(client, "fee_in_force")] == D("12000.00")


# --- the command and the tasks --------------------------------------------------------------


def test_the_command_backfills_a_range_with_a_progress_bar(studio):
    out = StringIO()

    call_command("compute_metrics", "--from", "2026-11-22", "--to", "2026-11-24", stdout=out)

    assert sorted(set(MetricSnapshot.objects.values_list("date", flat=True))) == [nov(22), nov(23), nov(24)]
    text = out.getvalue()
    assert "3/3 2026-11-24" in text and "[##############################]" in text


def test_the_command_defaults_to_yesterday(studio):
    call_command("compute_metrics", stdout=StringIO())

    assert sorted(set(MetricSnapshot.objects.values_list("date", flat=True))) == [NIGHT]


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2026-02-30"],
        ["--date", "2026-11-24", "--from", "2026-11-01", "--to", "2026-11-02"],
        ["--from", "2026-11-01"],
        ["--from", "2026-11-05", "--to", "2026-11-01"],
        ["--from", "0001-01-01", "--to", "9999-12-31"],
    ],
)
def test_the_command_refuses_bad_dates_and_writes_nothing(args):
    with pytest.raises(CommandError):
        call_command("compute_metrics", *args, stdout=StringIO())

    assert not MetricSnapshot.objects.exists()


def test_the_nightly_task_computes_yesterday(studio):
    assert metrics_compute_yesterday_task.delay().get() > 0
    assert sorted(set(MetricSnapshot.objects.values_list("date", flat=True))) == [NIGHT]


def test_the_range_task_reports_its_progress(studio):
    assert metrics_compute_range_task.delay("2026-11-23", "2026-11-24").get() > 0
    assert MetricSnapshot.objects.filter(date=nov(23)).exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_a_night_through_redis(studio, celery_worker):
    result = metrics_compute_yesterday_task.delay()

    # Published to Redis and run by the worker, not in-process.
    assert not isinstance(result, EagerResult)
    assert result.get(timeout=60) == MetricSnapshot.objects.filter(date=NIGHT).count() > 0
