"""What the projects API's viewsets share: fields that offer only what the caller may
see, the version a write is based on and the documented body of a 409. A service's
refusal is answered by `studio.api_errors` (400, 403, 409 with the view's
`represent_current`)."""

from collections.abc import Callable, Mapping

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# Versions are PositiveIntegerFields.
MAX_VERSION = 2_147_483_647


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
        min_value=1, max_value=MAX_VERSION, help_text="The version the caller last read; 409 if it changed since.",
        **kwargs,
    )


class VersionSerializer(serializers.Serializer):
    version = version_field()


def validated(serializer_class, request, **context) -> dict:
    """The request body checked by `serializer_class`, or a 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def only_sent(values: dict, data, always: tuple[str, ...] = ()) -> dict:
    """For a PATCH: defaults are for creating, so keep only what the caller sent."""
    sent = data if isinstance(data, Mapping) else {}
    return {name: value for name, value in values.items() if name in sent or name in always}
