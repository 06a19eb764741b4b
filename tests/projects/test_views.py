"""The project list and project page, by role: what each sees, and what money they see."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from studio import clock
from studio.models import Attachment
from tests import factories as f

pytestmark = pytest.mark.django_db

PROJECT_LIST = "/projects/"
FEE = Decimal("98765.43")
FEE_SHOWN = "98,765.43"
ROLES = ["pm", "executive", "admin_user", "creative", "freelancer", "brand_manager", "outsider"]


def detail_url(project):
    return f"/projects/{project.pk}/"


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Brand A: a project the creative and freelancer are booked on (with a
    colleague assigned), one only the creative is assigned to, one nobody of
    them is on; brand B: one project."""
    w = {
        "booked": f.ProjectFactory(brand=brand, code="A-BOOKED", name="Winter launch", fee=FEE),
        "assigned": f.ProjectFactory(brand=brand, code="A-ASSIGNED", fee=FEE),
        "untouched": f.ProjectFactory(brand=brand, code="A-UNTOUCHED", fee=FEE),
        "other": f.ProjectFactory(brand=other_brand, code="B-OTHER", fee=FEE),
        "colleague": f.TalentFactory(
            user__first_name="Cora", user__last_name="Colleague", phone="+44 20 7946 0101"
        ),
    }
    f.BookingFactory(talent=creative.talent, project=w["booked"])
    f.BookingFactory(talent=freelancer.talent, project=w["booked"])
    f.PhaseFactory(project=w["booked"], name="Pre-production")
    w["key_visual"] = f.DeliverableFactory(
        project=w["booked"],
        name="Key visual",
        status="in_progress",
        percent_complete=40,
        planned_hours=Decimal("37.5"),
    )
    w["key_visual"].assignees.add(w["colleague"])
    f.DeliverableFactory(project=w["assigned"]).assignees.add(creative.talent)
    return w


# --- the list ---------------------------------------------------------------

VISIBLE_CODES = {
    "pm": {"A-BOOKED", "A-ASSIGNED", "A-UNTOUCHED", "B-OTHER"},
    "executive": {"A-BOOKED", "A-ASSIGNED", "A-UNTOUCHED", "B-OTHER"},
    "admin_user": {"A-BOOKED", "A-ASSIGNED", "A-UNTOUCHED", "B-OTHER"},
    "creative": {"A-BOOKED", "A-ASSIGNED"},
    "freelancer": {"A-BOOKED"},
    "brand_manager": {"A-BOOKED", "A-ASSIGNED", "A-UNTOUCHED"},
    "outsider": {"B-OTHER"},
}


@pytest.mark.parametrize("role_fixture", ROLES)
def test_project_list_shows_each_role_only_its_projects(client, request, world, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(PROJECT_LIST)
    html = response.content.decode()

    assert response.status_code == 200
    shown = {code for code in VISIBLE_CODES["pm"] if code in html}
    assert shown == VISIBLE_CODES[role_fixture]


@pytest.mark.parametrize("role_fixture", ROLES)
def test_project_list_says_when_it_shows_only_ones_own_projects(client, request, world, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(PROJECT_LIST).content.decode()

    own_share = role_fixture in {"creative", "freelancer", "brand_manager", "outsider"}
    assert ("The projects you work on or follow." in html) is own_share


def test_project_list_asks_anonymous_visitors_to_log_in(client):
    response = client.get(PROJECT_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={PROJECT_LIST}"


@pytest.mark.parametrize(
    ("role_fixture", "sees_fee"),
    [
        ("pm", True),
        ("executive", True),
        ("admin_user", True),
        ("brand_manager", True),
        ("outsider", True),
        ("creative", False),
        ("freelancer", False),
    ],
)
def test_project_list_shows_fees_only_to_those_who_see_prices(
    client, request, world, role_fixture, sees_fee
):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(PROJECT_LIST).content.decode()
    assert (FEE_SHOWN in html) is sees_fee
    assert ('class="num">Fee</th>' in html) is sees_fee
    assert (f"EUR {FEE_SHOWN}" in html) is sees_fee


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "on_hold"}, {"P-HOLD"}),
        ({"brand": "brand"}, {"P-HOLD", "P-LIVE"}),
        ({"q": "poster"}, {"P-POSTER"}),
        ({"q": "p-live"}, {"P-LIVE"}),
        ({"brand": "brand", "status": "active"}, {"P-LIVE"}),
    ],
)
def test_project_list_filters(client, pm, brand, other_brand, params, expected):
    f.ProjectFactory(brand=brand, code="P-HOLD", status="on_hold")
    f.ProjectFactory(brand=brand, code="P-LIVE", status="active")
    f.ProjectFactory(brand=other_brand, code="P-POSTER", name="Poster campaign", status="active")
    query = {key: brand.pk if value == "brand" else value for key, value in params.items()}
    client.force_login(pm)

    html = client.get(PROJECT_LIST, query).content.decode()

    assert {code for code in ("P-HOLD", "P-LIVE", "P-POSTER") if code in html} == expected


def test_brand_filter_offers_only_the_users_own_brands(client, brand_manager, brand, other_brand):
    f.ProjectFactory(brand=brand)
    f.ProjectFactory(brand=other_brand)
    client.force_login(brand_manager)
    html = client.get(PROJECT_LIST).content.decode()
    assert brand.name in html
    assert other_brand.name not in html


def test_project_list_pages_25_at_a_time_and_keeps_filters_in_page_links(client, pm, brand):
    f.ProjectFactory.create_batch(27, brand=brand, status="planned")
    f.ProjectFactory(brand=brand, status="active")
    client.force_login(pm)

    first = client.get(PROJECT_LIST, {"status": "planned"})
    last = client.get(PROJECT_LIST, {"status": "planned", "page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(last.context["page_obj"]) == 2
    html = first.content.decode()
    assert 'href="?status=planned&amp;page=2"' in html
    assert 'hx-target="#project-results"' in html


def test_htmx_filter_request_gets_only_the_results_fragment(client, pm, world):
    client.force_login(pm)
    response = client.get(PROJECT_LIST, {"q": "A-BOOKED"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<nav" not in html and "<form" not in html
    assert html.lstrip().startswith('<section id="project-results"')
    assert "A-BOOKED" in html and "B-OTHER" not in html
    assert "HX-Request" in response["Vary"]


def test_full_page_filter_form_swaps_the_fragment_and_pushes_the_url(client, pm):
    client.force_login(pm)
    html = client.get(PROJECT_LIST).content.decode()
    assert 'hx-target="#project-results"' in html
    assert 'hx-push-url="true"' in html
    assert '<section id="project-results"' in html


@pytest.mark.parametrize("size", [3, 20])
def test_project_list_query_count_does_not_grow_for_a_pm(
    client, pm, size, django_assert_num_queries
):
    for _ in range(size):
        f.ProjectFactory()
    client.force_login(pm)

    # session, user, studio settings, count, page (with brand and PM), brands for the filter
    with django_assert_num_queries(6):
        response = client.get(PROJECT_LIST)
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [3, 20])
def test_project_list_query_count_does_not_grow_for_a_creative(
    client, creative, size, django_assert_num_queries
):
    for _ in range(size):
        f.BookingFactory(talent=creative.talent)
    client.force_login(creative)

    with django_assert_num_queries(6):
        response = client.get(PROJECT_LIST)
    assert len(response.context["page_obj"]) == size


# --- the project page -------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "project", "status"),
    [
        ("pm", "booked", 200),
        ("pm", "other", 200),
        ("executive", "other", 200),
        ("admin_user", "other", 200),
        ("creative", "booked", 200),
        ("creative", "assigned", 200),
        ("creative", "untouched", 404),
        ("creative", "other", 404),
        ("freelancer", "booked", 200),
        ("freelancer", "assigned", 404),
        ("freelancer", "other", 404),
        ("brand_manager", "untouched", 200),
        ("brand_manager", "other", 404),
        ("outsider", "other", 200),
        ("outsider", "booked", 404),
    ],
)
def test_project_page_access(client, request, world, role_fixture, project, status):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(detail_url(world[project])).status_code == status


def test_project_page_asks_anonymous_visitors_to_log_in(client, world):
    response = client.get(detail_url(world["booked"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_project_page_shows_phases_deliverables_and_progress(client, creative, world):
    client.force_login(creative)
    html = client.get(detail_url(world["booked"])).content.decode()

    assert "Winter launch" in html and "Pre-production" in html
    assert "Key visual" in html and "In progress" in html and "40 %" in html
    assert world["booked"].pm.get_full_name() in html


def test_project_page_shows_the_team_with_contacts_to_a_creative(
    client, creative, freelancer, world
):
    client.force_login(creative)
    html = client.get(detail_url(world["booked"])).content.decode()

    assert "Cora Colleague" in html
    assert world["colleague"].user.email in html and "+44 20 7946 0101" in html
    assert freelancer.get_full_name() in html  # booked on the same project


@pytest.mark.parametrize(
    ("role_fixture", "sees_fee", "sees_hours"),
    [
        ("pm", True, True),
        ("executive", True, True),
        ("admin_user", True, True),
        ("brand_manager", True, False),
        ("creative", False, False),
        ("freelancer", False, False),
    ],
)
def test_project_page_money_and_hours_by_role(
    client, request, world, role_fixture, sees_fee, sees_hours
):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(detail_url(world["booked"])).content.decode()

    assert (FEE_SHOWN in html) is sees_fee
    assert ("37.5" in html) is sees_hours  # the key visual's planned hours
    assert ("Planned hours" in html) is sees_hours


def test_brand_manager_sees_the_pm_as_contact_but_not_the_studio_team(client, brand_manager, world):
    client.force_login(brand_manager)
    html = client.get(detail_url(world["booked"])).content.decode()

    assert world["booked"].pm.email in html
    assert "Cora Colleague" not in html
    assert world["colleague"].user.email not in html


def test_overdue_open_deliverables_are_flagged(client, pm, world):
    today = clock.today()
    f.DeliverableFactory(
        project=world["booked"],
        name="Late banner",
        status="in_progress",
        planned_start=today - dt.timedelta(days=10),
        due_date=today - dt.timedelta(days=1),
    )
    client.force_login(pm)
    html = client.get(detail_url(world["booked"])).content.decode()
    assert html.count('data-status="overdue"') == 1


def test_project_page_lists_its_files_for_download(client, brand_manager, pm, world):
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(world["booked"]),
        object_id=str(world["booked"].pk),
        file=ContentFile(b"%PDF", name="moodboard.pdf"),
        original_name="moodboard.pdf",
        mime_type="application/pdf",
        size=4,
        uploaded_by=pm,
    )
    client.force_login(brand_manager)
    html = client.get(detail_url(world["booked"])).content.decode()
    assert f'href="/studio/attachments/{attachment.pk}/"' in html
