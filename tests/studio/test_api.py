"""The talent API: who sees whom (DESIGN §1), rates only for the
studio's managers, filters through query parameters, and query counts."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from studio import clock
from studio.models import StudioSettings
from tests import factories as f
from tests.conftest import STUDIO_ROLES

pytestmark = pytest.mark.django_db

TALENT = "/api/talent/"

EVERYONE = {"creative", "freelancer", "teammate", "colleague", "stranger"}
# Which of the world's talent each role may see.
VISIBLE = {
    "pm": EVERYONE,
    "executive": EVERYONE,
    "admin_user": EVERYONE,
    "creative": {"creative", "freelancer", "teammate", "colleague"},
    "freelancer": {"creative", "freelancer", "teammate"},
    "brand_manager": set(),
    "outsider": set(),
}


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Project A books the creative, the freelancer and a teammate; on project B
    the creative shares a deliverable with a colleague; a stranger works only on
    another brand's project."""
    talent = {
        "creative": creative.talent,
        "freelancer": freelancer.talent,
        "teammate": f.TalentFactory(phone="+44 20 7946 0001", user__email="tam@example.com"),
        "colleague": f.TalentFactory(),
        "stranger": f.TalentFactory(),
    }
    project_a = f.ProjectFactory(brand=brand)
    for key in ("creative", "freelancer", "teammate"):
        f.BookingFactory(project=project_a, talent=talent[key])
    f.DeliverableFactory(project=f.ProjectFactory(brand=brand)).assignees.add(
        talent["creative"], talent["colleague"]
    )
    f.BookingFactory(project=f.ProjectFactory(brand=other_brand), talent=talent["stranger"])
    return SimpleNamespace(talent=talent)


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys_of(objects, rows):
    by_id = {obj.pk: key for key, obj in objects.items()}
    return {by_id[row["id"]] for row in rows}


# --- who sees whom ------------------------------------------------------------------


@pytest.mark.parametrize("role", VISIBLE)
def test_talent_list_shows_exactly_whom_each_role_may_see(request, world, role):
    rows = results(client_for(request.getfixturevalue(role)).get(TALENT))

    assert keys_of(world.talent, rows) == VISIBLE[role]
    assert len(rows) == len(VISIBLE[role])


@pytest.mark.parametrize("role", VISIBLE)
def test_talent_detail_is_404_for_people_the_role_may_not_see(request, world, role):
    client = client_for(request.getfixturevalue(role))

    for key, talent in world.talent.items():
        expected = 200 if key in VISIBLE[role] else 404
        assert client.get(f"{TALENT}{talent.pk}/").status_code == expected, (role, key)


def test_anonymous_is_refused_talent(world):
    client = APIClient()

    assert client.get(TALENT).status_code == 401
    assert client.get(f"{TALENT}{world.talent['creative'].pk}/").status_code == 401


def test_creative_sees_teammates_name_and_contacts(world, creative):
    teammate = world.talent["teammate"]

    row = client_for(creative).get(f"{TALENT}{teammate.pk}/").json()

    assert row["name"] == teammate.user.get_full_name()
    assert row["email"] == "tam@example.com"
    assert row["phone"] == "+44 20 7946 0001"


# --- rates ---------------------------------------------------------------------------


@pytest.fixture
def rated_teammate(world):
    teammate = world.talent["teammate"]
    today = clock.today()
    f.RateCardFactory(
        talent=teammate,
        valid_from=today - dt.timedelta(days=400),
        cost_rate=Decimal("40.00"),
        bill_rate=Decimal("90.00"),
    )
    f.RateCardFactory(
        talent=teammate,
        valid_from=today - dt.timedelta(days=10),
        cost_rate=Decimal("52.50"),
        bill_rate=Decimal("115.00"),
    )
    f.RateCardFactory(
        talent=teammate,
        valid_from=today + dt.timedelta(days=10),
        cost_rate=Decimal("70.00"),
        bill_rate=Decimal("150.00"),
    )
    return teammate


@pytest.mark.parametrize("role", STUDIO_ROLES)
def test_studio_managers_see_the_rate_card_valid_today(request, rated_teammate, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{TALENT}{rated_teammate.pk}/").json()
    listed = next(row for row in results(client.get(TALENT)) if row["id"] == rated_teammate.pk)

    # The card from ten days ago replaced the older one; the next starts in ten days.
    expected = {
        "cost_rate": "52.50",
        "bill_rate": "115.00",
        "valid_from": (clock.today() - dt.timedelta(days=10)).isoformat(),
    }
    assert detail["current_rate"] == expected
    assert listed["current_rate"] == expected
    assert detail["hours_per_day"] == "8.00"


def test_rate_is_null_before_the_first_card_is_valid(world, pm):
    stranger = world.talent["stranger"]
    f.RateCardFactory(talent=stranger, valid_from=clock.today() + dt.timedelta(days=1))

    detail = client_for(pm).get(f"{TALENT}{stranger.pk}/").json()

    assert detail["current_rate"] is None


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_creatives_and_freelancers_see_no_rates_or_hours(request, rated_teammate, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{TALENT}{rated_teammate.pk}/").json()
    rows = results(client.get(TALENT))

    assert detail["email"] == "tam@example.com"
    for row in [detail, *rows]:
        assert "current_rate" not in row
        assert "hours_per_day" not in row
    assert "52.50" not in client.get(TALENT).content.decode()


# --- filters --------------------------------------------------------------------------


def test_talent_filter_by_employment(world, pm):
    rows = results(client_for(pm).get(TALENT, {"employment": "freelance"}))

    assert keys_of(world.talent, rows) == {"freelancer"}


def test_talent_filter_by_discipline(world, pm):
    motion = f.DisciplineFactory(name="Motion design")
    for key in ("teammate", "stranger"):
        world.talent[key].discipline = motion
        world.talent[key].save()

    rows = results(client_for(pm).get(TALENT, {"discipline": motion.pk}))

    assert keys_of(world.talent, rows) == {"teammate", "stranger"}


def test_talent_filter_by_skill(world, pm):
    retouching = f.SkillFactory(name="Retouching")
    world.talent["colleague"].skills.add(retouching, f.SkillFactory(name="Typography"))

    rows = results(client_for(pm).get(TALENT, {"skill": retouching.pk}))

    assert keys_of(world.talent, rows) == {"colleague"}
    assert rows[0]["skills"] == ["Retouching", "Typography"]


def test_talent_search_needs_every_word_to_match_a_name(world, pm):
    colleague = world.talent["colleague"].user
    colleague.first_name, colleague.last_name = "Annika", "Lindqvist"
    colleague.save()
    client = client_for(pm)

    both = results(client.get(TALENT, {"q": "anni LIND"}))
    mismatch = results(client.get(TALENT, {"q": "annika nobody"}))

    assert keys_of(world.talent, both) == {"colleague"}
    assert mismatch == []


def test_talent_filters_combine_with_visibility(world, freelancer):
    rows = results(client_for(freelancer).get(TALENT, {"employment": "staff"}))

    assert keys_of(world.talent, rows) == {"creative", "teammate"}


# --- query counts ------------------------------------------------------------------------


@pytest.fixture
def team_of(creative):
    """`count` more teammates on a project with the creative, each with skills and rate history."""
    StudioSettings.load()

    def grow(count):
        project = f.ProjectFactory()
        f.BookingFactory(project=project, talent=creative.talent)
        for _ in range(count):
            talent = f.TalentFactory()
            talent.skills.add(f.SkillFactory(), f.SkillFactory())
            f.RateCardFactory(talent=talent, valid_from=dt.date(2020, 1, 1))
            f.RateCardFactory(talent=talent, valid_from=dt.date(2024, 1, 1))
            f.BookingFactory(project=project, talent=talent)

    return grow


@pytest.mark.parametrize("count", [1, 8])
def test_talent_list_for_managers_query_count_does_not_grow(
    pm, team_of, django_assert_num_queries, count
):
    team_of(count)
    client = client_for(pm)

    # session, user, page count, page with user and discipline joined, skills,
    # rate cards valid today (today's time zone is cached)
    with django_assert_num_queries(6):
        rows = results(client.get(TALENT))
    assert len(rows) == count + 1


@pytest.mark.parametrize("count", [1, 8])
def test_talent_list_for_creatives_query_count_does_not_grow(
    creative, team_of, django_assert_num_queries, count
):
    team_of(count)
    client = client_for(creative)

    # session, user, page count, page with user and discipline joined, skills
    with django_assert_num_queries(5):
        rows = results(client.get(TALENT))
    assert len(rows) == count + 1
