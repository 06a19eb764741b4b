"""The audit log, readable: PMs and executives read who changed what, when, what changed and
from where, filtered by object, person, action and dates; objects' pages link to their history;
every event says from where it came (page, API, admin, task, system)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from schedules.tasks import bookings_release_expired_holds_task
from studio.audit_source import AuditSource, AuditSourceMiddleware, recorded_as
from studio.models import AuditEvent
from studio.navigation import navigation_for
from studio.permissions import roles_with
from studio.services import audit_record
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

AUDIT = reverse("studio:audit-list")


def event(actor, obj, action="project.update", *, days_ago=0, **kwargs):
    made = f.audit(actor, obj, action=action, **kwargs)
    if days_ago:
        # Append-only: the test dates its row by the queryset, not by save().
        AuditEvent.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return made


def shown(response) -> list[int]:
    return [row.pk for row in response.context["page_obj"]]


# --- who reads it ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ["pm", "executive"])
def test_production_managers_and_executives_read_the_audit_log(client, request, role):
    user = request.getfixturevalue(role)
    made = event(user, f.ProjectFactory(name="Winter launch"))
    client.force_login(user)

    response = client.get(AUDIT)

    assert response.status_code == 200
    assert shown(response) == [made.pk]
    assert "Winter launch" in response.content.decode()


@pytest.mark.parametrize("role", ["creative", "freelancer", "brand_manager", "outsider", "admin_user"])
def test_nobody_else_reads_the_audit_log(client, request, role):
    event(None, f.ProjectFactory())
    client.force_login(request.getfixturevalue(role))
    assert client.get(AUDIT).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_role_that_reads_the_log_may_see_costs():
    # Before and after hold rates, fees and amounts as written: a role given the log
    # without the money would read it there.
    assert set(roles_with("audit.view")) <= set(roles_with("project.see_costs"))


@pytest.mark.parametrize("role, listed", [("pm", True), ("executive", True), ("creative", False),
                                          ("brand_manager", False), ("admin_user", False)])
def test_the_audit_log_is_in_the_menu_of_those_who_read_it(rf, request, role, listed):
    user = request.getfixturevalue(role)
    page = rf.get("/")
    page.user = user
    assert (AUDIT in [item["url"] for item in navigation_for(user, page)]) is listed


# --- what it shows --------------------------------------------------------------------

def test_each_change_shows_before_and_after_per_field(client, pm):
    project = f.ProjectFactory()
    event(pm, project, before={"name": "Winter", "fee": "20000.00", "status": "planned"},
          after={"name": "Winter launch", "fee": "20000.00", "status": "active"}, reason="Kick-off",
          source=AuditSource.API)
    client.force_login(pm)

    response = client.get(AUDIT)

    [row] = response.context["page_obj"]
    assert row.changes == [("name", "Winter", "Winter launch"), ("status", "planned", "active")]
    body = response.content.decode()
    assert "<del>Winter</del> → <ins>Winter launch</ins>" in body
    assert "<del>planned</del> → <ins>active</ins>" in body
    assert "Kick-off" in body
    assert ">API</td>" in body
    assert "fee" not in body.split("audit-results")[1]  # an unchanged field is not a change


def test_a_creation_shows_what_was_written_and_a_removal_what_was_there():
    created = AuditEvent(after={"hours": "6", "status": "tentative"})
    removed = AuditEvent(before={"hours": "6"})
    assert created.changes == [("hours", None, "6"), ("status", None, "tentative")]
    assert removed.changes == [("hours", "6", None)]


def test_dates_are_written_as_people_read_them(client, pm):
    event(pm, f.ProjectFactory())
    client.force_login(pm)
    body = client.get(AUDIT).content.decode()
    # factories.TODAY is Wed 25 Nov 2026.
    assert "Wed 25 Nov 2026" in body


def test_stored_markup_is_shown_as_text(client, pm):
    event(pm, f.ProjectFactory(), after={"name": "<script>alert(1)</script>"})
    client.force_login(pm)
    body = client.get(AUDIT).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- filters --------------------------------------------------------------------------

def test_filtered_by_object_it_is_that_objects_history(client, pm):
    project, other = f.ProjectFactory(), f.ProjectFactory()
    budget = f.BudgetFactory(project=project)
    mine = [event(pm, project), event(pm, project, "project.status")]
    event(pm, other)
    event(pm, budget)  # same number, another kind of object: not this project's
    budget_id_clash = f.BudgetFactory(project=other)
    event(pm, budget_id_clash)
    client.force_login(pm)

    response = client.get(AUDIT, {"type": "projects.project", "object": project.pk})

    assert sorted(shown(response)) == sorted(e.pk for e in mine)


def test_filtered_by_person_action_source_and_dates(client, pm, executive):
    project = f.ProjectFactory()
    by_executive = event(executive, project, "budget.approve", source=AuditSource.PAGE)
    old = event(pm, project, "booking.confirm", days_ago=10, source=AuditSource.API)
    recent = event(pm, project, "booking.release", days_ago=1, source=AuditSource.TASK)
    client.force_login(pm)

    assert shown(client.get(AUDIT, {"actor": executive.pk})) == [by_executive.pk]
    assert shown(client.get(AUDIT, {"action": "booking."})) == [recent.pk, old.pk]
    assert shown(client.get(AUDIT, {"source": "api"})) == [old.pk]
    today = f.TODAY
    window = {"after": (today - dt.timedelta(days=5)).isoformat(), "before": (today - dt.timedelta(days=1)).isoformat()}
    assert shown(client.get(AUDIT, window)) == [recent.pk]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01", "not-a-day"])
def test_a_day_outside_the_studios_window_is_refused_on_the_form(client, pm, day):
    made = event(pm, f.ProjectFactory())
    client.force_login(pm)

    response = client.get(AUDIT, {"after": day, "before": day})

    assert response.status_code == 200
    assert response.context["filterset"].form.errors.keys() == {"after", "before"}
    assert shown(response) == [made.pk]  # the refused filter filters nothing


def test_an_unknown_kind_of_object_is_refused_on_the_form(client, pm):
    client.force_login(pm)
    response = client.get(AUDIT, {"type": "auth.permission"})
    assert response.status_code == 200
    assert "type" in response.context["filterset"].form.errors


def test_htmx_swaps_only_the_results(client, pm):
    event(pm, f.ProjectFactory())
    client.force_login(pm)
    body = client.get(AUDIT, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<section id="audit-results"')


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_answers_in_the_same_queries_whatever_the_rows(client, pm, django_assert_num_queries, rows):
    for index in range(rows):
        event(f.UserFactory(role="pm"), f.ProjectFactory(), before={"hours": str(index)}, after={"hours": "8"})
    client.force_login(pm)
    client.get(AUDIT)
    # Session, user, the count, the studio's name for the header, the people to filter by,
    # the page of rows (with who and the kind of object joined).
    with django_assert_num_queries(6):
        response = client.get(AUDIT)
    assert len(shown(response)) == min(rows, 25)


# --- objects' pages link to their history -----------------------------------------------

def test_a_projects_page_links_to_its_history_for_those_who_read_the_log(client, pm, creative):
    project = f.ProjectFactory(pm=pm)
    f.BookingFactory(project=project, talent=creative.talent)
    history = f'{AUDIT}?type=projects.project&amp;object={project.pk}'
    page = reverse("projects:project-detail", args=[project.pk])

    client.force_login(pm)
    assert history in client.get(page).content.decode()
    client.force_login(creative)
    assert history not in client.get(page).content.decode()


def test_a_deliverables_and_a_briefs_page_link_to_their_history(client, pm):
    deliverable = f.DeliverableFactory(project=f.ProjectFactory(pm=pm))
    brief = f.BriefFactory(project=deliverable.project)
    client.force_login(pm)

    body = client.get(reverse("projects:deliverable-detail", args=[deliverable.pk])).content.decode()
    assert f'{AUDIT}?type=projects.deliverable&amp;object={deliverable.pk}' in body
    body = client.get(brief.get_absolute_url()).content.decode()
    assert f'{AUDIT}?type=briefs.brief&amp;object={brief.pk}' in body


def test_a_budgets_page_links_to_its_history(client, pm):
    budget = f.BudgetFactory(project=f.ProjectFactory(pm=pm))
    f.BudgetLineFactory(budget=budget, kind="expense", amount=Decimal("100"))
    client.force_login(pm)
    body = client.get(reverse("budgets:project-budget", args=[budget.project_id])).content.decode()
    assert f'{AUDIT}?type=budgets.budget&amp;object={budget.pk}' in body


# --- from where -------------------------------------------------------------------------

def record_through(path):
    project = f.ProjectFactory()

    def view(request):
        audit_record(actor=None, obj=project, action="project.update")
        return HttpResponse()

    AuditSourceMiddleware(view)(RequestFactory().post(path))
    return AuditEvent.objects.get().source


@pytest.mark.parametrize("path, source", [
    ("/projects/1/edit/", "page"), ("/api/projects/1/", "api"), ("/admin/projects/project/1/change/", "admin"),
])
def test_a_requests_writes_are_recorded_as_coming_from_its_door(path, source):
    assert record_through(path) == source


def test_outside_a_request_or_task_the_system_wrote_it():
    audit_record(actor=None, obj=f.ProjectFactory(), action="project.update")
    assert AuditEvent.objects.get().source == "system"


def test_a_page_write_is_recorded_as_from_a_page(client, creative):
    client.force_login(creative)
    response = client.post(reverse("schedules:ical-regenerate"))
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.get().source == "page"


def test_an_api_write_is_recorded_as_from_the_api(pm):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(pm)
    period = {"name": "2027 Q1", "period_start": "2027-01-01", "period_end": "2027-03-31", "amount": "400000.00",
              "freelance_pool": "60000.00"}
    assert client.post("/api/studio-budgets/", period, format="json").status_code == 201
    assert list(AuditEvent.objects.values_list("action", "source")) == [("studio_budget.added", "api")]


def test_a_tasks_writes_are_recorded_as_the_tasks_and_the_context_is_restored_after():
    f.BookingFactory(status="tentative", hold_expires_on=f.TODAY - dt.timedelta(days=2))
    with recorded_as(AuditSource.PAGE):  # as an eager task inside a request
        assert bookings_release_expired_holds_task.apply().get() == 1
        audit_record(actor=None, obj=f.ProjectFactory(), action="project.update")
    assert list(AuditEvent.objects.order_by("pk").values_list("source", flat=True)) == ["task", "page"]
