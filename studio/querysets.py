"""Access-aware reads for the studio's people (DESIGN §1)."""

from django.apps import apps
from django.db import models
from django.db.models import Q


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_role(self, *roles):
        return self.filter(role__in=roles)


class TalentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        """PMs and executives see the directory; creatives and freelancers see
        themselves and the teams of the projects they may see; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if not user.is_talent:
            return self.none()
        # Resolved by name, not imported: studio sits below projects (DESIGN §2 layers).
        projects = apps.get_model("projects", "Project").objects.visible_to(user)
        return self.filter(Q(user=user) | Q(pk__in=self.model.objects.on_projects(projects).values("pk")))

    def on_projects(self, projects):
        """The people on these projects' teams (a project, or a queryset of them): booked
        on one or assigned one of its deliverables; each person once."""
        if not isinstance(projects, models.QuerySet):
            projects = [projects]
        team = self.model.objects.filter(
            Q(bookings__project__in=projects) | Q(assigned_deliverables__project__in=projects)
        )
        return self.filter(pk__in=team.values("pk"))
