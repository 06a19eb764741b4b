"""Access-aware reads for projects and deliverables (DESIGN §1)."""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from studio.models import Role


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.BRAND_MANAGER:
            return self.filter(brand__managers=user)
        if user.role == Role.FREELANCER:
            # Only what they are booked on: nothing else, not even names.
            return self.filter(pk__in=self.model.objects.filter(bookings__talent__user=user).values("pk"))
        if user.role == Role.CREATIVE:
            mine = self.model.objects.filter(
                Q(bookings__talent__user=user)
                | Q(deliverables__assignees__user=user)
                | Q(briefs__versions__distributions__recipient=user)
            )
            return self.filter(pk__in=mine.values("pk"))
        return self.none()

    def open(self):
        return self.exclude(status__in=["delivered", "closed", "cancelled"])


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Project

        return self.filter(project__in=Project.objects.visible_to(user))

    def open(self):
        return self.exclude(status__in=["approved", "delivered", "cancelled"])

    def live(self):
        """Part of the plan: everything but cancelled deliverables."""
        return self.exclude(status="cancelled")

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


class DependencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Project

        return self.filter(successor__project__in=Project.objects.visible_to(user))

    def live(self):
        """Between deliverables still in the plan: a cancelled one constrains nothing."""
        return self.exclude(predecessor__status="cancelled").exclude(successor__status="cancelled")

    def conflicts(self):
        """Successors planned to start on or before their predecessor is due, while
        there is still work to do on them."""
        return (
            self.live()
            .exclude(successor__status__in=["approved", "delivered"])
            .filter(successor__planned_start__lte=F("predecessor__due_date"))
        )
