"""The bookings and utilization fragments schedules serves to the talent directory and
to a talent's page, by role (DESIGN §1: other people's bookings are the managers')."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

STATUS = reverse("schedules:talent-status")
MONDAY = dt.date(2026, 11, 23)  # TODAY is Wednesday 25 November 2026
TODAY_NOON = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def detail_status(talent):
    return reverse("schedules:talent-detail-status", args=[talent.pk])


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Brand A's project with the creative and freelancer booked and a colleague
    assigned; brand B's project with a stranger booked."""
    project = f.ProjectFactory(brand=brand, code="A-1")
    other = f.ProjectFactory(brand=other_brand, code="B-1")
    colleague = f.TalentFactory()
    stranger = f.TalentFactory()
    f.BookingFactory(talent=creative.talent, project=project, start_date=MONDAY, end_date=MONDAY)
    f.BookingFactory(talent=freelancer.talent, project=project, start_date=MONDAY, end_date=MONDAY)
    f.DeliverableFactory(project=project).assignees.add(colleague)
    f.BookingFactory(talent=stranger, project=other, start_date=MONDAY, end_date=MONDAY)
    return {
        "creative": creative.talent,
        "freelancer": freelancer.talent,
        "colleague": colleague,
        "stranger": stranger,
    }


def cells_in(html):
    """{talent id: {"bookings", "utilization"}} for the out-of-band cells in the answer."""
    found = {}
    for pk, kind in re.findall(r'<td id="talent-(\d+)-(bookings|utilization)"[^>]*hx-swap-oob="true"', html):
        found.setdefault(int(pk), set()).add(kind)
    return found


def ask_status(client, user, talent):
    client.force_login(user)
    return client.get(STATUS, {"ids": ",".join(str(t.pk) for t in talent)})


# --- the directory's cells ------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("pm", {"creative", "freelancer", "colleague", "stranger"}),
        ("executive", {"creative", "freelancer", "colleague", "stranger"}),
        ("admin_user", {"creative", "freelancer", "colleague", "stranger"}),
        # Their own row only: a teammate's bookings and utilization are not theirs to see.
        ("creative", {"creative"}),
        ("freelancer", {"freelancer"}),
    ],
)
def test_status_cells_come_only_for_people_whose_bookings_the_role_may_see(client, request, world, role, expected):
    response = ask_status(client, request.getfixturevalue(role), world.values())

    assert response.status_code == 200
    by_id = {talent.pk: key for key, talent in world.items()}
    cells = cells_in(response.content.decode())
    assert {by_id[pk] for pk in cells} == expected
    assert all(kinds == {"bookings", "utilization"} for kinds in cells.values())


@pytest.mark.parametrize("role", ["brand_manager", "outsider"])
def test_status_cells_are_refused_to_brand_managers(client, request, world, role):
    assert ask_status(client, request.getfixturevalue(role), world.values()).status_code == 403


def test_status_cells_ask_anonymous_visitors_to_log_in(client, world):
    response = client.get(STATUS, {"ids": str(world["stranger"].pk)})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_status_ignores_ids_that_are_not_numbers(client, pm, world):
    client.force_login(pm)
    response = client.get(STATUS, {"ids": f"x,{world['stranger'].pk},;drop"})
    assert response.status_code == 200
    assert set(cells_in(response.content.decode())) == {world["stranger"].pk}


def test_status_shows_current_and_next_booking_and_this_weeks_booked_share(client, pm):
    talent = f.TalentFactory(hours_per_day=Decimal("8"))  # Monday to Friday: 40 h this week
    f.BookingFactory(
        talent=talent,
        project=f.ProjectFactory(code="NOW-1"),
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=4),
        hours_per_day=Decimal("6"),
    )
    f.BookingFactory(
        talent=talent,
        project=f.ProjectFactory(code="LATER-2"),
        start_date=dt.date(2026, 12, 7),
        end_date=dt.date(2026, 12, 9),
        status="tentative",
    )
    f.BookingFactory(
        talent=talent,
        project=f.ProjectFactory(code="LATER-3"),
        start_date=dt.date(2026, 12, 14),
        end_date=dt.date(2026, 12, 18),
    )
    f.BookingFactory(
        talent=talent,
        project=f.ProjectFactory(code="PAST-4"),
        start_date=dt.date(2026, 11, 2),
        end_date=dt.date(2026, 11, 6),
    )

    html = ask_status(client, pm, [talent]).content.decode()

    assert "NOW-1" in html and "until 27 Nov" in html
    assert "LATER-2" in html and "from 7 Dec" in html and "Tentative" in html
    assert "LATER-3" not in html and "PAST-4" not in html
    # 5 days × 6 h = 30 h booked of 5 days × 8 h = 40 h capacity: 75 %
    assert re.search(rf'id="talent-{talent.pk}-utilization"[^>]*>\s*<span[^>]*>75 %', html)


def test_status_says_when_someone_is_not_booked_and_has_no_capacity(client, pm):
    talent = f.FreelanceTalentFactory(contract_start=dt.date(2027, 1, 4), contract_end=dt.date(2027, 3, 31))
    html = ask_status(client, pm, [talent]).content.decode()
    assert "Not booked" in html
    assert re.search(rf'id="talent-{talent.pk}-utilization"[^>]*>\s*<span class="muted"', html)


@pytest.mark.parametrize("size", [3, 20])
def test_status_query_count_does_not_grow_with_the_people(client, pm, size, django_assert_num_queries):
    people = f.TalentFactory.create_batch(size)
    for talent in people:
        f.BookingFactory(talent=talent, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=4))
        f.BookingFactory(
            talent=talent, start_date=MONDAY + dt.timedelta(days=14), end_date=MONDAY + dt.timedelta(days=18)
        )
    client.force_login(pm)
    ids = ",".join(str(t.pk) for t in people)

    # session, user, visible ids, capacity, booked, logged, bookings, studio settings (layout)
    with django_assert_num_queries(8):
        response = client.get(STATUS, {"ids": ids})
    assert len(cells_in(response.content.decode())) == size


# --- a talent's page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("pm", "stranger", 200),
        ("executive", "stranger", 200),
        ("admin_user", "stranger", 200),
        ("creative", "creative", 200),
        ("creative", "colleague", 403),
        ("creative", "stranger", 404),
        ("freelancer", "freelancer", 200),
        ("freelancer", "colleague", 403),
        ("freelancer", "stranger", 404),
        ("brand_manager", "colleague", 404),
        ("outsider", "stranger", 404),
    ],
)
def test_detail_status_access(client, request, world, role, target, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(detail_status(world[target])).status_code == status


def test_detail_status_shows_twelve_weeks_of_booked_and_logged_utilization(client, pm):
    talent = f.TalentFactory(hours_per_day=Decimal("8"))
    project = f.ProjectFactory(code="ADV-7")
    f.BookingFactory(
        talent=talent, project=project, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=4), hours_per_day=4
    )
    # Two weeks ago, 10 h logged on an approved timesheet and 6 h on an open one.
    approved = f.TimesheetFactory(
        talent=talent, week_start=dt.date(2026, 11, 9), status="approved", approved_at=TODAY_NOON
    )
    f.TimeEntryFactory(timesheet=approved, project=project, date=dt.date(2026, 11, 10), hours=Decimal("10"))
    still_open = f.TimesheetFactory(talent=talent, week_start=dt.date(2026, 11, 16), status="open")
    f.TimeEntryFactory(timesheet=still_open, project=project, date=dt.date(2026, 11, 17), hours=Decimal("6"))
    client.force_login(pm)

    response = client.get(detail_status(talent))

    weeks = response.context["weeks"]
    assert [w["monday"] for w in weeks][0] == dt.date(2026, 10, 26)  # four weeks before this one
    assert [w["monday"] for w in weeks][-1] == dt.date(2027, 1, 11)  # this week and seven after
    by_monday = {w["monday"]: w["value"] for w in weeks}
    # 10 h logged of 40 h: 25 %; the open week's 6 h do not count yet
    assert by_monday[dt.date(2026, 11, 9)].logged_percent == 25
    assert by_monday[dt.date(2026, 11, 16)].logged_percent == 0
    # 5 × 4 h booked of 40 h: 50 %
    assert by_monday[MONDAY].booked_percent == 50
    html = response.content.decode()
    assert "ADV-7" in html and "25 %" in html and "50 %" in html


def test_talent_page_loads_the_status_fragment_for_managers_and_the_person_only(client, world, pm, creative):
    client.force_login(pm)
    assert detail_status(world["colleague"]) in client.get(f"/studio/talent/{world['colleague'].pk}/").content.decode()
    client.force_login(creative)
    assert detail_status(world["creative"]) in client.get(f"/studio/talent/{world['creative'].pk}/").content.decode()
    page = client.get(f"/studio/talent/{world['colleague'].pk}/").content.decode()
    assert "schedules/talent" not in page
