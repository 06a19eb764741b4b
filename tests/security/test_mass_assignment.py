"""Fields a role may not set are refused or ignored on write through the API, never applied:
another brand, another person, a status that moves through its own action, who created
what, money a role may not enter, and a version that is not the one read."""

import datetime as dt
from decimal import Decimal

import pytest

from briefs.models import Request
from budgets.models import BudgetLine, ChangeOrder, Cost
from projects.models import Project
from schedules.models import TimeEntry, TimeOff
from tests import factories as f

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def request_payload(world, brand, **extra):
    item_type = f.DeliverableTypeFactory(name="Matrix key visual")
    return {
        "title": "Matrix spring ask", "brand": brand.pk, "objectives": "Sell more.",
        "deadline": (f.TODAY + dt.timedelta(days=40)).isoformat(), "budget": "1000.00",
        "items": [{"deliverable_type": item_type.pk, "quantity": 1}], **extra,
    }


def test_brand_manager_cannot_submit_a_request_for_another_brand(world, clients):
    response = post(clients["brand_manager"], "/api/requests/", request_payload(world, world["other_brand"]))

    assert response.status_code == 400
    assert "brand" in response.json()
    assert not Request.objects.filter(title="Matrix spring ask").exists()


def test_brand_manager_cannot_set_a_requests_status_submitter_or_project(world, clients):
    response = post(clients["brand_manager"], "/api/requests/", request_payload(
        world, world["brand"], status="accepted", submitted_by=world.user("pm").pk, project=world["project"].pk,
    ))

    assert response.status_code == 201, response.content
    created = Request.objects.get(title="Matrix spring ask")
    assert created.status == Request.Status.SUBMITTED
    assert created.submitted_by == world.user("brand_manager")
    assert created.project is None


def test_creative_cannot_log_time_for_a_teammate(world, clients):
    """The freelancer is the creative's teammate (both booked on brand A's project): seen, not theirs to log."""
    response = post(clients["creative"], "/api/time-entries/", {
        "talent": world["freelancer"].pk, "project": world["project"].pk,
        "date": world["timesheet"].week_start.isoformat(), "hours": "3",
    })

    assert response.status_code in (400, 403)
    assert not TimeEntry.objects.filter(talent=world["freelancer"]).exists()


def test_changing_an_entry_keeps_its_person_and_project(world, clients):
    entry = world["time_entry"]
    response = patch(clients["creative"], f"/api/time-entries/{entry.pk}/", {
        "talent": world["colleague"].pk, "project": world["other_project"].pk, "hours": "3",
    })

    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert (entry.talent, entry.project, entry.hours) == (world["creative"], world["project"], Decimal("3"))


def test_executive_cannot_rewrite_a_creatives_hours_with_a_full_put(world, clients):
    entry = world["time_entry"]
    response = clients["executive"].put(f"/api/time-entries/{entry.pk}/", {"hours": "9"},
                                        content_type="application/json")

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.hours == Decimal("4")


def test_brand_manager_cannot_book_time_off_for_a_creative(world, clients):
    response = post(clients["brand_manager"], "/api/time-off/", {
        "talent": world["creative"].pk, "start_date": (f.TODAY + dt.timedelta(days=20)).isoformat(),
        "end_date": (f.TODAY + dt.timedelta(days=21)).isoformat(),
    })

    assert response.status_code in (400, 403)
    assert TimeOff.objects.filter(talent=world["creative"]).count() == 1


def test_creative_cannot_approve_their_own_time_off_by_sending_its_status(world, clients):
    start = f.TODAY + dt.timedelta(days=20)
    response = post(clients["creative"], "/api/time-off/", {
        "start_date": start.isoformat(), "end_date": start.isoformat(), "status": "approved",
    })

    assert response.status_code == 201, response.content
    created = TimeOff.objects.get(talent=world["creative"], start_date=start)
    assert created.status == TimeOff.Status.REQUESTED


def test_creative_cannot_enter_a_cost(world, clients):
    response = post(clients["creative"], "/api/costs/", {
        "project": world["project"].pk, "kind": "expense", "description": "Matrix lunch", "amount": "10.00",
        "date": f.TODAY.isoformat(),
    })

    assert response.status_code == 403
    assert not Cost.objects.filter(description="Matrix lunch").exists()


def test_creative_cannot_add_a_budget_line(world, clients):
    response = post(clients["creative"], "/api/budget-lines/", {
        "budget": world["budget"].pk, "version": world["budget"].version, "kind": "expense", "amount": "1.00",
        "description": "Matrix line",
    })

    assert response.status_code == 403
    assert not BudgetLine.objects.filter(description="Matrix line").exists()


def test_a_budget_line_stays_on_its_budget(world, clients):
    line, budget = world["budget_line"], world["budget"]
    response = patch(clients["pm"], f"/api/budget-lines/{line.pk}/", {
        "budget": world["other_budget"].pk, "version": budget.version, "description": "Matrix moved",
    })

    line.refresh_from_db()
    assert response.status_code in (200, 400), response.content
    assert line.budget == budget


def test_a_change_orders_status_and_project_are_not_set_by_a_patch(world, clients):
    order = world["change_order"]
    response = patch(clients["pm"], f"/api/change-orders/{order.pk}/", {
        "version": order.version, "status": "approved", "project": world["other_project"].pk, "title": "Matrix order",
    })

    order.refresh_from_db()
    assert response.status_code in (200, 400), response.content
    assert order.status == ChangeOrder.Status.DRAFT
    assert order.project == world["project"]


def test_a_projects_status_moves_only_through_its_action(world, clients):
    project = world["project"]
    response = patch(clients["pm"], f"/api/projects/{project.pk}/", {"version": project.version, "status": "closed"})

    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE


def test_a_new_project_starts_at_intake_or_planned(world, clients):
    """A project is created, not created delivered: later statuses come from the status action."""
    response = post(clients["pm"], "/api/projects/", {
        "name": "Matrix shortcut", "brand": world["brand"].pk, "pm": world.user("pm").pk,
        "planned_start": f.TODAY.isoformat(), "due_date": f.TODAY.replace(year=f.TODAY.year + 1).isoformat(),
        "status": "delivered",
    })

    created = Project.objects.filter(name="Matrix shortcut").first()
    assert response.status_code == 400 or created.status in (Project.Status.INTAKE, Project.Status.PLANNED)


def test_a_creative_cannot_be_made_a_projects_production_manager(world, clients):
    project = world["project"]
    response = patch(clients["pm"], f"/api/projects/{project.pk}/", {
        "version": project.version, "pm": world.user("creative").pk,
    })

    assert response.status_code == 400
    project.refresh_from_db()
    assert project.pm == world.user("pm")


@pytest.mark.parametrize("version", ["stale", "ahead"])
def test_a_write_based_on_another_version_changes_nothing(world, clients, version):
    project = world["project"]
    sent = {"stale": project.version, "ahead": project.version + 5}[version]
    if version == "stale":
        Project.objects.filter(pk=project.pk).update(version=project.version + 1)
    response = patch(clients["pm"], f"/api/projects/{project.pk}/", {"version": sent, "name": "Matrix renamed"})

    assert response.status_code == 409
    project.refresh_from_db()
    assert project.name == "Alpha launch"


def test_a_version_that_is_no_number_is_refused(world, clients):
    project = world["project"]
    response = patch(clients["pm"], f"/api/projects/{project.pk}/", {"version": "latest", "name": "Matrix renamed"})

    assert response.status_code == 400
    assert "version" in response.json()
