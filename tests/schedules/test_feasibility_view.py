"""The feasibility fragment the request form loads while a brand manager fills it in.

TODAY is Wednesday 25 November 2026; a deadline of Wednesday 2 December gives a window of
5 working days (Thu 26, Fri 27, Mon 30, Tue 1, Wed 2). One designer works 8 h a day:
40 h free. Design can source 20 freelance hours a week at 95.50 an hour.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("schedules:feasibility")
WED = dt.date(2026, 12, 2)


@pytest.fixture
def key_visual():
    design = f.DisciplineFactory(name="Design", freelance_hours_per_week=D("20"), freelance_bill_rate=D("95.50"),
                                 freelance_cost_rate=D("61.00"))
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("10"))
    f.TalentFactory(discipline=design, hours_per_day=D("8"))
    return kind


def form(deadline=WED, *rows):
    """The request form's fields as hx-include sends them."""
    data = {"deadline": str(deadline)}
    for n, (kind, quantity) in enumerate(rows):
        data[f"items-{n}-deliverable_type"] = "" if kind is None else str(getattr(kind, "pk", kind))
        data[f"items-{n}-quantity"] = str(quantity)
    return data


def get(client, user, data):
    if user is not None:
        client.force_login(user)
    return client.get(URL, data, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    ("role", "status"),
    [("brand_manager", 200), ("outsider", 200), ("pm", 200), ("executive", 200), ("admin_user", 200),
     ("creative", 403), ("freelancer", 403)],
)
def test_feasibility_is_for_brand_managers_pms_and_executives(client, request, key_visual, role, status):
    response = get(client, request.getfixturevalue(role), form(WED, (key_visual, 1)))
    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_login(client):
    response = get(client, None, {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_fits_shows_hours_by_discipline_and_free_capacity(client, brand_manager, key_visual):
    content = get(client, brand_manager, form(WED, (key_visual, 3))).content.decode()
    # Need 3 × 10 = 30 h of design; free 5 × 8 = 40 h.
    assert "Design" in content and "30 h" in content and "40 h" in content
    assert 'data-verdict="fits"' in content and "Fits" in content
    assert "<html" not in content  # a fragment, not a page


def test_needs_freelance_shows_hours_and_price_at_the_bill_rate(client, brand_manager, key_visual):
    content = get(client, brand_manager, form(WED, (key_visual, 5))).content.decode()
    # Need 50, free 40: 10 extra hours × 95.50 = EUR 955.00 (the cost rate, 61.00, never shows).
    assert "Needs about 10 extra freelance hours (≈ EUR 955.00)" in content
    assert "61.00" not in content and "610" not in content


def test_cannot_be_met_shows_the_earliest_feasible_date(client, pm, key_visual):
    content = get(client, pm, form(WED, (key_visual, 7))).content.decode()
    # Need 70 by Wed 2: gap 30 > 20. By Thu 3: free 48, gap 22 ≤ 20 × 6 / 5 = 24.
    assert "Cannot be met — earliest feasible date 3 Dec 2026" in content


def test_rows_with_an_empty_field_are_ignored(client, brand_manager, key_visual):
    data = form(WED, (key_visual, 2), (None, 4), (key_visual, ""), (key_visual, 1))
    content = get(client, brand_manager, data).content.decode()
    # Only 2 + 1 = 3 units count: 30 h.
    assert "30 h" in content and "Fits" in content


def test_types_without_standard_hours_are_named(client, brand_manager, key_visual):
    workshop = f.DeliverableTypeFactory(name="Workshop")
    content = get(client, brand_manager, form(WED, (key_visual, 1), (workshop, 1))).content.decode()
    assert "Workshop has no standard hours yet" in content


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("", "Choose a deadline"),
        ("next friday", "Enter the deadline as a date"),
        ("2026-02-30", "Enter the deadline as a date"),
        (str(TODAY), "The deadline must be after today."),
        ("2026-11-01", "The deadline must be after today."),
        ("2030-01-01", "choose an earlier deadline"),
    ],
)
def test_a_missing_or_unusable_deadline_gets_a_message_not_an_error(client, brand_manager, key_visual, deadline,
                                                                    message):
    response = get(client, brand_manager, form(deadline, (key_visual, 1)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "data-verdict" not in response.content.decode()


def test_no_deliverables_yet_asks_for_them(client, brand_manager, key_visual):
    content = get(client, brand_manager, form(WED, (key_visual, 0))).content.decode()
    assert "Add the deliverables you need" in content


def _busy_studio(size, kind):
    """`size` more people, bookings, time off, holidays and open deliverables."""
    design = kind.standard_hours.get().discipline
    for n in range(size):
        talent = f.TalentFactory(discipline=design)
        f.FreelanceTalentFactory(discipline=design)
        deliverable = f.DeliverableFactory(deliverable_type=kind, due_date=WED + dt.timedelta(days=n))
        deliverable.assignees.add(talent)
        f.BookingFactory(talent=talent, deliverable=deliverable, project=deliverable.project)
        f.BookingFactory(talent=None, placeholder_discipline=design, status="tentative")
        f.TimeOffFactory(talent=talent)
        f.HolidayFactory(date=dt.date(2027, 1, 1) + dt.timedelta(days=n), name=f"Day {n}")


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize(
    ("units", "verdict", "queries"),
    # Session and user (2), studio settings for the page context (1), the types and their
    # standard hours (2), holidays (1), then capacity, the demand's calendar bounds and demand
    # for the window (3); a request that cannot be met reads the year after it too (3 more).
    [(1, "fits", 9), (500, "impossible", 12)],
)
def test_feasibility_runs_a_fixed_number_of_queries(client, brand_manager, key_visual, size, units, verdict, queries,
                                                    django_assert_num_queries):
    _busy_studio(size, key_visual)
    client.force_login(brand_manager)
    data = form(WED, (key_visual, units), (f.DeliverableTypeFactory(name="Workshop"), 1))
    with django_assert_num_queries(queries):
        response = client.get(URL, data)
    assert f'data-verdict="{verdict}"' in response.content.decode()
