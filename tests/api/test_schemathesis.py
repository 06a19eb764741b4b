"""Every operation of the OpenAPI schema, fuzzed by schemathesis as each role would call it,
against the demo studio: no server error, no answer the schema does not describe (its body,
its status code, its content type), no invalid input accepted, no request that gets in
without credentials.

The studio is seeded once for the module inside a transaction rolled back at its end; each
test runs in a savepoint inside it, so what one operation's cases wrote is gone for the next.
Examples are few per operation and derived from a fixed seed (hypothesis `derandomize`), so
a run is the same every time and the module stays within a few minutes. A whole-number `id`
in a path is mapped onto one of the studio's rows of that collection (the caller may see it
or not), so cases reach real objects rather than only 404s.

Not checked: that every schema-valid request is accepted (`positive_data_acceptance`): a
schema cannot say which project ids exist or which dates fall in a studio's working window."""

import copy

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from approvals.models import Approval
from briefs.models import Brief, BriefDistribution, BriefVersion, Request
from budgets.models import Budget, BudgetLine, ChangeOrder, ChangeOrderLine, Cost, StudioBudget
from demo.builder import demo_studio_seed
from demo.people import DEMO_PASSWORD
from projects.models import Baseline, Deliverable, Dependency, Phase, Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio.models import Notification, Talent
from tests.api.conftest import CASES_RUN

SEED = 20261125
MAX_EXAMPLES = 5
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "schemathesis"}}
# The demo's logins, one per role the API answers differently.
ROLES = {"pm": "pm", "creative": "creative", "freelancer": "freelancer", "brand_manager": "brand"}
# The rows behind each collection's `{id}`.
COLLECTIONS = {
    "projects": Project,
    "phases": Phase,
    "deliverables": Deliverable,
    "dependencies": Dependency,
    "baselines": Baseline,
    "requests": Request,
    "briefs": Brief,
    "brief-versions": BriefVersion,
    "distributions": BriefDistribution,
    "bookings": Booking,
    "time-off": TimeOff,
    "timesheets": Timesheet,
    "time-entries": TimeEntry,
    "approvals": Approval,
    "budgets": Budget,
    "budget-lines": BudgetLine,
    "change-orders": ChangeOrder,
    "change-order-lines": ChangeOrderLine,
    "costs": Cost,
    "studio-budgets": StudioBudget,
    "talent": Talent,
    "notifications": Notification,
}

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

OPENAPI = SchemaGenerator().get_schema(request=None, public=True)


def loaded(*, coverage: bool):
    """The API's schema for schemathesis, served in-process. The caller's token is the
    credential: a generated session cookie or token would only be an invalid one beside it."""
    schema = schemathesis.openapi.from_dict(copy.deepcopy(OPENAPI))
    schema.app = WSGIHandler()
    schema.config.generation.update(
        modes=["positive", "negative"], max_examples=MAX_EXAMPLES, deterministic=True, with_security_parameters=False
    )
    schema.config.phases.coverage.enabled = coverage
    return schema


# The studio's own roles get every case: the coverage phase's edges (empty, too long, wrong
# type, each field missing) besides the fuzzed ones. The narrower roles, whose answers differ
# in what they may see rather than in how input is checked, get the fuzzed cases.
every_case = loaded(coverage=True)
fuzzed = loaded(coverage=False)
HYPOTHESIS = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def studio(django_db_setup, django_db_blocker):
    """The demo studio, each role's API token, and the ids of each collection's rows."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, CACHES=LOCAL_CACHE):
        with transaction.atomic():
            demo_studio_seed(seed=SEED)
            tokens = {role: token_of(username) for role, username in ROLES.items()}
            ids = {name: sorted(model.objects.values_list("pk", flat=True)) for name, model in COLLECTIONS.items()}
            # As Django's test client does (after its last request here): a request served
            # in the test keeps the test's connection, and so its transaction, open.
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            try:
                yield tokens, ids
            finally:
                request_started.connect(close_old_connections)
                request_finished.connect(close_old_connections)
            transaction.set_rollback(True)


def token_of(username: str) -> str:
    """A token as an integration gets one: through the API's own login."""
    response = Client().post("/api/auth/token/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def as_role(studio, role):
    tokens, ids = studio
    return role, {"Authorization": f"Token {tokens[role]}"}, ids


@pytest.fixture(params=["pm", "creative"])
def studio_role(request, studio):
    return as_role(studio, request.param)


@pytest.fixture(params=["freelancer", "brand_manager"])
def narrower_role(request, studio):
    return as_role(studio, request.param)


def onto_a_row(case, ids: dict) -> None:
    """A whole-number `{id}` becomes one of the collection's rows (the same one for the same
    number); anything else stays as generated, for the API to refuse."""
    generated = (case.path_parameters or {}).get("id")
    collection = case.operation.path.removeprefix("/api/").split("/")[0]
    rows = ids.get(collection)
    if rows and isinstance(generated, int) and not isinstance(generated, bool):
        case.path_parameters["id"] = rows[generated % len(rows)]


def call_and_validate(case, caller) -> None:
    role, headers, ids = caller
    CASES_RUN[role] += 1
    onto_a_row(case, ids)
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


@every_case.parametrize()
@HYPOTHESIS
def test_the_api_answers_the_studio_as_its_schema_says(case, studio_role):
    call_and_validate(case, studio_role)


@fuzzed.parametrize()
@HYPOTHESIS
def test_the_api_answers_the_narrower_roles_as_its_schema_says(case, narrower_role):
    call_and_validate(case, narrower_role)
