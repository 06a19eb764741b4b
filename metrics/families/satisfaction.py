"""Client satisfaction (DESIGN §3), over the 90 days ending d (d − 89 … d), per project, per
brand and for the studio, as of the end of d.

- From the survey answers given in the window (by `SurveyResponse.responded_at`; invitations
  not answered are not answers): responses = their count, CSAT = answers rated 4 or 5 /
  answers, the average rating.
- From the deliverables approved in the window that went through a client review: the
  first-pass rate = those its first client review approved (`passed_first_client_review`) /
  all of them, and their mean revision rounds (`revision_rounds`: the times changes were
  requested on it, at either review step). An approved deliverable is closed to review, so
  both fields as they stand now are as they stood when it was approved, before the end of d.
  Internal work skips the client's step: it has no first client review and is left out.
- None where there is nothing to divide by.

The projects are those the night computes (`projects_on`) and any other with an answer in
the window; a brand's figures are those of all its projects, and the studio's those of every
project, whatever their status; the brands are those of these projects and of the answers
and approvals counted. Three queries, whatever the number of projects, deliverables and
answers: the projects, the answers by project, the approved deliverables by project.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Sum

from projects.models import Deliverable, DeliverableStatus, Project
from projects.progress import end_of

from ..catalogue import BRAND, PROJECT, SATISFACTION, STUDIO, metrics_of, scope_key
from ..models import SurveyResponse
from . import Value
from .scope import RECENT_DAYS, projects_on

WINDOW_DAYS = RECENT_DAYS
METRICS = [metric.key for metric in metrics_of(SATISFACTION)]
GOOD_RATING = 4


@dataclass
class Figures:
    """One scope's counts over the window."""

    responses: int = 0
    good: int = 0
    rating_total: int = 0
    reviewed: int = 0
    first_pass: int = 0
    rounds: int = 0

    def add(self, other: "Figures") -> None:
        self.responses += other.responses
        self.good += other.good
        self.rating_total += other.rating_total
        self.reviewed += other.reviewed
        self.first_pass += other.first_pass
        self.rounds += other.rounds

    def values(self, key: str) -> list[Value]:
        figures = {
            "responses": Fraction(self.responses),
            "csat": Fraction(self.good, self.responses) if self.responses else None,
            "average_rating": Fraction(self.rating_total, self.responses) if self.responses else None,
            "first_pass_rate": Fraction(self.first_pass, self.reviewed) if self.reviewed else None,
            "mean_revision_rounds": Fraction(self.rounds, self.reviewed) if self.reviewed else None,
        }
        return [Value(key, metric, _out(figures[metric])) for metric in METRICS]


def compute(day: dt.date) -> list[Value]:
    """The family's values for `day`: each project's (by id), each brand's (by id), then the
    studio's; an undefined figure is None."""
    start, end = end_of(day - dt.timedelta(days=WINDOW_DAYS)), end_of(day)
    answers = SurveyResponse.objects.filter(rating__isnull=False, responded_at__gte=start, responded_at__lt=end)
    projects = dict(
        Project.objects.filter(
            Q(pk__in=projects_on(day).values("pk")) | Q(Exists(answers.filter(survey__project=OuterRef("pk"))))
        )
        .order_by("pk")
        .values_list("pk", "brand_id")
    )
    by_project: dict[int, Figures] = defaultdict(Figures)
    brand_of = dict(projects)
    for project, brand, count, good, total in (
        answers.order_by()
        .values("survey__project", "survey__project__brand")
        .annotate(count=Count("pk"), good=Count("pk", filter=Q(rating__gte=GOOD_RATING)), total=Sum("rating"))
        .values_list("survey__project", "survey__project__brand", "count", "good", "total")
    ):
        brand_of[project] = brand
        by_project[project].add(Figures(responses=count, good=good, rating_total=total))
    for project, brand, count, passed, rounds in (
        Deliverable.objects.filter(
            status__in=DeliverableStatus.done(),
            approved_at__gte=start,
            approved_at__lt=end,
            passed_first_client_review__isnull=False,
        )
        .order_by()
        .values("project", "project__brand")
        .annotate(
            count=Count("pk"),
            passed=Count("pk", filter=Q(passed_first_client_review=True)),
            rounds=Sum("revision_rounds"),
        )
        .values_list("project", "project__brand", "count", "passed", "rounds")
    ):
        brand_of[project] = brand
        by_project[project].add(Figures(reviewed=count, first_pass=passed, rounds=rounds))

    by_brand: dict[int, Figures] = defaultdict(Figures)
    studio = Figures()
    for project, figures in by_project.items():
        if brand_of[project] is not None:
            by_brand[brand_of[project]].add(figures)
        studio.add(figures)
    brands = sorted({brand for brand in brand_of.values() if brand is not None})

    values: list[Value] = []
    for project in projects:
        values += by_project[project].values(scope_key(PROJECT, project))
    for brand in brands:
        values += by_brand[brand].values(scope_key(BRAND, brand))
    return values + studio.values(scope_key(STUDIO))


def _out(value: Fraction | None) -> Decimal | None:
    """A figure as the family answers it: a Decimal (to Decimal's full precision) or None."""
    if value is None:
        return None
    return Decimal(value.numerator) / Decimal(value.denominator)
