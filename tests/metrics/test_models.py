"""Metric snapshots and satisfaction surveys keep their invariants."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from metrics.models import MetricSnapshot
from tests.factories import (
    TODAY,
    DeliverableFactory,
    MetricSnapshotFactory,
    ProjectFactory,
    SatisfactionSurveyFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_one_metric_row_per_date_scope_and_metric():
    MetricSnapshotFactory(date=TODAY, scope_key="project:42", metric="spi")
    assert_refused(MetricSnapshotFactory, date=TODAY, scope_key="project:42", metric="spi")
    MetricSnapshotFactory(date=TODAY, scope_key="project:43", metric="spi")
    MetricSnapshotFactory(date=TODAY, scope_key="project:42", metric="sv_t")
    MetricSnapshotFactory(date=TODAY.replace(day=24), scope_key="project:42", metric="spi")
    assert MetricSnapshot.objects.count() == 4


def test_rerunning_a_metric_replaces_its_row():
    key = {"date": TODAY, "scope_key": "studio", "metric": "csat"}
    MetricSnapshot.objects.update_or_create(**key, defaults={"value": Decimal("0.75")})
    MetricSnapshot.objects.update_or_create(**key, defaults={"value": Decimal("0.8125")})
    assert list(MetricSnapshot.objects.filter(scope_key="studio").values_list("value", flat=True)) == [
        Decimal("0.8125")
    ]


def test_one_survey_per_project_and_per_deliverable():
    survey = SatisfactionSurveyFactory()
    project = survey.project
    assert_refused(SatisfactionSurveyFactory, project=project)
    deliverable = DeliverableFactory(project=project)
    SatisfactionSurveyFactory(project=project, deliverable=deliverable)
    assert_refused(SatisfactionSurveyFactory, project=project, deliverable=deliverable)
    assert SatisfactionSurveyFactory(
        project=project, deliverable=DeliverableFactory(project=project)
    ).pk


def test_each_brand_manager_answers_a_survey_once():
    response = SurveyResponseFactory()
    assert_refused(SurveyResponseFactory, survey=response.survey, respondent=response.respondent)


@pytest.mark.parametrize("rating", [0, 6])
def test_ratings_are_one_to_five(rating):
    assert_refused(SurveyResponseFactory, rating=rating, responded_at=timezone.now())


def test_a_rating_and_its_date_come_together():
    assert_refused(SurveyResponseFactory, rating=4, responded_at=None)
    assert_refused(SurveyResponseFactory, rating=None, responded_at=timezone.now())
    assert SurveyResponseFactory(rating=5, responded_at=timezone.now()).pk
    assert SurveyResponseFactory(rating=None, responded_at=None).pk


def test_survey_tokens_are_unique_and_unguessable():
    first, second = SurveyResponseFactory(), SurveyResponseFactory()
    assert first.token != second.token
    assert len(first.token) >= 40


def test_a_surveyed_project_cannot_be_deleted():
    survey = SatisfactionSurveyFactory(project=ProjectFactory(status="delivered"))
    SurveyResponseFactory(survey=survey)
    with pytest.raises(ProtectedError):
        survey.project.delete()
    with pytest.raises(ProtectedError):
        survey.delete()
