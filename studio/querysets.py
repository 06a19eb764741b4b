"""Access-aware reads for the studio's people (DESIGN §1)."""

from django.contrib.auth import get_user_model
from django.db import models

from .permissions import RestrictedQuerySet, Scope, holders, scope_of


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def able_to(self, action: str, scope=None):
        """The active people the permission table allows `action` (in `scope`, when given)."""
        return self.filter(holders(action, scope))


# How a user's projects are reached, by the scope in which they see projects
# (`project.view`). Lookups by name: studio sits below the apps that hold bookings,
# deliverables and briefs (DESIGN §2 layers).
_PROJECTS_OF_USER = {
    Scope.BOOKED: ("talent__bookings__project",),
    Scope.TEAM: (
        "talent__bookings__project",
        "talent__assigned_deliverables__project",
        "brief_distributions__version__brief__project",
    ),
}


class TalentQuerySet(RestrictedQuerySet):
    permission_object = "talent"

    def active(self):
        return self.filter(active=True)

    def scope_own(self, user):
        return self.filter(user=user)

    def holds(self, scope, user, obj):
        return obj.user_id == user.pk if scope == Scope.OWN else None

    def scope_team(self, user):
        """Themselves and the teams of the projects they see as a team member: for a
        creative those they are booked on, assigned work on or were sent a brief of,
        for a freelancer those they are booked on."""
        themselves = self.model.objects.filter(user=user).order_by().values("pk")
        me = get_user_model().objects.filter(pk=user.pk).order_by()
        projects = [me.values(path) for path in _PROJECTS_OF_USER.get(scope_of(user, "project.view"), ())]
        team = self._teams_of(projects[0].union(*projects[1:])) if projects else []
        return self.filter(pk__in=themselves.union(*team))

    def on_projects(self, projects):
        """The people on these projects' teams (a project, or a queryset of them): booked
        on one or assigned one of its deliverables; each person once."""
        if not isinstance(projects, models.QuerySet):
            projects = [projects]
        booked, assigned = self._teams_of(projects)
        return self.filter(pk__in=booked.union(assigned))

    def _teams_of(self, projects):
        people = self.model.objects.order_by()
        return [
            people.filter(bookings__project__in=projects).values("pk"),
            people.filter(assigned_deliverables__project__in=projects).values("pk"),
        ]
