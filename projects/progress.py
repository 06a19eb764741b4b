"""Earned hours as of a day (DESIGN §3, schedule variance): what each project's
deliverables have earned of their planned hours, from their progress history.

- BAC (hours) = Σ planned hours of the project's deliverables in the current plan,
  cancelled ones excluded.
- EV (hours) = Σ planned hours × percent complete as last recorded on or before the
  day in the deliverable's progress history; approved and delivered work counts
  100 % from the day it was approved.

One query, whatever the number of projects and deliverables.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from studio.clock import studio_zone

from .models import Deliverable, DeliverableProgress, DeliverableStatus, Project

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
HOURS = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class Earned:
    """A project's earned value and budget at completion, in planned hours."""

    ev: Decimal
    bac: Decimal

    @property
    def fraction(self) -> Decimal | None:
        """EV / BAC: the share of the planned hours earned (None without planned hours)."""
        return self.ev / self.bac if self.bac else None


NOTHING = Earned(ev=ZERO, bac=ZERO)


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the studio's time zone: a record stamped before
    it happened on or before `day` (DESIGN §3: "as of the end of d")."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=studio_zone())


def project_ids(projects: Iterable[Project | int]) -> list[int]:
    """The ids of `projects` (projects or ids), in order, once each."""
    return list(dict.fromkeys(p if isinstance(p, int) else p.pk for p in projects))


def percent_complete_on(day: dt.date):
    """A deliverable's percent complete as of the end of `day`, as an expression on
    `Deliverable`: 100 once approved or delivered by then (by its history or its
    approval time), else the percent last recorded on or before `day` (0 without one)."""
    done = DeliverableStatus.done()
    last_recorded = (
        DeliverableProgress.objects.filter(deliverable=OuterRef("pk"), date__lte=day)
        .order_by("-date", "-recorded_at", "-id")
        .annotate(
            effective=Case(
                When(status__in=done, then=Value(100)), default=F("percent_complete"), output_field=IntegerField()
            )
        )
        .values("effective")[:1]
    )
    return Case(
        When(Q(status__in=done) & Q(approved_at__lt=end_of(day)), then=Value(100)),
        default=Coalesce(Subquery(last_recorded, output_field=IntegerField()), Value(0)),
        output_field=IntegerField(),
    )


def earned_hours(projects: Iterable[Project | int], day: dt.date) -> dict[int, Earned]:
    """{project id: Earned(ev, bac)} as of the end of `day`, for every project asked
    (`NOTHING` for one without planned work), in one query."""
    ids = project_ids(projects)
    if not ids:
        return {}
    rows = (
        Deliverable.objects.filter(project__in=ids)
        .live()
        .order_by()
        .values("project")
        .annotate(
            bac=Coalesce(Sum("planned_hours"), Value(ZERO), output_field=HOURS),
            # Σ hours × percent stays a whole number of cents of an hour; the /100 is done in Decimal.
            earned_percent_hours=Coalesce(
                Sum(F("planned_hours") * percent_complete_on(day), output_field=HOURS),
                Value(ZERO),
                output_field=HOURS,
            ),
        )
    )
    earned = dict.fromkeys(ids, NOTHING)
    for row in rows:
        earned[row["project"]] = Earned(ev=_exact(row["earned_percent_hours"]) / HUNDRED, bac=_exact(row["bac"]))
    return earned


def _exact(value) -> Decimal:
    # Planned hours have two decimals; SQLite answers sums as floats.
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    return number.quantize(CENT, rounding=ROUND_HALF_UP)
