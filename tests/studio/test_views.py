"""The talent directory, talent profiles and private attachment downloads, by role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from studio import clock
from studio.models import Attachment
from tests import factories as f

pytestmark = pytest.mark.django_db

TALENT_LIST = "/studio/talent/"


def talent_url(talent):
    return f"/studio/talent/{talent.pk}/"


def attach(obj, uploaded_by, name="storyboard.pdf", content=b"%PDF-1.4 storyboard"):
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        file=ContentFile(content, name=name),
        original_name=name,
        mime_type="application/pdf",
        size=len(content),
        uploaded_by=uploaded_by,
    )


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Brand A's project with the creative and freelancer booked and a colleague
    assigned; brand B's project with a stranger booked."""
    w = {
        "project": f.ProjectFactory(brand=brand, code="A-1"),
        "other_project": f.ProjectFactory(brand=other_brand, code="B-1"),
        "colleague": f.TalentFactory(
            user__first_name="Cora", user__last_name="Colleague", phone="+44 20 7946 0101"
        ),
        "stranger": f.TalentFactory(user__first_name="Stan", user__last_name="Stranger"),
    }
    f.BookingFactory(talent=creative.talent, project=w["project"])
    f.BookingFactory(talent=freelancer.talent, project=w["project"])
    f.DeliverableFactory(project=w["project"]).assignees.add(w["colleague"])
    f.BookingFactory(talent=w["stranger"], project=w["other_project"])
    f.RateCardFactory(
        talent=w["colleague"],
        cost_rate=Decimal("61.37"),
        bill_rate=Decimal("143.29"),
        valid_from=clock.today() - dt.timedelta(days=30),
    )
    return w


# --- talent directory -------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "status"),
    [
        ("pm", 200),
        ("executive", 200),
        ("admin_user", 200),
        # Their teammates only: tests/studio/test_talent_directory.py.
        ("creative", 200),
        ("freelancer", 200),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_talent_directory_is_for_the_studio_and_its_teams(client, request, role_fixture, status):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(TALENT_LIST).status_code == status


def test_talent_directory_asks_anonymous_visitors_to_log_in(client):
    response = client.get(TALENT_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={TALENT_LIST}"


def test_talent_directory_shows_the_rates_in_force_today(client, pm):
    today = clock.today()
    talent = f.TalentFactory(user__first_name="Rita")
    f.RateCardFactory(
        talent=talent,
        cost_rate=Decimal("40.11"),
        bill_rate=Decimal("90.11"),
        valid_from=today - dt.timedelta(days=400),
    )
    f.RateCardFactory(
        talent=talent,
        cost_rate=Decimal("55.22"),
        bill_rate=Decimal("125.22"),
        valid_from=today - dt.timedelta(days=10),
    )
    f.RateCardFactory(
        talent=talent,
        cost_rate=Decimal("70.33"),
        bill_rate=Decimal("150.33"),
        valid_from=today + dt.timedelta(days=10),
    )
    client.force_login(pm)

    html = client.get(TALENT_LIST).content.decode()

    assert "55.22" in html and "125.22" in html
    for superseded_or_future in ("40.11", "90.11", "70.33", "150.33"):
        assert superseded_or_future not in html


def test_talent_directory_shows_freelance_contract_dates(client, pm):
    f.FreelanceTalentFactory(contract_start=dt.date(2026, 9, 1), contract_end=dt.date(2027, 2, 28))
    client.force_login(pm)
    html = client.get(TALENT_LIST).content.decode()
    assert "1 Sep 2026 – 28 Feb 2027" in html


@pytest.fixture
def directory(db):
    motion, design = f.DisciplineFactory(name="Motion"), f.DisciplineFactory(name="Design")
    cinema4d = f.SkillFactory(name="Cinema 4D")
    ana = f.TalentFactory(discipline=motion, user__first_name="Ana", user__last_name="Alvarez")
    ana.skills.add(cinema4d)
    f.FreelanceTalentFactory(discipline=motion, user__first_name="Ben", user__last_name="Brook")
    f.TalentFactory(discipline=design, user__first_name="Cleo", user__last_name="Cole")
    return {"motion": motion, "design": design, "cinema4d": cinema4d}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Ana Alvarez", "Ben Brook", "Cleo Cole"}),
        ({"discipline": "motion"}, {"Ana Alvarez", "Ben Brook"}),
        ({"employment": "freelance"}, {"Ben Brook"}),
        ({"skill": "cinema4d"}, {"Ana Alvarez"}),
        ({"q": "cole"}, {"Cleo Cole"}),
        ({"discipline": "motion", "employment": "staff"}, {"Ana Alvarez"}),
    ],
)
def test_talent_directory_filters(client, pm, directory, params, expected):
    query = {
        key: directory[value].pk if value in directory else value for key, value in params.items()
    }
    client.force_login(pm)
    html = client.get(TALENT_LIST, query).content.decode()
    shown = {name for name in ("Ana Alvarez", "Ben Brook", "Cleo Cole") if name in html}
    assert shown == expected


def test_talent_directory_pages_25_at_a_time_and_keeps_filters_in_page_links(client, pm):
    discipline = f.DisciplineFactory(name="Edit")
    f.TalentFactory.create_batch(27, discipline=discipline)
    f.TalentFactory()  # another discipline, filtered out
    client.force_login(pm)

    first = client.get(TALENT_LIST, {"discipline": discipline.pk})
    second = client.get(TALENT_LIST, {"discipline": discipline.pk, "page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 2
    assert f"?discipline={discipline.pk}&amp;page=2" in first.content.decode()


def test_htmx_filter_request_gets_only_the_results_fragment(client, pm, directory):
    client.force_login(pm)
    response = client.get(TALENT_LIST, {"q": "ana"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<section id="talent-results"')
    assert "Ana Alvarez" in html and "Cleo Cole" not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, pm):
    client.force_login(pm)
    response = client.get(
        TALENT_LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("size", [3, 20])
def test_talent_directory_query_count_does_not_grow_with_the_rows(
    client, pm, size, django_assert_num_queries
):
    for _ in range(size):
        talent = f.TalentFactory()
        talent.skills.add(f.SkillFactory(), f.SkillFactory())
        f.RateCardFactory(talent=talent, valid_from=clock.today() - dt.timedelta(days=5))
    client.force_login(pm)

    # session, user, studio settings (layout), count, page, skills, rate cards,
    # disciplines and skills for the filter form (today's time zone is cached)
    with django_assert_num_queries(9):
        response = client.get(TALENT_LIST)
    assert len(response.context["page_obj"]) == size


# --- talent profiles --------------------------------------------------------


def test_pm_sees_a_profile_with_rates(client, pm, world):
    client.force_login(pm)
    response = client.get(talent_url(world["colleague"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cora Colleague" in html and "61.37" in html and "143.29" in html


def test_creative_sees_a_teammates_name_and_contact_but_no_rates(client, creative, world):
    client.force_login(creative)
    response = client.get(talent_url(world["colleague"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cora Colleague" in html
    assert world["colleague"].user.email in html and "+44 20 7946 0101" in html
    assert "61.37" not in html and "143.29" not in html
    assert "Working pattern" not in html


def test_creative_sees_their_own_profile_with_working_pattern(client, creative):
    client.force_login(creative)
    response = client.get(talent_url(creative.talent))
    assert response.status_code == 200
    assert "Working pattern" in response.content.decode()


@pytest.mark.parametrize(
    ("role_fixture", "target", "status"),
    [
        ("pm", "stranger", 200),
        ("executive", "stranger", 200),
        ("admin_user", "stranger", 200),
        ("creative", "colleague", 200),
        ("creative", "stranger", 404),
        ("freelancer", "colleague", 200),
        ("freelancer", "stranger", 404),
        ("brand_manager", "colleague", 404),
        ("outsider", "stranger", 404),
    ],
)
def test_talent_profile_access(client, request, world, role_fixture, target, status):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(talent_url(world[target])).status_code == status


def test_talent_profile_asks_anonymous_visitors_to_log_in(client, world):
    response = client.get(talent_url(world["colleague"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- attachments ------------------------------------------------------------


@pytest.fixture
def files(world, pm):
    return {
        "own": attach(world["project"], pm, name="a-storyboard.pdf", content=b"%PDF brand A"),
        "other": attach(
            world["other_project"], pm, name="b-storyboard.pdf", content=b"%PDF brand B"
        ),
        # Clients have no access rule of their own: the studio's internal records.
        "internal": attach(
            world["project"].brand.client, pm, name="contract.pdf", content=b"%PDF contract"
        ),
    }


@pytest.mark.parametrize(
    ("role_fixture", "file", "status"),
    [
        ("pm", "own", 200),
        ("pm", "other", 200),
        ("pm", "internal", 200),
        ("executive", "other", 200),
        ("executive", "internal", 200),
        ("creative", "own", 200),
        ("creative", "other", 404),
        ("creative", "internal", 404),
        ("freelancer", "own", 200),
        ("freelancer", "other", 404),
        ("freelancer", "internal", 404),
        ("brand_manager", "own", 200),
        ("brand_manager", "other", 404),
        ("brand_manager", "internal", 404),
        ("outsider", "own", 404),
        ("outsider", "other", 200),
    ],
)
def test_attachment_download_follows_the_target_objects_access(
    client, request, files, role_fixture, file, status
):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(f"/studio/attachments/{files[file].pk}/")
    assert response.status_code == status


def test_attachment_download_serves_the_file_as_an_attachment(client, brand_manager, files):
    client.force_login(brand_manager)
    response = client.get(f"/studio/attachments/{files['own'].pk}/")

    assert b"".join(response.streaming_content) == b"%PDF brand A"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a-storyboard.pdf"'


def test_attachment_download_asks_anonymous_visitors_to_log_in(client, files):
    response = client.get(f"/studio/attachments/{files['own'].pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_missing_attachment_is_a_404(client, pm):
    client.force_login(pm)
    assert client.get("/studio/attachments/999999/").status_code == 404
