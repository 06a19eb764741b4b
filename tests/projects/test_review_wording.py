"""The deliverable page's "First client review": neutral until the client has reviewed it."""

import re

import pytest
from django.utils import timezone

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

FACT = re.compile(r"<dt>First client review</dt>\s*<dd>(?P<text>.*?)</dd>", re.S)


def first_client_review(client, user, deliverable) -> str:
    client.force_login(user)
    response = client.get(f"/projects/deliverables/{deliverable.pk}/")
    assert response.status_code == 200
    return re.sub(r"<[^>]+>", "", FACT.search(response.content.decode())["text"]).strip()


@pytest.mark.parametrize("role", ["pm", "executive", "brand_manager"])
@pytest.mark.parametrize(
    ("status", "passed", "text"),
    [
        ("in_progress", None, "Not reviewed yet"),
        ("client_review", None, "Not reviewed yet"),
        ("approved", True, "Approved"),
        ("client_review", False, "Changes asked"),
        ("in_progress", False, "Changes asked"),
    ],
)
def test_the_wording_says_whether_the_client_has_reviewed_it(client, request, brand, role, status, passed, text):
    deliverable = f.DeliverableFactory(
        project=f.ProjectFactory(brand=brand),
        status=status,
        passed_first_client_review=passed,
        approved_at=timezone.now() if status == "approved" else None,
    )
    assert first_client_review(client, request.getfixturevalue(role), deliverable) == text


def test_not_yet_reviewed_never_reads_as_a_failed_review(client, pm, brand):
    deliverable = f.DeliverableFactory(project=f.ProjectFactory(brand=brand), status="client_review")
    assert "Not yet" not in first_client_review(client, pm, deliverable)
