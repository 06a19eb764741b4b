"""Access-aware reads for projects and deliverables (DESIGN §1)."""

import datetime as dt

from django.db.models import F, Q

from studio import clock
from studio.permissions import RestrictedQuerySet, Scope


class ProjectQuerySet(RestrictedQuerySet):
    permission_object = "project"

    def scope_brand(self, user):
        return self.filter(brand__in=user.brands.values("pk"))

    def scope_booked(self, user):
        # Only what they are booked on: nothing else, not even names.
        return self.filter(pk__in=self._booked_by(user))

    def scope_team(self, user):
        # Unordered parts: SQLite refuses the model's default ORDER BY inside a UNION.
        assigned = self.model.objects.filter(deliverables__assignees__user=user).order_by().values("pk")
        sent = self.model.objects.filter(briefs__versions__distributions__recipient=user).order_by().values("pk")
        return self.filter(pk__in=self._booked_by(user).union(assigned, sent))

    def _booked_by(self, user):
        return self.model.objects.filter(bookings__talent__user=user).order_by().values("pk")

    def open(self):
        return self.exclude(status__in=self.model.Status.closed())

    def loggable_by(self, talent, day: dt.date):
        """The projects `talent` may log time on for `day`, the one rule of my day, the
        timesheet and the API: open (not delivered, closed or cancelled), and the person
        is booked on it in the week of `day` (tentative holds too: a booking opens its
        project for its whole week) or assigned to one of its deliverables; limited to
        the projects the person may see, so a freelancer's assignment counts only on a
        project they are booked on."""
        monday = clock.week_start(day)
        booked = self.model.objects.filter(
            bookings__talent=talent,
            bookings__start_date__lte=monday + dt.timedelta(days=6),
            bookings__end_date__gte=monday,
        )
        assigned = self.model.objects.filter(deliverables__assignees=talent)
        return (
            self.visible_to(talent.user)
            .open()
            .filter(Q(pk__in=booked.order_by().values("pk")) | Q(pk__in=assigned.order_by().values("pk")))
        )


class ProjectPartQuerySet(RestrictedQuerySet):
    """The rows of a project's plan follow their project: `project_path` leads to it."""

    permission_object = "project"
    project_path = "project"

    def _of_projects_in(self, scope, user):
        from .models import Project

        return self.filter(**{f"{self.project_path}__in": Project.objects.in_scope(scope, user)})

    def scope_brand(self, user):
        return self._of_projects_in(Scope.BRAND, user)

    def scope_booked(self, user):
        return self._of_projects_in(Scope.BOOKED, user)

    def scope_team(self, user):
        return self._of_projects_in(Scope.TEAM, user)


class DeliverableQuerySet(ProjectPartQuerySet):
    permission_object = "deliverable"

    def scope_assigned(self, user):
        return self.filter(pk__in=self.model.objects.filter(assignees__user=user).values("pk"))

    def open(self):
        return self.exclude(status__in=self.model.Status.closed())

    def live(self):
        """Part of the plan: everything but cancelled deliverables."""
        return self.exclude(status=self.model.Status.CANCELLED)

    def overdue(self, today: dt.date):
        return self.open().filter(due_date__lt=today)

    def outside_project(self):
        """Planned to start before its project or to end after it (allowed, flagged)."""
        return self.filter(Q(planned_start__lt=F("project__planned_start")) | Q(due_date__gt=F("project__due_date")))

    def due_between(self, start, end):
        return self.filter(due_date__range=(start, end))

    def due_by(self, day):
        """Due on or before `day`, overdue ones included."""
        return self.filter(due_date__lte=day)

    def assigned_to(self, talent):
        return self.filter(assignees=talent)


class DependencyQuerySet(ProjectPartQuerySet):
    project_path = "successor__project"

    def live(self):
        """Between deliverables still in the plan: a cancelled one constrains nothing."""
        from .models import DeliverableStatus

        cancelled = DeliverableStatus.CANCELLED
        return self.exclude(predecessor__status=cancelled).exclude(successor__status=cancelled)

    def conflicts(self):
        """Successors planned to start on or before their predecessor is due, while
        there is still work to do on them."""
        from .models import DeliverableStatus

        return (
            self.live()
            .exclude(successor__status__in=DeliverableStatus.done())
            .filter(successor__planned_start__lte=F("predecessor__due_date"))
        )
