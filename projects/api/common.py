"""What the projects API's viewsets share: fields that offer only what the caller may
see, the version a write is based on, and how a service's refusal is answered."""

from collections.abc import Callable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings

from studio.versions import StaleVersion

# Versions are PositiveIntegerFields.
MAX_VERSION = 2_147_483_647


class Conflict(APIException):
    """409: the write was based on a stale version; the body holds the current state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this since you read it.")
    default_code = "stale"

    def __init__(self, data: dict):
        # Kept as given: ids and the current object stay numbers, not strings.
        super().__init__()
        self.detail = data


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


def field_errors(error: DjangoValidationError) -> dict:
    """A service's refusal in DRF's field-error format: its fields by name, anything
    not about one field under `non_field_errors`."""
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(detail.pop(NON_FIELD_ERRORS))
    return detail


def service_call(function: Callable, *, current: Callable, **kwargs):
    """Run a service, answering its refusals: 409 with `current(the row as it is now)`
    for a stale version, 400 with field errors for the rest. PermissionDenied passes
    through (DRF answers 403)."""
    try:
        return function(**kwargs)
    except StaleVersion as error:
        raise Conflict({"detail": error.messages[0], "current": current(error.current)}) from error
    except DjangoValidationError as error:
        raise serializers.ValidationError(field_errors(error)) from error


def validated(serializer_class, request, **context) -> dict:
    """The request body checked by `serializer_class`, or a 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def only_sent(values: dict, data, always: tuple[str, ...] = ()) -> dict:
    """For a PATCH: defaults are for creating, so keep only what the caller sent."""
    sent = data if isinstance(data, Mapping) else {}
    return {name: value for name, value in values.items() if name in sent or name in always}
