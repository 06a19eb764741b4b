"""The brief links another app's page (my day) loads: the latest brief of each project
that the user may read, swapped into that page's cells."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("briefs:brief-links")


def links(client, *projects):
    return client.get(URL, {"projects": ",".join(str(p.pk) for p in projects)}).content.decode()


def test_a_link_to_the_brief_the_person_was_sent_and_none_for_the_rest(client, creative):
    briefed = f.BookingFactory(talent=creative.talent).project
    version = f.BriefVersionFactory(brief__project=briefed)
    f.BriefDistributionFactory(version=version, recipient=creative)
    unsent = f.BookingFactory(talent=creative.talent).project
    f.BriefVersionFactory(brief__project=unsent)  # a brief not sent to this person
    client.force_login(creative)

    html = links(client, briefed, unsent)

    assert html.count("Read the brief") == 1
    assert reverse("briefs:brief-detail", args=[version.brief.pk]) in html
    assert f'hx-swap-oob="innerHTML:.brief-for-{briefed.pk}"' in html
    assert f'hx-swap-oob="innerHTML:.brief-for-{unsent.pk}"' in html and "No brief yet" in html


def test_the_latest_brief_of_a_project_wins(client, pm):
    project = f.ProjectFactory()
    f.BriefFactory(project=project)
    latest = f.BriefFactory(project=project)
    client.force_login(pm)
    assert reverse("briefs:brief-detail", args=[latest.pk]) in links(client, project)


def test_another_brands_brief_is_not_linked(client, brand, brand_manager, outsider):
    project = f.ProjectFactory(brand=brand)
    f.BriefVersionFactory(brief__project=project)
    client.force_login(outsider)
    assert "Read the brief" not in links(client, project)
    client.force_login(brand_manager)
    assert "Read the brief" in links(client, project)


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL, {"projects": "1"}).status_code == 302


def test_junk_ids_are_ignored_and_the_queries_stay_fixed(client, pm, django_assert_num_queries):
    projects = [f.BriefFactory().project for _n in range(5)]
    client.force_login(pm)
    client.get(URL)
    # session, user, the briefs, studio settings (the template context).
    with django_assert_num_queries(4):
        response = client.get(URL, {"projects": ",".join([str(p.pk) for p in projects] + ["x", "", "-1"])})
    assert response.content.decode().count("Read the brief") == 5
