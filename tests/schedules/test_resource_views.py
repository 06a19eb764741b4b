"""The utilization, forecast and who-is-free pages, through the client (issue 5).

TODAY is Wednesday 25 November 2026; next week is Mon 30 Nov – Fri 4 Dec.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from schedules.models import Booking
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

PAGES = ["schedules:utilization", "schedules:forecast", "schedules:who-is-free"]
MON, FRI = dt.date(2026, 11, 30), dt.date(2026, 12, 4)
HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role, status",
    [
        ("pm", 200),
        ("executive", 200),
        ("admin_user", 200),
        ("creative", 403),
        ("freelancer", 403),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_resource_pages_are_for_studio_managers_only(client, request, page, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(page)).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 302


@pytest.mark.parametrize(
    "role, status",
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("creative", 403), ("freelancer", 403),
     ("brand_manager", 403), ("outsider", 403)],
)
def test_forecast_drill_down_follows_the_page_access(client, request, role, status):
    discipline = f.DisciplineFactory()
    client.force_login(request.getfixturevalue(role))
    url = reverse("schedules:forecast-cell")
    assert client.get(url, {"discipline": discipline.pk, "week": MON.isoformat()}, headers=HTMX).status_code == status


# --- utilization ------------------------------------------------------------------


def test_utilization_shows_booked_and_logged_against_capacity_by_hand(client, pm):
    motion = f.DisciplineFactory(name="Motion")
    sam = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.HolidayFactory(date=dt.date(2026, 11, 20), name="Studio day")
    f.BookingFactory(talent=sam, start_date=dt.date(2026, 11, 16), end_date=dt.date(2026, 11, 20), hours_per_day=D("4"))
    sheet = f.TimesheetFactory(
        talent=sam, week_start=dt.date(2026, 11, 16), status="approved", submitted_at=NOW, approved_at=NOW
    )
    f.TimeEntryFactory(timesheet=sheet, date=dt.date(2026, 11, 17), hours=D("6"))
    client.force_login(pm)

    response = client.get(reverse("schedules:utilization"), {"start": "2026-11-18"})

    weeks = response.context["weeks"]
    assert weeks[0] == dt.date(2026, 11, 16) and len(weeks) == 12
    ((discipline, cells),) = response.context["discipline_rows"]
    # Week of 16 Nov: capacity 4 × 8 = 32 (Fri holiday); booked 4 × 4 = 16 → 50 %; logged 6 → 18.75 → 19 %.
    assert discipline == motion
    assert (cells[0].capacity, cells[0].booked, cells[0].logged) == (D("32"), D("16"), D("6"))
    assert (cells[0].booked_percent, cells[0].logged_percent) == (50, 19)
    assert response.context["studio"][0].capacity == D("32")
    ((person, person_cells),) = response.context["person_rows"]
    assert person == sam and person_cells[0].booked == D("16")


def test_utilization_starts_four_weeks_back_by_default_and_filters_people_by_discipline(client, pm):
    motion, copy = f.DisciplineFactory(), f.DisciplineFactory()
    sam, cleo = f.TalentFactory(discipline=motion), f.TalentFactory(discipline=copy)
    client.force_login(pm)
    response = client.get(reverse("schedules:utilization"), {"discipline": copy.pk}, headers=HTMX)
    assert response.context["weeks"][0] == dt.date(2026, 10, 26)  # the Monday 4 weeks before 25 Nov
    assert [talent for talent, _ in response.context["person_rows"]] == [cleo]
    assert sam.user.last_name not in response.content.decode() or sam.user.last_name in cleo.user.last_name


def test_utilization_page_makes_the_same_queries_for_more_people(client, pm, django_assert_num_queries):
    def people(n):
        for _ in range(n):
            talent = f.TalentFactory()
            f.BookingFactory(talent=talent)

    client.force_login(pm)
    people(2)
    client.get(reverse("schedules:utilization"))
    # Session, user, discipline choices, people count, people page, 3 + 3 utilization (people
    # and disciplines), discipline names, studio settings, and the pages' own.
    with django_assert_num_queries(13):
        client.get(reverse("schedules:utilization"))
    people(6)
    with django_assert_num_queries(13):
        client.get(reverse("schedules:utilization"))


# --- forecast ---------------------------------------------------------------------


def test_forecast_page_shows_hours_gap_and_cost_to_managers(client, executive):
    motion = f.DisciplineFactory(name="Motion", freelance_cost_rate=D("80"))
    f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        start_date=MON,
        end_date=FRI,
        hours_per_day=D("8"),
        status="tentative",
    )
    client.force_login(executive)
    response = client.get(reverse("schedules:forecast"))
    body = response.content.decode()
    # Nobody in Motion: 5 × 8 = 40 h of demand, all of it a gap, at 80 = 3,200.00.
    assert "source 40 h · EUR 3,200.00" in body and "load-over" in body


def test_forecast_drill_down_lists_the_week_s_placeholders(client, pm):
    motion = f.DisciplineFactory(name="Motion")
    booking = f.BookingFactory(
        talent=None,
        placeholder_discipline=motion,
        start_date=MON,
        end_date=FRI,
        hours_per_day=D("3"),
        status="tentative",
    )
    client.force_login(pm)
    response = client.get(
        reverse("schedules:forecast-cell"), {"discipline": motion.pk, "week": "2026-12-02"}, headers=HTMX
    )
    body = response.content.decode()
    assert booking.project.code in body and "Placeholder" in body and "15" in body  # 5 × 3
    assert "<html" not in body


@pytest.mark.parametrize("week", ["", "not-a-day", "2026-11-16"])
def test_forecast_drill_down_refuses_weeks_outside_the_forecast(client, pm, week):
    client.force_login(pm)
    url = reverse("schedules:forecast-cell")
    assert client.get(url, {"discipline": f.DisciplineFactory().pk, "week": week}).status_code == 400


def test_forecast_drill_down_of_an_unknown_discipline_is_404(client, pm):
    client.force_login(pm)
    assert (
        client.get(reverse("schedules:forecast-cell"), {"discipline": "999", "week": "2026-12-02"}).status_code == 404
    )


def test_forecast_page_makes_the_same_queries_for_more_work(client, pm, django_assert_num_queries):
    def work(n):
        for _ in range(n):
            talent = f.TalentFactory()
            f.BookingFactory(talent=talent, start_date=MON, end_date=FRI)
            f.DeliverableFactory(due_date=FRI + dt.timedelta(days=20))

    client.force_login(pm)
    work(2)
    client.get(reverse("schedules:forecast"))
    # Session, user, capacity, deliverable bounds, demand, disciplines, studio settings.
    with django_assert_num_queries(7):
        client.get(reverse("schedules:forecast"))
    work(5)
    with django_assert_num_queries(7):
        client.get(reverse("schedules:forecast"))


# --- who is free ------------------------------------------------------------------


@pytest.fixture
def motion_team():
    motion = f.DisciplineFactory(name="Motion")
    # Ana: 8 h, booked 4 h Mon–Fri → 20 free; cost 60.
    ana = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.RateCardFactory(talent=ana, cost_rate=D("60"))
    f.BookingFactory(talent=ana, start_date=MON, end_date=FRI, hours_per_day=D("4"))
    # Ben: 8 h, free all week → 40; cost 70. Cy: 8 h, free → 40; cost 50 (an older card at 90).
    ben = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.RateCardFactory(talent=ben, cost_rate=D("70"))
    cy = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.RateCardFactory(talent=cy, cost_rate=D("90"), valid_from=dt.date(2025, 1, 1))
    f.RateCardFactory(talent=cy, cost_rate=D("50"), valid_from=dt.date(2026, 6, 1))
    # Dee: 8 h, free → 40, no rate: last among the 40s. Eve: fully booked, not listed.
    dee = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    eve = f.TalentFactory(discipline=motion, hours_per_day=D("8"))
    f.BookingFactory(talent=eve, start_date=MON, end_date=FRI, hours_per_day=D("8"), status="tentative")
    # Someone of another discipline, free all week.
    f.TalentFactory()
    return {"motion": motion, "ana": ana, "ben": ben, "cy": cy, "dee": dee, "eve": eve}


def test_who_is_free_ranks_by_free_hours_then_cost_rate(client, pm, motion_team):
    client.force_login(pm)
    response = client.get(reverse("schedules:who-is-free"), {"discipline": motion_team["motion"].pk})
    ranked = [(p.talent, p.free, p.cost_rate) for p in response.context["page_obj"]]
    t = motion_team
    assert ranked == [
        (t["cy"], D("40.00"), D("50.00")),
        (t["ben"], D("40.00"), D("70.00")),
        (t["dee"], D("40.00"), None),
        (t["ana"], D("20.00"), D("60.00")),
    ]
    assert (response.context["start"], response.context["end"]) == (MON, FRI)


def test_who_is_free_filters_by_skill(client, pm, motion_team):
    skill = f.SkillFactory(name="Cinema 4D")
    motion_team["ben"].skills.add(skill)
    client.force_login(pm)
    response = client.get(reverse("schedules:who-is-free"), {"skill": skill.pk})
    assert [p.talent for p in response.context["page_obj"]] == [motion_team["ben"]]


def test_who_is_free_shows_bad_ranges_next_to_the_field(client, pm):
    client.force_login(pm)
    response = client.get(reverse("schedules:who-is-free"), {"start": "2026-12-04", "end": "2026-12-01"})
    assert response.status_code == 200
    assert "The end cannot be before the start." in response.content.decode()


def test_who_is_free_makes_the_same_queries_for_more_people(client, pm, motion_team, django_assert_num_queries):
    client.force_login(pm)
    url = reverse("schedules:who-is-free")
    client.get(url)
    # Session, user, people, capacity, booked, rates, page's talent, discipline and skill
    # choices, studio settings; the project to book on is searched, not listed.
    with django_assert_num_queries(10):
        client.get(url)
    for _ in range(5):
        f.RateCardFactory(talent=f.TalentFactory(discipline=motion_team["motion"]))
        f.ProjectFactory()
    with django_assert_num_queries(10):
        client.get(url)


def test_one_click_books_tentatively_and_answers_with_the_updated_row(client, pm, motion_team):
    project = f.ProjectFactory(code="KV77")
    client.force_login(pm)
    ben = motion_team["ben"]
    response = client.post(
        reverse("schedules:who-is-free-book", args=[ben.pk]),
        {"project": project.pk, "start_date": MON.isoformat(), "end_date": FRI.isoformat(), "hours_per_day": "6"},
        headers=HTMX,
    )
    booking = Booking.objects.get(talent=ben)
    assert (booking.status, booking.project, booking.start_date, booking.end_date, booking.hours_per_day) == (
        "tentative",
        project,
        MON,
        FRI,
        D("6"),
    )
    body = response.content.decode()
    # 40 − 5 × 6 = 10 free hours left.
    assert f'id="free-{ben.pk}"' in body and ">10<" in body and "booked tentatively on KV77" in body


def test_one_click_without_hours_books_the_persons_hours_a_day(client, pm, motion_team):
    project = f.ProjectFactory(code="KV78")
    client.force_login(pm)
    ben = motion_team["ben"]
    client.post(
        reverse("schedules:who-is-free-book", args=[ben.pk]),
        {"project": project.pk, "start_date": MON.isoformat(), "end_date": FRI.isoformat(), "hours_per_day": ""},
        headers=HTMX,
    )
    assert Booking.objects.get(talent=ben).hours_per_day == ben.hours_per_day == D("8")


def test_the_page_has_one_project_picker_for_every_row(client, pm, motion_team):
    f.ProjectFactory(code="KV79")
    client.force_login(pm)
    page = client.get(reverse("schedules:who-is-free"), {"start": MON.isoformat(), "end": FRI.isoformat()})
    html = page.content.decode()
    assert "KV79" not in html  # searched, not listed
    assert html.count(' name="project"') == 1
    assert html.count('formaction="/schedule/who-is-free/') >= 2


def test_executives_cannot_book_from_who_is_free(client, executive, motion_team):
    client.force_login(executive)
    response = client.post(
        reverse("schedules:who-is-free-book", args=[motion_team["ben"].pk]),
        {
            "project": f.ProjectFactory().pk,
            "start_date": MON.isoformat(),
            "end_date": FRI.isoformat(),
            "hours_per_day": "6",
        },
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Booking.objects.filter(talent=motion_team["ben"]).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"hours_per_day": "-2"}, "greater than or equal to 0.25"),
        ({"project": ""}, "This field is required"),
        ({"end_date": "2026-11-01"}, ""),
    ],
)
def test_one_click_booking_shows_bad_input_in_the_row_and_saves_nothing(client, pm, motion_team, change, message):
    client.force_login(pm)
    ben = motion_team["ben"]
    data = {
        "project": f.ProjectFactory().pk,
        "start_date": MON.isoformat(),
        "end_date": FRI.isoformat(),
        "hours_per_day": "6",
        **change,
    }
    response = client.post(reverse("schedules:who-is-free-book", args=[ben.pk]), data, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and 'class="field-error"' in body and message in body
    assert not Booking.objects.filter(talent=ben).exists()


def test_resource_pages_link_to_everyones_time_off(client, pm, creative):
    client.force_login(pm)
    html = client.get(reverse("schedules:forecast")).content.decode()
    assert f'href="{reverse("schedules:time-off-list")}"' in html
    assert 'aria-current="page">Time off<' in client.get(reverse("schedules:time-off-list")).content.decode()
    client.force_login(creative)
    assert "Missing timesheets" not in client.get(reverse("schedules:time-off-list")).content.decode()
