"""Nightly metric snapshots and client-satisfaction surveys."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from projects.models import Deliverable, Project
from studio.models import new_token
from studio.permissions import RestrictedQuerySet


class MetricSnapshot(models.Model):
    """One metric's value for one scope (studio, project:42, brand:7…) on one date."""

    date = models.DateField()
    scope_key = models.CharField(max_length=40)
    metric = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    # A metric whose value is a day (a forecast finish) holds it here; `value` stays empty.
    value_date = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

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
