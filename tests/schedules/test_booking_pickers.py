"""The booking dialog's pickers: people, projects and deliverables are searched, not listed
whole; the deliverable follows the project chosen, and one of another project is refused
next to its field."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from schedules.models import Booking
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

WED = dt.date(2026, 11, 25)
NEW = reverse("schedules:booking-new")
FIELD = reverse("schedules:booking-deliverable-field")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pm_client(client, pm):
    client.force_login(pm)
    return client


@pytest.fixture
def plan(pm):
    launch = f.ProjectFactory(pm=pm, code="LAUNCH", name="Winter launch")
    teaser = f.ProjectFactory(pm=pm, code="TEASER", name="Spring teaser")
    return {
        "person": f.TalentFactory(hours_per_day=Decimal("8"), user__first_name="Cleo", user__last_name="Reyes"),
        "launch": launch,
        "teaser": teaser,
        "hero": f.DeliverableFactory(project=launch, name="Hero film"),
        "spot": f.DeliverableFactory(project=teaser, name="Teaser spot"),
    }


def field_errors(response, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(match[1]) if match else ""


def test_the_dialog_lists_no_project_person_or_deliverable_but_searches_them(pm_client, plan):
    page = pm_client.get(NEW, {"start": WED.isoformat()}, headers=HTMX).content.decode()

    assert "<option" not in page.split('name="placeholder_discipline"')[0]  # the person: a search box
    assert "Hero film" not in page and "Teaser spot" not in page and "LAUNCH" not in page
    assert f'hx-get="{reverse("schedules:search-talent")}"' in page
    assert f'hx-get="{reverse("schedules:search-project")}"' in page
    assert 'role="combobox"' in page and 'aria-controls="id_project-options"' in page
    assert '<label for="id_project">' in page  # the label names the search box
    # No project yet: the deliverable waits for one.
    assert "Choose a project first" in page


def test_the_deliverable_field_follows_the_project_chosen(pm_client, plan):
    launch = plan["launch"]

    fragment = pm_client.get(FIELD, {"project": launch.pk}, headers=HTMX).content.decode()

    search = reverse("schedules:search-deliverable")
    assert f'hx-get="{search}?project={launch.pk}"' in fragment
    assert 'name="deliverable" id="id_deliverable-value" value=""' in fragment
    assert 'id="booking-deliverable"' in fragment and "<html" not in fragment


def test_the_deliverable_field_without_a_project_asks_for_one(pm_client, plan):
    for query in ({}, {"project": "x"}, {"project": "\x00"}):
        fragment = pm_client.get(FIELD, query, headers=HTMX)
        assert fragment.status_code == 200
        assert "Choose a project first" in fragment.content.decode()


def test_the_deliverable_field_is_for_who_books(client, creative):
    client.force_login(creative)

    assert client.get(FIELD, {"project": 1}).status_code == 403


def test_a_deliverable_of_another_project_is_refused_next_to_its_field(pm_client, plan):
    data = {
        "talent": plan["person"].pk, "project": plan["launch"].pk, "deliverable": plan["spot"].pk,
        "start_date": WED, "end_date": WED, "hours_per_day": "4", "status": "tentative",
    }

    response = pm_client.post(NEW, data)

    assert response.status_code == 200 and not Booking.objects.exists()
    assert "Teaser spot is not a deliverable of LAUNCH" in field_errors(response, "deliverable")
    # The deliverable search still looks in the project chosen.
    assert f'?project={plan["launch"].pk}"' in response.content.decode()


def test_a_deliverable_of_the_project_is_booked(pm_client, plan):
    data = {
        "talent": plan["person"].pk, "project": plan["launch"].pk, "deliverable": plan["hero"].pk,
        "start_date": WED, "end_date": WED, "hours_per_day": "4", "status": "tentative",
    }

    pm_client.post(NEW, data)

    assert Booking.objects.get().deliverable == plan["hero"]


def test_a_project_the_user_may_not_book_on_is_refused(pm_client, plan):
    closed = f.ProjectFactory(code="SHUT", status="closed")
    data = {
        "talent": plan["person"].pk, "project": closed.pk, "start_date": WED, "end_date": WED,
        "hours_per_day": "4", "status": "tentative",
    }

    response = pm_client.post(NEW, data)

    assert "Select a valid choice" in field_errors(response, "project") and not Booking.objects.exists()


def test_the_edit_dialog_shows_what_is_chosen_in_each_picker(pm_client, plan):
    booking = f.BookingFactory(
        talent=plan["person"], project=plan["launch"], deliverable=plan["hero"], start_date=WED, end_date=WED
    )

    page = pm_client.get(reverse("schedules:booking-edit", args=[booking.pk]), headers=HTMX).content.decode()

    assert f'name="talent" id="id_talent-value" value="{plan["person"].pk}"' in page
    assert 'value="Cleo Reyes"' in page and 'value="LAUNCH Winter launch"' in page
    assert f'name="deliverable" id="id_deliverable-value" value="{plan["hero"].pk}"' in page
    assert 'value="LAUNCH · Hero film"' in page


@pytest.mark.parametrize("size", [2, 40])
def test_the_dialog_reads_as_many_queries_however_big_the_studio(pm_client, pm, django_assert_num_queries, size):
    for _ in range(size):
        project = f.ProjectFactory(pm=pm)
        f.DeliverableFactory(project=project)
        f.TalentFactory()
    booking = f.BookingFactory(project=project, deliverable=project.deliverables.get())

    with django_assert_num_queries(9):
        page = pm_client.get(reverse("schedules:booking-edit", args=[booking.pk]), headers=HTMX)
    assert page.status_code == 200


def test_who_is_free_searches_the_project_to_book_on(pm_client, plan):
    page = pm_client.get(reverse("schedules:who-is-free")).content.decode()

    assert "LAUNCH" not in page
    assert f'hx-get="{reverse("schedules:search-project")}"' in page
    assert '<label for="quick_project">Book tentatively on</label>' in page


def test_who_is_free_refuses_a_project_the_user_may_not_book_on(pm_client, plan):
    closed = f.ProjectFactory(code="SHUT", status="closed")
    url = reverse("schedules:who-is-free-book", args=[plan["person"].pk])

    response = pm_client.post(url, {"project": closed.pk, "start_date": WED, "end_date": WED}, headers=HTMX)

    assert "Select a valid choice" in response.content.decode() and not Booking.objects.exists()


@pytest.mark.parametrize("value", ["²", "９", "9" * 30, "-1", "1.5"])
def test_a_picker_value_that_is_no_pk_is_refused_not_a_500(pm_client, plan, value):
    data = {
        "talent": value, "project": value, "deliverable": value, "start_date": WED, "end_date": WED,
        "hours_per_day": "4", "status": "tentative",
    }

    response = pm_client.post(NEW, data, headers=HTMX)

    assert response.status_code == 200 and not Booking.objects.exists()
    assert "Select a valid choice" in field_errors(response, "project")
    assert "Choose a project first" in pm_client.get(FIELD, {"project": value}, headers=HTMX).content.decode()
