"""The state one demo build carries from module to module: first the plan, drawn from
the seeded generator alone, then the rows the services made from it."""

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.db import connection

from briefs.models import Brief, Request
from budgets.models import Budget, BudgetLine
from projects.models import Deliverable, DeliverableType, Project
from schedules.models import Booking, TimeOff
from studio.models import Brand, Discipline, RateCard, Skill, Talent, User

from .days import WorkCalendar


@dataclass
class Step:
    """One thing that happened to a deliverable, on a day: progress to `percent`, handed in
    for review, a review decision, delivered, or cancelled."""

    PROGRESS = "progress"
    SUBMIT = "submit"
    APPROVE = "approve"
    CHANGES = "changes"
    DELIVER = "deliver"
    CANCEL = "cancel"

    day: dt.date
    action: str
    percent: int = 0


@dataclass(eq=False)
class DeliverablePlan:
    kind: DeliverableType
    name: str
    quantity: int
    hours: Decimal
    start: dt.date
    due: dt.date
    steps: list[Step] = field(default_factory=list)
    assignees: list[Talent] = field(default_factory=list)
    row: Deliverable | None = None

    def baseline_dates(self, baseline_due: dt.date) -> tuple[dt.date, dt.date]:
        """Where a slipped plan had it: due by the baseline's due date at the latest."""
        due = min(self.due, baseline_due)
        return min(self.start, due), due


# Plans compare (and hash) by identity: they key the demo's own lookups.
@dataclass(eq=False)
class ProjectPlan:
    """One project's story: when it was set up and by whom, its deliverables, when work
    happened, and where it stands today."""

    name: str
    brand: Brand | None
    pm: User
    status: str
    start: dt.date
    due: dt.date
    created: dt.datetime
    fee: Decimal = Decimal(0)
    work_start: dt.date | None = None
    work_end: dt.date | None = None
    stopped_on: dt.date | None = None  # the day an on-hold or cancelled project stopped
    baseline_at: dt.datetime | None = None
    baseline_due: dt.date | None = None  # set when the plan slipped after its baseline
    from_request: bool = False
    showcase: bool = False
    disciplines: set[int] = field(default_factory=set)
    deliverables: list[DeliverablePlan] = field(default_factory=list)
    phases: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    expenses: Decimal = Decimal(0)  # the expense allowance priced into the fee and budget
    project: Project | None = None
    request: Request | None = None
    brief: Brief | None = None
    budget: Budget | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.brand is None


@dataclass(eq=False)
class BookingPlan:
    person: Talent | None
    plan: ProjectPlan
    start: dt.date
    end: dt.date
    hours: Decimal
    status: str
    created: dt.datetime
    deliverable: DeliverablePlan | None = None
    discipline: Discipline | None = None  # a placeholder's
    hold: dt.date | None = None
    include_weekends: bool = False
    note: str = ""
    row: Booking | None = None


@dataclass(eq=False)
class TimeOffPlan:
    person: Talent
    start: dt.date
    end: dt.date
    full_day: bool
    approved: bool
    reason: str
    created: dt.datetime
    row: TimeOff | None = None


@dataclass
class Demo:
    rng: random.Random
    today: dt.date
    scale: int
    zone: ZoneInfo
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    password_hash: str = ""

    users: dict[str, User] = field(default_factory=dict)
    pms: list[User] = field(default_factory=list)
    brand_managers: list[User] = field(default_factory=list)
    disciplines: dict[str, Discipline] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    usernames: Callable[[str, str], str] | None = None
    talent: list[Talent] = field(default_factory=list)
    cards_by_talent: dict[int, list[RateCard]] = field(default_factory=dict)
    brands: list[Brand] = field(default_factory=list)
    managers_of: dict[int, list[User]] = field(default_factory=dict)  # brand id -> managers
    types: list[DeliverableType] = field(default_factory=list)
    # Standard hours: deliverable type id -> discipline id -> hours per unit.
    type_hours: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    plans: list[ProjectPlan] = field(default_factory=list)
    showcase: ProjectPlan | None = None
    creative_deliverable: DeliverablePlan | None = None
    toolkit_deliverable: DeliverablePlan | None = None
    time_off: list[TimeOffPlan] = field(default_factory=list)
    # Approved time off: talent id -> day -> hours off.
    hours_off: dict[int, dict[dt.date, Decimal]] = field(default_factory=dict)
    bookings: list[BookingPlan] = field(default_factory=list)
    # Hours logged: (talent, project plan, deliverable plan or None, day) -> hours.
    logged: dict[tuple, Decimal] = field(default_factory=dict)

    @property
    def week(self) -> dt.date:
        """This week's Monday."""
        return self.today - dt.timedelta(days=self.today.weekday())

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """Bookings run from six weeks back to the Friday six weeks ahead."""
        return self.week - dt.timedelta(weeks=6), self.week + dt.timedelta(weeks=6, days=4)

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A moment on `day` in the studio's time zone."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)

    def pick_weighted(self, items, weights):
        return self.rng.choices(items, weights=weights, k=1)[0]

    def money(self, low: int, high: int, step: int = 50) -> Decimal:
        return Decimal(self.rng.randrange(low, high + 1, step))

    def rate_on(self, talent: Talent, day: dt.date) -> RateCard:
        cards = [card for card in self.cards_by_talent[talent.pk] if card.valid_from <= day]
        return max(cards, key=lambda card: card.valid_from)


@contextmanager
def moment(when: dt.datetime) -> Iterator[None]:
    """The clock stands at `when` for the writes inside: the services date what they write
    (approvals, progress, audit, notifications) from the clock, as they did on the day."""
    with time_machine.travel(when, tick=False):
        yield


def planner_statistics_refresh() -> None:
    """Tables filled since PostgreSQL last looked still count as empty to its planner, whose
    plans for the services' reads then walk thousands of rows in nested loops. The apps' own
    tables only: inside a transaction, a database-wide ANALYZE would hold locks on the
    catalogs every database shares until the seed commits."""
    if connection.vendor != "postgresql":
        return
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
