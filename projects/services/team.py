"""A project's team, and the production manager's message to it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from studio.models import Talent, User
from studio.permissions import can
from studio.services import audit_record, notification_create

from ..models import Project


def project_team(project: Project):
    """The active people on the project: booked on it or assigned one of its deliverables.
    Bookings by their related name: schedules sits above projects (DESIGN §2, layers)."""
    return Talent.objects.on_projects(project).filter(active=True, user__is_active=True)


@transaction.atomic
def project_team_message(*, project: Project, user: User, subject: str, body: str) -> list:
    """Send a production manager's message to everyone on the project's team, as a notification each."""
    if not can(user, "project.message_team", project):
        raise PermissionDenied(_("Only production managers can message a project's team."))
    subject, body = subject.strip(), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    if not body:
        errors["body"] = _("Write the message.")
    if errors:
        raise ValidationError(errors)
    team = list(project_team(project).select_related("user"))
    if not team:
        raise ValidationError(_("Nobody is booked on this project or assigned to its deliverables yet."))
    url = project.get_absolute_url()
    notifications = [
        notification_create(
            recipient=talent.user, subject=f"{project.code}: {subject}", body=body, url=url, target=project
        )
        for talent in team
    ]
    audit_record(
        actor=user,
        obj=project,
        action="team_message",
        after={"subject": subject, "body": body, "recipients": [talent.user_id for talent in team]},
    )
    return notifications
