"""The projects and deliverables API: who sees what (DESIGN §1), money by role,
filters through query parameters, token authentication and query counts."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from studio import clock
from studio.models import StudioSettings
from studio.services import access_token_create
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = pytest.mark.django_db

PROJECTS = "/api/projects/"
DELIVERABLES = "/api/deliverables/"

ALL = {"booked", "assigned", "briefed", "elsewhere"}
OWN_BRAND = {"booked", "assigned", "briefed"}
# Which of the world's projects (and so their deliverables) each role may see.
VISIBLE = {
    "pm": ALL,
    "executive": ALL,
    "creative": {"booked", "assigned", "briefed"},
    "freelancer": {"booked"},
    "brand_manager": OWN_BRAND,
    "outsider": {"elsewhere"},
}


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Three projects of `brand` the creative reaches three different ways (booked,
    assigned, sent a brief), and one of another brand nobody of ours works on."""
    projects = {
        "booked": f.ProjectFactory(
            brand=brand, name="Winter launch", status="active", fee=Decimal("18500.00")
        ),
        "assigned": f.ProjectFactory(brand=brand, name="Spring teaser", status="planned"),
        "briefed": f.ProjectFactory(brand=brand, name="Summer pitch", status="intake"),
        "elsewhere": f.ProjectFactory(brand=other_brand, name="Rival relaunch", status="active"),
    }
    f.BookingFactory(project=projects["booked"], talent=creative.talent)
    f.BookingFactory(project=projects["booked"], talent=freelancer.talent)
    f.BookingFactory(project=projects["elsewhere"], talent=f.TalentFactory())
    deliverables = {
        key: f.DeliverableFactory(
            project=project, name=f"{project.name} key visual", planned_hours=Decimal("32.50")
        )
        for key, project in projects.items()
    }
    deliverables["assigned"].assignees.add(creative.talent)
    f.BriefDistributionFactory(version__brief__project=projects["briefed"], recipient=creative)
    return SimpleNamespace(projects=projects, deliverables=deliverables)


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


# --- who sees what -----------------------------------------------------------


@pytest.mark.parametrize("role", VISIBLE)
def test_project_list_shows_exactly_the_projects_each_role_may_see(request, world, role):
    user = request.getfixturevalue(role)

    rows = results(client_for(user).get(PROJECTS))

    assert keys_of(world.projects, rows) == VISIBLE[role]
    assert len(rows) == len(VISIBLE[role])


@pytest.mark.parametrize("role", VISIBLE)
def test_project_detail_is_404_for_projects_the_role_may_not_see(request, world, role):
    client = client_for(request.getfixturevalue(role))

    for key, project in world.projects.items():
        response = client.get(f"{PROJECTS}{project.pk}/")
        expected = 200 if key in VISIBLE[role] else 404
        assert response.status_code == expected, (role, key)


@pytest.mark.parametrize("role", VISIBLE)
def test_deliverable_list_shows_only_deliverables_of_visible_projects(request, world, role):
    user = request.getfixturevalue(role)

    rows = results(client_for(user).get(DELIVERABLES))

    assert keys_of(world.deliverables, rows) == VISIBLE[role]
    assert len(rows) == len(VISIBLE[role])


@pytest.mark.parametrize("role", VISIBLE)
def test_deliverable_detail_is_404_outside_visible_projects(request, world, role):
    client = client_for(request.getfixturevalue(role))

    for key, deliverable in world.deliverables.items():
        response = client.get(f"{DELIVERABLES}{deliverable.pk}/")
        expected = 200 if key in VISIBLE[role] else 404
        assert response.status_code == expected, (role, key)


def test_freelancer_lists_never_name_projects_they_are_not_booked_on(world, freelancer):
    client = client_for(freelancer)

    for url in (PROJECTS, DELIVERABLES):
        body = client.get(url).content.decode()
        assert "Winter launch" in body
        for hidden in ("Spring teaser", "Summer pitch", "Rival relaunch"):
            assert hidden not in body, (url, hidden)


@pytest.mark.parametrize("url", [PROJECTS, DELIVERABLES])
def test_anonymous_is_refused_lists(world, url):
    response = APIClient().get(url)

    assert response.status_code == 401


def test_anonymous_is_refused_details(world):
    client = APIClient()

    assert client.get(f"{PROJECTS}{world.projects['booked'].pk}/").status_code == 401
    assert client.get(f"{DELIVERABLES}{world.deliverables['booked'].pk}/").status_code == 401


# --- money and hours by role ---------------------------------------------------


@pytest.mark.parametrize("role", ["pm", "executive", "brand_manager"])
def test_fee_is_shown_to_roles_that_see_prices(request, world, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{PROJECTS}{world.projects['booked'].pk}/").json()
    rows = results(client.get(PROJECTS))

    assert detail["fee"] == "18500.00"
    assert all("fee" in row for row in rows)


def test_outsider_sees_the_fee_of_their_own_brands_project(world, outsider):
    detail = client_for(outsider).get(f"{PROJECTS}{world.projects['elsewhere'].pk}/").json()

    assert detail["fee"] == "20000.00"


@pytest.mark.parametrize("role", ["creative", "freelancer"])
def test_creatives_and_freelancers_see_no_fee(request, world, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{PROJECTS}{world.projects['booked'].pk}/").json()
    rows = results(client.get(PROJECTS))

    assert detail["code"] == world.projects["booked"].code
    assert "fee" not in detail
    assert rows and not any("fee" in row for row in rows)


@pytest.mark.parametrize("role", role_fixtures("project.see_costs"))
def test_planned_hours_are_shown_to_studio_managers(request, world, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{DELIVERABLES}{world.deliverables['booked'].pk}/").json()

    assert detail["planned_hours"] == "32.50"
    assert all("planned_hours" in row for row in results(client.get(DELIVERABLES)))


@pytest.mark.parametrize("role", ["brand_manager", "creative", "freelancer"])
def test_planned_hours_are_hidden_from_everyone_else(request, world, role):
    client = client_for(request.getfixturevalue(role))

    detail = client.get(f"{DELIVERABLES}{world.deliverables['booked'].pk}/").json()
    rows = results(client.get(DELIVERABLES))

    assert detail["name"] == "Winter launch key visual"
    assert "planned_hours" not in detail
    assert rows and not any("planned_hours" in row for row in rows)


# --- filters --------------------------------------------------------------------


def test_projects_filter_by_status(world, pm):
    rows = results(client_for(pm).get(PROJECTS, {"status": "active"}))

    assert keys_of(world.projects, rows) == {"booked", "elsewhere"}


def test_projects_filter_by_brand(world, pm, other_brand):
    rows = results(client_for(pm).get(PROJECTS, {"brand": other_brand.pk}))

    assert keys_of(world.projects, rows) == {"elsewhere"}


def test_projects_search_matches_name_or_code_ignoring_case(world, pm):
    client = client_for(pm)
    booked = world.projects["booked"]

    by_name = results(client.get(PROJECTS, {"q": "wINTER"}))
    by_code = results(client.get(PROJECTS, {"q": booked.code.lower()}))

    assert keys_of(world.projects, by_name) == {"booked"}
    assert keys_of(world.projects, by_code) == {"booked"}


def test_filters_combine_with_visibility(world, creative):
    rows = results(client_for(creative).get(PROJECTS, {"status": "active"}))

    # "elsewhere" is active too, but not the creative's.
    assert keys_of(world.projects, rows) == {"booked"}


def test_brand_manager_cannot_filter_by_another_brand(world, brand_manager, other_brand):
    response = client_for(brand_manager).get(PROJECTS, {"brand": other_brand.pk})

    assert response.status_code == 400
    assert "brand" in response.json()


def test_unknown_status_is_a_field_error(world, pm):
    response = client_for(pm).get(PROJECTS, {"status": "imaginary"})

    assert response.status_code == 400
    assert "status" in response.json()


def test_deliverables_filter_by_project_and_status(world, pm):
    client = client_for(pm)
    world.deliverables["assigned"].status = "client_review"
    world.deliverables["assigned"].save()

    by_project = results(client.get(DELIVERABLES, {"project": world.projects["briefed"].pk}))
    by_status = results(client.get(DELIVERABLES, {"status": "client_review"}))

    assert keys_of(world.deliverables, by_project) == {"briefed"}
    assert keys_of(world.deliverables, by_status) == {"assigned"}


def test_deliverables_filter_by_due_date_range_inclusive(world, pm):
    start = clock.today()
    for key, days in {"booked": 2, "assigned": 5, "briefed": 10, "elsewhere": 15}.items():
        deliverable = world.deliverables[key]
        deliverable.planned_start = start
        deliverable.due_date = start + dt.timedelta(days=days)
        deliverable.save()

    rows = results(
        client_for(pm).get(
            DELIVERABLES,
            {
                "due_after": (start + dt.timedelta(days=5)).isoformat(),
                "due_before": (start + dt.timedelta(days=10)).isoformat(),
            },
        )
    )

    assert keys_of(world.deliverables, rows) == {"assigned", "briefed"}


def test_creative_cannot_filter_deliverables_by_a_project_they_may_not_see(world, creative):
    response = client_for(creative).get(DELIVERABLES, {"project": world.projects["elsewhere"].pk})

    assert response.status_code == 400
    assert "project" in response.json()


# --- token authentication ------------------------------------------------------------


def test_token_authenticates_api_requests(world, brand_manager):
    _token, key = access_token_create(user=brand_manager, name="Reports", expires_in=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    rows = results(client.get(PROJECTS))

    assert keys_of(world.projects, rows) == OWN_BRAND


def test_unknown_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get(PROJECTS).status_code == 401


# --- query counts ----------------------------------------------------------------------


def add_projects(count, *, brand, talent):
    """`count` more projects, each with two deliverables assigned to `talent`."""
    for _ in range(count):
        project = f.ProjectFactory(brand=brand)
        f.BookingFactory(project=project, talent=talent)
        for _ in range(2):
            f.DeliverableFactory(project=project).assignees.add(talent, f.TalentFactory())


@pytest.fixture
def sized_world(brand, creative):
    StudioSettings.load()

    def grow(count):
        add_projects(count, brand=brand, talent=creative.talent)

    return grow


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("role", ["pm", "creative", "brand_manager"])
def test_project_list_query_count_does_not_grow_with_rows(
    request, sized_world, django_assert_num_queries, role, count
):
    sized_world(count)
    client = client_for(request.getfixturevalue(role))

    # session, user, page count, page of projects with brand and PM joined
    with django_assert_num_queries(4):
        rows = results(client.get(PROJECTS))
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("role", ["pm", "creative", "brand_manager"])
def test_deliverable_list_query_count_does_not_grow_with_rows(
    request, sized_world, django_assert_num_queries, role, count
):
    sized_world(count)
    client = client_for(request.getfixturevalue(role))

    # session, user, page count, page of deliverables with project and type joined, assignees;
    # and their hours by discipline for those who may see hours
    with django_assert_num_queries(6 if role == "pm" else 5):
        rows = results(client.get(DELIVERABLES))
    assert len(rows) == 2 * count


@pytest.mark.parametrize("count", [1, 8])
def test_token_list_query_count_does_not_grow_with_rows(
    sized_world, pm, django_assert_num_queries, count
):
    sized_world(count)
    client = APIClient()
    _token, key = access_token_create(user=pm, name="Reports", expires_in=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.get(PROJECTS)  # the first use notes the token's "last used"

    # token with its user, page count, page of projects
    with django_assert_num_queries(3):
        rows = results(client.get(PROJECTS))
    assert len(rows) == count
