"""Access-aware reads for requests, briefs and their distribution (DESIGN §1)."""

from django.db import models
from django.db.models import Q

from projects.models import Project
from studio.models import Brand, Role


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.BRAND_MANAGER:
            return self.filter(brand__managers=user)
        return self.none()

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


class BriefQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.BRAND_MANAGER:
            return self.filter(project__brand__managers=user).filter(
                Q(status="in_review") | Q(current_version_number__gt=0)
            )
        if user.is_talent:
            sent = self.model.objects.filter(versions__distributions__recipient=user).values("pk")
            return self.filter(pk__in=sent, project__in=Project.objects.visible_to(user))
        return self.none()

    def latest_by_project(self, project_ids) -> dict[int, int]:
        """{project id: id of its latest brief among these} for the projects given."""
        return dict(self.filter(project__in=project_ids).order_by("project_id", "pk").values_list("project_id", "pk"))


class BriefVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.BRAND_MANAGER:
            return self.filter(brief__project__brand__managers=user)
        if user.is_talent:
            return self.filter(
                distributions__recipient=user, brief__project__in=Project.objects.visible_to(user)
            )
        return self.none()


class BriefDistributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.is_talent:
            return self.filter(recipient=user)
        return self.none()

    def unacknowledged(self):
        return self.filter(acknowledged_at__isnull=True)
