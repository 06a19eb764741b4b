"""Which projects a night computes."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from projects.models import Deliverable, DeliverableStatus, Project
from projects.progress import end_of

# A project finished within this many days still has its figures computed (and its
# satisfaction window is as long).
RECENT_DAYS = 90


def _work(day: dt.date, since: dt.date):
    """A project's deliverables (cancelled ones aside) not approved by the end of `since`."""
    return (
        Deliverable.objects.filter(project=OuterRef("pk"))
        .exclude(status=DeliverableStatus.CANCELLED)
        .filter(Q(approved_at__isnull=True) | Q(approved_at__gte=end_of(since)))
    )


def projects_on(day: dt.date):
    """The projects the night of `day` computes: started by then, neither at intake nor
    cancelled, with work not yet approved at the end of `day` or approved within the 90
    days ending it."""
    return (
        Project.objects.exclude(status__in=[Project.Status.INTAKE, Project.Status.CANCELLED])
        .filter(planned_start__lte=day)
        .filter(Exists(_work(day, day - dt.timedelta(days=RECENT_DAYS))))
    )


def active_on(day: dt.date):
    """Of those, the ones with work not yet approved at the end of `day`."""
    return projects_on(day).filter(Exists(_work(day, day)))
