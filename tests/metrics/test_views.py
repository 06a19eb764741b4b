"""The PM dashboard's URL is the home of production managers and executives: what it
answers, where people land, and the query parameters it takes. What each section shows
is in test_home.py."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import MANAGERS
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("metrics:dashboard")


def test_the_dashboard_url_is_the_attention_page():
    assert URL == "/dashboard/"


@pytest.mark.parametrize("role", MANAGERS)
def test_pms_and_executives_land_on_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "metrics/home.html" in [t.name for t in response.templates]
    assert response.context["home"].today == TODAY


def test_it_only_reads(client, pm):
    client.force_login(pm)
    assert client.post(URL).status_code == 405


def test_an_unknown_scope_or_section_falls_back_to_the_default(client, pm):
    own = f.ProjectFactory(pm=pm)
    f.DeliverableFactory(project=own, planned_start=TODAY - dt.timedelta(days=9),
                         due_date=TODAY - dt.timedelta(days=2))
    f.DeliverableFactory(planned_start=TODAY - dt.timedelta(days=9), due_date=TODAY - dt.timedelta(days=2))
    client.force_login(pm)

    response = client.get(URL, {"scope": "everything", "expand": "<script>"})

    assert response.status_code == 200
    assert response.context["home"].scope == "mine"
    overdue = next(s for s in response.context["home"].sections if s.key == "overdue")
    assert overdue.count == 1


def test_nothing_scrolls_sideways_on_a_phone(client, pm):
    """Lists, not wide tables: any table would sit in a scrolling wrapper."""
    f.DeliverableFactory(project=f.ProjectFactory(pm=pm), due_date=TODAY - dt.timedelta(days=1))
    client.force_login(pm)
    content = client.get(URL).content.decode()
    assert "<table" not in content
    assert 'class="home-items"' in content
