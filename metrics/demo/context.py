"""The state one demo build carries from module to module."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from approvals.models import Approval
from briefs.models import Brief, Request
from budgets.models import Budget, BudgetLine, ChangeOrder
from metrics.models import SatisfactionSurvey
from projects.models import Deliverable, DeliverableType, Phase, Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio.models import Brand, Discipline, RateCard, Skill, Talent, User

from .days import WorkCalendar


@dataclass
class ProjectPlan:
    """What the builder knows about a project beyond its row: when work happened."""

    project: Project
    work_start: dt.date | None = None
    work_end: dt.date | None = None
    stopped_on: dt.date | None = None  # the day an on-hold or cancelled project stopped
    disciplines: set[int] = field(default_factory=set)
    deliverables: list[Deliverable] = field(default_factory=list)
    showcase: bool = False
    expenses: Decimal = Decimal(0)  # the expense allowance priced into the fee and budget
    specs: list[tuple] = field(default_factory=list)  # deliverables before they are rows
    phases: list[Phase] = field(default_factory=list)
    budget: Budget | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)


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
    code_numbers: dict[str, int] = field(default_factory=dict)  # code prefix -> last number used
    showcase: ProjectPlan | None = None
    creative_deliverable: Deliverable | None = None
    toolkit_deliverable: Deliverable | None = None
    time_off: list[TimeOff] = field(default_factory=list)
    # Approved time off: talent id -> day -> hours off.
    hours_off: dict[int, dict[dt.date, Decimal]] = field(default_factory=dict)
    bookings: list[Booking] = field(default_factory=list)
    timesheets: list[Timesheet] = field(default_factory=list)
    entries: list[TimeEntry] = field(default_factory=list)
    submitted_budget: Budget | None = None
    submitted_change_order: ChangeOrder | None = None
    brief_in_review: Brief | None = None
    requests: list[Request] = field(default_factory=list)
    # Project id -> the request it came from.
    request_for: dict[int, Request] = field(default_factory=dict)
    approvals: list[Approval] = field(default_factory=list)
    surveys: list[SatisfactionSurvey] = field(default_factory=list)

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


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
