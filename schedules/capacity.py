"""Capacity and demand by day, as set-based SQL over a calendar of days (DESIGN §2).

- Capacity of a person on a day: their hours per day on their working days, minus
  approved time off (a full day takes all of it, part days their hours, never below
  0), zero on studio holidays. Only active talent; freelancers only within their
  contract dates.
- Demand: confirmed and tentative booking hours on the days they land, plus the
  unbooked planned hours of open deliverables spread evenly over the working days
  from tomorrow (or their planned start, if later) to their due date, split across
  disciplines by the deliverable's own planned hours by discipline (`DeliverableHours`)
  or, without those, by its type's standard hours or its assignees' disciplines.
- Demand is counted inside the plan window only (`studio.workdays.plan_window`: from
  1 Jan 2000 to ten years after today), so no stored date can stretch the calendar: a
  spread runs to its due date or the window's last day, whichever comes first (the
  hours of a deliverable due in 9999 are spread up to that day, not lost); a
  deliverable planned to start after the window adds nothing; bookings land only on
  days inside the window, and the past bookings of open deliverables are read back to
  the window's first day at most. The services refuse such dates on the way in; this
  keeps the pages bounded for rows stored before they did.

Capacity runs one query and demand two, whatever the number of people, bookings or
days; both answer `{key: {day: hours}}`, leaving out days without hours. On
PostgreSQL the calendar is a `generate_series`, on SQLite a recursive CTE
(`studio.workdays`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Max, Min

from projects.models import Deliverable, DeliverableHours, DeliverableStatus, Project, StandardHours
from studio.models import Talent
from studio.workdays import WEEKDAYS, calendar_join, calendar_sql, plan_window

from .models import Booking, TimeOff

ONE_DAY = dt.timedelta(days=1)
ZERO = Decimal("0")
CENT = Decimal("0.01")
# Per-day shares (10 h over 3 days) keep this precision until they are summed.
FINE = Decimal("0.000001")
DONE = (DeliverableStatus.APPROVED, DeliverableStatus.DELIVERED, DeliverableStatus.CANCELLED)

HoursByDay = dict[int, dict[dt.date, Decimal]]


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "talent": quote(Talent._meta.db_table),
        "project": quote(Project._meta.db_table),
        "timeoff": quote(TimeOff._meta.db_table),
        "booking": quote(Booking._meta.db_table),
        "deliverable": quote(Deliverable._meta.db_table),
        "assignees": quote(Deliverable.assignees.through._meta.db_table),
        "standardhours": quote(StandardHours._meta.db_table),
        "deliverablehours": quote(DeliverableHours._meta.db_table),
    }


def _date(value: dt.date):
    # A date on PostgreSQL, ISO text on SQLite.
    return connection.ops.adapt_datefield_value(value)


def _in(column: str, name: str, ids: Iterable[int] | None, params: dict) -> str:
    """`AND column IN (…)` with one named parameter per id, or nothing for all ids."""
    if ids is None:
        return ""
    ids = sorted(set(ids))
    if not ids:
        return "AND 1 = 0"
    names = []
    for n, pk in enumerate(ids):
        params[f"{name}{n}"] = pk
        names.append(f"%({name}{n})s")
    return f"AND {column} IN ({', '.join(names)})"


def _hours(value) -> Decimal:
    # SQLite answers floats, PostgreSQL numerics with many decimals.
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    return number.quantize(FINE, rounding=ROUND_HALF_UP)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _run(sql: str, params: dict) -> HoursByDay:
    result: HoursByDay = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, day, hours in cursor.fetchall():
            hours = _hours(hours)
            if hours:
                result[key][_day(day)] = hours
    return dict(result)


def total(hours_by_day: dict[dt.date, Decimal], start: dt.date, end: dt.date) -> Decimal:
    """The hours from `start` to `end`, both included, to the cent."""
    hours = sum((h for day, h in hours_by_day.items() if start <= day <= end), ZERO)
    return hours.quantize(CENT, rounding=ROUND_HALF_UP)


# People with the same working days and contract add up before they meet the
# calendar, so the work grows with the kinds of week worked rather than with
# people × days; approved time off is then taken from the days it falls on.
_CAPACITY_SQL = """
WITH RECURSIVE {calendar},
people AS (
    SELECT t.id, t.{key} AS key, t.working_days, t.hours_per_day,
           CASE WHEN t.employment = %(staff)s THEN NULL ELSE t.contract_start END AS contract_start,
           CASE WHEN t.employment = %(staff)s THEN NULL ELSE t.contract_end END AS contract_end
    FROM {talent} t
    WHERE t.active {only}
),
weeks AS (
    SELECT key, working_days, contract_start, contract_end, SUM(hours_per_day) AS hours
    FROM people
    GROUP BY key, working_days, contract_start, contract_end
),
base AS (
    SELECT w.key, d.day, SUM(w.hours) AS hours
    FROM weeks w
    JOIN cal d ON w.working_days LIKE ('%%' || d.dow || '%%')
    WHERE NOT d.holiday AND (w.contract_start IS NULL OR d.day BETWEEN w.contract_start AND w.contract_end)
    GROUP BY w.key, d.day
),
off AS (
    SELECT o.talent_id, d.day,
           MAX(CASE WHEN o.full_day THEN 1 ELSE 0 END) AS full_day,
           SUM(COALESCE(o.hours_per_day, 0)) AS hours
    FROM {timeoff} o
    {off_days}
    WHERE o.status = %(approved)s AND o.start_date <= %(cal_end)s AND o.end_date >= %(cal_start)s
    GROUP BY o.talent_id, d.day
),
taken AS (
    SELECT p.key, off.day,
           SUM(CASE WHEN off.full_day = 1 OR off.hours > p.hours_per_day THEN p.hours_per_day ELSE off.hours END)
               AS hours
    FROM off
    JOIN people p ON p.id = off.talent_id
    JOIN cal d ON d.day = off.day
    WHERE NOT d.holiday AND p.working_days LIKE ('%%' || d.dow || '%%')
      AND (p.contract_start IS NULL OR d.day BETWEEN p.contract_start AND p.contract_end)
    GROUP BY p.key, off.day
)
SELECT base.key, base.day, base.hours - COALESCE(taken.hours, 0)
FROM base
LEFT JOIN taken ON taken.key = base.key AND taken.day = base.day
"""


def _capacity(key: str, start: dt.date, end: dt.date, ids: Iterable[int] | None) -> HoursByDay:
    params = {
        "cal_start": _date(start), "cal_end": _date(end),
        "approved": TimeOff.Status.APPROVED, "staff": Talent.Employment.STAFF,
    }
    sql = _CAPACITY_SQL.format(
        calendar=calendar_sql(connection),
        off_days=calendar_join(connection, "d", "o.start_date", "o.end_date"),
        key=key,
        only=_in(f"t.{key}", "only", ids, params),
        **_tables(),
    )
    return _run(sql, params)


def capacity_by_person(start: dt.date, end: dt.date, talent: Iterable[int] | None = None) -> HoursByDay:
    """Each person's capacity on each day from `start` to `end`: {talent id: {day: hours}}."""
    return _capacity("id", start, end, talent)


def capacity_by_discipline(start: dt.date, end: dt.date, disciplines: Iterable[int] | None = None) -> HoursByDay:
    """The summed capacity of each discipline's people: {discipline id: {day: hours}}."""
    return _capacity("discipline_id", start, end, disciplines)


# Booking hours land on the person's working days in the booking's range (weekend
# days only when the booking includes them), never on holidays or on days of
# full-day approved time off; a placeholder lands on weekdays. Tentative holds
# past their expiry are released and no longer land. The hours of every booking
# tied to an open deliverable are counted, past ones too, to know what is still
# unbooked; the rest are read for the days asked only.
#
# A deliverable's unbooked hours are split across disciplines by its own planned
# hours by discipline (each discipline's hours over their sum, which the planning
# services keep equal to its planned hours); a deliverable without such rows splits
# them by its type's standard hours, and a type without standard hours evenly across
# the disciplines of the deliverable's assignees (it is left out with neither).
# Over no working day (overdue, or due on a weekend) they fall whole on the next
# working day. A spread ends on the plan window's last day at the latest, and a
# deliverable planned to start after it adds nothing (the module docstring).
# Where a booking `b` (its person `t`, LEFT JOINed: a placeholder has none) lands on a
# calendar day `d`: the person's working days (weekdays for a placeholder), weekend days
# only when the booking includes them, never a holiday or a full day of approved time off.
_LANDS = """NOT d.holiday
      AND (COALESCE(t.working_days, %(weekdays)s) LIKE ('%%' || d.dow || '%%')
           OR (b.include_weekends AND d.dow >= 6))
      AND NOT EXISTS (
          SELECT 1 FROM {timeoff} o
          WHERE o.talent_id = b.talent_id AND o.status = %(time_off_approved)s AND o.full_day
            AND d.day BETWEEN o.start_date AND o.end_date
      )"""


def _lands() -> str:
    return _LANDS.format(**_tables())

_DEMAND_CTES = """
WITH RECURSIVE {calendar},
open_deliverables AS (
    SELECT dl.id, dl.deliverable_type_id, dl.planned_hours,
           CASE WHEN dl.planned_start > %(tomorrow)s THEN dl.planned_start ELSE %(tomorrow)s END AS span_start,
           CASE WHEN dl.due_date > %(plan_last)s THEN %(plan_last)s ELSE dl.due_date END AS span_end
    FROM {deliverable} dl
    WHERE dl.status NOT IN (%(approved)s, %(delivered)s, %(cancelled)s) AND dl.planned_hours > 0
      AND dl.planned_start <= %(plan_last)s
),
landings AS (
    SELECT b.deliverable_id, b.project_id, b.talent_id,
           COALESCE(t.discipline_id, b.placeholder_discipline_id) AS discipline_id,
           d.day, b.hours_per_day AS hours
    FROM {booking} b
    LEFT JOIN {talent} t ON t.id = b.talent_id
    {booking_days}
    WHERE ((b.start_date <= %(last)s AND b.end_date >= %(first)s)
           OR b.deliverable_id IN (SELECT id FROM open_deliverables))
      AND (b.hold_expires_on IS NULL OR b.hold_expires_on >= %(today)s)
      AND {lands}
),
booked AS (
    SELECT deliverable_id, SUM(hours) AS hours FROM landings
    WHERE deliverable_id IS NOT NULL GROUP BY deliverable_id
),
unbooked AS (
    SELECT o.id, o.deliverable_type_id, o.span_start, o.span_end,
           o.planned_hours - COALESCE(bk.hours, 0) AS hours
    FROM open_deliverables o
    LEFT JOIN booked bk ON bk.deliverable_id = o.id
    WHERE o.planned_hours - COALESCE(bk.hours, 0) > 0
),
span_days AS (
    SELECT u.id, w.day
    FROM unbooked u
    {span_days}
    WHERE w.dow <= 5 AND NOT w.holiday
),
spans AS (
    SELECT u.id, COUNT(sd.day) AS n
    FROM unbooked u
    LEFT JOIN span_days sd ON sd.id = u.id
    GROUP BY u.id
),
spread AS (
    SELECT u.id, sd.day, (u.hours * 1.0) / s.n AS hours
    FROM unbooked u
    JOIN spans s ON s.id = u.id
    JOIN span_days sd ON sd.id = u.id
    UNION ALL
    SELECT u.id, (SELECT MIN(w.day) FROM cal w WHERE w.day >= u.span_start AND w.dow <= 5 AND NOT w.holiday),
           u.hours
    FROM unbooked u
    JOIN spans s ON s.id = u.id
    WHERE s.n = 0
),
type_hours AS (
    SELECT deliverable_type_id, SUM(hours_per_unit) AS hours
    FROM {standardhours} GROUP BY deliverable_type_id
),
team AS (
    SELECT DISTINCT a.deliverable_id, t.discipline_id
    FROM {assignees} a JOIN {talent} t ON t.id = a.talent_id
    WHERE a.deliverable_id IN (SELECT id FROM unbooked)
),
team_size AS (
    SELECT deliverable_id, COUNT(*) AS n FROM team GROUP BY deliverable_id
),
plan_hours AS (
    SELECT dh.deliverable_id, SUM(dh.hours) AS hours
    FROM {deliverablehours} dh
    WHERE dh.deliverable_id IN (SELECT id FROM unbooked)
    GROUP BY dh.deliverable_id
    HAVING SUM(dh.hours) > 0
),
shares AS (
    SELECT u.id AS deliverable_id, dh.discipline_id, (dh.hours * 1.0) / ph.hours AS share
    FROM unbooked u
    JOIN plan_hours ph ON ph.deliverable_id = u.id
    JOIN {deliverablehours} dh ON dh.deliverable_id = u.id
    WHERE dh.hours > 0
    UNION ALL
    SELECT u.id, sh.discipline_id, (sh.hours_per_unit * 1.0) / th.hours
    FROM unbooked u
    JOIN {standardhours} sh ON sh.deliverable_type_id = u.deliverable_type_id
    JOIN type_hours th ON th.deliverable_type_id = u.deliverable_type_id
    WHERE NOT EXISTS (SELECT 1 FROM plan_hours ph WHERE ph.deliverable_id = u.id)
    UNION ALL
    SELECT u.id, tm.discipline_id, 1.0 / ts.n
    FROM unbooked u
    JOIN team tm ON tm.deliverable_id = u.id
    JOIN team_size ts ON ts.deliverable_id = u.id
    WHERE NOT EXISTS (SELECT 1 FROM plan_hours ph WHERE ph.deliverable_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM type_hours th WHERE th.deliverable_type_id = u.deliverable_type_id)
),
"""

_DEMAND_BY_DAY_SQL = _DEMAND_CTES + """demand AS (
    SELECT discipline_id, day, hours FROM landings
    UNION ALL
    SELECT sh.discipline_id, sp.day, sp.hours * sh.share
    FROM spread sp JOIN shares sh ON sh.deliverable_id = sp.id
)
SELECT discipline_id, day, SUM(hours)
FROM demand
WHERE day BETWEEN %(first)s AND %(last)s {only}
GROUP BY discipline_id, day
"""


def _demand_query(sql: str, start: dt.date, end: dt.date, today: dt.date, disciplines) -> tuple[str, dict]:
    """The SQL and parameters of a demand query (`_DEMAND_CTES` and a tail) from
    `start` (after `today`) to `end`, over a calendar of days inside the plan window."""
    tomorrow = today + ONE_DAY
    if start < tomorrow:
        raise ValueError("Demand is counted from tomorrow on.")
    # The calendar also covers the past days of bookings tied to open deliverables
    # and the future days up to their due dates, so spreads count every working day;
    # never past the plan window, whatever dates are stored.
    plan_first, plan_last = plan_window(today)
    bounds = Deliverable.objects.exclude(status__in=DONE).aggregate(
        last_due=Max("due_date"), first_booked=Min("bookings__start_date"), last_booked=Max("bookings__end_date")
    )
    cal_start = max(plan_first, min(filter(None, (tomorrow, bounds["first_booked"]))))
    cal_end = min(plan_last, max(filter(None, (end, bounds["last_due"], bounds["last_booked"]))))
    params = {
        "cal_start": _date(cal_start), "cal_end": _date(cal_end), "tomorrow": _date(tomorrow),
        "plan_last": _date(plan_last),
        "first": _date(start), "last": _date(end), "today": _date(today),
        "approved": DeliverableStatus.APPROVED, "delivered": DeliverableStatus.DELIVERED,
        "cancelled": DeliverableStatus.CANCELLED, "time_off_approved": TimeOff.Status.APPROVED,
        "weekdays": WEEKDAYS,
    }
    only = _in("discipline_id", "only", disciplines, params)
    sql = sql.format(
        calendar=calendar_sql(connection),
        booking_days=calendar_join(connection, "d", "b.start_date", "b.end_date"),
        span_days=calendar_join(connection, "w", "u.span_start", "u.span_end"),
        only=only,
        lands=_lands(),
        **_tables(),
    )
    return sql, params


def demand_by_discipline(
    start: dt.date, end: dt.date, *, today: dt.date, disciplines: Iterable[int] | None = None
) -> HoursByDay:
    """Booked and unbooked planned hours of each discipline on each day from `start`
    (after `today`) to `end`: {discipline id: {day: hours}}."""
    return _run(*_demand_query(_DEMAND_BY_DAY_SQL, start, end, today, disciplines))


# The hours each active person's bookings land on each day, split by status, by the rule of
# `BookingQuerySet.landing_on`: working days of the person (weekend days only when the
# booking includes them), never holidays or days of full-day approved time off.
_BOOKED_SQL = """
WITH RECURSIVE {calendar}
SELECT {key}, b.status, d.day, SUM(b.hours_per_day)
FROM {booking} b
JOIN {talent} t ON t.id = b.talent_id
{booking_days}
WHERE b.start_date <= %(cal_end)s AND b.end_date >= %(cal_start)s AND t.active {only} {client} {made}
  AND {lands}
GROUP BY {key}, b.status, d.day
"""


def _booked(
    key: str, start: dt.date, end: dt.date, ids: Iterable[int] | None, *, client_only: bool = False,
    made_before: dt.datetime | None = None,
):
    params = {
        "cal_start": _date(start), "cal_end": _date(end), "time_off_approved": TimeOff.Status.APPROVED,
        "weekdays": WEEKDAYS,
    }
    tables = _tables()
    client = ""
    if client_only:
        client = f"AND b.project_id IN (SELECT p.id FROM {tables['project']} p WHERE NOT p.is_internal)"
    made = ""
    if made_before is not None:
        params["made_before"] = connection.ops.adapt_datetimefield_value(made_before)
        made = "AND b.created_at < %(made_before)s"
    sql = _BOOKED_SQL.format(
        calendar=calendar_sql(connection),
        booking_days=calendar_join(connection, "d", "b.start_date", "b.end_date"),
        key=key,
        only=_in(key, "only", ids, params),
        client=client,
        made=made,
        lands=_lands(),
        **tables,
    )
    result: dict[int, dict[dt.date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, status, day, hours in cursor.fetchall():
            result[pk][_day(day)][status] = _hours(hours)
    return {pk: dict(days) for pk, days in result.items()}


def booked_by_person(
    start: dt.date, end: dt.date, talent: Iterable[int] | None = None, *, client_only: bool = False,
    made_before: dt.datetime | None = None,
) -> dict[int, dict[dt.date, dict[str, Decimal]]]:
    """The booked hours landing on each person's days from `start` to `end`, by status:
    {talent id: {day: {"confirmed": hours, "tentative": hours}}}, in one query; only client
    projects' with `client_only`, only bookings made before `made_before` if given."""
    return _booked("b.talent_id", start, end, talent, client_only=client_only, made_before=made_before)


def booked_by_discipline(
    start: dt.date, end: dt.date, disciplines: Iterable[int] | None = None
) -> dict[int, dict[dt.date, dict[str, Decimal]]]:
    """The same for the people of each discipline, summed: {discipline id: {day: {status: hours}}}.
    Placeholders are not people: they are demand, not booked hours."""
    return _booked("t.discipline_id", start, end, disciplines)


def free_by_person(start: dt.date, end: dt.date, talent: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Each person's free hours from `start` to `end`: on each day, capacity less the
    hours booked (tentative too), never below 0, summed. People without capacity in
    the range are left out."""
    talent = None if talent is None else list(talent)
    capacity = capacity_by_person(start, end, talent)
    booked = booked_by_person(start, end, talent)
    return {person: free_hours(days, booked.get(person, {})) for person, days in capacity.items()}


def free_hours(capacity: dict[dt.date, Decimal], booked: dict[dt.date, dict[str, Decimal]]) -> Decimal:
    """One person's free hours: on each day, capacity less the hours booked (tentative
    too), never below 0, summed to the cent."""
    hours = sum((max(ZERO, available - sum(booked.get(day, {}).values(), ZERO)) for day, available in capacity.items()),
                ZERO)
    return hours.quantize(CENT, rounding=ROUND_HALF_UP)


# The same demand by where it comes from instead of by day: each landing keeps its
# booking's project and person, each spread share its deliverable.
_DEMAND_BY_SOURCE_SQL = _DEMAND_CTES + """demand AS (
    SELECT l.project_id, l.deliverable_id, CASE WHEN l.talent_id IS NULL THEN 1 ELSE 0 END AS placeholder,
           0 AS unbooked, l.discipline_id, l.day, l.hours
    FROM landings l
    UNION ALL
    SELECT dl.project_id, sp.id, 0, 1, sh.discipline_id, sp.day, sp.hours * sh.share
    FROM spread sp
    JOIN shares sh ON sh.deliverable_id = sp.id
    JOIN {deliverable} dl ON dl.id = sp.id
)
SELECT project_id, deliverable_id, placeholder, unbooked, SUM(hours)
FROM demand
WHERE day BETWEEN %(first)s AND %(last)s {only}
GROUP BY project_id, deliverable_id, placeholder, unbooked
"""


def demand_by_source(
    start: dt.date, end: dt.date, *, today: dt.date, disciplines: Iterable[int] | None = None
) -> list[dict]:
    """What makes `demand_by_discipline` over `start`…`end`, in one query: a row per
    project, deliverable (or None), kind ("booked", "placeholder" or "unbooked") and
    hours, largest first."""
    sql, params = _demand_query(_DEMAND_BY_SOURCE_SQL, start, end, today, disciplines)
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for project_id, deliverable_id, placeholder, unbooked, hours in cursor.fetchall():
            hours = _hours(hours).quantize(CENT, rounding=ROUND_HALF_UP)
            if hours:
                kind = "unbooked" if unbooked else "placeholder" if placeholder else "booked"
                rows.append({"project": project_id, "deliverable": deliverable_id, "kind": kind, "hours": hours})
    rows.sort(key=lambda row: (-row["hours"], row["project"], row["deliverable"] or 0, row["kind"]))
    return rows


# The hours a project's bookings land, by discipline: people by their own, placeholders
# by the one they stand for; tentative holds past their expiry no longer land.
_PROJECT_BOOKED_SQL = """
WITH RECURSIVE {calendar}
SELECT COALESCE(t.discipline_id, b.placeholder_discipline_id),
       CASE WHEN b.talent_id IS NULL THEN 1 ELSE 0 END, SUM(b.hours_per_day)
FROM {booking} b
LEFT JOIN {talent} t ON t.id = b.talent_id
{booking_days}
WHERE b.project_id = %(project)s AND b.start_date <= %(cal_end)s AND b.end_date >= %(cal_start)s
  AND (b.hold_expires_on IS NULL OR b.hold_expires_on >= %(today)s)
  AND {lands}
GROUP BY 1, 2
"""


def booked_on_project(project_id: int, *, today: dt.date) -> dict[int, dict[str, Decimal]]:
    """{discipline id: {"people": hours, "placeholders": hours}} that the project's bookings
    land over all their days (within the plan window), in two queries."""
    span = Booking.objects.filter(project_id=project_id).aggregate(first=Min("start_date"), last=Max("end_date"))
    if span["first"] is None:
        return {}
    window_first, window_last = plan_window(today)
    params = {
        "project": project_id, "today": _date(today), "weekdays": WEEKDAYS,
        "time_off_approved": TimeOff.Status.APPROVED,
        "cal_start": _date(max(span["first"], window_first)), "cal_end": _date(min(span["last"], window_last)),
    }
    sql = _PROJECT_BOOKED_SQL.format(
        calendar=calendar_sql(connection),
        booking_days=calendar_join(connection, "d", "b.start_date", "b.end_date"),
        lands=_lands(),
        **_tables(),
    )
    result: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"people": ZERO, "placeholders": ZERO})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for discipline, placeholder, hours in cursor.fetchall():
            result[discipline]["placeholders" if placeholder else "people"] = _hours(hours).quantize(CENT)
    return dict(result)


# The same unbooked planned hours by deliverable and discipline, for the deliverables whose
# spread overlaps the days asked: what is still to staff.
_UNBOOKED_SQL = _DEMAND_CTES + """to_staff AS (
    SELECT u.id, sh.discipline_id, u.hours * sh.share AS hours
    FROM unbooked u
    JOIN shares sh ON sh.deliverable_id = u.id
    WHERE u.span_start <= %(last)s AND u.span_end >= %(first)s
)
SELECT id, discipline_id, hours FROM to_staff WHERE hours > 0 {only}
"""


def unbooked_by_deliverable(
    start: dt.date, end: dt.date, *, today: dt.date, disciplines: Iterable[int] | None = None
) -> list[tuple[int, int, Decimal]]:
    """(deliverable id, discipline id, hours) of the open deliverables' planned hours that no
    booking covers yet, for those spread over days from `start` (after `today`) to `end`."""
    sql, params = _demand_query(_UNBOOKED_SQL, start, end, today, disciplines)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, discipline, _hours(hours).quantize(CENT)) for pk, discipline, hours in cursor.fetchall()]
