"""My day: the creative's and freelancer's own call sheet for today."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("schedules:my-day")


def get(client, user):
    if user is not None:
        client.force_login(user)
    return client.get(URL)


@pytest.mark.parametrize(
    ("role", "status"),
    [("creative", 200), ("freelancer", 200), ("pm", 403), ("executive", 403), ("admin_user", 403),
     ("brand_manager", 403), ("outsider", 403)],
)
def test_my_day_is_for_creatives_and_freelancers_only(client, request, role, status):
    assert get(client, request.getfixturevalue(role)).status_code == status


def test_anonymous_visitor_is_sent_to_login(client):
    response = get(client, None)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_shows_own_booking_today_and_not_a_colleagues(client, creative):
    project = f.ProjectFactory(code="SHARED-1", fee=Decimal("98765.00"))
    f.BookingFactory(talent=creative.talent, project=project, hours_per_day=Decimal("5"),
                     deliverable=f.DeliverableFactory(project=project, name="Hero film"))
    f.BookingFactory(project=project, hours_per_day=Decimal("7"), note="colleague's edit")

    response = get(client, creative)
    content = response.content.decode()

    assert [b.talent_id for b in response.context["bookings"]] == [creative.talent.pk]
    assert "SHARED-1" in content and "Hero film" in content
    assert "colleague&#x27;s edit" not in content and "colleague's edit" not in content
    assert "5 of 8 h" in content
    # No money on the call sheet: the project's fee never shows.
    assert "98765" not in content and "98,765" not in content


def test_freelancer_sees_own_booking(client, freelancer):
    f.BookingFactory(talent=freelancer.talent, project__code="FREE-1", status="tentative")
    content = get(client, freelancer).content.decode()
    assert "FREE-1" in content and "Tentative" in content


def test_tomorrows_booking_is_not_on_todays_sheet(client, creative):
    f.BookingFactory(talent=creative.talent, project__code="LATER-1",
                     start_date=TODAY + dt.timedelta(days=1), end_date=TODAY + dt.timedelta(days=2))
    response = get(client, creative)
    assert "LATER-1" not in response.content.decode()
    assert response.context["bookings"] == []


def test_shows_own_open_deliverables_due_within_a_week_and_overdue(client, creative):
    talent = creative.talent
    soon = f.DeliverableFactory(name="Due Friday", due_date=TODAY + dt.timedelta(days=2))
    week = f.DeliverableFactory(name="Due in seven", due_date=TODAY + dt.timedelta(days=7))
    late = f.DeliverableFactory(name="Was due Monday", due_date=TODAY - dt.timedelta(days=2))
    later = f.DeliverableFactory(name="Due in eight", due_date=TODAY + dt.timedelta(days=8))
    done = f.DeliverableFactory(
        name="Already approved", due_date=TODAY + dt.timedelta(days=1), status="approved",
        approved_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
    )
    for deliverable in (soon, week, late, later, done):
        deliverable.assignees.add(talent)
    theirs = f.DeliverableFactory(name="Someone else's", due_date=TODAY + dt.timedelta(days=1))
    theirs.assignees.add(f.TalentFactory())

    response = get(client, creative)
    content = response.content.decode()

    due = [d.name for d in response.context["due"]]
    assert due == ["Was due Monday", "Due Friday", "Due in seven"]
    assert content.count("Overdue") == 1
    assert "Due in eight" not in content and "Already approved" not in content
    assert "Someone else" not in content


def test_call_sheet_has_print_rules(client, creative):
    content = get(client, creative).content.decode()
    assert static("css/my_day.css") in content and static("js/my_day.js") in content
    assert "data-print" in content
    assert "@media print" in (settings.BASE_DIR / "static" / "css" / "my_day.css").read_text()
    assert "window.print()" in (settings.BASE_DIR / "static" / "js" / "my_day.js").read_text()


def test_creative_without_talent_profile_gets_a_friendly_empty_state(client):
    user = f.UserFactory(role="creative")
    response = get(client, user)
    assert response.status_code == 200
    assert "no talent profile" in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_my_day_runs_a_fixed_number_of_queries(client, creative, size, django_assert_num_queries):
    for _ in range(size):
        deliverable = f.DeliverableFactory(due_date=TODAY + dt.timedelta(days=2))
        deliverable.assignees.add(creative.talent)
        f.BookingFactory(
            talent=creative.talent, project=deliverable.project, deliverable=deliverable
        )
    client.force_login(creative)
    # session, user, talent profile, today's bookings, deliverables due,
    # studio settings for the page.
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["bookings"]) == size
    assert len(response.context["due"]) == size


def test_todays_bookings_load_their_brief_links_from_the_briefs_app(client, creative):
    first = f.BookingFactory(talent=creative.talent, start_date=TODAY, end_date=TODAY)
    second = f.BookingFactory(talent=creative.talent, start_date=TODAY, end_date=TODAY, hours_per_day=Decimal("1"))

    page = get(client, creative).content.decode()

    links_url = reverse("briefs:brief-links")
    assert f'{links_url}?projects=' in page
    assert f'class="brief-for-{first.project_id}"' in page and f'class="brief-for-{second.project_id}"' in page


def test_my_day_loads_the_briefs_to_read_from_the_briefs_app(client, creative):
    version = f.BriefVersionFactory(brief__project=f.BookingFactory(talent=creative.talent).project)
    f.BriefDistributionFactory(version=version, recipient=creative)

    page = get(client, creative).content.decode()
    fragment_url = reverse("briefs:briefs-to-read")
    assert f'hx-get="{fragment_url}"' in page

    client.force_login(creative)
    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true").content.decode()
    assert version.title in fragment
