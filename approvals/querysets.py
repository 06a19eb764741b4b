"""Reads of approvals: an object's rounds, what waits on a person, what a person may see."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, CharField, IntegerField, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from studio import clock
from studio.models import Brand, Role, User
from studio.permissions import can, role_of

from . import registry

# The copied steps live in a JSON list; SQL reads the current one by its index,
# so flows are capped at this many steps (checked at submission).
MAX_STEPS = 10


def _current_step_field(field: str, output_field: models.Field) -> Case:
    """The `field` of the step at `current_step`, read in SQL on every database."""
    return Case(
        *[
            When(current_step=index, then=Cast(KT(f"steps__{index}__{field}"), output_field))
            for index in range(MAX_STEPS)
        ],
        default=Value(None),
        output_field=output_field,
    )


class ApprovalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status="pending")

    def for_object(self, obj):
        """Every round of `obj`'s approvals, newest first."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk)).order_by("-round")

    def pending_for(self, obj):
        """The approval of `obj` waiting for a decision, or None."""
        return self.for_object(obj).pending().first()

    def with_current_approver(self):
        """Annotate `step_role` and `step_user_id`: who the current step is for."""
        return self.annotate(
            step_role=_current_step_field("role", CharField()),
            step_user_id=_current_step_field("user", IntegerField()),
        )

    def visible_to(self, user):
        """Approvals whose object `user` may see, by each kind's model's own `visible_to`."""
        if role_of(user) is None:
            return self.none()
        if can(user, "studio.view"):
            return self.all()
        visible = Q()
        for kind in registry.registered().values():
            manager = kind.model._default_manager
            # Objects without an access rule of their own are the studio's internal records.
            if not hasattr(manager, "visible_to"):
                continue
            keys = manager.visible_to(user).order_by().annotate(key=Cast("pk", CharField())).values("key")
            visible |= Q(kind=kind.kind, object_id__in=keys)
        return self.filter(visible) if visible else self.none()

    def waiting_on(self, user):
        """Pending approvals whose current step `user` may decide, for themselves or a
        delegator away today, on objects they may see; never their own submissions."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        from .models import Delegation  # models.py imports this module
        delegators = Delegation.objects.active_on(clock.today()).filter(delegate=user).values("delegator")
        principals = User.objects.filter(Q(pk=user.pk) | Q(pk__in=delegators), is_active=True)
        brands = Brand.objects.filter(managers__in=principals.filter(role=Role.BRAND_MANAGER)).values("pk")
        decidable = (
            Q(step_user_id__in=principals.values("pk"))
            | Q(step_role__in=principals.exclude(role=Role.BRAND_MANAGER).values("role"))
            | Q(step_role=Role.BRAND_MANAGER, brand_id__in=brands)
        )
        return (
            self.pending()
            .with_current_approver()
            .filter(decidable)
            .exclude(submitted_by=user)
            .visible_to(user)
        )
