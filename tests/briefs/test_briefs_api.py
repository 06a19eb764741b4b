"""The briefs API follows the pages' access rules: visible_to, the budget hidden from
talent, and acknowledgement only by the recipient."""

import pytest
from rest_framework.test import APIClient

from briefs.models import Brief, BriefDistribution
from briefs.services import briefs as services
from tests import factories as f

pytestmark = pytest.mark.django_db

BUDGET = "EUR 20,000 in all."


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def sent_brief(brand, creative):
    brief = f.BriefFactory(project__brand=brand, objectives="Win the winter.", budget_summary=BUDGET)
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    services.brief_on_approve(brief, None, brief.project.pm)
    f.BriefDistributionFactory(version=brief.versions.get(), recipient=creative)
    brief.refresh_from_db()
    return brief


@pytest.mark.parametrize(("role", "count"), [("pm", 1), ("executive", 1), ("admin_user", 1), ("brand_manager", 1),
                                             ("creative", 1), ("outsider", 0), ("freelancer", 0)])
def test_brief_list_is_what_the_user_may_see(request, sent_brief, role, count):
    response = api(request.getfixturevalue(role)).get("/api/briefs/")
    assert response.status_code == 200 and response.json()["count"] == count


def test_anonymous_is_refused(sent_brief):
    for path in ("/api/briefs/", f"/api/briefs/{sent_brief.pk}/", "/api/brief-versions/", "/api/distributions/"):
        assert APIClient().get(path).status_code == 401, path


def test_outsider_gets_404_for_the_brief(outsider, sent_brief):
    assert api(outsider).get(f"/api/briefs/{sent_brief.pk}/").status_code == 404


@pytest.mark.parametrize(("role", "shown"), [("creative", False), ("brand_manager", True), ("pm", True),
                                             ("executive", True), ("admin_user", True)])
def test_budget_section_is_left_out_for_talent(request, sent_brief, role, shown):
    user = request.getfixturevalue(role)
    brief = api(user).get(f"/api/briefs/{sent_brief.pk}/").json()
    version = api(user).get("/api/brief-versions/").json()["results"][0]
    assert brief["sections"]["objectives"] == "Win the winter."
    assert ("budget_summary" in brief["sections"]) is shown
    assert ("budget_summary" in version["content"]) is shown


def test_talent_reads_the_version_sent_not_the_next_draft(sent_brief, creative):
    sent_brief.refresh_from_db()
    services.brief_update(brief=sent_brief, edited_by=sent_brief.project.pm,
                          values={"objectives": "Unapproved."}, version=sent_brief.version)
    body = api(creative).get(f"/api/briefs/{sent_brief.pk}/").json()
    assert (body["version_number"], body["sections"]["objectives"]) == (1, "Win the winter.")


def test_a_recipient_reading_the_brief_through_the_api_opens_it(sent_brief, creative):
    distribution = BriefDistribution.objects.get(recipient=creative)
    client = api(creative)
    client.get("/api/briefs/")  # a list is not a reading of each brief
    distribution.refresh_from_db()
    assert distribution.opened_at is None

    client.get(f"/api/briefs/{sent_brief.pk}/")

    distribution.refresh_from_db()
    first = distribution.opened_at
    client.get(f"/api/briefs/{sent_brief.pk}/")
    distribution.refresh_from_db()
    assert first is not None and distribution.opened_at == first


@pytest.mark.parametrize("role", ["pm", "executive", "brand_manager"])
def test_others_reading_the_brief_through_the_api_open_nothing(request, sent_brief, role):
    assert api(request.getfixturevalue(role)).get(f"/api/briefs/{sent_brief.pk}/").status_code == 200
    assert BriefDistribution.objects.get().opened_at is None


def test_recipient_acknowledges_through_the_api(sent_brief, creative):
    distribution = BriefDistribution.objects.get()
    client = api(creative)
    assert [d["id"] for d in client.get("/api/distributions/").json()["results"]] == [distribution.pk]

    response = client.post(f"/api/distributions/{distribution.pk}/acknowledge/")

    assert response.status_code == 200 and response.json()["acknowledged_at"]
    distribution.refresh_from_db()
    assert distribution.acknowledged_at is not None


def test_pm_sees_distributions_but_cannot_acknowledge_them(sent_brief, pm):
    distribution = BriefDistribution.objects.get()
    assert api(pm).get("/api/distributions/").json()["count"] == 1
    assert api(pm).post(f"/api/distributions/{distribution.pk}/acknowledge/").status_code == 403


def test_others_distributions_are_404(sent_brief):
    distribution = BriefDistribution.objects.get()
    other = f.UserFactory(role="creative")
    assert api(other).post(f"/api/distributions/{distribution.pk}/acknowledge/").status_code == 404
