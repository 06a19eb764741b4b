"""A refused access (401, 403, 404) is logged as one line with the user and the path,
pages and API alike; an error (500) keeps its traceback."""

import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("the view broke")


def _fine(request):
    return HttpResponse("fine")


# The URLconf of `test_an_error_still_logs_its_traceback` (`pytest.mark.urls`).
urlpatterns = [path("boom/", _boom), path("fine/", _fine)]


def logged(caplog):
    """What reached the log at WARNING or above, as (logger, level, line, has exception)."""
    return [
        (r.name, r.levelname, r.getMessage(), r.exc_info is not None or r.exc_text is not None)
        for r in caplog.records
        if r.levelno >= logging.WARNING
    ]


def refused_only_as(caplog, line):
    assert logged(caplog) == [("django.request", "WARNING", line, False)]
    assert "Traceback" not in caplog.text


def test_page_refused_to_a_role_is_one_line_with_user_and_path(client, creative, caplog):
    creative.username = "casey"
    creative.save()
    client.force_login(creative)

    with caplog.at_level(logging.INFO):
        response = client.get("/budgets/")

    assert response.status_code == 403
    refused_only_as(caplog, "Forbidden (403): /budgets/ user=casey")


def test_page_not_found_is_one_line_for_anonymous(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    refused_only_as(caplog, "Not Found (404): /no-such-page/ user=anonymous")


def test_other_brands_project_page_is_one_line(client, outsider, brand, caplog):
    project = f.ProjectFactory(brand=brand)
    client.force_login(outsider)
    url = f"/projects/{project.pk}/"

    with caplog.at_level(logging.INFO):
        response = client.get(url)

    assert response.status_code == 404
    refused_only_as(caplog, f"Not Found (404): {url} user={outsider.username}")


def test_api_action_refused_is_one_line(creative, caplog):
    api = APIClient()
    api.force_authenticate(creative)

    with caplog.at_level(logging.INFO):
        response = api.post("/api/projects/", {}, format="json")

    assert response.status_code == 403
    refused_only_as(caplog, f"Forbidden (403): /api/projects/ user={creative.username}")


def test_api_object_of_another_brand_is_one_line(outsider, brand, caplog):
    project = f.ProjectFactory(brand=brand)
    api = APIClient()
    api.force_authenticate(outsider)
    url = f"/api/projects/{project.pk}/"

    with caplog.at_level(logging.INFO):
        response = api.get(url)

    assert response.status_code == 404
    refused_only_as(caplog, f"Not Found (404): {url} user={outsider.username}")


def test_api_refuses_anonymous_in_one_line(caplog):
    with caplog.at_level(logging.INFO):
        response = APIClient().get("/api/projects/")

    assert response.status_code == 401
    phrase = {401: "Unauthorized", 403: "Forbidden"}[response.status_code]
    refused_only_as(caplog, f"{phrase} ({response.status_code}): /api/projects/ user=anonymous")


def test_a_crafted_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/no-such-page/%0Afake")

    (_, _, line, _) = logged(caplog)[0]
    assert "\n" not in line
    assert line == "Not Found (404): /no-such-page/\\nfake user=anonymous"


@pytest.mark.urls("tests.studio.test_access_log")
def test_an_error_still_logs_its_traceback(caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.INFO):
        response = client.get("/boom/")

    assert response.status_code == 500
    [(name, level, line, has_exception)] = logged(caplog)
    assert (name, level, line, has_exception) == ("django.request", "ERROR", "Internal Server Error: /boom/", True)
    assert "RuntimeError: the view broke" in caplog.text


def test_a_request_record_is_written_once():
    """Django's own console handler no longer prints each record beside the root's."""
    writers = []
    logger = logging.getLogger("django.request")
    while logger is not None:
        writers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None

    assert len(writers) == 1
