"""Time: time off, bookings from six weeks back to six weeks ahead, deliverable
assignees, weekly timesheets and the time entries of the past six weeks."""

import datetime as dt
from decimal import Decimal

from projects.models import Deliverable, DeliverableStatus, Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet

from .context import Demo, ProjectPlan

DAY = dt.timedelta(days=1)
HALF = Decimal("0.5")
STAFFABLE = (Project.Status.ACTIVE, Project.Status.PLANNED)


def build_schedule(demo: Demo) -> None:
    _time_off(demo)
    _bookings(demo)
    _assignees(demo)
    _time(demo)


def _time_off(demo: Demo) -> None:
    """Days off for one person in eight: taken, booked ahead, a half day, still requested."""
    rng, cal = demo.rng, demo.calendar
    staff = [p for p in demo.talent if not p.is_freelance and p.user.username != "creative"]
    people = rng.sample(staff, max(4, len(staff) // 8))
    kinds = ("past", "future", "requested", "part")
    rows = []
    for n, person in enumerate(people):
        kind = kinds[n % len(kinds)]
        offset = -rng.randint(10, 35) if kind in ("past", "part") else rng.randint(5, 30)
        start = end = cal.on_or_after(demo.day(offset), person.working_days)
        for _n in range(0 if kind == "part" else rng.randint(0, 4)):
            end = cal.on_or_after(end + DAY, person.working_days)
        rows.append(
            TimeOff(
                talent=person,
                start_date=start,
                end_date=end,
                full_day=kind != "part",
                hours_per_day=Decimal(4) if kind == "part" else None,
                status=TimeOff.Status.REQUESTED if kind == "requested" else TimeOff.Status.APPROVED,
                reason=rng.choice(("Holiday", "Family visit", "Moving house", "Appointment")),
                created_at=demo.at(min(start, demo.today) - dt.timedelta(days=rng.randint(7, 30))),
            )
        )
    TimeOff.objects.bulk_create(rows)
    demo.time_off = rows
    for row in rows:
        if row.status != TimeOff.Status.APPROVED:
            continue
        off = demo.hours_off.setdefault(row.talent.pk, {})
        for n in range((row.end_date - row.start_date).days + 1):
            day = row.start_date + dt.timedelta(days=n)
            off[day] = row.hours_per_day or row.talent.hours_per_day


class _Booker:
    """Fills each person's window with bookings that never overbook them when confirmed."""

    def __init__(self, demo: Demo):
        self.demo, self.rng, self.cal = demo, demo.rng, demo.calendar
        self.rows: list[Booking] = []
        self.by_discipline: dict[int, list[ProjectPlan]] = {}
        for plan in demo.plans:
            if plan.work_start is None:
                continue
            for discipline in plan.disciplines:
                self.by_discipline.setdefault(discipline, []).append(plan)

    def book(
        self,
        person,
        plan,
        start,
        end,
        hours,
        status=Booking.Status.CONFIRMED,
        deliverable=None,
        **extra,
    ):
        wd = "1234567" if extra.get("include_weekends") else person.working_days
        start, end = self.cal.on_or_after(start, wd), self.cal.on_or_before(end, wd)
        if end < start:
            return None
        hold = None
        if status == Booking.Status.TENTATIVE:
            hold = max(self.demo.today, start - dt.timedelta(days=self.rng.randint(1, 5)))
        booking = Booking(
            talent=person,
            project=plan.project,
            deliverable=deliverable or self._deliverable(person, plan, start, end),
            start_date=start,
            end_date=end,
            hours_per_day=hours,
            status=status,
            hold_expires_on=hold,
            created_by=plan.project.pm,
            created_at=self.demo.at(
                min(start, self.demo.today) - dt.timedelta(days=self.rng.randint(2, 20))
            ),
            **extra,
        )
        self.rows.append(booking)
        return booking

    def _deliverable(self, person, plan, start, end):
        """The deliverable in the person's discipline that overlaps the booking most."""
        best, best_overlap = None, 0
        for deliverable in plan.deliverables:
            if person.discipline_id not in self.demo.type_hours[deliverable.deliverable_type_id]:
                continue
            overlap = (
                min(end, deliverable.due_date) - max(start, deliverable.planned_start)
            ).days + 1
            if overlap > best_overlap:
                best, best_overlap = deliverable, overlap
        return best

    def fill(self, person, first, last):
        demo, rng, cal = self.demo, self.rng, self.cal
        cursor = first
        while True:
            cursor = cal.on_or_after(cursor, person.working_days)
            if cursor > last:
                return
            ahead = (cursor - demo.today).days
            end = min(last, cursor + dt.timedelta(days=rng.choice((5, 7, 9, 12, 14, 19)) - 1))
            if rng.random() < (0.07 if ahead <= 7 else 0.2 if ahead <= 21 else 0.4):
                cursor = (
                    end + DAY
                    if rng.random() < 0.5
                    else cursor + dt.timedelta(days=rng.choice((2, 3, 5)))
                )
                continue
            self._segment(person, cursor, end)
            cursor = end + DAY

    def _segment(self, person, start, end):
        rng, demo = self.rng, self.demo
        candidates = [
            plan
            for plan in self.by_discipline.get(person.discipline_id, ())
            if plan.work_start <= end and plan.work_end >= start
        ]
        if not candidates:
            return
        weights = [
            ((min(end, p.work_end) - max(start, p.work_start)).days + 1)
            * (0.4 if p.project.is_internal else 1)
            for p in candidates
        ]
        first = demo.pick_weighted(candidates, weights)
        hpd = person.hours_per_day
        others = [plan for plan in candidates if plan is not first]
        if others and rng.random() < 0.25:
            share = (rng.choice((hpd / 2, hpd - 3, hpd - 2)) / HALF).quantize(Decimal(1)) * HALF
            parts = [(first, share), (rng.choice(others), hpd - share)]
        else:
            parts = [(first, hpd if rng.random() < 0.85 else max(hpd - 2, Decimal(2)))]
        for plan, hours in parts:
            first_day, last_day = max(start, plan.work_start), min(end, plan.work_end)
            tentative = first_day > demo.day(7) and rng.random() < 0.35
            self.book(
                person,
                plan,
                first_day,
                last_day,
                hours,
                Booking.Status.TENTATIVE if tentative else Booking.Status.CONFIRMED,
            )


def _bookings(demo: Demo) -> None:
    booker = _Booker(demo)
    rng, week, (first, last) = demo.rng, demo.week, demo.window
    showcase = demo.showcase
    weekend = demo.today.weekday() >= 5
    # The named people's bookings today are fixed, so their day is never empty;
    # on a weekend they are in for a delivery push.
    pinned = {
        "creative": [
            (
                demo.creative_deliverable,
                week - 7 * DAY,
                week + (6 if weekend else 4) * DAY,
                Decimal(8),
            ),
            (None, week + 7 * DAY, week + 18 * DAY, Decimal(6)),
        ],
        "freelancer": [(demo.toolkit_deliverable, week - 14 * DAY, week + 11 * DAY, Decimal(7))],
    }
    for person in demo.talent:
        start, end = first, last
        if person.is_freelance:
            start, end = max(start, person.contract_start), min(end, person.contract_end)
        free = [(start, end)]
        for deliverable, pin_start, pin_end, hours in pinned.get(person.user.username, ()):
            booker.book(
                person,
                showcase,
                pin_start,
                pin_end,
                hours,
                deliverable=deliverable,
                include_weekends=weekend and pin_start <= demo.today <= pin_end,
                note="Delivery push" if weekend and pin_start <= demo.today <= pin_end else "",
            )
            free = [
                piece
                for a, b in free
                for piece in ((a, min(b, pin_start - DAY)), (max(a, pin_end + DAY), b))
                if piece[0] <= piece[1]
            ]
        for a, b in free:
            booker.fill(person, a, b)

    # Tentative holds on top of confirmed work: the clashes a PM has to resolve.
    future = [
        plan
        for plan in demo.plans
        if plan.project.status in STAFFABLE and plan.work_end > demo.day(7)
    ]
    for person in demo.talent:
        if rng.random() < 0.12 and future and person.user.username not in pinned:
            options = [plan for plan in future if person.discipline_id in plan.disciplines]
            if not options:
                continue
            plan = rng.choice(options)
            start = max(plan.work_start, demo.day(rng.randint(3, 30)))
            end = min(plan.work_end, start + dt.timedelta(days=rng.randint(2, 6)))
            if not person.is_freelance or (
                person.contract_start <= start and end <= person.contract_end
            ):
                booker.book(
                    person,
                    plan,
                    start,
                    end,
                    Decimal(4),
                    Booking.Status.TENTATIVE,
                    note="Pencilled in until the client confirms",
                )

    # Roles still to be staffed.
    for plan in demo.plans:
        if plan.project.status not in STAFFABLE or not (plan.showcase or rng.random() < 0.4):
            continue
        start = demo.calendar.on_or_after(max(plan.work_start, demo.day(rng.randint(3, 14))))
        end = demo.calendar.on_or_before(
            min(plan.work_end, start + dt.timedelta(days=rng.randint(4, 11)))
        )
        if end < start:
            continue
        discipline = rng.choice(sorted(plan.disciplines))
        booker.rows.append(
            Booking(
                placeholder_discipline_id=discipline,
                project=plan.project,
                start_date=start,
                end_date=end,
                hours_per_day=Decimal(6),
                status=Booking.Status.TENTATIVE,
                note="To be staffed",
                created_by=plan.project.pm,
                created_at=demo.at(demo.day(-rng.randint(1, 10))),
            )
        )
    Booking.objects.bulk_create(booker.rows, batch_size=2000)
    demo.bookings = booker.rows


def _assignees(demo: Demo) -> None:
    """Whoever is booked on a deliverable works on it; open deliverables nobody is
    booked on yet get someone of the right discipline."""
    pairs: dict[tuple[int, int], None] = {}
    booked_on: dict[int, list] = {}
    for booking in demo.bookings:
        if booking.talent is None:
            continue
        booked_on.setdefault(booking.project.pk, []).append(booking.talent)
        if booking.deliverable is not None:
            pairs[(booking.deliverable.pk, booking.talent.pk)] = None
    by_discipline: dict[int, list] = {}
    for person in demo.talent:
        if not person.is_freelance:
            by_discipline.setdefault(person.discipline_id, []).append(person)
    assigned = {deliverable for deliverable, _talent in pairs}
    for plan in demo.plans:
        if plan.project.status not in (*STAFFABLE, Project.Status.ON_HOLD):
            continue
        for deliverable in plan.deliverables:
            if deliverable.pk in assigned or deliverable.status in (
                DeliverableStatus.APPROVED,
                DeliverableStatus.DELIVERED,
            ):
                continue
            disciplines = demo.type_hours[deliverable.deliverable_type_id]
            team = [p for p in booked_on.get(plan.project.pk, ()) if p.discipline_id in disciplines]
            pool = team or [p for d in sorted(disciplines) for p in by_discipline.get(d, ())]
            if pool:
                pairs[(deliverable.pk, demo.rng.choice(pool).pk)] = None
    through = Deliverable.assignees.through
    through.objects.bulk_create(
        [through(deliverable_id=deliverable, talent_id=talent) for deliverable, talent in pairs],
        batch_size=2000,
    )


def _time(demo: Demo) -> None:
    """Time entries where confirmed bookings landed in the past six weeks, on weekly
    timesheets: older weeks approved, last week submitted, this week open."""
    rng, cal, week = demo.rng, demo.calendar, demo.week
    first, _last = demo.window
    yesterday = demo.day(-1)
    logged: dict[tuple, Decimal] = {}
    for booking in demo.bookings:
        person = booking.talent
        if (
            person is None
            or booking.status != Booking.Status.CONFIRMED
            or booking.start_date > yesterday
        ):
            continue
        off = demo.hours_off.get(person.pk, {})
        deliverable = booking.deliverable
        for day in cal.days(
            max(booking.start_date, first), min(booking.end_date, yesterday), person.working_days
        ):
            # Nobody logs a day off; a half day off leaves the rest of the day.
            hours = min(booking.hours_per_day, person.hours_per_day - off.get(day, 0))
            if hours <= 0 or rng.random() < 0.03:
                continue
            if rng.random() < 0.3:
                hours = max(HALF, hours + rng.choice((-1, -HALF, HALF, 1)))
            on = (
                deliverable
                if deliverable
                and deliverable.planned_start <= day <= deliverable.due_date + 2 * DAY
                else None
            )
            key = (person, booking.project, on, day)
            logged[key] = min(logged.get(key, Decimal(0)) + hours, Decimal(24))

    sheets: dict[tuple[int, dt.date], Timesheet] = {}
    for person in demo.talent:
        if (
            not person.is_freelance
            or person.contract_start <= week + 6 * DAY
            and person.contract_end >= week
        ):
            sheets[(person.pk, week)] = _timesheet(demo, person, week)
    for person, _project, _deliverable, day in logged:
        monday = day - dt.timedelta(days=day.weekday())
        if (person.pk, monday) not in sheets:
            sheets[(person.pk, monday)] = _timesheet(demo, person, monday)
    demo.timesheets = sorted(sheets.values(), key=lambda sheet: (sheet.week_start, sheet.talent.pk))
    Timesheet.objects.bulk_create(demo.timesheets, batch_size=2000)

    entries = []
    for (person, project, deliverable, day), hours in logged.items():
        sheet = sheets[(person.pk, day - dt.timedelta(days=day.weekday()))]
        entries.append(
            TimeEntry(
                timesheet=sheet,
                talent=person,
                project=project,
                deliverable=deliverable,
                date=day,
                hours=hours,
            )
        )
    TimeEntry.objects.bulk_create(entries, batch_size=2000)
    demo.entries = entries


def _timesheet(demo: Demo, person, monday: dt.date) -> Timesheet:
    sheet = Timesheet(talent=person, week_start=monday, status=Timesheet.Status.OPEN)
    if monday < demo.week - 7 * DAY:
        sheet.status = Timesheet.Status.APPROVED
        sheet.submitted_at = demo.at(monday + 4 * DAY, 17)
        sheet.approved_at = demo.at(monday + 8 * DAY, 10)
    elif monday < demo.week:
        sheet.status = Timesheet.Status.SUBMITTED
        sheet.submitted_at = demo.at(monday + 4 * DAY, 17, 30)
    return sheet
