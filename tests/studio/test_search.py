"""The pickers' search endpoints (studio/widgets.py, schedules/views/search.py): a screenful
of matches of what the user may see, in a fixed number of queries; bad input is a 400."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

TALENT = reverse("schedules:search-talent")
PROJECTS = reverse("schedules:search-project")
DELIVERABLES = reverse("schedules:search-deliverable")


def options(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_talent_search_finds_a_person_by_part_of_their_first_and_last_name(client, pm):
    f.TalentFactory(user__first_name="Cleo", user__last_name="Reyes")
    f.TalentFactory(user__first_name="Cleon", user__last_name="Marsh")
    client.force_login(pm)

    html = options(client.get(TALENT, {"q": "cle rey"}))

    assert 'data-label="Cleo Reyes"' in html and "Cleon Marsh" not in html


def test_talent_search_leaves_out_people_who_left(client, pm):
    f.TalentFactory(user__first_name="Gone", active=False)
    client.force_login(pm)

    assert "Gone" not in options(client.get(TALENT, {"q": "gone"}))


def test_a_search_answers_twenty_matches_at_most_and_says_there_are_more(client, pm):
    for number in range(25):
        f.ProjectFactory(code=f"BIG-{number:02d}")
    client.force_login(pm)

    html = options(client.get(PROJECTS, {"q": "big"}))

    assert html.count('role="option"') == 20
    assert "type more" in html


@pytest.mark.parametrize("url", [TALENT, PROJECTS, DELIVERABLES])
@pytest.mark.parametrize("query", [{"q": "x" * 101}, {"q": "a\x00b"}, {"project": "abc"}, {"project": "9" * 30}])
def test_a_bad_query_string_is_a_400_not_a_500(client, pm, url, query):
    client.force_login(pm)

    assert client.get(url, query).status_code == 400


def test_a_search_needs_a_login(client):
    assert client.get(PROJECTS, {"q": "a"}).status_code == 302


def test_a_brand_manager_finds_their_brands_projects_only_and_no_people(client, brand_manager, outsider, brand):
    f.ProjectFactory(code="OWN-1", brand=brand)
    f.ProjectFactory(code="OTHER-1")
    f.TalentFactory(user__first_name="Cleo")
    client.force_login(brand_manager)

    html = options(client.get(PROJECTS, {"q": "-1"}))
    assert "OWN-1" in html and "OTHER-1" not in html
    assert 'role="option"' not in options(client.get(TALENT, {"q": "cleo"}))

    client.force_login(outsider)
    assert "OWN-1" not in options(client.get(PROJECTS, {"q": "own"}))


def test_a_creative_finds_the_projects_and_people_of_their_teams_only(client, creative):
    mine = f.ProjectFactory(code="TEAM-1")
    f.ProjectFactory(code="TEAM-2")
    f.BookingFactory(talent=creative.talent, project=mine)
    colleague = f.BookingFactory(project=mine, talent__user__first_name="Colleague").talent
    f.TalentFactory(user__first_name="Stranger")
    f.DeliverableFactory(project=mine, name="Mine cut")
    f.DeliverableFactory(name="Other cut")
    client.force_login(creative)

    assert "TEAM-1" in options(client.get(PROJECTS, {"q": "team"}))
    assert "TEAM-2" not in options(client.get(PROJECTS, {"q": "team"}))
    people = options(client.get(TALENT, {"q": ""}))
    assert f'data-value="{colleague.pk}"' in people and "Stranger" not in people
    cuts = options(client.get(DELIVERABLES, {"q": "cut"}))
    assert "Mine cut" in cuts and "Other cut" not in cuts


def test_deliverable_search_keeps_to_the_project_asked_and_to_open_work(client, pm):
    launch, teaser = f.ProjectFactory(code="LAUNCH"), f.ProjectFactory(code="TEASER")
    f.DeliverableFactory(project=launch, name="Hero film")
    f.DeliverableFactory(project=launch, name="Old film", status="cancelled")
    f.DeliverableFactory(project=teaser, name="Teaser film")
    client.force_login(pm)

    html = options(client.get(DELIVERABLES, {"q": "film", "project": launch.pk}))

    assert "Hero film" in html and "Teaser film" not in html and "Old film" not in html


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", [TALENT, PROJECTS, DELIVERABLES])
def test_each_search_reads_a_fixed_number_of_queries(client, pm, django_assert_num_queries, size, url):
    project = f.ProjectFactory(code="CUTS")
    for number in range(size):
        f.TalentFactory(user__first_name=f"Size{number}")
        f.DeliverableFactory(project=project, name=f"Size cut {number}")
        f.ProjectFactory(code=f"SIZE-{number}")
    client.force_login(pm)

    # The session, the user, the studio's settings, then one query for the matches.
    with django_assert_num_queries(4):
        html = options(client.get(url, {"q": "size", "project": project.pk if url == DELIVERABLES else ""}))
    assert html.count('role="option"') == min(size, 20)
