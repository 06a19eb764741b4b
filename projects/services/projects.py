"""Projects: create one, edit it, and move it along its lifecycle (DESIGN §2).

Codes follow the brand's own prefix and running number (AUR-001, AUR-002, …);
internal work takes the studio's internal prefix. Every write is audited; edits and
status moves carry the version the caller saw, and a stale one is refused.
"""

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from studio import clock
from studio.models import Brand, StudioSettings, User
from studio.permissions import can, require
from studio.services import audit_record
from studio.versions import lock_version
from studio.workdays import next_working_day, window_errors

from ..models import DeliverableType, Project
from .plan import deliverable_create

Status = Project.Status
# The lifecycle: where a project may go from each status. Closed and cancelled are final.
LIFECYCLE: dict[str, frozenset[str]] = {
    Status.INTAKE: frozenset({Status.PLANNED, Status.CANCELLED}),
    Status.PLANNED: frozenset({Status.INTAKE, Status.ACTIVE, Status.ON_HOLD, Status.CANCELLED}),
    Status.ACTIVE: frozenset({Status.ON_HOLD, Status.DELIVERED, Status.CANCELLED}),
    Status.ON_HOLD: frozenset({Status.PLANNED, Status.ACTIVE, Status.CANCELLED}),
    Status.DELIVERED: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}
EDITABLE_FIELDS = ("name", "brand", "is_internal", "pm", "planned_start", "due_date", "fee", "description")
AUDITED_FIELDS = ("code", *EDITABLE_FIELDS, "status", "version")
CODE_ATTEMPTS = 5


def _snapshot(project: Project) -> dict:
    return model_to_dict(project, fields=AUDITED_FIELDS)


def code_prefix(brand: Brand | None) -> str:
    return brand.code_prefix if brand is not None else StudioSettings.load().internal_code_prefix


def project_code_next(brand: Brand | None) -> str:
    """The next code in the brand's own sequence (or internal work's): its prefix and
    one more than the highest number used, e.g. AUR-008."""
    prefix = code_prefix(brand)
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    codes = Project.objects.filter(code__startswith=f"{prefix}-").values_list("code", flat=True)
    numbers = [int(match.group(1)) for code in codes if (match := pattern.match(code))]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def project_insert(project: Project, *, code: str | None = None) -> Project:
    """Save a new project under `code`, or the next free code of its brand, retrying when
    another project took that code at the same moment."""
    if code:
        project.code = code
        try:
            with transaction.atomic():
                project.save(force_insert=True)
        except IntegrityError as error:
            raise ValidationError(
                {"code": [_("Another project already has the code %(code)s.") % {"code": code}]}
            ) from error
        return project
    for _attempt in range(CODE_ATTEMPTS):
        project.code = project_code_next(project.brand)
        try:
            with transaction.atomic():  # a savepoint: losing the race for a code is retried
                project.save(force_insert=True)
            return project
        except IntegrityError:
            if not Project.objects.filter(code=project.code).exists():
                raise
            project.pk = None
    raise ValidationError(_("No free project code was found; try again."), code="no_code")


def _validate(project: Project, *, brand_chosen: bool) -> None:
    """The project's own rules, the plan window and who may lead it, as field errors."""
    errors = window_errors(project, exclude=["code"], validate_unique=False,
                           planned_start=project.planned_start, due_date=project.due_date)
    if project.pm_id and not can(project.pm, "project.manage"):
        errors.setdefault("pm", []).append(_("Choose an active production manager."))
    if project.is_internal and project.brand_id:
        errors.setdefault("brand", []).append(_("Internal work has no brand; leave it empty or untick 'internal'."))
    if project.is_internal and project.fee:
        errors.setdefault("fee", []).append(_("Internal work has no client fee."))
    if brand_chosen and project.brand_id and not project.brand.active:
        errors.setdefault("brand", []).append(_("This brand is no longer active."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    user: User,
    name: str,
    pm: User,
    planned_start: dt.date,
    due_date: dt.date,
    brand: Brand | None = None,
    is_internal: bool = False,
    fee: Decimal = Decimal("0"),
    description: str = "",
    status: str = Status.PLANNED,
) -> Project:
    """Start a project from scratch, in intake or planned, under the next code of its brand."""
    require(user, "project.add")
    if status not in (Status.INTAKE, Status.PLANNED):
        raise ValidationError({"status": _("A new project starts in intake or planned.")})
    project = Project(
        name=name.strip(), pm=pm, planned_start=planned_start, due_date=due_date, brand=brand,
        is_internal=is_internal, fee=fee, description=description.strip(), status=status,
    )
    _validate(project, brand_chosen=True)
    project_insert(project)
    audit_record(actor=user, obj=project, action="project.create", after=_snapshot(project))
    return project


@transaction.atomic
def project_update(*, project: Project, user: User, version: int, **changes) -> Project:
    """Change a project's own fields; its code stays what it was."""
    require(user, "project.change", project)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_update cannot change {', '.join(sorted(unknown))}")
    project = lock_version(Project.objects.select_related("brand", "pm"), project.pk, version)
    before = _snapshot(project)
    for name, value in changes.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _validate(project, brand_chosen=project.brand_id != before["brand"])
    project.version += 1
    project.save()
    audit_record(actor=user, obj=project, action="project.update", before=before, after=_snapshot(project))
    return project


def allowed_moves(project: Project) -> list[str]:
    """The statuses the project may move to next, in lifecycle order."""
    return [status for status in Status.values if status in LIFECYCLE[project.status]]


@transaction.atomic
def project_status_change(
    *, project: Project, user: User, status: str, version: int | None = None, reason: str = ""
) -> Project:
    """Move the project along its lifecycle; a move the lifecycle forbids is refused."""
    require(user, "project.change", project)
    project = lock_version(Project.objects.all(), project.pk, version)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == project.status:
        raise ValidationError(
            {"status": _("The project is already “%(status)s”.") % {"status": project.get_status_display()}}
        )
    if status not in LIFECYCLE[project.status]:
        allowed = ", ".join(f"“{Status(s).label}”" for s in allowed_moves(project)) or _("nowhere: it is final")
        raise ValidationError({
            "status": _("A project that is “%(current)s” cannot become “%(new)s”. From here it can go to %(allowed)s.")
            % {"current": project.get_status_display(), "new": Status(status).label, "allowed": allowed}
        })
    if status == Status.DELIVERED:
        still_open = project.deliverables.open().count()
        if still_open:
            raise ValidationError({"status": _(
                "%(count)d deliverables are still open: have them approved, or cancel them, before delivering."
            ) % {"count": still_open}})
    before = _snapshot(project)
    project.status = status
    project.version += 1
    project.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=user, obj=project, action="project.status", before=before, after=_snapshot(project),
        reason=reason.strip(),
    )
    return project


@transaction.atomic
def project_from_request(
    *,
    user: User,
    name: str,
    brand: Brand,
    pm: User,
    due_date: dt.date,
    fee: Decimal,
    description: str,
    items: Iterable[tuple[DeliverableType, int]],
    code: str | None = None,
    reason: str = "",
) -> Project:
    """The planned project of an accepted request: from the next working day to its deadline,
    one deliverable per item estimated from its type's standard hours. The request's triage
    has decided the user may accept it."""
    start = min(next_working_day(clock.today()), due_date)  # a deadline sooner still makes a valid plan
    project = Project(
        name=name[:200], brand=brand, pm=pm, status=Status.PLANNED, fee=fee, planned_start=start,
        due_date=due_date, description=description,
    )
    project_insert(project, code=code)
    audit_record(actor=user, obj=project, action="project.create", after=_snapshot(project), reason=reason)
    for deliverable_type, quantity in items:
        deliverable_create(
            project=project, user=user, deliverable_type=deliverable_type, name=deliverable_type.name,
            quantity=quantity, planned_start=start, due_date=due_date,
        )
    return project
