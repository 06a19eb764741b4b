"""Projects, phases, deliverable types and deliverables keep their invariants."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from projects.models import Deliverable, DeliverableStatus, Phase, Project
from tests.factories import (
    TODAY,
    BrandFactory,
    DeliverableFactory,
    DeliverableProgressFactory,
    DeliverableTypeFactory,
    DisciplineFactory,
    PhaseFactory,
    ProjectFactory,
    StandardHoursFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def clean_errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.clean()
    return error.value.message_dict


def test_project_codes_are_unique():
    ProjectFactory(code="NL-001")
    assert_refused(ProjectFactory, code="NL-001")
    assert ProjectFactory(code="NL-002").pk


def test_project_is_due_on_or_after_its_start():
    assert_refused(ProjectFactory, planned_start=TODAY, due_date=TODAY - DAY)
    assert "due_date" in clean_errors(
        Project(code="X", name="X", brand=BrandFactory(), planned_start=TODAY, due_date=TODAY - DAY)
    )
    assert ProjectFactory(planned_start=TODAY, due_date=TODAY).pk


def test_project_baseline_is_due_on_or_after_its_start():
    project = ProjectFactory()
    Project.objects.filter(pk=project.pk).update(baseline_start=TODAY, baseline_due_date=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(baseline_due_date=TODAY - DAY)


def test_client_work_needs_a_brand_and_internal_work_does_not():
    assert_refused(ProjectFactory, brand=None, is_internal=False)
    assert "brand" in clean_errors(
        Project(code="X", name="X", planned_start=TODAY, due_date=TODAY, pm=UserFactory(role="pm"))
    )
    assert ProjectFactory(brand=None, is_internal=True, fee=Decimal("0")).pk


def test_project_fee_cannot_be_negative():
    assert_refused(ProjectFactory, fee=Decimal("-0.01"))


def test_phase_ends_on_or_after_its_start():
    assert_refused(PhaseFactory, start_date=TODAY, end_date=TODAY - DAY)
    assert "end_date" in clean_errors(Phase(start_date=TODAY, end_date=TODAY - DAY))


def test_standard_hours_are_positive_and_set_once_per_discipline():
    hours = StandardHoursFactory()
    assert_refused(
        StandardHoursFactory, deliverable_type=hours.deliverable_type, discipline=hours.discipline
    )
    assert_refused(StandardHoursFactory, hours_per_unit=Decimal("0"))
    assert StandardHoursFactory(
        deliverable_type=hours.deliverable_type, discipline=DisciplineFactory()
    ).pk


def test_deliverable_quantity_and_percent_stay_in_range():
    assert_refused(DeliverableFactory, quantity=0)
    assert_refused(DeliverableFactory, percent_complete=101)
    assert_refused(DeliverableFactory, planned_hours=Decimal("-1"))
    assert DeliverableFactory(percent_complete=100, quantity=1).pk


def test_deliverable_is_due_on_or_after_its_start():
    assert_refused(DeliverableFactory, planned_start=TODAY, due_date=TODAY - DAY)
    assert "due_date" in clean_errors(Deliverable(planned_start=TODAY, due_date=TODAY - DAY))


@pytest.mark.parametrize("status", [DeliverableStatus.APPROVED, DeliverableStatus.DELIVERED])
def test_an_approved_deliverable_records_when(status):
    assert_refused(DeliverableFactory, status=status, approved_at=None)
    assert "approved_at" in clean_errors(
        Deliverable(planned_start=TODAY, due_date=TODAY, status=status)
    )
    assert DeliverableFactory(status=status, approved_at=timezone.now()).pk


@pytest.mark.parametrize("status, percent, expected", [
    ("not_started", 0, Decimal("0")),
    ("in_progress", 35, Decimal("0.35")),
    ("internal_review", 80, Decimal("0.8")),
    ("changes_requested", 90, Decimal("0.9")),
    # Approved and delivered count whole whatever percent was last typed in.
    ("approved", 60, Decimal("1")),
    ("delivered", 0, Decimal("1")),
    # Cancelled work earns nothing.
    ("cancelled", 70, Decimal("0")),
])
def test_deliverable_earned_fraction(status, percent, expected):
    deliverable = Deliverable(status=status, percent_complete=percent)
    assert deliverable.earned_fraction == expected


def test_deliverable_progress_percent_stays_in_range():
    assert_refused(DeliverableProgressFactory, percent_complete=101)
    assert DeliverableProgressFactory(percent_complete=100).pk


def test_project_with_deliverables_cannot_be_deleted():
    deliverable = DeliverableFactory()
    with pytest.raises(ProtectedError):
        deliverable.project.delete()
    assert Project.objects.filter(pk=deliverable.project_id).exists()


def test_deliverable_type_in_use_cannot_be_deleted():
    deliverable_type = DeliverableTypeFactory()
    DeliverableFactory(deliverable_type=deliverable_type)
    with pytest.raises(ProtectedError):
        deliverable_type.delete()


def test_deleting_a_phase_keeps_its_deliverables():
    phase = PhaseFactory()
    deliverable = DeliverableFactory(project=phase.project, phase=phase)
    phase.delete()
    deliverable.refresh_from_db()
    assert deliverable.phase is None
