"""Time, as a plan: time off, bookings from six weeks back to six weeks ahead, who
works on which deliverable, and the hours logged in the past six weeks. `timekeeping.py`
plays the plan through the services."""

import datetime as dt
from decimal import Decimal

from projects.models import Project
from schedules.models import Booking

from .context import BookingPlan, DeliverablePlan, Demo, ProjectPlan, TimeOffPlan
from .work import needs_review

DAY = dt.timedelta(days=1)
HALF = Decimal("0.5")
PART_DAY = Decimal(4)  # hours off on a part day
STAFFABLE = (Project.Status.ACTIVE, Project.Status.PLANNED)
CONFIRMED, TENTATIVE = Booking.Status.CONFIRMED, Booking.Status.TENTATIVE


def plan_schedule(demo: Demo) -> None:
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
    for n, person in enumerate(people):
        kind = kinds[n % len(kinds)]
        offset = -rng.randint(10, 35) if kind in ("past", "part") else rng.randint(5, 30)
        start = end = cal.on_or_after(demo.day(offset), person.working_days)
        for _n in range(0 if kind == "part" else rng.randint(0, 4)):
            end = cal.on_or_after(end + DAY, person.working_days)
        reason = rng.choice(("Holiday", "Family visit", "Moving house", "Appointment"))
        asked = min(start, demo.today) - dt.timedelta(days=rng.randint(7, 30))
        plan = TimeOffPlan(
            person=person, start=start, end=end, full_day=kind != "part", approved=kind != "requested",
            reason=reason, created=demo.at(asked, 9, 30),
        )
        demo.time_off.append(plan)
        if plan.approved:
            off = demo.hours_off.setdefault(person.pk, {})
            for day_number in range((end - start).days + 1):
                off[start + dt.timedelta(days=day_number)] = person.hours_per_day if plan.full_day else PART_DAY


class _Booker:
    """Fills each person's window with bookings that never overbook them when confirmed."""

    def __init__(self, demo: Demo):
        self.demo, self.rng, self.cal = demo, demo.rng, demo.calendar
        self.by_discipline: dict[int, list[ProjectPlan]] = {}
        for plan in demo.plans:
            if plan.work_start is None:
                continue
            for discipline in plan.disciplines:
                self.by_discipline.setdefault(discipline, []).append(plan)

    def book(self, person, plan, start, end, hours, status=CONFIRMED, deliverable=None, **extra):
        wd = "1234567" if extra.get("include_weekends") else person.working_days
        start, end = self.cal.on_or_after(start, wd), self.cal.on_or_before(end, wd)
        if end < start:
            return None
        hold = None
        if status == TENTATIVE:
            hold = max(self.demo.today, start - dt.timedelta(days=self.rng.randint(1, 5)))
        booking = BookingPlan(
            person=person, plan=plan, start=start, end=end, hours=hours, status=status, hold=hold,
            deliverable=deliverable or self._deliverable(person, plan, start, end),
            created=self._created(plan, start),
            **extra,
        )
        self.demo.bookings.append(booking)
        return booking

    def _created(self, plan: ProjectPlan, start: dt.date) -> dt.datetime:
        """A few days to a few weeks before the work, once the project was set up."""
        day = min(start, self.demo.today) - dt.timedelta(days=self.rng.randint(2, 20))
        return max(self.demo.at(day, 14), plan.created + dt.timedelta(hours=3))

    def _deliverable(self, person, plan, start, end) -> DeliverablePlan | None:
        """The deliverable in the person's discipline that overlaps the booking most."""
        best, best_overlap = None, 0
        for deliverable in plan.deliverables:
            if person.discipline_id not in self.demo.type_hours[deliverable.kind.pk]:
                continue
            overlap = (min(end, deliverable.due) - max(start, deliverable.start)).days + 1
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
                cursor = end + DAY if rng.random() < 0.5 else cursor + dt.timedelta(days=rng.choice((2, 3, 5)))
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
            ((min(end, p.work_end) - max(start, p.work_start)).days + 1) * (0.4 if p.internal else 1)
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
            self.book(person, plan, first_day, last_day, hours, TENTATIVE if tentative else CONFIRMED)


def _bookings(demo: Demo) -> None:
    booker = _Booker(demo)
    rng, week, (first, last) = demo.rng, demo.week, demo.window
    showcase = demo.showcase
    weekend = demo.today.weekday() >= 5
    # The named people's bookings today are fixed, so their day is never empty;
    # on a weekend they are in for a delivery push.
    pinned = {
        "creative": [
            (demo.creative_deliverable, week - 7 * DAY, week + (6 if weekend else 4) * DAY, Decimal(8)),
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
            push = weekend and pin_start <= demo.today <= pin_end
            booker.book(
                person, showcase, pin_start, pin_end, hours, deliverable=deliverable,
                include_weekends=push, note="Delivery push" if push else "",
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
    future = [plan for plan in demo.plans if plan.status in STAFFABLE and plan.work_end > demo.day(7)]
    for person in demo.talent:
        if rng.random() < 0.12 and future and person.user.username not in pinned:
            options = [plan for plan in future if person.discipline_id in plan.disciplines]
            if not options:
                continue
            plan = rng.choice(options)
            start = max(plan.work_start, demo.day(rng.randint(3, 30)))
            end = min(plan.work_end, start + dt.timedelta(days=rng.randint(2, 6)))
            if not person.is_freelance or (person.contract_start <= start and end <= person.contract_end):
                booker.book(
                    person, plan, start, end, Decimal(4), TENTATIVE, note="Pencilled in until the client confirms"
                )

    # Roles still to be staffed.
    disciplines = {discipline.pk: discipline for discipline in demo.disciplines.values()}
    for plan in demo.plans:
        if plan.status not in STAFFABLE or not (plan.showcase or rng.random() < 0.4):
            continue
        start = demo.calendar.on_or_after(max(plan.work_start, demo.day(rng.randint(3, 14))))
        end = demo.calendar.on_or_before(min(plan.work_end, start + dt.timedelta(days=rng.randint(4, 11))))
        if end < start:
            continue
        discipline = rng.choice(sorted(plan.disciplines))
        demo.bookings.append(
            BookingPlan(
                person=None, discipline=disciplines[discipline], plan=plan, start=start, end=end,
                hours=Decimal(6), status=TENTATIVE, note="To be staffed",
                created=max(demo.at(demo.day(-rng.randint(1, 10)), 15), plan.created + dt.timedelta(hours=3)),
            )
        )


def _assignees(demo: Demo) -> None:
    """Whoever is booked on a deliverable works on it; open deliverables nobody is booked
    on yet, and work that was handed in for review, get someone of the right discipline."""
    pairs: dict[tuple[DeliverablePlan, int], None] = {}
    booked_on: dict[int, list] = {}
    talent = {person.pk: person for person in demo.talent}
    for booking in demo.bookings:
        if booking.person is None:
            continue
        booked_on.setdefault(booking.plan, []).append(booking.person)
        if booking.deliverable is not None:
            pairs[(booking.deliverable, booking.person.pk)] = None
    by_discipline: dict[int, list] = {}
    for person in demo.talent:
        if not person.is_freelance:
            by_discipline.setdefault(person.discipline_id, []).append(person)
    assigned = {deliverable for deliverable, _talent in pairs}
    for plan in demo.plans:
        open_work = plan.status in (*STAFFABLE, Project.Status.ON_HOLD)
        for deliverable in plan.deliverables:
            if deliverable in assigned or not (open_work or needs_review(deliverable)):
                continue
            disciplines = demo.type_hours[deliverable.kind.pk]
            team = [
                p for p in booked_on.get(plan, ())
                if p.discipline_id in disciplines and _under_contract(p, deliverable)
            ]
            pool = team or [p for d in sorted(disciplines) for p in by_discipline.get(d, ())]
            if pool:
                pairs[(deliverable, demo.rng.choice(pool).pk)] = None
    for deliverable, person in pairs:
        deliverable.assignees.append(talent[person])


def _under_contract(person, deliverable: DeliverablePlan) -> bool:
    """Whether a freelancer's contract overlaps the deliverable's dates (staff always do)."""
    return not person.is_freelance or (
        person.contract_start <= deliverable.due and person.contract_end >= deliverable.start
    )


def _time(demo: Demo) -> None:
    """Hours where confirmed bookings landed in the past six weeks, less days off."""
    rng, cal = demo.rng, demo.calendar
    first, _last = demo.window
    yesterday = demo.day(-1)
    for booking in demo.bookings:
        person = booking.person
        if person is None or booking.status != CONFIRMED or booking.start > yesterday:
            continue
        off = demo.hours_off.get(person.pk, {})
        deliverable = booking.deliverable
        for day in cal.days(max(booking.start, first), min(booking.end, yesterday), person.working_days):
            # Nobody logs a day off; a half day off leaves the rest of the day.
            hours = min(booking.hours, person.hours_per_day - off.get(day, 0))
            if hours <= 0 or rng.random() < 0.03:
                continue
            if rng.random() < 0.3:
                hours = max(HALF, hours + rng.choice((-1, -HALF, HALF, 1)))
            on = deliverable if deliverable and deliverable.start <= day <= deliverable.due + 2 * DAY else None
            key = (person, booking.plan, on, day)
            demo.logged[key] = min(demo.logged.get(key, Decimal(0)) + hours, Decimal(24))
