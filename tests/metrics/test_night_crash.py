"""The night's writer under crashes and contention (DESIGN §3, "safe to rerun and safe to
crash"): a real worker process, fed through the real Redis broker, SIGKILLed in the middle
of writing a night leaves every night either wholly as it was or wholly recomputed, and the
next run writes exactly what an uninterrupted one would; two runs for one night take turns
on the advisory lock; a reader never sees a half-written night.

The studio's today is Wed 25 Nov 2026. The worker is a separate process reading committed
rows, hence `transaction=True`; the blocking points are PostgreSQL's row and advisory locks."""

import datetime as dt
import os
import signal
import threading
import zlib
from contextlib import contextmanager
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from metrics.models import MetricSnapshot
from metrics.nightly import LARGEST, SIX_PLACES, metrics_compute_night, metrics_compute_range, night_values
from metrics.tasks import metrics_compute_range_task
from projects.models import Project
from schedules.models import Timesheet
from studio.clock import studio_zone
from tests import factories as f
from tests.celery_worker import wait_until, worker_process

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("studio_today"),
]

TABLE = MetricSnapshot._meta.db_table
# Fifteen nights, Tue 10 to Tue 24 Nov 2026; the worker is stopped in the fourth, Fri 13 Nov.
FIRST = f.TODAY - dt.timedelta(days=15)
LAST = f.TODAY - dt.timedelta(days=1)
KILLED = FIRST + dt.timedelta(days=3)
NIGHT = LAST
DUE = f.TODAY + dt.timedelta(days=30)
# Long enough for a loaded two-core machine; a healthy run takes a fraction of each.
WAIT_SECONDS = 30


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=studio_zone())


def approved_week(talent, entries: list[tuple]):
    """One approved timesheet holding `entries`, (day, project, hours) of one week."""
    sheet = f.TimesheetFactory(
        talent=talent, week_start=f.monday(entries[0][0]), status=Timesheet.Status.APPROVED, approved_at=timezone.now()
    )
    for day, project, hours in entries:
        f.TimeEntryFactory(timesheet=sheet, project=project, date=day, hours=D(hours))


def client_project(brand, pm, fee: str, planned_hours: str, start: dt.date):
    project = f.ProjectFactory(brand=brand, pm=pm, fee=D(fee), planned_start=start, due_date=DUE)
    deliverable = f.DeliverableFactory(
        project=project, planned_hours=D(planned_hours), planned_start=start, due_date=project.due_date
    )
    return project, deliverable


@pytest.fixture
def studio(brand, pm):
    """Two projects at work through the fifteen nights, with progress, time and costs that
    move from night to night, so each night's rows are its own."""
    client, work = client_project(brand, pm, "10000.00", "100", FIRST - dt.timedelta(days=14))
    for days, percent in ((2, 10), (6, 40), (10, 70)):
        f.DeliverableProgressFactory(
            deliverable=work, date=FIRST + dt.timedelta(days=days), percent_complete=percent, status="in_progress"
        )
    budget = f.BudgetFactory(project=client, status="approved", approved_at=noon(FIRST - dt.timedelta(days=20)))
    f.BudgetLineFactory(budget=budget, kind="expense", amount=D("6000.00"))
    internal = f.ProjectFactory(brand=None, is_internal=True, fee=D("0"), planned_start=FIRST, due_date=DUE)
    f.DeliverableFactory(project=internal, planned_hours=D("10"), planned_start=FIRST, due_date=internal.due_date)
    staff = f.TalentFactory()
    f.RateCardFactory(talent=staff, cost_rate=D("50.00"), valid_from=FIRST - dt.timedelta(days=300))
    f.RateCardFactory(talent=staff, cost_rate=D("60.00"), valid_from=FIRST + dt.timedelta(days=8))
    approved_week(staff, [(FIRST + dt.timedelta(days=1), client, "6")])
    approved_week(staff, [(FIRST + dt.timedelta(days=7), client, "6"), (FIRST + dt.timedelta(days=9), internal, "2")])
    approved_week(staff, [(FIRST + dt.timedelta(days=13), client, "6")])
    f.CostFactory(project=client, amount=D("300.00"), date=FIRST + dt.timedelta(days=4), status="invoiced")
    return {"client": client, "internal": internal, "brand": brand, "pm": pm}


# --- what is stored ---------------------------------------------------------------------------


def as_stored(value) -> tuple:
    """(value, value_date) as the writer stores a computed value: six places, half up; a
    date in value_date; beyond the column (|x| ≥ 1e14) or undefined, both empty."""
    if isinstance(value, dt.date):
        return (None, value)
    if value is None or abs(value) >= LARGEST:
        return (None, None)
    return (value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP), None)


def uninterrupted(day: dt.date) -> dict:
    """{(scope key, metric): (value, value_date)} an uninterrupted run stores for `day`."""
    return {(v.scope_key, v.metric): as_stored(v.value) for v in night_values(day)}


def stored(day: dt.date) -> dict:
    """{(scope key, metric): (value, value_date)} stored for `day`."""
    rows = MetricSnapshot.objects.filter(date=day).values_list("scope_key", "metric", "value", "value_date")
    return {(scope, metric): (value, value_date) for scope, metric, value, value_date in rows}


def rows_by_night() -> dict[dt.date, list[tuple]]:
    """Every stored row of the range, whole (id and computed_at too), by night."""
    nights: dict[dt.date, list[tuple]] = {}
    fields = ("date", "id", "scope_key", "metric", "value", "value_date", "computed_at")
    for row in MetricSnapshot.objects.filter(date__range=(FIRST, LAST)).order_by("date", "id").values_list(*fields):
        nights.setdefault(row[0], []).append(row[1:])
    return nights


def computed_at(day: dt.date) -> set:
    return set(MetricSnapshot.objects.filter(date=day).values_list("computed_at", flat=True))


def nights() -> list[dt.date]:
    return [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


# --- other connections and the worker ---------------------------------------------------------


@contextmanager
def other_connection():
    """A second connection to the test database, in a transaction of its own."""
    other = connections.create_connection("default")
    other.ensure_connection()
    other.set_autocommit(False)
    try:
        yield other
    finally:
        other.rollback()
        other.close()


def backend_pid(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def blocked_backends(sql_prefix: str, exclude: set[int]) -> list[int]:
    """The test database's backends waiting on a lock while running a statement that
    starts with `sql_prefix`, ours aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND query LIKE %s AND NOT (pid = ANY(%s))",
            [sql_prefix.replace("%", r"\%") + "%", list(exclude)],
        )
        return [pid for (pid,) in cursor.fetchall()]


def deleted_by(pid: int, day: dt.date) -> int:
    """How many of `day`'s committed rows the open transaction of backend `pid` has deleted."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{TABLE}" WHERE date = %s'
            " AND xmax::text = (SELECT backend_xid::text FROM pg_stat_activity WHERE pid = %s)",
            [day, pid],
        )
        return cursor.fetchone()[0]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


# --- a worker killed in the middle of a night ---------------------------------------------------


@pytest.mark.redis
def test_a_worker_killed_mid_night_leaves_whole_nights_and_a_rerun_matches_an_uninterrupted_run(
    studio, isolated_broker, tmp_path
):
    metrics_compute_range(FIRST, LAST)
    previous = rows_by_night()
    assert sorted(previous) == nights()
    # The data moves: a new project at work since before the range (a scope of its own on every
    # night, and the studio's sums with it), and the client's fee raised.
    newcomer, _ = client_project(studio["brand"], studio["pm"], "5000.00", "40", FIRST - dt.timedelta(days=7))
    Project.objects.filter(pk=studio["client"].pk).update(fee=D("12000.00"))
    expected = {day: uninterrupted(day) for day in nights()}
    for day in nights():
        assert set(expected[day]) > {(scope, metric) for _, scope, metric, *_ in previous[day]}
        # Fee in force = fee + approved change orders (none): 5,000.00 and 12,000.00, six places.
        assert expected[day][(f"project:{newcomer.pk}", "fee_in_force")] == (D("5000.000000"), None)
        assert expected[day][(f"project:{studio['client'].pk}", "fee_in_force")] == (D("12000.000000"), None)

    client = redis.Redis.from_url(settings.REDIS_URL)
    result = None
    with other_connection() as holder, worker_process(isolated_broker, tmp_path / "worker.log") as worker:
        # A row the new night of KILLED will write, inserted and not committed from another
        # connection: the worker deletes that night's rows, then its INSERT waits on this one's
        # key — it is stopped mid-write, its transaction open, the night's old rows deleted in it.
        with holder.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{TABLE}" (date, scope_key, metric, computed_at) VALUES (%s, %s, %s, %s)',
                [KILLED, f"project:{newcomer.pk}", "fee_in_force", timezone.now()],
            )
        ours = {backend_pid(connection), backend_pid(holder)}
        worker_backend, lingering = None, False
        try:
            result = metrics_compute_range_task.delay(FIRST.isoformat(), LAST.isoformat())

            def blocked():
                return blocked_backends(f'INSERT INTO "{TABLE}"', ours)

            assert wait_until(blocked, WAIT_SECONDS), "the worker never reached the night of KILLED"
            (worker_backend,) = blocked()
            # Its open transaction has deleted every old row of KILLED (their xmax is its id)...
            assert deleted_by(worker_backend, KILLED) == len(previous[KILLED])
            # ...and the nights before KILLED are committed anew; KILLED and after read as they were.
            for day in nights():
                if day < KILLED:
                    assert computed_at(day) != {row[-1] for row in previous[day]}
                    assert stored(day) == expected[day]
            assert {day: rows for day, rows in rows_by_night().items() if day >= KILLED} == {
                day: rows for day, rows in previous.items() if day >= KILLED
            }

            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=10) == -signal.SIGKILL
            # Acknowledged late, the task is still the broker's: it is delivered again once the
            # visibility timeout passes (or the nightly run comes round).
            unacked = client.hvals(f"{isolated_broker}:unacked")
            assert any(result.id.encode() in message for message in unacked)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)
            holder.rollback()
            # The killed worker's backend wakes, finds its client gone and rolls its transaction back.
            lingering = worker_backend is not None and not wait_until(lambda: not backend_alive(worker_backend), 15)
            if lingering:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [worker_backend])
            if result is not None:
                result.forget()
    assert not lingering, "the killed worker's transaction outlived it"

    after = rows_by_night()
    for day in nights():
        assert len({row[-1] for row in after[day]}) == 1, f"{day} is half-written"
        if day < KILLED:
            assert stored(day) == expected[day]
        else:
            assert after[day] == previous[day], f"{day} is not as it was"

    metrics_compute_range(FIRST, LAST)
    rerun = {day: stored(day) for day in nights()}
    assert rerun == expected
    assert all(len(computed_at(day)) == 1 for day in nights())
    metrics_compute_range(FIRST, LAST)
    assert {day: stored(day) for day in nights()} == rerun


# --- two runs of one night ----------------------------------------------------------------------


def in_thread(target, *args):
    """Run `target(*args)` in a thread with its own database connection; the thread and
    the list its result (or exception) lands in."""
    outcome: list = []

    def run():
        try:
            outcome.append(target(*args))
        except Exception as error:  # noqa: BLE001 (handed to the test, which raises it)
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def advisory_key(day: dt.date) -> int:
    """The key `metrics.nightly` locks a night under."""
    return zlib.crc32(f"metrics-night:{day.isoformat()}".encode())


def advisory_waiters(day: dt.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s::bigint::oid"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [advisory_key(day)],
        )
        return cursor.fetchone()[0]


def test_two_runs_of_one_night_take_turns_on_the_advisory_lock(studio):
    metrics_compute_night(NIGHT)
    before = sorted(MetricSnapshot.objects.filter(date=NIGHT).values_list("id", "computed_at"))
    expected = uninterrupted(NIGHT)

    with other_connection() as holder:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [advisory_key(NIGHT)])
        runs = [in_thread(metrics_compute_night, NIGHT) for _ in range(2)]
        # Both runs wait on the lock, and while it is held neither has written a row.
        assert wait_until(lambda: advisory_waiters(NIGHT) == 2, WAIT_SECONDS)
        assert sorted(MetricSnapshot.objects.filter(date=NIGHT).values_list("id", "computed_at")) == before
        assert all(thread.is_alive() for thread, _ in runs)
        holder.commit()
        for thread, _ in runs:
            thread.join(WAIT_SECONDS)

    outcomes = [outcome for _, outcome in runs]
    # Without the lock the later run's INSERT would meet the earlier one's rows (IntegrityError).
    assert outcomes == [[len(expected)], [len(expected)]]
    assert MetricSnapshot.objects.filter(date=NIGHT).count() == len(expected)
    assert stored(NIGHT) == expected
    assert len(computed_at(NIGHT)) == 1
    assert not {pk for pk, _ in before} & set(MetricSnapshot.objects.filter(date=NIGHT).values_list("id", flat=True))


# --- a reader during a run ----------------------------------------------------------------------


def test_a_reader_sees_the_old_night_or_the_new_one_never_half(studio):
    metrics_compute_night(NIGHT)
    old = stored(NIGHT)
    old_at = computed_at(NIGHT)
    client_project(studio["brand"], studio["pm"], "5000.00", "40", FIRST)  # one scope more: the counts differ
    new = uninterrupted(NIGHT)
    assert len(new) > len(old)

    inserted, go = threading.Event(), threading.Event()

    def hold_after_insert(execute, sql, params, many, context):
        answer = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{TABLE}"'):
            inserted.set()
            go.wait(WAIT_SECONDS)
        return answer

    def run():
        with connection.execute_wrapper(hold_after_insert):
            return metrics_compute_night(NIGHT)

    thread, outcome = in_thread(run)
    try:
        assert inserted.wait(WAIT_SECONDS)
        # The run has deleted the old rows and inserted the new ones, uncommitted: a reader
        # still sees the old night, whole.
        assert stored(NIGHT) == old and computed_at(NIGHT) == old_at
    finally:
        go.set()
    seen = set()
    while thread.is_alive() or not seen:
        with connection.cursor() as cursor:
            # One statement, one snapshot: the count and the runs the rows come from.
            cursor.execute(f'SELECT count(*), count(DISTINCT computed_at) FROM "{TABLE}" WHERE date = %s', [NIGHT])
            seen.add(cursor.fetchone())
    thread.join(WAIT_SECONDS)

    assert outcome == [len(new)]
    assert seen <= {(len(old), 1), (len(new), 1)}
    assert stored(NIGHT) == new
