"""The approval inbox's section headings count the whole section, not the page's rows."""

import re

import pytest
from django.urls import reverse

from approvals.services import approval_submit
from tests.factories import BudgetFactory, ProjectFactory

from .conftest import KIND, PROJECT_KIND, make_flow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

INBOX = reverse("approvals:inbox")
HEADING = re.compile(r'<h2 id="kind-(?P<kind>[\w-]+)">[^<]*<small class="muted">(?P<count>\d+)</small></h2>')


def headings(response) -> dict[str, int]:
    return {match["kind"]: int(match["count"]) for match in HEADING.finditer(response.content.decode())}


@pytest.fixture
def waiting(calls, pm, executive, brand, other_brand):
    """Four budgets and two projects waiting on the production managers (one of another
    brand), and one budget the PM submitted (never waiting on its submitter)."""
    make_flow(KIND, {"role": "pm"})
    make_flow(PROJECT_KIND, {"role": "pm"})
    for owner in (brand, brand, brand, other_brand):
        approval_submit(obj=BudgetFactory(project__brand=owner), kind=KIND, submitted_by=executive)
    for _ in range(2):
        approval_submit(obj=ProjectFactory(brand=brand), kind=PROJECT_KIND, submitted_by=executive)
    approval_submit(obj=BudgetFactory(project__brand=brand), kind=KIND, submitted_by=pm)


def test_section_headings_count_the_whole_section_on_every_page(client, settings, waiting, pm):
    settings.PAGE_SIZE = 3
    client.force_login(pm)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    # Page 1 holds three of the four budgets; page 2 the fourth and both projects.
    assert [approval.kind for approval in first.context["page_obj"]] == [KIND] * 3
    assert [approval.kind for approval in second.context["page_obj"]] == [KIND, PROJECT_KIND, PROJECT_KIND]
    assert headings(first) == {KIND: 4}
    assert headings(second) == {KIND: 4, PROJECT_KIND: 2}
    assert first.context["page_obj"].paginator.count == 6


def test_the_htmx_fragment_counts_the_same_way(client, settings, waiting, pm):
    settings.PAGE_SIZE = 2
    client.force_login(pm)
    response = client.get(INBOX, {"page": 3}, HTTP_HX_REQUEST="true")
    assert headings(response) == {PROJECT_KIND: 2}


@pytest.mark.parametrize("role", ["executive", "creative", "freelancer", "brand_manager", "outsider"])
def test_roles_nothing_waits_on_see_no_section(client, request, waiting, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(INBOX)
    assert response.status_code == 200
    assert headings(response) == {}
    assert "Nothing waits on you." in response.content.decode()


@pytest.mark.parametrize("page_size", [2, 50])
def test_counting_sections_adds_no_query(client, settings, waiting, pm, page_size, django_assert_num_queries):
    settings.PAGE_SIZE = page_size
    client.force_login(pm)
    # session, user, studio settings (page), the sections' counts (which also give the
    # total), page of approvals, its targets (one query per kind on the page), flow names.
    kinds_on_page = 1 if page_size == 2 else 2
    with django_assert_num_queries(6 + kinds_on_page):
        response = client.get(INBOX)
    assert headings(response)[KIND] == 4
