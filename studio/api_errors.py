"""How the API answers a refusal, for every app (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`):
a service's `ValidationError` is a 400 with field errors, a `Conflict` (a stale
version, a clash) a 409, Django's `PermissionDenied` a 403 and `Http404` a 404."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .versions import Conflict


def field_errors(error: DjangoValidationError) -> dict:
    """A service's refusal in DRF's field-error format: its fields by name, anything
    not about one field under `non_field_errors`."""
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(detail.pop(NON_FIELD_ERRORS))
    return detail


def api_exception_handler(exc, context):
    if isinstance(exc, Conflict):
        body = {"detail": exc.messages[0], **exc.details(context.get("view"))}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(field_errors(exc))
    return exception_handler(exc, context)


@csrf_exempt  # As the API's views are: a write to nowhere is a 404, not a form expired.
def not_found(request, *args, **kwargs) -> JsonResponse:
    """An address under /api/ that names nothing (an id with a dot or a slash in it, an unknown
    collection): a 404 in the API's format, not the site's HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
