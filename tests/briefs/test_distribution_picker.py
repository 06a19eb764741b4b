"""Sending a brief: the project's team is shown ticked, anyone else is found by name
through the picker (never a list of the whole studio, admin included); a refused choice
is shown next to the picker and nothing is sent."""

import html
import re

import pytest
from django.urls import reverse

from briefs.models import Brief, BriefDistribution
from briefs.services import briefs as services
from tests import factories as f

pytestmark = pytest.mark.django_db


def approve(brief):
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.IN_REVIEW)
    brief.refresh_from_db()
    services.brief_on_approve(brief, None, brief.project.pm)
    brief.refresh_from_db()
    return brief.versions.get(number=brief.current_version_number)


@pytest.fixture
def studio(brand, pm, admin_user):
    brief = f.BriefFactory(project__brand=brand, project__pm=pm)
    approve(brief)
    booked = f.TalentFactory(user__first_name="Bea", user__last_name="Booked")
    f.BookingFactory(talent=booked, project=brief.project)
    return {
        "brief": brief,
        "booked": booked.user,
        "wanted": f.UserFactory(role="creative", first_name="Wanda", last_name="Quist"),
        "executive": f.UserFactory(role="executive", first_name="Walt", last_name="Exec"),
        "freelancer": f.FreelanceTalentFactory(user__first_name="Wes", user__last_name="Elsewhere").user,
        "admin": admin_user,
    }


def send_url(brief):
    return reverse("briefs:brief-distribute", args=[brief.pk])


def search_url(brief):
    return reverse("briefs:brief-recipients", args=[brief.pk])


def test_the_send_page_shows_the_team_ticked_and_no_list_of_everybody(client, pm, studio):
    client.force_login(pm)

    page = client.get(send_url(studio["brief"])).content.decode()

    assert f'<input type="checkbox" checked disabled data-team-member="{studio["booked"].pk}"> Bea Booked' in page
    assert "<select" not in page and "<option" not in page
    assert "Wanda" not in page and studio["admin"].username not in page
    assert f'hx-get="{search_url(studio["brief"])}"' in page and 'role="combobox"' in page


def test_the_brief_page_offers_the_picker_not_a_multi_select(client, pm, studio):
    client.force_login(pm)

    page = client.get(reverse("briefs:brief-detail", args=[studio["brief"].pk])).content.decode()

    assert "<select" not in page and "Wanda" not in page
    assert f'hx-get="{search_url(studio["brief"])}"' in page


def test_the_search_finds_eligible_people_by_part_of_their_name_and_not_the_team(client, pm, studio):
    client.force_login(pm)

    found = client.get(search_url(studio["brief"]), {"q": "w"}).content.decode()

    assert 'data-label="Wanda Quist"' in found and 'data-label="Walt Exec"' in found
    # A freelancer not booked on the project may not be sent it; the team gets it anyway.
    assert "Wes Elsewhere" not in found
    assert "Bea Booked" not in client.get(search_url(studio["brief"]), {"q": "bea"}).content.decode()
    admin = client.get(search_url(studio["brief"]), {"q": studio["admin"].username}).content.decode()
    assert 'role="option"' not in admin


@pytest.mark.parametrize("query", [{"q": "x" * 101}, {"q": "a\x00"}])
def test_a_bad_search_is_a_400(client, pm, studio, query):
    client.force_login(pm)

    assert client.get(search_url(studio["brief"]), query).status_code == 400


@pytest.mark.parametrize("role", ["executive", "creative", "brand_manager", "outsider", "admin_user"])
def test_only_who_sends_briefs_searches_their_recipients(client, request, studio, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(search_url(studio["brief"]), {"q": "w"}).status_code == 403


@pytest.mark.parametrize("size", [2, 30])
def test_the_search_reads_a_fixed_number_of_queries(client, pm, studio, django_assert_num_queries, size):
    for _ in range(size):
        f.UserFactory(role="creative", first_name="Walker")
    client.force_login(pm)

    # The session, the user, the studio's settings, the brief, then the matches.
    with django_assert_num_queries(5):
        found = client.get(search_url(studio["brief"]), {"q": "walker"}).content.decode()
    assert found.count('role="option"') == min(size, 20)


def test_sending_adds_the_people_chosen_to_the_team(client, pm, studio):
    client.force_login(pm)

    response = client.post(send_url(studio["brief"]), {"recipients": [studio["wanted"].pk, studio["executive"].pk]})

    assert response.status_code == 302
    sent = set(BriefDistribution.objects.values_list("recipient", flat=True))
    assert sent == {studio["booked"].pk, studio["wanted"].pk, studio["executive"].pk}


@pytest.mark.parametrize("who", ["admin", "freelancer"])
def test_someone_who_may_not_be_sent_it_is_refused_next_to_the_picker(client, pm, studio, who):
    client.force_login(pm)

    response = client.post(send_url(studio["brief"]), {"recipients": [studio["wanted"].pk, studio[who].pk]})

    assert response.status_code == 400 and not BriefDistribution.objects.exists()
    errors = re.search(r'<ul class="errorlist" id="id_recipients_error">(.*?)</ul>', response.content.decode(), re.S)
    assert "Select a valid choice" in html.unescape(errors[1])
    # The one chosen rightly stays chosen.
    assert f'<input type="hidden" name="recipients" value="{studio["wanted"].pk}">' in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 30, "x"])
def test_a_recipient_that_is_no_pk_is_refused_next_to_the_picker(client, pm, studio, value):
    client.force_login(pm)

    response = client.post(send_url(studio["brief"]), {"recipients": [studio["wanted"].pk, value]})

    assert response.status_code == 400 and not BriefDistribution.objects.exists()
    assert 'id="id_recipients_error"' in response.content.decode()
