"""Nightly metric snapshots and client-satisfaction surveys."""

import dataclasses

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from projects.models import Deliverable, Project
from studio.models import Brand, new_token
from studio.permissions import RestrictedQuerySet, Scope, can, scope_of

from .catalogue import BRAND, DISCIPLINE, METRICS, PROJECT, SCOPES, STUDIO, TALENT, Metric

# The kinds of metric scope each scope of the permission table reaches: the studio's
# roles every kind; a brand's reader their brands and those brands' projects.
KINDS_IN_SCOPE = {Scope.ALL: SCOPES, Scope.BRAND: (PROJECT, BRAND)}
# Figures per person and per discipline, read with `metric.people` only.
PEOPLE_KINDS = (DISCIPLINE, TALENT)


def readable_kinds(user) -> tuple[str, ...]:
    """The kinds of scope (studio, project, brand, discipline, talent) whose metrics
    `user` reads: those their `metric.view` scope reaches, people's with `metric.people`."""
    kinds = KINDS_IN_SCOPE.get(scope_of(user, "metric.view"), ())
    if not can(user, "metric.people"):
        kinds = tuple(kind for kind in kinds if kind not in PEOPLE_KINDS)
    return kinds


def readable_catalogue(user) -> list[Metric]:
    """The catalogue as `user` reads it: each metric of a kind of scope they read, with
    only those scopes; money (`costs`) with `project.see_costs` alone."""
    kinds = readable_kinds(user)
    money = can(user, "project.see_costs")
    readable = []
    for metric in METRICS:
        scopes = tuple(scope for scope in metric.scopes if scope in kinds)
        if scopes and (money or not metric.costs):
            readable.append(dataclasses.replace(metric, scopes=scopes))
    return readable


def readable_brands(user):
    """The brands whose metrics `user` reads: every brand for the studio's roles, a brand
    manager's own, none for anyone else."""
    scope = scope_of(user, "metric.view")
    if scope is Scope.ALL:
        return Brand.objects.all()
    if scope is Scope.BRAND:
        return Brand.objects.filter(managers=user)
    return Brand.objects.none()


def keys_of_kind(kind: str) -> Q:
    """The rows of one kind of scope, by their key: `studio` itself, else `<kind>:…`."""
    return Q(scope_key=STUDIO) if kind == STUDIO else Q(scope_key__startswith=f"{kind}:")


def _keys(rows, kind: str):
    """`<kind>:<id>` of each row, as one column for an IN subquery (unordered: SQLite
    refuses a default ORDER BY inside a UNION)."""
    key = Concat(Value(f"{kind}:"), Cast("pk", CharField()), output_field=CharField())
    return rows.order_by().annotate(key=key).values("key")


class MetricSnapshotQuerySet(RestrictedQuerySet):
    """Snapshots as their readers may see them (DESIGN §1): `visible_to(user)` is the rows
    of the scope the table gives `metric.view`, narrowed to the metrics and kinds of scope
    `user` reads (`readable_by`)."""

    permission_object = "metric"

    def visible_to(self, user, action: str = "view"):
        rows = super().visible_to(user, action)
        return rows.readable_by(user) if action in ("view", "metric.view") else rows

    def scope_brand(self, user):
        """The rows of the brands `user` manages and of those brands' projects: their keys
        in one subquery, which PostgreSQL joins on the (scope_key, metric, date) index."""
        projects = _keys(Project.objects.scope_brand(user), PROJECT)
        brands = _keys(readable_brands(user), BRAND)
        return self.filter(scope_key__in=projects.union(brands, all=True))

    def readable_by(self, user):
        """Of these rows, the metrics and kinds of scope `user` reads (`readable_catalogue`):
        a list of metric keys and, for kinds their scope reaches but they may not read
        (people's, without `metric.people`), their keys' prefixes left out."""
        catalogue = readable_catalogue(user)
        if not catalogue:
            return self.none()
        rows = self.filter(metric__in=[metric.key for metric in catalogue])
        kinds = readable_kinds(user)
        for kind in KINDS_IN_SCOPE.get(scope_of(user, "metric.view"), ()):
            if kind not in kinds:
                rows = rows.exclude(keys_of_kind(kind))
        return rows

    def of_kind(self, kind: str):
        """The rows of one kind of scope (studio, project, brand, discipline, talent)."""
        return self.filter(keys_of_kind(kind))

    def holds(self, scope, user, obj) -> bool | None:
        # A metric or kind of scope the reader may not read is answered from the row.
        kinds = readable_kinds(user)
        readable = {metric.key for metric in readable_catalogue(user)}
        if obj.metric not in readable or obj.scope_key.split(":")[0] not in kinds:
            return False
        return None


class MetricSnapshot(models.Model):
    """One metric's value for one scope (studio, project:42, brand:7…) on one date."""

    date = models.DateField()
    scope_key = models.CharField(max_length=40)
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    # A metric whose value is a day (a forecast finish) holds it here; `value` stays empty.
    value_date = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = MetricSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "scope_key", "metric"]
        indexes = [models.Index(fields=["scope_key", "metric", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope_key", "metric"], name="metricsnapshot_unique"),
        ]

    def __str__(self):
        return f"{self.date} {self.scope_key} {self.metric} = {self.value}"


class SatisfactionSurveyQuerySet(RestrictedQuerySet):
    permission_object = "survey"

    def scope_brand(self, user):
        return self.filter(project__brand__in=user.brands.values("pk"))


class SatisfactionSurvey(models.Model):
    """Sent to a brand's managers when a project (or, if enabled, a deliverable) is delivered."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="surveys")
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, null=True, blank=True, related_name="surveys"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    objects = SatisfactionSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(deliverable__isnull=True), name="survey_once_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "deliverable"], condition=Q(deliverable__isnull=False),
                name="survey_once_per_deliverable",
            ),
        ]

    def __str__(self):
        return f"Survey: {self.deliverable or self.project}"


class SurveyResponse(models.Model):
    """One brand manager's invitation to a survey and, once answered, their rating."""

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_responses")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "respondent"]
        indexes = [models.Index(fields=["responded_at"])]
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="surveyresponse_once_per_respondent"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="surveyresponse_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True, responded_at__isnull=True)
                | Q(rating__isnull=False, responded_at__isnull=False),
                name="surveyresponse_rating_with_date",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} on {self.survey}"
