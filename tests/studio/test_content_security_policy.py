"""Every response carries the studio's Content-Security-Policy: scripts and style sheets
from our own static files only, no framing, forms posted only to ourselves; templates
keep no inline script that the policy would refuse."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_studio_policy(response):
    policy = policy_of(response)
    for directive, sources in POLICY.items():
        assert policy[directive] == sources, (directive, policy)
    # Inline script never runs, whatever a page or a stored value contains.
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]


def test_the_login_page_has_the_policy(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert_studio_policy(response)


def test_a_signed_in_page_has_the_policy(client, pm):
    client.force_login(pm)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert_studio_policy(response)


def test_the_api_has_the_policy(pm):
    api = APIClient()
    api.force_login(pm)
    response = api.get("/api/projects/")
    assert response.status_code == 200
    assert_studio_policy(response)


def test_the_api_docs_keep_the_policy_with_their_script_served_apart(pm):
    api = APIClient()
    api.force_login(pm)
    page = api.get("/api/docs/")
    assert page.status_code == 200
    assert_studio_policy(page)
    html = page.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    start_up = api.get("/api/docs/", {"script": ""})
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in start_up.content.decode()


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_what_the_policy_would_refuse():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text()
            for what, pattern in INLINE.items():
                if pattern.search(text):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}: {what}")
    assert found == []
