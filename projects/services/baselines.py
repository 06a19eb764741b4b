"""Baselines: the plan frozen on a day, so the project can show how far it has moved.

"Set baseline" freezes the project's dates and every planned deliverable's dates and
hours; a re-baseline adds the next one and keeps every earlier one.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from studio.models import User
from studio.permissions import require
from studio.services import audit_record
from studio.versions import lock_version

from ..models import Baseline, BaselineDeliverable, Deliverable, Project


@transaction.atomic
def baseline_set(*, project: Project, user: User, version: int | None = None, note: str = "") -> Baseline:
    """Freeze the plan as it stands as the project's next baseline."""
    require(user, "project.change", project)
    if len(note.strip()) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    project = lock_version(Project.objects.all(), project.pk, version)
    deliverables = list(Deliverable.objects.filter(project=project).live().order_by("pk"))
    number = (project.baselines.aggregate(last=Max("number"))["last"] or 0) + 1
    baseline = Baseline.objects.create(
        project=project, number=number, planned_start=project.planned_start, due_date=project.due_date,
        planned_hours=sum((d.planned_hours for d in deliverables), Decimal("0")), note=note.strip(),
        set_by=user, set_at=timezone.now(),
    )
    BaselineDeliverable.objects.bulk_create(
        BaselineDeliverable(
            baseline=baseline, deliverable=d, planned_start=d.planned_start, due_date=d.due_date,
            planned_hours=d.planned_hours,
        )
        for d in deliverables
    )
    project.baseline_start, project.baseline_due_date = project.planned_start, project.due_date
    project.baseline_set_at = baseline.set_at
    project.version += 1
    project.save(update_fields=["baseline_start", "baseline_due_date", "baseline_set_at", "version", "updated_at"])
    audit_record(
        actor=user, obj=project, action="project.baseline",
        after={"baseline": number, "deliverables": len(deliverables), "planned_hours": baseline.planned_hours},
        reason=baseline.note or _("Baseline %(number)s set.") % {"number": number},
    )
    return baseline
