"""The talent directory (issue 5): everyone for the studio's managers, with working
pattern, rates and the schedules fragment; the teams of their own projects, with names
and contacts only, for creatives and freelancers; the same through the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

TALENT_LIST = "/studio/talent/"
TALENT_API = "/api/talent/"
STATUS = reverse("schedules:talent-status")


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Brand A's project with the creative and freelancer booked and a colleague
    assigned; brand B's project with a stranger booked."""
    project = f.ProjectFactory(brand=brand)
    colleague = f.TalentFactory(
        user__first_name="Cora", user__last_name="Colleague", phone="+44 20 7946 0101", working_days="1234"
    )
    stranger = f.TalentFactory(user__first_name="Stan", user__last_name="Stranger")
    f.BookingFactory(talent=creative.talent, project=project)
    f.BookingFactory(talent=freelancer.talent, project=project)
    f.DeliverableFactory(project=project).assignees.add(colleague)
    f.BookingFactory(talent=stranger, project=f.ProjectFactory(brand=other_brand))
    f.RateCardFactory(
        talent=colleague, cost_rate=Decimal("61.37"), bill_rate=Decimal("143.29"), valid_from=TODAY.replace(day=1)
    )
    return {"creative": creative.talent, "freelancer": freelancer.talent, "colleague": colleague, "stranger": stranger}


EVERYONE = {"creative", "freelancer", "colleague", "stranger"}
TEAM = {"creative", "freelancer", "colleague"}


def listed(world, response):
    return {key for key, talent in world.items() if talent in response.context["page_obj"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("pm", EVERYONE), ("executive", EVERYONE), ("admin_user", EVERYONE), ("creative", TEAM), ("freelancer", TEAM)],
)
def test_directory_lists_everyone_for_managers_and_the_team_for_creatives_and_freelancers(
    client, request, world, role, expected
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(TALENT_LIST)
    assert response.status_code == 200
    assert listed(world, response) == expected


@pytest.mark.parametrize("role", ["brand_manager", "outsider"])
def test_directory_is_refused_to_brand_managers(client, request, world, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(TALENT_LIST).status_code == 403


def test_manager_sees_contact_working_pattern_rates_and_empty_status_cells(client, pm, world):
    client.force_login(pm)
    html = client.get(TALENT_LIST).content.decode()
    colleague = world["colleague"]

    assert colleague.user.email in html and "+44 20 7946 0101" in html
    assert "Mon, Tue, Wed, Thu" in html
    assert "61.37" in html and "143.29" in html
    assert f'<td id="talent-{colleague.pk}-bookings"></td>' in html
    assert f'<td id="talent-{colleague.pk}-utilization" class="num"></td>' in html
    assert f'hx-get="{STATUS}?ids=' in html and 'hx-swap="none"' in html


def test_creative_sees_teammates_contacts_but_no_rates_working_pattern_or_bookings(client, creative, world):
    client.force_login(creative)
    html = client.get(TALENT_LIST).content.decode()

    assert "Cora Colleague" in html and "+44 20 7946 0101" in html
    assert "Stan Stranger" not in html
    assert "61.37" not in html and "143.29" not in html and "Mon, Tue" not in html
    assert STATUS not in html and "talent-{}-bookings".format(world["colleague"].pk) not in html


@pytest.fixture
def availability(db):
    return {
        "staff": f.TalentFactory(),
        "under_contract": f.FreelanceTalentFactory(),
        "contract_ended": f.FreelanceTalentFactory(
            contract_start=TODAY - dt.timedelta(days=60), contract_end=TODAY - dt.timedelta(days=1)
        ),
        "contract_ahead": f.FreelanceTalentFactory(
            contract_start=TODAY + dt.timedelta(days=1), contract_end=TODAY + dt.timedelta(days=60)
        ),
        "inactive": f.TalentFactory(active=False),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", {"staff", "under_contract"}),
        ("false", {"contract_ended", "contract_ahead", "inactive"}),
        ("", {"staff", "under_contract", "contract_ended", "contract_ahead", "inactive"}),
    ],
)
def test_directory_filters_people_available_now(client, pm, availability, value, expected):
    client.force_login(pm)
    page = client.get(TALENT_LIST, {"available": value}).context["page_obj"]
    api = APIClient()
    api.force_login(pm)
    rows = api.get(TALENT_API, {"available": value}).json()["results"]

    assert {key for key, talent in availability.items() if talent in page} == expected
    assert {key for key, talent in availability.items() if talent.pk in {row["id"] for row in rows}} == expected


def test_api_gives_managers_working_day_names_and_contract_dates(pm, world):
    api = APIClient()
    api.force_login(pm)
    row = api.get(f"{TALENT_API}{world['freelancer'].pk}/").json()
    colleague = api.get(f"{TALENT_API}{world['colleague'].pk}/").json()

    assert colleague["working_day_names"] == ["Mon", "Tue", "Wed", "Thu"]
    assert colleague["current_rate"]["cost_rate"] == "61.37"
    assert row["contract_start"] == str(world["freelancer"].contract_start)


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_api_gives_creatives_and_freelancers_their_teams_contacts_only(request, world, role):
    api = APIClient()
    api.force_login(request.getfixturevalue(role))
    rows = api.get(TALENT_API).json()["results"]

    assert {key for key, talent in world.items() if talent.pk in {row["id"] for row in rows}} == TEAM
    colleague = next(row for row in rows if row["id"] == world["colleague"].pk)
    assert colleague["phone"] == "+44 20 7946 0101"
    assert not {"working_days", "working_day_names", "hours_per_day", "current_rate"} & set(colleague)


@pytest.mark.parametrize("size", [3, 20])
def test_team_directory_query_count_does_not_grow_with_the_rows(
    client, creative, brand, size, django_assert_num_queries
):
    project = f.ProjectFactory(brand=brand)
    f.BookingFactory(talent=creative.talent, project=project)
    for talent in f.TalentFactory.create_batch(size):
        talent.skills.add(f.SkillFactory())
        f.BookingFactory(talent=talent, project=project)
    client.force_login(creative)

    # session, user, count, studio settings (layout), disciplines and skills for the filter form, page, skills
    with django_assert_num_queries(8):
        response = client.get(TALENT_LIST)
    assert len(response.context["page_obj"]) == size + 1


def test_a_brief_sent_shows_a_creative_that_projects_team_but_not_a_freelancer(client, creative, freelancer):
    """Creatives see the teams of projects they were sent a brief of; freelancers only of
    projects they are booked on, even when a brief of another reached them."""
    briefed = f.BriefVersionFactory()
    f.BriefDistributionFactory(version=briefed, recipient=creative)
    f.BriefDistributionFactory(version=briefed, recipient=freelancer)
    on_it = f.TalentFactory()
    f.BookingFactory(talent=on_it, project=briefed.brief.project)

    for user, sees in ((creative, True), (freelancer, False)):
        client.force_login(user)
        page = client.get(TALENT_LIST).context["page_obj"]
        assert (on_it in page) is sees, user.role
        assert user.talent in page
