"""What the projects API's viewsets share: fields that offer only what the caller may
see, the version a write is based on, the documented body of a 409 and the way a plan's
object is added and changed. A service's refusal is answered by `studio.api_errors`
(400, 403, 409 with the view's `represent_current`)."""

from collections.abc import Callable, Mapping

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from studio.api_views import CurrentOnConflictMixin, validated
from studio.limits import MAX_VERSION
from studio.permissions import require


def conflict_schema(name: str, current) -> serializers.Serializer:
    """The documented body of a 409: why, and the object as it is now."""
    return inline_serializer(name, {"detail": serializers.CharField(), "current": current})


class VisibleField(serializers.PrimaryKeyRelatedField):
    """A choice among the objects the caller may see (the model's `visible_to`, or
    `visible(request)` for models without one); others do not exist."""

    def __init__(self, *, visible: Callable | None = None, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context["request"]
        if self.visible is not None:
            return self.visible(request)
        return self.queryset.visible_to(request.user)


def version_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The version the caller last read; 409 if it changed since.",
        **kwargs,
    )


class VersionSerializer(serializers.Serializer):
    version = version_field()


class ChangeSerializer(serializers.Serializer):
    """A change, for a PATCH, made of the serializer that adds the object (listed before
    this one among the bases): every field optional but `version`, those of `not_changed`
    left out, and only what the caller sent kept (and `always`)."""

    version = version_field()
    not_changed: tuple[str, ...] = ()
    always: tuple[str, ...] = ("version",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.not_changed:
            del self.fields[name]
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # Defaults are for creating: a PATCH keeps only what the caller sent.
        sent = data if isinstance(data, Mapping) else {}
        return {name: value for name, value in values.items() if name in sent or name in self.always}


class PlanWriteMixin(CurrentOnConflictMixin):
    """Writes of a plan's viewset, through the services: an object is changed only by
    who may change its project; each write is answered with the object as the caller
    now reads it, and a stale one with a 409 that carries it as it is now."""

    # The services' keyword for the viewset's object, and its name in a serializer's context.
    object_name: str

    def project_of(self, obj):
        return obj.project

    def for_change(self):
        """The viewset's object, if the caller may change its project (else a 403)."""
        obj = self.get_object()
        require(self.request.user, "project.change", self.project_of(obj))
        return obj

    def add(self, service: Callable, serializer_class, permission: str = "project.change") -> Response:
        """A new object from the checked body, made by `service`, answered with a 201."""
        require(self.request.user, permission)
        obj = service(user=self.request.user, **validated(serializer_class, self.request))
        return self.answer(obj, status.HTTP_201_CREATED)

    def change(self, service: Callable, serializer_class) -> Response:
        """The viewset's object, changed by `service` with the checked body."""
        obj = self.for_change()
        target = {self.object_name: obj}
        service(user=self.request.user, **target, **validated(serializer_class, self.request, **target))
        return self.answer(obj)
