"""The OpenAPI schema documents every endpoint and each role's variant, and the
API docs load their scripts and styles from the studio's own static files."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/projects/",
    "/api/projects/{id}/",
    "/api/deliverables/",
    "/api/deliverables/{id}/",
    "/api/talent/",
    "/api/talent/{id}/",
    "/api/auth/token/",
]


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def schema_as(user):
    response = client_for(user).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    return response.json()


def properties(schema, component):
    return set(schema["components"]["schemas"][component]["properties"])


def test_schema_lists_the_api_paths(pm):
    schema = schema_as(pm)

    assert set(PATHS) <= set(schema["paths"])
    assert schema["openapi"].startswith("3.")


def test_schema_documents_each_roles_fields(pm):
    schema = schema_as(pm)

    assert "fee" in properties(schema, "ProjectWithFee")
    assert "fee" not in properties(schema, "Project")
    assert "planned_hours" in properties(schema, "DeliverableWithHours")
    assert "planned_hours" not in properties(schema, "Deliverable")
    assert "current_rate" in properties(schema, "TalentWithRates")
    assert not {"current_rate", "hours_per_day"} & properties(schema, "Talent")
    for variants in ("ProjectForRole", "DeliverableForRole", "TalentForRole"):
        assert len(schema["components"]["schemas"][variants]["oneOf"]) == 2


def test_schema_is_the_same_whoever_asks(pm, creative):
    # The schema describes the API, not the caller: a creative reads the same
    # documentation, money variants included, as a production manager.
    assert schema_as(creative) == schema_as(pm)


def test_schema_generates_and_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert "/api/projects/" in (tmp_path / "schema.yml").read_text()


class AssetCollector(HTMLParser):
    """Every URL a page loads a script, stylesheet or icon from."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def assets_of(html):
    collector = AssetCollector()
    collector.feed(html)
    return collector.urls


def test_swagger_ui_is_served_from_local_static_files(pm):
    response = client_for(pm).get("/api/docs/")

    assert response.status_code == 200
    assets = assets_of(response.content.decode())
    # Swagger UI's start-up script comes from the page's own address, the rest are static files.
    start_up = [url for url in assets if urlsplit(url).path == "/api/docs/"]
    assert len(start_up) == 1 and client_for(pm).get(start_up[0]).status_code == 200
    assets.remove(start_up[0])
    assert len(assets) >= 3  # stylesheet, bundle, standalone preset
    for url in assets:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} is loaded from another host"
        assert url.startswith("/" + settings.STATIC_URL.lstrip("/")), url
        assert finders.find(url.removeprefix("/" + settings.STATIC_URL.lstrip("/"))), (
            f"{url} is not a static file"
        )


@pytest.mark.django_db
def test_a_lone_surrogate_in_json_is_a_400_not_a_500(client):
    from rest_framework.test import APIClient

    from tests import factories as f

    api = APIClient()
    api.force_authenticate(f.UserFactory(role="pm", is_staff=True))
    response = api.post("/api/bookings/", data='{"status": "\\ud800"}', content_type="application/json")
    assert response.status_code == 400


FRESH_WORKER_SCHEMAS = """
import threading
from django.urls import resolve
from rest_framework.test import APIRequestFactory, force_authenticate
from studio.models import User

view, user, statuses = resolve("/api/schema/").func, User(username="pm", role="pm"), []
together = threading.Barrier(4)

def ask():
    request = APIRequestFactory().get("/api/schema/", {"format": "json"})
    force_authenticate(request, user=user)
    together.wait()
    try:
        statuses.append(view(request).render().status_code)
    except Exception as error:
        statuses.append(type(error).__name__)

threads = [threading.Thread(target=ask) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(map(str, statuses)))
"""


def test_the_first_schemas_of_a_fresh_threaded_worker_are_all_made(tmp_path):
    # A new process, as a worker starts: four threads ask for the schema at the same moment.
    root = Path(__file__).resolve().parents[1]
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", FRESH_WORKER_SCHEMAS],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['200', '200', '200', '200']"


# --- what every operation documents besides its own body -------------------------------------

METHODS = ("get", "put", "patch", "post", "delete")


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_documents_the_refusals_it_may_meet(pm):
    schema = schema_as(pm)

    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            assert "400" in responses, (method, path)
        if method != "get" and path != "/api/auth/token/":
            assert "409" in responses, (method, path)
        for code, response in responses.items():
            if code.startswith("4"):
                assert "application/json" in response["content"], (method, path, code)
    assert "429" in schema["paths"]["/api/auth/token/"]["post"]["responses"]
    assert "429" not in schema["paths"]["/api/projects/"]["get"]["responses"]


def test_a_change_documents_its_version_as_required(pm):
    schema = schema_as(pm)
    components = schema["components"]["schemas"]

    changes = [operation for path, method, operation in operations(schema) if method == "patch"]
    assert changes
    for operation in changes:
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        if "version" in components[body]["properties"]:
            assert "version" in components[body]["required"], body


def test_each_roles_variant_matches_one_branch_only(pm):
    # The narrower variant lists every field it has, so an answer with money never also
    # matches the variant without it (schemathesis found `oneOf` matching both).
    components = schema_as(pm)["components"]["schemas"]

    for wide, narrow in [("ProjectWithFee", "Project"), ("DeliverableWithHours", "Deliverable"),
                         ("TalentWithRates", "Talent"), ("Budget", "BudgetTotal")]:
        assert components[narrow]["additionalProperties"] is False
        assert "additionalProperties" not in components[wide]
        assert set(components[wide]["properties"]) - set(components[narrow]["properties"])


def test_an_address_under_the_api_that_names_nothing_is_a_json_404(pm):
    client = client_for(pm)

    for url in ("/api/projects/1.5/", "/api/nothing-here/", "/api/approvals/a.b/decide/"):
        response = client.post(url) if url.endswith("decide/") else client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}


def test_a_filter_may_be_sent_empty(pm):
    schema = schema_as(pm)
    parameters = {p["name"]: p for p in schema["paths"]["/api/deliverables/"]["get"]["parameters"]}

    assert parameters["due_before"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in parameters["page"]
    assert client_for(pm).get("/api/deliverables/?due_before=").status_code == 200


@pytest.mark.parametrize("query", ["page=1&page=2", "discipline=1&discipline=2"])
def test_a_query_parameter_given_twice_is_a_400(pm, query):
    response = client_for(pm).get(f"/api/talent/?{query}")

    assert response.status_code == 400
    assert response.json() == {query.split("=")[0]: ["Give one value."]}


def test_the_pages_still_read_repeated_parameters(pm, client):
    # Only the API's views take one value per parameter: a page may read a list.
    client.force_login(pm)
    response = client.get("/projects/?status=active&status=planned")
    assert response.status_code == 200
