"""What the apps' API views share: a write's body checked by a serializer and a query by
a filterset, a write's answer read back as the caller reads the object, and the refusals
an endpoint documents. How a refusal is answered is `studio.api_errors`."""

from collections.abc import Mapping

from django_filters import FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response


class TextField(serializers.CharField):
    """Text, and only text: DRF's CharField also takes a number and turns it into text, which
    the schema (a string) does not promise and a client sending one most likely did not mean."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def validated(serializer_class, request, **context) -> dict:
    """The request body checked by `serializer_class`, or a 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def validated_version(serializer_class, request) -> dict:
    """A DELETE's `version`, from the query string or the body, checked by
    `serializer_class` (clients differ in whether a DELETE may carry a body)."""
    body = request.data if isinstance(request.data, Mapping) else {}
    data = {"version": request.query_params.get("version", body.get("version"))}
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


VERSION_READ = "The version the caller last read (or send it in the body)."


def version_parameter(description: str = VERSION_READ) -> OpenApiParameter:
    """The documented `?version=` of a DELETE."""
    return OpenApiParameter("version", OpenApiTypes.INT, OpenApiParameter.QUERY, description=description)


def checked(filters: FilterSet) -> FilterSet:
    """A filterset the view reads itself (the pages' filters over a query string): itself
    once valid, or a 400 with its field errors."""
    if not filters.is_valid():
        raise serializers.ValidationError(filters.errors)
    return filters


def answers(
    body,
    *,
    code: int = status.HTTP_200_OK,
    invalid: str = "",
    forbidden: str = "",
    missing: str = "",
    conflict: str = "",
) -> dict:
    """An endpoint's documented responses: `body` under `code`, then each refusal it may
    meet, described (400 invalid, 403 forbidden, 404 missing, 409 conflict)."""
    refusals = {
        status.HTTP_400_BAD_REQUEST: invalid,
        status.HTTP_403_FORBIDDEN: forbidden,
        status.HTTP_404_NOT_FOUND: missing,
        status.HTTP_409_CONFLICT: conflict,
    }
    return {code: body, **{key: OpenApiResponse(description=text) for key, text in refusals.items() if text}}


def reads_answer(body):
    """Documents a viewset's list and retrieve as answering `body` (for a viewset whose
    serializer depends on the caller, `studio.api.schema_for_roles`)."""
    return extend_schema_view(list=extend_schema(responses=body), retrieve=extend_schema(responses=body))


class ReadBackMixin:
    """For a viewset that answers a write with the object as the caller now reads it:
    read again through its own queryset and serializer, as a read would show it."""

    def read_back(self, obj) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data

    def answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.read_back(obj), status=code)


class CurrentOnConflictMixin(ReadBackMixin):
    """For a viewset whose writes lock a version of its own objects: a stale write's 409
    carries the object as it is now (`StaleVersion.details`), read back like any answer.
    Not for one whose services may refuse with another model's object."""

    def represent_current(self, obj) -> dict:
        return self.read_back(obj)
