"""The OpenAPI schema: its view, and the hook that documents what every operation may answer
besides its own body.

drf-spectacular loads its extensions lazily, and not safely across threads: the first schemas
asked for at once on a fresh threaded worker failed. A process makes one schema at a time."""

import re
import threading

from drf_spectacular.views import SpectacularAPIView

_generating = threading.Lock()


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        with _generating:
            return super()._get_schema_response(request)


# --- the refusals every operation may answer (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) ------

DETAIL = "Detail"
FIELD_ERRORS = "FieldErrors"
COMPONENTS = {
    DETAIL: {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": (
            "DRF's field errors: each field sent (or query parameter) that was refused, with its messages; "
            "`non_field_errors` for what is about no one field; a list's or an object's field errors nested "
            "under its name."
        ),
        "additionalProperties": {},
    },
}
BAD_INPUT = (
    "Invalid input: a field or query parameter refused (a query parameter given more than once included), "
    "with DRF's field errors."
)
REFUSALS = {
    "401": (DETAIL, "No credentials, or bad ones (an unknown, expired or revoked token)."),
    "403": (DETAIL, "Not for the caller's role, or a session's write without its CSRF token."),
    "404": (DETAIL, "No such object among those the caller may see (or a page past the last)."),
    "409": (
        DETAIL,
        "Refused by the state of what it would change (`studio.versions.Conflict`): a stale `version`, with "
        "`current`, the object as it is now; a clash; a decision already taken.",
    ),
    "429": (DETAIL, "Too many requests from this client; `Retry-After` says when to try again."),
}
WRITES = ("put", "patch", "post", "delete")
METHODS = ("get", "put", "patch", "post", "delete")
# Writes that change no shared record through a service (logging in).
NO_SERVICE = {"/api/auth/token/"}


def _schema_path(path: str) -> str:
    return re.sub(r"{\w+}", "{}", path)


def _error_response(component: str, description: str, existing: dict | None = None) -> dict:
    response = dict(existing or {"description": description})
    response.setdefault("content", {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}})
    return response


def document_refusals(result, generator, request, public):
    """Every operation documents the refusals the API's common machinery may answer: 401 and
    403 (authentication and permissions, the CSRF check), 404 where it names an object or a
    page, 400 where it takes input, 409 for a write (the exception handler answers any
    service's `Conflict` so), 429 where it is throttled; each with the body DRF gives. A view
    documents only what is its own (its body, a 409's `current`, a description of a refusal)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    throttled = {
        _schema_path(path)
        for path, _regex, _method, callback in generator.endpoints
        if getattr(getattr(callback, "cls", None), "throttle_classes", None)
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            codes = ["401", "403"]
            if "{" in path or any(parameter["name"] == "page" for parameter in parameters):
                codes.append("404")
            if method in WRITES and path not in NO_SERVICE:
                codes.append("409")
            if _schema_path(path) in throttled:
                codes.append("429")
            for code in codes:
                component, description = REFUSALS[code]
                responses[code] = _error_response(component, description, responses.get(code))
            if parameters or "requestBody" in operation:
                responses["400"] = _error_response(FIELD_ERRORS, BAD_INPUT, responses.get("400"))
            for code, response in responses.items():
                # A refusal a view describes itself (the token endpoint's lockout) has DRF's body too.
                if code.startswith("4") and "content" not in response:
                    responses[code] = _error_response(DETAIL, response.get("description", ""), response)
            _filters_may_be_empty(parameters)
    _close_narrower_variants(schemas)
    _require_versions_of_changes(result, schemas)
    return result


# Read by the API itself, not by a filter: an empty one is refused like any other bad value.
NOT_FILTERS = {"page", "version"}


def _filters_may_be_empty(parameters: list) -> None:
    """A filter sent empty (`?date_to=`) filters nothing, as django-filter reads it everywhere
    (the pages' filter forms send their empty fields)."""
    for parameter in parameters:
        if parameter.get("in") == "query" and parameter["name"] not in NOT_FILTERS:
            parameter["allowEmptyValue"] = True


def _ref_name(schema: dict) -> str | None:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _close_narrower_variants(schemas: dict) -> None:
    """An answer that depends on the caller's role is one of two serializers (`schema_for_roles`):
    the narrower one lists every field it has, so the wider one (its fields and more, such as
    money) never also matches it, and a field the narrower one does not list is never sent."""
    for schema in list(schemas.values()):
        branches = [_ref_name(branch) for branch in schema.get("oneOf", [])]
        if len(branches) != 2 or None in branches:
            continue
        first, second = (schemas[name] for name in branches)
        fields = [set(variant.get("properties", {})) for variant in (first, second)]
        if fields[0] < fields[1]:
            first["additionalProperties"] = False
        elif fields[1] < fields[0]:
            second["additionalProperties"] = False


def _require_versions_of_changes(result: dict, schemas: dict) -> None:
    """A PATCH body is documented with every field optional; its `version` is not."""
    for operations in result.get("paths", {}).values():
        body = operations.get("patch", {}).get("requestBody", {})
        for media in body.get("content", {}).values():
            name = _ref_name(media.get("schema", {}))
            component = schemas.get(name, {}) if name else {}
            if "version" in component.get("properties", {}):
                required = component.setdefault("required", [])
                if "version" not in required:
                    required.append("version")
                body["required"] = True
