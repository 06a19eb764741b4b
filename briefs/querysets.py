"""Access-aware reads for requests, briefs and their distribution (DESIGN §1): the
scopes the table in `studio.permissions` gives `request`, `brief`, `brief_version`
and `distribution`."""

from django.db import models
from django.db.models import Q

from projects.models import Project
from projects.querysets import ProjectPartQuerySet
from studio.models import Brand
from studio.permissions import RestrictedQuerySet


class RequestQuerySet(RestrictedQuerySet):
    permission_object = "request"

    def scope_brand(self, user):
        return self.filter(brand__in=user.brands.values("pk"))

    def open(self):
        return self.filter(status__in=["submitted", "info_requested"])

    def with_items(self):
        """Prefetch the wanted deliverables with their types, for lists and summaries."""
        from .models import RequestItem

        items = RequestItem.objects.select_related("deliverable_type")
        return self.prefetch_related(models.Prefetch("items", queryset=items))

    def brands(self):
        """The brands these requests belong to, e.g. the brand choices of a filter."""
        return Brand.objects.filter(pk__in=self.values("brand"))


class BriefQuerySet(ProjectPartQuerySet):
    """Briefs follow their project (`scope_booked`: who may be sent one), except that a
    brand reads a brief only once it went to the brand for approval, and talent only
    what was sent to them."""

    permission_object = "brief"

    def scope_brand(self, user):
        # A first draft is the studio's own until it is in review or has an approved version.
        return super().scope_brand(user).filter(Q(status="in_review") | Q(current_version_number__gt=0))

    def scope_sent(self, user):
        # Sent to them, on a project they may see (a freelancer no longer booked loses it).
        sent = self.model.objects.filter(versions__distributions__recipient=user).values("pk")
        return self.filter(pk__in=sent, project__in=Project.objects.visible_to(user))

    def latest_by_project(self, project_ids) -> dict[int, int]:
        """{project id: id of its latest brief among these} for the projects given."""
        return dict(self.filter(project__in=project_ids).order_by("project_id", "pk").values_list("project_id", "pk"))


class BriefVersionQuerySet(ProjectPartQuerySet):
    permission_object = "brief_version"
    project_path = "brief__project"

    def scope_sent(self, user):
        from .models import BriefDistribution

        sent = BriefDistribution.objects.filter(recipient=user).values("version")
        return self.filter(pk__in=sent, brief__project__in=Project.objects.visible_to(user))


class BriefDistributionQuerySet(RestrictedQuerySet):
    permission_object = "distribution"

    def scope_own(self, user):
        return self.filter(recipient=user)

    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)
