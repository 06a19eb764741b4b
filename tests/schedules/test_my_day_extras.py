"""My day's calendar feed link and its next working days."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import factories as f

# The studio's today: Wednesday 25 November 2026 (tests.factories.TODAY).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

PAGE = reverse("schedules:my-day")
AHEAD = reverse("schedules:my-day-ahead")


@pytest.fixture
def friday_holiday(db):
    return f.HolidayFactory(date=dt.date(2026, 11, 27), name="Studio day")


def ahead(client, user):
    client.force_login(user)
    return client.get(AHEAD, HTTP_HX_REQUEST="true")


def rows(response):
    """Each day's table row, by ISO date, in the order shown."""
    assert response.status_code == 200
    found = re.findall(r'<tr data-day="([\d-]+)">(.*?)</tr>', response.content.decode(), re.DOTALL)
    return {dt.date.fromisoformat(day): html for day, html in found}


def test_page_offers_the_feed_as_webcal_and_https_links_and_a_regenerate_button(client, creative):
    client.force_login(creative)
    content = client.get(PAGE).content.decode()
    path = reverse("schedules:ical", args=[creative.talent.ical_token])
    assert f'href="webcal://testserver{path}"' in content
    assert f'value="http://testserver{path}"' in content
    assert f'action="{reverse("schedules:ical-regenerate")}"' in content


def test_page_loads_the_days_ahead_fragment(client, creative):
    client.force_login(creative)
    assert f'hx-get="{AHEAD}"' in client.get(PAGE).content.decode()


def test_next_five_working_days_skip_the_weekend_and_a_holiday(client, creative, friday_holiday):
    # After Wednesday 25: Thursday 26, (Friday 27 holiday, weekend 28–29), Monday 30,
    # Tuesday 1, Wednesday 2 and Thursday 3 December.
    assert list(rows(ahead(client, creative))) == [
        dt.date(2026, 11, 26), dt.date(2026, 11, 30), dt.date(2026, 12, 1),
        dt.date(2026, 12, 2), dt.date(2026, 12, 3),
    ]


def test_each_day_lists_the_bookings_that_land_on_it(client, creative, friday_holiday):
    talent = creative.talent
    long = f.BookingFactory(talent=talent, project__code="LONG-1", hours_per_day="5",
                            start_date=dt.date(2026, 11, 24), end_date=dt.date(2026, 12, 3))
    f.BookingFactory(talent=talent, project__code="HOLD-1", hours_per_day="2.5", status="tentative",
                     start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 1))
    f.BookingFactory(project=long.project, note="colleague's edit",
                     start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 11, 26))
    # A full day of approved time off on Wednesday 2 December: nothing lands that day.
    f.TimeOffFactory(talent=talent, start_date=dt.date(2026, 12, 2), end_date=dt.date(2026, 12, 2))

    days = rows(ahead(client, creative))

    thursday, tuesday, wednesday = days[dt.date(2026, 11, 26)], days[dt.date(2026, 12, 1)], days[dt.date(2026, 12, 2)]
    assert "LONG-1" in thursday and "Confirmed" in thursday and "HOLD-1" not in thursday
    assert "colleague" not in thursday
    assert "LONG-1" in tuesday and "HOLD-1" in tuesday and "Tentative" in tuesday
    # 5 h confirmed + 2.5 h tentative on Tuesday 1 December.
    assert '<td class="num">7.50</td>' in tuesday
    assert "Time off" in wednesday and "LONG-1" not in wednesday
    assert "LONG-1" in days[dt.date(2026, 12, 3)]


def test_requested_time_off_is_shown_but_bookings_still_land(client, creative):
    talent = creative.talent
    f.BookingFactory(talent=talent, project__code="STILL-1",
                     start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 11, 26))
    f.TimeOffFactory(talent=talent, status="requested",
                     start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 11, 26))

    thursday = rows(ahead(client, creative))[dt.date(2026, 11, 26)]
    assert "STILL-1" in thursday and "(requested)" in thursday


def test_part_timer_has_nothing_landing_on_a_day_they_do_not_work(client):
    talent = f.TalentFactory(working_days="1234")
    f.BookingFactory(talent=talent, project__code="PART-1",
                     start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 11, 30))

    days = rows(ahead(client, talent.user))
    assert "PART-1" not in days[dt.date(2026, 11, 27)]
    assert "Not one of your working days" in days[dt.date(2026, 11, 27)]
    assert "PART-1" in days[dt.date(2026, 11, 30)]


@pytest.mark.parametrize("role", ["pm", "executive", "admin_user", "brand_manager", "outsider"])
def test_days_ahead_are_for_creatives_and_freelancers_only(client, request, role):
    assert ahead(client, request.getfixturevalue(role)).status_code == 403


@pytest.mark.parametrize("size", [1, 6])
def test_days_ahead_run_a_fixed_number_of_queries(client, creative, friday_holiday, size,
                                                  django_assert_num_queries):
    for _ in range(size):
        f.BookingFactory(talent=creative.talent, start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 12, 4),
                         deliverable=f.DeliverableFactory())
        f.TimeOffFactory(talent=creative.talent, status="requested")
    client.force_login(creative)
    # session, user, talent profile, holidays, bookings, time off, studio settings for the page.
    with django_assert_num_queries(7):
        response = client.get(AHEAD, HTTP_HX_REQUEST="true")
    # Thursday 26 November to Friday 4 December covers all five days ahead.
    assert [html.count("<li>") for html in rows(response).values()] == [size] * 5
