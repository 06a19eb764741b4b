"""What a freelancer booking in the booking dialog does to the freelance pool, before it
is saved: shown to those who see the studio budget, empty for everyone else, for staff and
for input that is not (yet) a booking."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from schedules.models import Booking, Timesheet
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("budgets:pool-effect")
# Monday 23 November 2026; the studio's today (f.TODAY) is Wednesday 25 November.
MON = f.monday(f.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def case(brand):
    """Q4 2026 with a pool of 6,840.00: actual 1,140.00, committed 1,200.00, holds 1,200.00."""
    quarter = f.StudioBudgetFactory(period_start=day(-53), period_end=day(38), freelance_pool=D("6840.00"))
    project = f.ProjectFactory(brand=brand)
    f1, f2 = f.FreelanceTalentFactory(), f.FreelanceTalentFactory()
    f.RateCardFactory(talent=f1, cost_rate=D("40.00"), valid_from=day(-365))
    f.RateCardFactory(talent=f2, cost_rate=D("30.00"), valid_from=day(-365))
    staff = f.TalentFactory()
    f.RateCardFactory(talent=staff, cost_rate=D("55.00"), valid_from=day(-365))
    # Approved: F1 Mon 16 and Tue 17 Nov, 8 h each × 40.00 = 640.00; a fixed fee of 500.00.
    sheet = Timesheet.objects.create(talent=f1, week_start=day(-7), status="approved", approved_at=timezone.now())
    f.TimeEntryFactory(timesheet=sheet, project=project, date=day(-7), hours=D("8"))
    f.TimeEntryFactory(timesheet=sheet, project=project, date=day(-6), hours=D("8"))
    f.CostFactory(project=project, kind="freelance_fixed", talent=f1, amount=D("500.00"), date=day(-13))
    # Confirmed: F1 Mon 30 Nov – Fri 4 Dec, 6 h: 30 h × 40.00 = 1,200.00.
    confirmed = f.BookingFactory(talent=f1, project=project, start_date=day(7), end_date=day(11), hours_per_day=D("6"))
    # Tentative: F2 Mon 7 – Fri 11 Dec, 8 h: 40 h × 30.00 = 1,200.00.
    hold = f.BookingFactory(
        talent=f2, project=project, start_date=day(14), end_date=day(18), hours_per_day=D("8"), status="tentative"
    )
    return {
        "quarter": quarter,
        "project": project,
        "f1": f1,
        "f2": f2,
        "staff": staff,
        "confirmed": confirmed,
        "hold": hold,
    }


def fields(talent, start, end, hours="8", status="confirmed", **extra):
    return {
        "talent": talent.pk,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "hours_per_day": hours,
        "status": status,
        **extra,
    }


# Mon 14 – Fri 18 Dec, F1 8 h a day.
DECEMBER = (day(21), day(25))


@pytest.mark.parametrize("who", ["pm", "executive", "admin_user"])
def test_the_studio_sees_what_a_confirmed_booking_costs_the_pool(client, case, who, request):
    response = logged_in(client, request.getfixturevalue(who)).get(URL, fields(case["f1"], *DECEMBER))

    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    # 5 days × 8 h = 40 h × 40.00 = 1,600.00. Left: 6,840.00 − 1,140.00 − (1,200.00 + 1,600.00)
    # = 2,900.00; if every hold is confirmed: 2,900.00 − 1,200.00 = 1,700.00.
    assert "This booking costs" in text and "1,600.00" in text
    assert "2,900.00 left" in text
    assert "1,700.00 if every hold is confirmed" in text


@pytest.mark.parametrize("who", ["creative", "freelancer", "brand_manager", "outsider"])
def test_no_one_else_receives_the_pool(client, case, who, request):
    response = logged_in(client, request.getfixturevalue(who)).get(URL, fields(case["f1"], *DECEMBER))

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_a_visitor_signs_in_first(client, case):
    response = client.get(URL, fields(case["f1"], *DECEMBER))

    assert response.status_code == 302


def test_a_hold_counts_only_if_every_hold_is_confirmed(client, pm, case):
    response = logged_in(client, pm).get(URL, fields(case["f2"], *DECEMBER, status="tentative"))

    text = " ".join(response.content.decode().split())
    # 40 h × 30.00 = 1,200.00, a hold. Left stays 6,840.00 − 1,140.00 − 1,200.00 = 4,500.00;
    # if every hold is confirmed: 4,500.00 − (1,200.00 + 1,200.00) = 2,100.00.
    assert "This hold costs" in text and "1,200.00" in text
    assert "4,500.00 left" in text
    assert "2,100.00 if every hold is confirmed" in text


def test_changing_a_saved_booking_takes_its_old_cost_out(client, pm, case):
    confirmed = case["confirmed"]
    # The dialog of a saved booking has no status field: the booking's own is used.
    data = fields(case["f1"], day(7), day(11), hours="8", booking=confirmed.pk)
    del data["status"]
    response = logged_in(client, pm).get(URL, data)

    text = " ".join(response.content.decode().split())
    # 5 days × 8 h × 40.00 = 1,600.00 instead of 1,200.00: committed 1,600.00;
    # left 6,840.00 − 1,140.00 − 1,600.00 = 4,100.00; if every hold is confirmed 2,900.00.
    assert "1,600.00" in text and "It cost" in text and "1,200.00 before this change" in text
    assert "4,100.00 left" in text
    assert "2,900.00 if every hold is confirmed" in text
    assert Booking.objects.get(pk=confirmed.pk).hours_per_day == D("6")


def test_a_booking_past_the_pool_says_so(client, pm, case):
    # Mon 30 Nov – Thu 31 Dec, 24 h a day for F1: 1 + 23 working days × 24 h × 40.00 = 23,040.00;
    # left 6,840.00 − 1,140.00 − (1,200.00 + 23,040.00) = −18,540.00.
    response = logged_in(client, pm).get(URL, fields(case["f1"], day(7), day(38), hours="24"))

    text = " ".join(response.content.decode().split())
    assert "costs EUR 23,040.00" in text and "−EUR 18,540.00 left" in text
    assert "Over the pool." in text


def test_staff_do_not_touch_the_pool(client, pm, case):
    response = logged_in(client, pm).get(URL, fields(case["staff"], *DECEMBER))

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_no_period_covering_the_start_shows_nothing(client, pm, case):
    response = logged_in(client, pm).get(URL, fields(case["f1"], day(60), day(64)))

    assert response.content.decode().strip() == ""


@pytest.mark.parametrize(
    "change",
    [
        {"talent": ""},
        {"talent": "999999"},
        {"talent": "abc"},
        {"start_date": ""},
        {"start_date": "2026-02-30"},
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31"},
        {"start_date": "2026-12-18", "end_date": "2026-12-14"},
        {"hours_per_day": "0"},
        {"hours_per_day": "25"},
        {"hours_per_day": "-8"},
        {"hours_per_day": "lots"},
        {"hours_per_day": "NaN"},
        {"hours_per_day": "8\x00"},
        {"status": "maybe"},
        {"status": ""},
        {"booking": "999999"},
        {"booking": "x"},
    ],
)
def test_bad_or_partial_input_shows_nothing(client, pm, case, change):
    data = fields(case["f1"], *DECEMBER) | change
    response = logged_in(client, pm).get(URL, data)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_nothing_at_all_shows_nothing(client, pm, case):
    response = logged_in(client, pm).get(URL)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


# --- the booking dialog asks for it ----------------------------------------------------------


def test_the_new_booking_dialog_loads_the_pool_effect(client, pm, case):
    html = logged_in(client, pm).get(reverse("schedules:booking-new"), headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{URL}"' in html
    assert 'hx-trigger="load, change from:closest form"' in html
    assert 'hx-include="closest form"' in html
    assert "hx-vals" not in html


def test_a_saved_bookings_dialog_names_the_booking(client, pm, case):
    booking = case["confirmed"]
    html = logged_in(client, pm).get(reverse("schedules:booking-edit", args=[booking.pk])).content.decode()

    assert f'hx-get="{URL}"' in html
    assert f'hx-vals=\'{{"booking": "{booking.pk}"}}\'' in html


# --- who is free asks for it, row by row -----------------------------------------------------


def test_who_is_free_asks_for_each_freelancers_pool_effect(client, pm, case):
    html = logged_in(client, pm).get(reverse("schedules:who-is-free")).content.decode()

    rows = {talent: html.split(f'id="free-{talent.pk}"')[1].split("</tr>")[0] for talent in (case["f1"], case["staff"])}
    assert f'hx-get="{URL}"' in rows[case["f1"]]
    assert f'"talent": "{case["f1"].pk}", "status": "tentative"' in rows[case["f1"]]
    assert 'hx-include="#quick-booking"' in rows[case["f1"]]
    assert URL not in rows[case["staff"]]


def test_who_is_free_hours_default_to_the_persons_own(client, pm, case):
    # As the quick booking sends it: no hours a day, a hold. F1 works 8 h a day:
    # 5 days × 8 h × 40.00 = 1,600.00; left stays 4,500.00; if every hold is confirmed
    # 4,500.00 − (1,200.00 + 1,600.00) = 1,700.00.
    data = fields(case["f1"], *DECEMBER, hours="", status="tentative")
    response = logged_in(client, pm).get(URL, data)

    text = " ".join(response.content.decode().split())
    assert "This hold costs" in text and "1,600.00" in text
    assert "4,500.00 left" in text and "1,700.00 if every hold is confirmed" in text


# --- and the API, before a booking is sent ------------------------------------------------------

API = "/api/studio-budgets/pool-effect/"


def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["pm", "executive"])
def test_the_api_answers_what_a_booking_does_to_the_pool(case, who, request):
    response = api(request.getfixturevalue(who)).get(API, fields(case["f1"], *DECEMBER))

    assert response.status_code == 200
    body = response.json()
    # As the dialog: 40 h × 40.00 = 1,600.00; committed 1,200.00 + 1,600.00; left 2,900.00.
    assert (body["affects_pool"], body["hours"], body["cost"], body["committed"]) == (
        True, "40.00", "1600.00", "2800.00"
    )
    assert (body["remaining"], body["remaining_if_holds_confirmed"], body["exceeds_pool"]) == (
        "2900.00", "1700.00", False
    )
    assert body["studio_budget"]["id"] == case["quarter"].pk


def test_the_api_says_when_a_booking_touches_no_pool(pm, case):
    body = api(pm).get(API, fields(case["staff"], *DECEMBER)).json()
    assert (body["affects_pool"], body["cost"]) == (False, "0.00")
    assert api(pm).get(API, fields(case["f1"], day(60), day(64))).json() == {
        "studio_budget": None, "affects_pool": False
    }


@pytest.mark.parametrize(
    "change, field",
    [
        ({"talent": "abc"}, "talent"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"end_date": "9999-12-31"}, "non_field_errors"),
        ({"hours_per_day": "25"}, "hours_per_day"),
        ({"status": "maybe"}, "status"),
        ({"status": ""}, "status"),
    ],
)
def test_bad_input_to_the_api_is_a_400_by_field(pm, case, change, field):
    response = api(pm).get(API, fields(case["f1"], *DECEMBER) | change)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("who", ["creative", "freelancer", "brand_manager"])
def test_the_api_gives_no_one_else_the_pool(case, who, request):
    assert api(request.getfixturevalue(who)).get(API, fields(case["f1"], *DECEMBER)).status_code in (403, 404)
