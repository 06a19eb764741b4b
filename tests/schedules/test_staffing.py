"""Staffing a deliverable from its plan: who is free in its disciplines over its days, and
one step that assigns a person and books them tentatively.

The clock stands on Wednesday 25 November 2026.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schedules.models import Booking
from schedules.services.staffing import deliverable_staff
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, WED, FRI = dt.date(2026, 11, 23), dt.date(2026, 11, 25), dt.date(2026, 11, 27)
FRI2 = dt.date(2026, 12, 4)


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design")


@pytest.fixture
def deliverable(pm, design):
    project = f.ProjectFactory(pm=pm, planned_start=MON, due_date=FRI2)
    deliverable = f.DeliverableFactory(project=project, name="Hero KV", planned_start=MON, due_date=FRI2)
    f.DeliverableHoursFactory(deliverable=deliverable, discipline=design, hours=D("40"))
    return deliverable


def test_staffing_assigns_and_books_tentatively_from_today_to_the_due_date(deliverable, design, pm):
    ana = f.TalentFactory(discipline=design, hours_per_day=D("7"))
    booking = deliverable_staff(deliverable=deliverable, talent=ana, user=pm)
    # Started Monday, so the booking covers what is left: Wed 25 Nov to Fri 4 Dec, 7 h a day.
    assert (booking.start_date, booking.end_date, booking.hours_per_day) == (WED, FRI2, D("7"))
    assert (booking.status, booking.deliverable, booking.project) == ("tentative", deliverable, deliverable.project)
    assert list(deliverable.assignees.all()) == [ana]
    assert AuditEvent.objects.filter(action="deliverable.staff").count() == 1


def test_a_freelancer_outside_their_contract_is_neither_assigned_nor_booked(deliverable, design, pm):
    far = f.FreelanceTalentFactory(discipline=design, contract_start=dt.date(2027, 2, 1),
                                   contract_end=dt.date(2027, 3, 1))
    with pytest.raises(ValidationError):
        deliverable_staff(deliverable=deliverable, talent=far, user=pm)
    assert not Booking.objects.exists() and not deliverable.assignees.exists()


def test_a_booking_the_rules_refuse_leaves_nobody_assigned(deliverable, design, pm):
    # Under contract for part of the deliverable: assignable, but the booking would run past it.
    part = f.FreelanceTalentFactory(discipline=design, contract_start=MON, contract_end=FRI)
    with pytest.raises(ValidationError):
        deliverable_staff(deliverable=deliverable, talent=part, user=pm)
    assert not deliverable.assignees.exists()


def test_finished_work_is_not_staffed(deliverable, design, pm):
    deliverable.status = "cancelled"
    deliverable.save()
    with pytest.raises(ValidationError):
        deliverable_staff(deliverable=deliverable, talent=f.TalentFactory(discipline=design), user=pm)


@pytest.mark.parametrize("role", ["executive", "admin_user", "creative", "freelancer", "brand_manager", "outsider"])
def test_only_production_managers_staff(deliverable, design, request, role):
    with pytest.raises(PermissionDenied):
        deliverable_staff(deliverable=deliverable, talent=f.TalentFactory(discipline=design),
                          user=request.getfixturevalue(role))


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 403), ("admin_user", 403), ("creative", 404), ("freelancer", 404),
     ("brand_manager", 403), ("outsider", 404)],
)
def test_who_may_open_the_staffing_page(client, deliverable, request, role, status, brand_manager):
    deliverable.project.brand.managers.add(brand_manager)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("schedules:deliverable-staffing", args=[deliverable.pk])).status_code == status


def test_the_page_lists_who_is_free_in_the_deliverables_discipline(client, deliverable, design, pm):
    free = f.TalentFactory(discipline=design, user__first_name="Ana", user__last_name="Free")
    f.TalentFactory(discipline=f.DisciplineFactory(name="Copy"), user__first_name="Cole", user__last_name="Copy")
    client.force_login(pm)
    html = client.get(reverse("schedules:deliverable-staffing", args=[deliverable.pk])).content.decode()
    assert "Ana Free" in html and "Cole Copy" not in html
    assert reverse("schedules:deliverable-staff-person", args=[deliverable.pk, free.pk]) in html


def test_staffing_from_the_page_returns_to_the_project(client, deliverable, design, pm):
    ana = f.TalentFactory(discipline=design)
    client.force_login(pm)
    response = client.post(reverse("schedules:deliverable-staff-person", args=[deliverable.pk, ana.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project-detail", args=[deliverable.project_id])
    assert Booking.objects.filter(talent=ana, deliverable=deliverable, status="tentative").exists()


@pytest.mark.parametrize("people", [1, 6])
def test_the_staffing_page_runs_a_fixed_number_of_queries(client, deliverable, design, pm, people,
                                                           django_assert_num_queries):
    for _n in range(people):
        f.RateCardFactory(talent=f.TalentFactory(discipline=design))
    client.force_login(pm)
    client.get(reverse("schedules:deliverable-staffing", args=[deliverable.pk]))
    # session, user, deliverable, its hours by discipline, who is free (people, capacity,
    # bookings, rates), their talent, the assignees, studio settings (layout)
    with django_assert_num_queries(11):
        client.get(reverse("schedules:deliverable-staffing", args=[deliverable.pk]))


# --- the project's staffing tab ------------------------------------------------------------


def test_the_staffing_tab_sets_booked_hours_against_the_plan_by_discipline(client, deliverable, design, pm):
    copy = f.DisciplineFactory(name="Copy")
    f.DeliverableHoursFactory(deliverable=deliverable, discipline=copy, hours=D("10"))
    ana = f.TalentFactory(discipline=design, user__first_name="Ana", user__last_name="Silva")
    deliverable.assignees.add(ana)
    # Ana: Mon 30 Nov – Fri 4 Dec at 6 h = 30 h of design; a copy placeholder Mon 30 – Tue 1 at 4 h = 8 h.
    f.BookingFactory(talent=ana, project=deliverable.project, deliverable=deliverable,
                     start_date=dt.date(2026, 11, 30), end_date=FRI2, hours_per_day=D("6"))
    f.BookingFactory(talent=None, placeholder_discipline=copy, project=deliverable.project, status="tentative",
                     start_date=dt.date(2026, 11, 30), end_date=dt.date(2026, 12, 1), hours_per_day=D("4"))
    client.force_login(pm)
    html = client.get(reverse("schedules:project-staffing", args=[deliverable.project_id])).content.decode()
    # Design: 40 planned, 30 booked → 10 h unstaffed. Copy: 10 planned, nobody booked, 8 h to staff.
    assert "10 h unstaffed" in html
    assert "8 h" in html and "Ana Silva" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("creative", 404), ("freelancer", 404),
     ("brand_manager", 403), ("outsider", 404)],
)
def test_the_staffing_tab_is_for_those_who_see_hours(client, deliverable, request, role, status, brand_manager):
    deliverable.project.brand.managers.add(brand_manager)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("schedules:project-staffing", args=[deliverable.project_id])).status_code == status
