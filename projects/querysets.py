"""Access-aware reads for projects and deliverables (DESIGN §1)."""

from django.db import models
from django.db.models import Q

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

    def due_between(self, start, end):
        return self.filter(due_date__range=(start, end))

    def due_by(self, day):
        """Due on or before `day`, overdue ones included."""
        return self.filter(due_date__lte=day)

    def assigned_to(self, talent):
        return self.filter(assignees=talent)
