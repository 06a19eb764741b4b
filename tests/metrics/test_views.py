"""The PM dashboard: who may open it, what today shows, and a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

URL = reverse("metrics:dashboard")
# TODAY is Wednesday 25 November 2026: its week runs Monday 23 to Sunday 29.
MONDAY, FRIDAY, SATURDAY, SUNDAY = (TODAY + dt.timedelta(days=n) for n in (-2, 2, 3, 4))
NEXT_MONDAY = TODAY + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def studio_today(move_clock):
    move_clock(TODAY)


def get(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("creative", 403), ("freelancer", 403),
     ("brand_manager", 403), ("outsider", 403)],
)
def test_dashboard_is_for_pms_and_executives_only(client, request, role, status):
    assert get(client, request.getfixturevalue(role)).status_code == status


def test_anonymous_visitor_is_sent_to_login(client):
    response = get(client, None)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_shows_todays_booking_and_not_tomorrows(client, pm):
    f.BookingFactory(project__code="TODAY-1", start_date=TODAY, end_date=TODAY)
    f.BookingFactory(project__code="TOMORROW-1", start_date=TODAY + dt.timedelta(days=1),
                     end_date=TODAY + dt.timedelta(days=3))
    f.BookingFactory(project__code="YESTERDAY-1", start_date=MONDAY,
                     end_date=TODAY - dt.timedelta(days=1))

    content = get(client, pm).content.decode()

    assert "TODAY-1" in content
    assert "TOMORROW-1" not in content
    assert "YESTERDAY-1" not in content


def test_booking_shows_person_discipline_hours_and_tentative_or_confirmed(client, pm):
    talent = f.TalentFactory(
        user__first_name="Ada", user__last_name="Lovelace", discipline__name="Motion"
    )
    f.BookingFactory(talent=talent, project__code="MIX-1", hours_per_day=Decimal("3"))
    f.BookingFactory(
        talent=talent, project__code="MIX-2", hours_per_day=Decimal("2.5"), status="tentative"
    )

    response = get(client, pm)
    content = response.content.decode()

    assert "Ada Lovelace" in content and "Motion" in content
    assert "Tentative" in content and "Confirmed" in content
    (person,) = response.context["people"]
    # 3 confirmed + 2.5 tentative = 5.5 of an 8-hour day.
    assert person.booked_hours == Decimal("5.5")
    assert person.confirmed_hours == Decimal("3")
    assert person.tentative_hours == Decimal("2.5")
    assert "5.50 of 8 h" in content


def test_booking_off_the_persons_working_days_is_not_today(client, pm):
    # Wednesday is ISO weekday 3; this person works Monday, Tuesday, Thursday, Friday.
    f.BookingFactory(talent__working_days="1245", project__code="PART-TIME")
    assert "PART-TIME" not in get(client, pm).content.decode()


def test_weekend_booking_lands_only_when_it_includes_weekends(client, pm, move_clock):
    move_clock(SATURDAY)
    f.BookingFactory(
        project__code="WKND-YES", start_date=FRIDAY, end_date=SUNDAY, include_weekends=True
    )
    f.BookingFactory(project__code="WKND-NO", start_date=FRIDAY, end_date=SUNDAY)

    content = get(client, pm).content.decode()

    assert "WKND-YES" in content
    assert "WKND-NO" not in content


def test_no_booking_lands_on_a_holiday_or_a_full_day_off(client, pm):
    off = f.BookingFactory(project__code="DAY-OFF")
    f.TimeOffFactory(talent=off.talent, start_date=TODAY, end_date=TODAY, status="approved")
    f.BookingFactory(project__code="AT-WORK")
    assert "DAY-OFF" not in get(client, pm).content.decode()

    f.HolidayFactory(date=TODAY, name="Studio day")
    assert "AT-WORK" not in get(client, pm).content.decode()


def test_over_booked_person_is_flagged(client, pm):
    busy = f.TalentFactory(hours_per_day=Decimal("8"))
    f.BookingFactory(talent=busy, hours_per_day=Decimal("6"))
    f.BookingFactory(talent=busy, hours_per_day=Decimal("4"), status="tentative")
    calm = f.TalentFactory(hours_per_day=Decimal("8"))
    f.BookingFactory(talent=calm, hours_per_day=Decimal("8"))

    response = get(client, pm)

    flags = {person.pk: person.is_overbooked for person in response.context["people"]}
    # 6 + 4 = 10 h against 8: over; exactly 8 against 8: not.
    assert flags == {busy.pk: True, calm.pk: False}
    assert response.content.decode().count("Over-booked") == 1


def test_deliverable_due_this_week_appears_and_next_week_does_not(client, pm):
    f.DeliverableFactory(name="Friday cut", due_date=FRIDAY)
    f.DeliverableFactory(name="Sunday banners", due_date=SUNDAY)
    f.DeliverableFactory(name="Next week cut", due_date=NEXT_MONDAY)
    f.DeliverableFactory(name="Approved visual", due_date=FRIDAY, status="approved",
                         approved_at=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    f.DeliverableFactory(name="Cancelled teaser", due_date=FRIDAY, status="cancelled")

    content = get(client, pm).content.decode()

    assert "Friday cut" in content and "Sunday banners" in content
    assert "Next week cut" not in content
    assert "Approved visual" not in content and "Cancelled teaser" not in content


def test_deliverable_due_earlier_this_week_is_flagged_overdue(client, pm):
    late = f.DeliverableFactory(name="Monday storyboard", due_date=MONDAY)
    response = get(client, pm)
    content = response.content.decode()
    assert late.name in content
    assert content.count("Overdue") == 1


def test_open_requests_show_submitted_and_info_requested_only(client, pm):
    f.RequestFactory(title="Winter launch", status="submitted")
    f.RequestFactory(title="Spring teaser", status="info_requested")
    accepted = f.RequestFactory(title="Summer film", status="accepted", project=f.ProjectFactory())

    content = get(client, pm).content.decode()

    assert "Winter launch" in content and "Spring teaser" in content
    assert accepted.title not in content


def make_studio_day(size):
    """`size` people booked today twice each, open requests, deliverables due this week."""
    for _ in range(size):
        talent = f.TalentFactory()
        f.BookingFactory(talent=talent, deliverable=f.DeliverableFactory(due_date=FRIDAY))
        f.BookingFactory(talent=talent, status="tentative")
        f.RequestFactory()


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_runs_a_fixed_number_of_queries(client, pm, size, django_assert_num_queries):
    make_studio_day(size)
    client.force_login(pm)
    # session, user, people with their hours, their bookings, open requests,
    # deliverables due, studio settings for the page (today itself is pinned above).
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["people"]) == size
