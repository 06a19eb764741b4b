"""Planning through the API: projects, phases, deliverables (hours by discipline,
assignees, moves that push dependents), dependencies and baselines, written through
the same services as the pages, by the roles that may (DESIGN §1).

The clock stands on Wednesday 25 November 2026:
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4 | Mon 7 … Thu 10
"""

import datetime as dt
from copy import deepcopy as copy_of
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from projects.models import (
    Baseline,
    BaselineDeliverable,
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    Dependency,
    Phase,
    Project,
)
from studio.models import AuditEvent, StudioSettings
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))
MON3, TUE3, WED3, THU3 = (dt.date(2026, 12, 7) + dt.timedelta(days=n) for n in range(4))

PROJECTS = "/api/projects/"
PHASES = "/api/phases/"
DELIVERABLES = "/api/deliverables/"
DEPENDENCIES = "/api/dependencies/"
BASELINES = "/api/baselines/"

WRITERS = role_fixtures("project.change")
READERS = ["creative", "freelancer", "brand_manager"]


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, url, data=None):
    return getattr(client, method)(url, data, format="json")


def iso(day: dt.date) -> str:
    return day.isoformat()


def state() -> tuple:
    """Everything a plan write could touch: equal before and after means nothing was written."""
    return (
        AuditEvent.objects.count(),
        list(Project.objects.order_by("pk").values_list(
            "pk", "version", "status", "name", "planned_start", "due_date", "fee", "baseline_set_at")),
        list(Phase.objects.order_by("pk").values_list("pk", "version", "order", "name", "start_date", "end_date")),
        list(Deliverable.objects.order_by("pk").values_list(
            "pk", "version", "status", "name", "quantity", "phase", "planned_start", "due_date", "planned_hours")),
        list(DeliverableHours.objects.order_by("pk").values_list("pk", "discipline", "hours")),
        list(Deliverable.assignees.through.objects.order_by("pk").values_list("deliverable", "talent")),
        list(Dependency.objects.order_by("pk").values_list("predecessor", "successor")),
        DeliverableProgress.objects.count(),
        Baseline.objects.count(),
        BaselineDeliverable.objects.count(),
    )


def actions_on(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).order_by("pk").values_list("action", flat=True))


@pytest.fixture
def project(pm, brand):
    return f.ProjectFactory(pm=pm, brand=brand, planned_start=MON, due_date=FRI2, status="planned")


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design")


@pytest.fixture
def copy():
    return f.DisciplineFactory(name="Copy")


@pytest.fixture
def key_visual(design, copy):
    """A type estimated at 6 h design + 2 h copy per unit."""
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("6"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=copy, hours_per_unit=D("2"))
    return kind


# --- who may write: the role matrix -----------------------------------------------------


def _plan_of(project):
    phase = f.PhaseFactory(project=project, name="Production", start_date=MON, end_date=FRI2)
    first = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    second = f.DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    third = f.DeliverableFactory(project=project, name="Grade", planned_start=MON2, due_date=TUE2)
    link = f.DependencyFactory(predecessor=first, successor=second)
    return SimpleNamespace(project=project, phase=phase, first=first, second=second, third=third, link=link)


@pytest.fixture
def world(pm, brand, other_brand, creative, freelancer):
    """A project of `brand` the creative and the freelancer are booked on (so the brand's
    manager sees it too), and one of another brand none of them sees."""
    seen = f.ProjectFactory(pm=pm, brand=brand, planned_start=MON, due_date=FRI2, status="planned")
    hidden = f.ProjectFactory(pm=pm, brand=other_brand, planned_start=MON, due_date=FRI2, status="planned")
    f.BookingFactory(project=seen, talent=creative.talent, start_date=MON, end_date=FRI)
    f.BookingFactory(project=seen, talent=freelancer.talent, start_date=MON, end_date=FRI)
    return {"seen": _plan_of(seen), "hidden": _plan_of(hidden)}


# Writes to an object that exists: (method, url, body) from the world's plan of a project.
DETAIL_WRITES = {
    "project-update": lambda w: ("patch", f"{PROJECTS}{w.project.pk}/", {"version": 1, "name": "Renamed"}),
    "project-status": lambda w: ("post", f"{PROJECTS}{w.project.pk}/status/", {"status": "active", "version": 1}),
    "project-baseline": lambda w: ("post", f"{PROJECTS}{w.project.pk}/baseline/", {"version": 1}),
    "phase-update": lambda w: ("patch", f"{PHASES}{w.phase.pk}/", {"version": 1, "name": "Post"}),
    "phase-move": lambda w: ("post", f"{PHASES}{w.phase.pk}/move/", {"offset": 1}),
    "phase-remove": lambda w: ("delete", f"{PHASES}{w.phase.pk}/?version=1", None),
    "deliverable-update": lambda w: ("patch", f"{DELIVERABLES}{w.first.pk}/", {"version": 1, "name": "Reshoot"}),
    "deliverable-preview": lambda w: (
        "post", f"{DELIVERABLES}{w.first.pk}/preview/", {"planned_start": iso(MON), "due_date": iso(THU)}),
    "deliverable-cancel": lambda w: (
        "post", f"{DELIVERABLES}{w.third.pk}/cancel/", {"reason": "Dropped", "version": 1}),
    "dependency-remove": lambda w: ("delete", f"{DEPENDENCIES}{w.link.pk}/", None),
}
# Writes that create: the project they are for is in the body.
CREATES = {
    "project-create": lambda w: ("post", PROJECTS, {
        "name": "New", "brand": w.project.brand_id, "pm": w.project.pm_id, "planned_start": iso(MON),
        "due_date": iso(FRI2), "fee": "1000.00"}),
    "phase-create": lambda w: ("post", PHASES, {
        "project": w.project.pk, "name": "Delivery", "start_date": iso(MON2), "end_date": iso(FRI2)}),
    "deliverable-create": lambda w: ("post", DELIVERABLES, {
        "project": w.project.pk, "deliverable_type": w.first.deliverable_type_id, "name": "Banner",
        "planned_start": iso(MON), "due_date": iso(FRI)}),
    "dependency-create": lambda w: ("post", DEPENDENCIES, {"predecessor": w.second.pk, "successor": w.third.pk}),
}
ALL_WRITES = {**DETAIL_WRITES, **CREATES}
SUCCESS = {"post": {200, 201}, "patch": {200}, "delete": {204}}


@pytest.mark.parametrize("where", ["seen", "hidden"])
@pytest.mark.parametrize("write", ALL_WRITES)
@pytest.mark.parametrize("role", WRITERS)
def test_production_managers_and_executives_write_every_plan(request, world, role, write, where):
    method, url, body = ALL_WRITES[write](world[where])
    before = state()

    response = send(api(request.getfixturevalue(role)), method, url, body)

    assert response.status_code in SUCCESS[method], response.content
    if write != "deliverable-preview":
        assert state() != before


@pytest.mark.parametrize("write", DETAIL_WRITES)
@pytest.mark.parametrize("role", READERS)
def test_other_roles_get_403_on_what_they_see_and_404_on_the_rest(request, world, role, write):
    client = api(request.getfixturevalue(role))
    before = state()

    seen = send(client, *DETAIL_WRITES[write](world["seen"]))
    hidden = send(client, *DETAIL_WRITES[write](world["hidden"]))

    assert (seen.status_code, hidden.status_code) == (403, 404), (seen.content, hidden.content)
    assert state() == before


@pytest.mark.parametrize("write", CREATES)
@pytest.mark.parametrize("role", READERS)
def test_roles_that_do_not_plan_are_refused_creates_before_the_body_is_read(request, world, role, write):
    # Refused by role, whichever project the body names: a 403 reveals nothing about it.
    client = api(request.getfixturevalue(role))
    before = state()

    for where in ("seen", "hidden"):
        assert send(client, *CREATES[write](world[where])).status_code == 403
    assert state() == before


@pytest.mark.parametrize("write", ALL_WRITES)
def test_anonymous_writes_are_refused(world, write):
    before = state()

    response = send(api(), *ALL_WRITES[write](world["seen"]))

    assert response.status_code == 401
    assert state() == before


@pytest.mark.parametrize("url", [PHASES, DEPENDENCIES, BASELINES])
def test_anonymous_reads_are_refused(world, url):
    assert api().get(url).status_code == 401


@pytest.mark.parametrize("write", ALL_WRITES)
def test_the_admin_role_takes_no_production_decision(world, admin_user, write):
    # DESIGN §1 and docs/decisions.md: admins manage users and settings, not plans.
    before = state()

    assert send(api(admin_user), *ALL_WRITES[write](world["seen"])).status_code == 403
    assert state() == before


# --- reads: who sees what ----------------------------------------------------------------

VISIBLE = {"pm": {"seen", "hidden"}, "executive": {"seen", "hidden"}, "admin_user": {"seen", "hidden"},
           "creative": {"seen"}, "freelancer": {"seen"}, "brand_manager": {"seen"}, "outsider": {"hidden"}}


def _project_ids(world, keys):
    return {world[key].project.pk for key in keys}


@pytest.mark.parametrize("role", VISIBLE)
def test_phase_dependency_and_baseline_lists_show_only_visible_projects(request, world, role):
    for plan in world.values():
        f.BaselineFactory(project=plan.project)
    client = api(request.getfixturevalue(role))

    for url in (PHASES, DEPENDENCIES, BASELINES):
        rows = client.get(url).json()["results"]
        assert {row["project"] for row in rows} == _project_ids(world, VISIBLE[role]), url


@pytest.mark.parametrize("role", VISIBLE)
def test_phase_dependency_and_baseline_details_are_404_outside_visible_projects(request, world, role):
    baselines = {key: f.BaselineFactory(project=plan.project) for key, plan in world.items()}
    client = api(request.getfixturevalue(role))

    for key, plan in world.items():
        expected = 200 if key in VISIBLE[role] else 404
        assert client.get(f"{PHASES}{plan.phase.pk}/").status_code == expected
        assert client.get(f"{DEPENDENCIES}{plan.link.pk}/").status_code == expected
        assert client.get(f"{BASELINES}{baselines[key].pk}/").status_code == expected


def test_lists_filter_by_project(world, pm):
    for plan in world.values():
        f.BaselineFactory(project=plan.project)
    client = api(pm)
    seen = world["seen"].project.pk

    for url in (PHASES, DEPENDENCIES, BASELINES):
        rows = client.get(url, {"project": seen}).json()["results"]
        assert rows and {row["project"] for row in rows} == {seen}, url


@pytest.mark.parametrize("url", [PHASES, DEPENDENCIES, BASELINES])
def test_filtering_by_a_project_the_caller_may_not_see_is_a_field_error(world, creative, url):
    response = api(creative).get(url, {"project": world["hidden"].project.pk})

    assert response.status_code == 400
    assert "project" in response.json()


def test_hours_by_discipline_are_shown_only_to_those_who_see_costs(world, pm, creative, brand_manager, design):
    deliverable = world["seen"].first
    f.DeliverableHoursFactory(deliverable=deliverable, discipline=design, hours=D("12.50"))
    url = f"{DELIVERABLES}{deliverable.pk}/"

    managed = api(pm).get(url).json()
    assert managed["hours"] == [{"discipline": design.pk, "discipline_name": "Design", "hours": "12.50"}]
    for user in (creative, brand_manager):
        body = api(user).get(url).json()
        assert body["name"] == "Shoot" and body["version"] == 1
        assert "hours" not in body and "planned_hours" not in body


def test_baseline_hours_are_shown_only_to_those_who_see_costs(world, pm, creative, brand_manager):
    baseline = f.BaselineFactory(project=world["seen"].project, planned_hours=D("80"))
    f.BaselineDeliverableFactory(baseline=baseline, deliverable=world["seen"].first)
    url = f"{BASELINES}{baseline.pk}/"

    managed = api(pm).get(url).json()
    assert managed["planned_hours"] == "80.00"
    assert managed["deliverables"] == [{"deliverable": world["seen"].first.pk, "name": "Shoot",
                                        "planned_start": iso(MON), "due_date": iso(WED), "planned_hours": "40.00"}]
    for user in (creative, brand_manager):
        body = api(user).get(url).json()
        assert "planned_hours" not in body
        assert body["deliverables"] == [{"deliverable": world["seen"].first.pk, "name": "Shoot",
                                         "planned_start": iso(MON), "due_date": iso(WED)}]


# --- projects ------------------------------------------------------------------------------


def test_a_project_is_created_under_its_brands_next_code(pm, brand):
    brand.code_prefix = "AUR"
    brand.save()
    f.ProjectFactory(brand=brand, code="AUR-007")

    response = send(api(pm), "post", PROJECTS, {
        "name": "  Winter launch ", "brand": brand.pk, "pm": pm.pk, "planned_start": iso(MON),
        "due_date": iso(FRI2), "fee": "18500.00", "status": "intake",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert (project.code, project.name, project.status, project.fee) == ("AUR-008", "Winter launch", "intake",
                                                                         D("18500.00"))
    assert (body["code"], body["fee"], body["version"]) == ("AUR-008", "18500.00", 1)
    assert actions_on(project) == ["project.create"]


def test_internal_work_takes_the_internal_prefix_and_no_brand(executive, pm):
    response = send(api(executive), "post", PROJECTS, {
        "name": "Showreel", "is_internal": True, "pm": pm.pk, "planned_start": iso(MON), "due_date": iso(FRI2),
    })

    assert response.status_code == 201, response.content
    prefix = StudioSettings.load().internal_code_prefix
    assert response.json()["code"] == f"{prefix}-001"
    assert response.json()["brand"] is None


def test_a_project_edit_bumps_its_version_and_is_audited(project, executive):
    response = send(api(executive), "patch", f"{PROJECTS}{project.pk}/",
                    {"version": 1, "name": "Renamed", "due_date": iso(MON3)})

    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.name, project.due_date, project.version) == ("Renamed", MON3, 2)
    assert response.json()["version"] == 2
    assert actions_on(project) == ["project.update"]


def test_a_project_edit_changes_only_what_is_sent(project, pm):
    brand, name = project.brand_id, project.name

    send(api(pm), "patch", f"{PROJECTS}{project.pk}/", {"version": 1, "description": "Three films."})

    project.refresh_from_db()
    assert (project.description, project.fee, project.brand_id, project.name) == (
        "Three films.", D("20000.00"), brand, name)


def test_a_stale_project_edit_is_409_with_the_current_project(project, pm, executive):
    assert send(api(executive), "patch", f"{PROJECTS}{project.pk}/", {"version": 1, "name": "First"}).status_code == 200
    before = state()

    response = send(api(pm), "patch", f"{PROJECTS}{project.pk}/", {"version": 1, "name": "Second"})

    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert (body["current"]["name"], body["current"]["version"], body["current"]["fee"]) == ("First", 2, "20000.00")
    assert state() == before


def test_the_status_is_moved_by_its_own_action_not_by_an_edit(project, pm):
    before = state()

    response = send(api(pm), "patch", f"{PROJECTS}{project.pk}/", {"version": 1, "status": "active"})

    assert response.status_code == 400
    assert "status" in response.json()
    assert state() == before


def test_a_status_move_is_recorded_with_its_reason(project, pm):
    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/status/",
                    {"status": "active", "version": 1, "reason": "Kick-off done"})

    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.status, project.version) == ("active", 2)
    assert response.json()["status"] == "active"
    event = AuditEvent.objects.for_object(project).get()
    assert (event.action, event.reason) == ("project.status", "Kick-off done")


@pytest.mark.parametrize(
    ("status", "current"),
    [("delivered", "planned"), ("planned", "planned"), ("active", "closed"), ("imaginary", "planned")],
)
def test_a_move_the_lifecycle_forbids_is_a_400_on_status(pm, brand, status, current):
    project = f.ProjectFactory(pm=pm, brand=brand, planned_start=MON, due_date=FRI2, status=current)
    before = state()

    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/status/", {"status": status, "version": 1})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert state() == before


def test_a_project_with_open_deliverables_is_not_delivered(project, pm):
    project.status = "active"
    project.save()
    f.DeliverableFactory(project=project)

    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/status/", {"status": "delivered", "version": 1})

    assert response.status_code == 400
    assert "still open" in response.json()["status"][0]


def test_a_stale_status_move_is_409(project, pm):
    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/status/", {"status": "active", "version": 7})

    assert response.status_code == 409
    assert response.json()["current"]["status"] == "planned"
    project.refresh_from_db()
    assert project.status == "planned"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": iso(MON - dt.timedelta(days=1))}, "due_date"),
        ({"planned_start": "0001-01-01"}, "planned_start"),
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"due_date": "10000-01-01"}, "due_date"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": 20261225}, "due_date"),
        ({"fee": "-1.00"}, "fee"),
        ({"fee": "1e40"}, "fee"),
        ({"fee": "NaN"}, "fee"),
        ({"fee": [1]}, "fee"),
        ({"name": ""}, "name"),
        ({"name": "x" * 100_000}, "name"),
        ({"name": "Nul\x00byte"}, "name"),
        ({"name": ["a list"]}, "name"),
        ({"description": "d" * 5001}, "description"),
        ({"brand": None}, "brand"),
        ({"brand": 99999999999999999999}, "brand"),
        ({"brand": "AUR"}, "brand"),
        ({"pm": "me"}, "pm"),
        ({"is_internal": "perhaps"}, "is_internal"),
        ({"is_internal": True}, "brand"),
        ({"status": "active"}, "status"),
    ],
)
def test_bad_projects_are_400_field_by_field_and_nothing_is_written(pm, brand, changes, field):
    body = {"name": "Launch", "brand": brand.pk, "pm": pm.pk, "planned_start": iso(MON), "due_date": iso(FRI2)}
    body.update(changes)
    before = state()

    response = send(api(pm), "post", PROJECTS, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state() == before


def test_the_lead_must_be_an_active_production_manager(pm, brand, creative):
    response = send(api(pm), "post", PROJECTS, {"name": "Launch", "brand": brand.pk, "pm": creative.pk,
                                                 "planned_start": iso(MON), "due_date": iso(FRI2)})

    assert response.status_code == 400
    assert "pm" in response.json()
    assert not Project.objects.exists()


@pytest.mark.parametrize("body", [[], 5, "text", {"version": "one"}, {"version": 0}, {"version": None}, {}])
def test_malformed_project_edits_are_400(project, pm, body):
    before = state()

    response = send(api(pm), "patch", f"{PROJECTS}{project.pk}/", body)

    assert response.status_code == 400
    assert state() == before


def test_put_is_not_offered(project, pm):
    assert send(api(pm), "put", f"{PROJECTS}{project.pk}/", {"version": 1, "name": "X"}).status_code == 405


# --- baselines --------------------------------------------------------------------------------


def test_setting_a_baseline_freezes_the_plan_and_answers_it(project, pm):
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED,
                                 planned_hours=D("24"))
    f.DeliverableFactory(project=project, name="Dropped", status="cancelled")

    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/baseline/", {"version": 1, "note": "Signed off"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["note"], body["planned_hours"]) == (1, "Signed off", "24.00")
    assert body["deliverables"] == [{"deliverable": shoot.pk, "name": "Shoot", "planned_start": iso(MON),
                                     "due_date": iso(WED), "planned_hours": "24.00"}]
    project.refresh_from_db()
    assert (project.baseline_start, project.baseline_due_date, project.version) == (MON, FRI2, 2)
    assert actions_on(project) == ["project.baseline"]
    again = send(api(pm), "post", f"{PROJECTS}{project.pk}/baseline/", {"version": 2})
    assert again.json()["number"] == 2
    assert Baseline.objects.filter(project=project).count() == 2


def test_a_stale_baseline_is_409_and_sets_nothing(project, pm):
    f.DeliverableFactory(project=project)
    before = state()

    response = send(api(pm), "post", f"{PROJECTS}{project.pk}/baseline/", {"version": 3})

    assert response.status_code == 409
    assert response.json()["current"]["version"] == 1
    assert state() == before


@pytest.mark.parametrize("body", [{"version": 1, "note": "n" * 201}, {"version": 1, "note": "a\x00b"}, {}])
def test_bad_baseline_requests_are_400(project, pm, body):
    before = state()

    assert send(api(pm), "post", f"{PROJECTS}{project.pk}/baseline/", body).status_code == 400
    assert state() == before


# --- phases ------------------------------------------------------------------------------------


def test_phases_are_added_in_order_edited_moved_and_removed(project, pm):
    client = api(pm)

    design = send(client, "post", PHASES, {"project": project.pk, "name": "Design", "start_date": iso(MON),
                                          "end_date": iso(FRI)})
    build = send(client, "post", PHASES, {"project": project.pk, "name": "Build", "start_date": iso(MON2),
                                         "end_date": iso(FRI2)})
    assert (design.status_code, build.status_code) == (201, 201)
    assert [design.json()["order"], build.json()["order"]] == [1, 2]
    design_id, build_id = design.json()["id"], build.json()["id"]

    edited = send(client, "patch", f"{PHASES}{design_id}/", {"version": 1, "name": "Concept"})
    assert edited.status_code == 200
    assert (edited.json()["name"], edited.json()["version"]) == ("Concept", 2)

    moved = send(client, "post", f"{PHASES}{build_id}/move/", {"offset": -1})
    assert moved.status_code == 200
    assert [row["id"] for row in moved.json()] == [build_id, design_id]

    removed = client.delete(f"{PHASES}{design_id}/?version=3")  # moving bumped it once more
    assert removed.status_code == 204, removed.content
    assert list(Phase.objects.values_list("pk", flat=True)) == [build_id]
    assert actions_on(project) == ["phase.add", "phase.add", "phase.update", "phase.move", "phase.remove"]


def test_a_phase_outside_its_project_is_allowed_and_flagged(project, pm):
    response = send(api(pm), "post", PHASES, {"project": project.pk, "name": "Aftercare", "start_date": iso(MON3),
                                              "end_date": iso(THU3)})

    assert response.status_code == 201
    assert response.json()["outside_project"] is True


def test_a_phase_is_removed_with_its_version_in_the_body_too(project, pm):
    phase = f.PhaseFactory(project=project)

    assert send(api(pm), "delete", f"{PHASES}{phase.pk}/", {"version": 1}).status_code == 204
    assert not Phase.objects.exists()


def test_a_phase_with_deliverables_is_not_removed(project, pm):
    phase = f.PhaseFactory(project=project)
    f.DeliverableFactory(project=project, phase=phase, status="cancelled")
    before = state()

    response = api(pm).delete(f"{PHASES}{phase.pk}/?version=1")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert state() == before


@pytest.mark.parametrize("query", ["", "?version=", "?version=abc", "?version=-1"])
def test_removing_a_phase_needs_its_version(project, pm, query):
    phase = f.PhaseFactory(project=project)

    response = api(pm).delete(f"{PHASES}{phase.pk}/{query}")

    assert response.status_code == 400
    assert "version" in response.json()
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_stale_phase_edits_and_removals_are_409_with_the_current_phase(project, pm, executive):
    phase = f.PhaseFactory(project=project, name="Production")
    send(api(executive), "patch", f"{PHASES}{phase.pk}/", {"version": 1, "name": "Post"})
    before = state()

    edit = send(api(pm), "patch", f"{PHASES}{phase.pk}/", {"version": 1, "name": "Mine"})
    removal = api(pm).delete(f"{PHASES}{phase.pk}/?version=1")

    assert (edit.status_code, removal.status_code) == (409, 409)
    assert edit.json()["current"] == removal.json()["current"]
    assert (edit.json()["current"]["name"], edit.json()["current"]["version"]) == ("Post", 2)
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": iso(MON - dt.timedelta(days=1))}, "end_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"name": "p" * 121}, "name"),
        ({"name": "\x00"}, "name"),
        ({"name": ""}, "name"),
        ({"project": 99999999999999999999}, "project"),
        ({"project": "one"}, "project"),
        ({"start_date": None}, "start_date"),
    ],
)
def test_bad_phases_are_400_field_by_field(project, pm, changes, field):
    body = {"project": project.pk, "name": "Design", "start_date": iso(MON), "end_date": iso(FRI)}
    body.update(changes)
    before = state()

    response = send(api(pm), "post", PHASES, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state() == before


@pytest.mark.parametrize("offset", ["up", None, 10_001, -10_001, 1.5])
def test_bad_phase_moves_are_400(project, pm, offset):
    phase = f.PhaseFactory(project=project)

    response = send(api(pm), "post", f"{PHASES}{phase.pk}/move/", {"offset": offset})

    assert response.status_code == 400
    assert "offset" in response.json()


# --- deliverables ---------------------------------------------------------------------------


def test_a_deliverable_is_planned_with_hours_by_discipline_and_people(project, pm, key_visual, design, copy):
    ana = f.TalentFactory()
    phase = f.PhaseFactory(project=project)

    response = send(api(pm), "post", DELIVERABLES, {
        "project": project.pk, "deliverable_type": key_visual.pk, "name": "Hero visual", "quantity": 2,
        "phase": phase.pk, "planned_start": iso(MON), "due_date": iso(FRI),
        "hours": [{"discipline": design.pk, "hours": "10.50"}, {"discipline": copy.pk, "hours": "3"}],
        "assignees": [ana.pk],
    })

    assert response.status_code == 201, response.content
    deliverable = Deliverable.objects.get(pk=response.json()["id"])
    # 10.50 design + 3 copy, as given (not the standard 2 × (6 + 2) = 16)
    assert deliverable.planned_hours == D("13.50")
    assert {(row.discipline, row.hours) for row in deliverable.planned_by_discipline.all()} == {
        (design, D("10.50")), (copy, D("3.00"))}
    assert list(deliverable.assignees.all()) == [ana]
    assert (deliverable.phase, deliverable.quantity, deliverable.version) == (phase, 2, 1)
    assert DeliverableProgress.objects.filter(deliverable=deliverable, status="not_started").count() == 1
    assert actions_on(deliverable) == ["deliverable.add"]
    body = response.json()
    assert (body["planned_hours"], body["assignees"], body["outside_project"]) == ("13.50", [ana.pk], False)
    assert sorted((row["discipline_name"], row["hours"]) for row in body["hours"]) == [
        ("Copy", "3.00"), ("Design", "10.50")]


def test_without_hours_a_deliverable_is_estimated_from_its_type(project, executive, key_visual):
    response = send(api(executive), "post", DELIVERABLES, {
        "project": project.pk, "deliverable_type": key_visual.pk, "name": "Hero", "quantity": 3,
        "planned_start": iso(MON), "due_date": iso(FRI)})

    assert response.status_code == 201, response.content
    # 3 units × (6 design + 2 copy) = 24
    assert response.json()["planned_hours"] == "24.00"
    assert Deliverable.objects.get().planned_hours == D("24.00")


def test_a_deliverable_outside_its_projects_dates_is_allowed_and_flagged(project, pm, key_visual):
    response = send(api(pm), "post", DELIVERABLES, {
        "project": project.pk, "deliverable_type": key_visual.pk, "name": "Late", "planned_start": iso(MON),
        "due_date": iso(MON3)})

    assert response.status_code == 201
    assert response.json()["outside_project"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": iso(MON - dt.timedelta(days=1))}, "due_date"),
        ({"planned_start": "0001-01-01"}, "planned_start"),
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10_001}, "quantity"),
        ({"quantity": 10**40}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"hours": "negative"}, "hours"),
        ({"hours": "huge"}, "hours"),
        ({"hours": "twice"}, "hours"),
        ({"hours": {"design": 3}}, "hours"),
        ({"hours": [5]}, "hours"),
        ({"hours": [{"discipline": 99999999999999999999, "hours": "1"}]}, "hours"),
        ({"assignees": "inactive"}, "assignees"),
        ({"assignees": "outside contract"}, "assignees"),
        ({"assignees": [99999999999999999999]}, "assignees"),
        ({"assignees": "x"}, "assignees"),
        ({"phase": "other project"}, "phase"),
        ({"deliverable_type": "retired"}, "deliverable_type"),
        ({"name": ""}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"project": None}, "project"),
    ],
)
def test_bad_deliverables_are_400_field_by_field_and_nothing_is_written(project, pm, key_visual, design,
                                                                        changes, field):
    body = {"project": project.pk, "deliverable_type": key_visual.pk, "name": "Hero", "planned_start": iso(MON),
            "due_date": iso(FRI)}
    body.update(changes)
    special = {
        "negative": [{"discipline": design.pk, "hours": "-1"}],
        "huge": [{"discipline": design.pk, "hours": "100000"}],
        "twice": [{"discipline": design.pk, "hours": "1"}, {"discipline": design.pk, "hours": "2"}],
        "inactive": [f.TalentFactory(active=False).pk],
        "outside contract": [f.FreelanceTalentFactory(contract_start=MON3, contract_end=MON3 + dt.timedelta(30)).pk],
        "other project": f.PhaseFactory().pk,
        "retired": f.DeliverableTypeFactory(active=False).pk,
    }
    body = {name: special.get(value, value) if isinstance(value, str) else value for name, value in body.items()}
    before = state()

    response = send(api(pm), "post", DELIVERABLES, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state() == before


def test_every_refused_assignee_is_named(project, pm, key_visual):
    gone = f.TalentFactory(active=False)
    away = f.FreelanceTalentFactory(contract_start=MON3, contract_end=MON3 + dt.timedelta(days=30))

    response = send(api(pm), "post", DELIVERABLES, {
        "project": project.pk, "deliverable_type": key_visual.pk, "name": "Hero", "planned_start": iso(MON),
        "due_date": iso(FRI), "assignees": [gone.pk, away.pk]})

    assert response.status_code == 400
    assert len(response.json()["assignees"]) == 2


def test_a_deliverable_edit_replaces_hours_and_people_and_bumps_the_version(project, pm, design, copy):
    deliverable = f.DeliverableFactory(project=project, planned_start=MON, due_date=FRI)
    f.DeliverableHoursFactory(deliverable=deliverable, discipline=design, hours=D("20"))
    old, new = f.TalentFactory(), f.TalentFactory()
    deliverable.assignees.add(old)

    response = send(api(pm), "patch", f"{DELIVERABLES}{deliverable.pk}/", {
        "version": 1, "name": "Hero v2", "quantity": 2, "hours": [{"discipline": copy.pk, "hours": "6.25"}],
        "assignees": [new.pk]})

    assert response.status_code == 200, response.content
    deliverable.refresh_from_db()
    assert (deliverable.name, deliverable.quantity, deliverable.planned_hours, deliverable.version) == (
        "Hero v2", 2, D("6.25"), 2)
    assert list(deliverable.planned_by_discipline.values_list("discipline", "hours")) == [(copy.pk, D("6.25"))]
    assert list(deliverable.assignees.all()) == [new]
    assert actions_on(deliverable) == ["deliverable.update"]
    assert response.json()["version"] == 2


def test_a_deliverable_edit_leaves_what_is_not_sent(project, pm, design):
    deliverable = f.DeliverableFactory(project=project, planned_start=MON, due_date=FRI, planned_hours=D("20"))
    f.DeliverableHoursFactory(deliverable=deliverable, discipline=design, hours=D("20"))
    talent = f.TalentFactory()
    deliverable.assignees.add(talent)

    name = deliverable.name

    response = send(api(pm), "patch", f"{DELIVERABLES}{deliverable.pk}/", {"version": 1, "due_date": iso(MON2)})

    assert response.status_code == 200, response.content
    deliverable.refresh_from_db()
    assert (deliverable.due_date, deliverable.planned_hours, deliverable.name) == (MON2, D("20"), name)
    assert list(deliverable.assignees.all()) == [talent]
    assert deliverable.planned_by_discipline.count() == 1


def test_a_stale_deliverable_edit_is_409_with_the_current_deliverable(project, pm, executive):
    deliverable = f.DeliverableFactory(project=project, name="Hero", planned_start=MON, due_date=FRI)
    send(api(executive), "patch", f"{DELIVERABLES}{deliverable.pk}/", {"version": 1, "name": "Hero (exec)"})
    before = state()

    response = send(api(pm), "patch", f"{DELIVERABLES}{deliverable.pk}/", {"version": 1, "name": "Hero (pm)"})

    assert response.status_code == 409
    current = response.json()["current"]
    assert (current["name"], current["version"], current["planned_hours"]) == ("Hero (exec)", 2, "40.00")
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": iso(MON - dt.timedelta(days=1))}, "due_date"),
        ({"planned_start": "0001-01-01"}, "planned_start"),
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"quantity": -1}, "quantity"),
        ({"hours": [{"discipline": "design", "hours": "-3"}]}, "hours"),
        ({"assignees": "inactive"}, "assignees"),
        ({"phase": "other project"}, "phase"),
        ({"expected": "not a list"}, "expected"),
        ({"expected": "1:2," * 600}, "expected"),
        ({"push": "sideways"}, "push"),
        ({"version": None}, "version"),
        ({"name": None}, "name"),
        ({"hours": None}, "hours"),
    ],
)
def test_bad_deliverable_edits_are_400_and_nothing_is_written(project, pm, design, changes, field):
    deliverable = f.DeliverableFactory(project=project, planned_start=MON, due_date=FRI)
    special = {
        "inactive": [f.TalentFactory(active=False).pk],
        "other project": f.PhaseFactory().pk,
    }
    body = {"version": 1}
    for name, value in copy_of(changes).items():
        body[name] = special.get(value, value) if isinstance(value, str) else value
    if field == "hours" and body["hours"]:
        body["hours"][0]["discipline"] = design.pk
    before = state()

    response = send(api(pm), "patch", f"{DELIVERABLES}{deliverable.pk}/", body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state() == before


@pytest.fixture
def chain(project):
    """Shoot (Mon–Wed) → edit (Thu–Fri) → grade (Mon 30–Tue 1), in a project due Fri 4."""
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    edit = f.DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    grade = f.DeliverableFactory(project=project, name="Grade", planned_start=MON2, due_date=TUE2)
    f.DependencyFactory(predecessor=shoot, successor=edit)
    f.DependencyFactory(predecessor=edit, successor=grade)
    return SimpleNamespace(shoot=shoot, edit=edit, grade=grade)


def test_the_preview_says_what_a_move_would_push_and_saves_nothing(chain, pm):
    talent = f.TalentFactory(user__first_name="Ana", user__last_name="Silva")
    booking = f.BookingFactory(talent=talent, project=chain.shoot.project, deliverable=chain.grade,
                               start_date=MON2, end_date=TUE2)
    before = state()

    response = send(api(pm), "post", f"{DELIVERABLES}{chain.shoot.pk}/preview/",
                    {"planned_start": iso(MON), "due_date": iso(FRI2)})

    assert response.status_code == 200, response.content
    body = response.json()
    # Shoot now ends Fri 4: edit (2 working days) → Mon 7–Tue 8; grade (2) → Wed 9–Thu 10.
    assert body["moved"] == {"deliverable": chain.shoot.pk, "name": "Shoot", "old_planned_start": iso(MON),
                             "old_due_date": iso(WED), "planned_start": iso(MON), "due_date": iso(FRI2),
                             "days_later": 9}
    assert [(row["name"], row["planned_start"], row["due_date"]) for row in body["pushed"]] == [
        ("Edit", iso(MON3), iso(TUE3)), ("Grade", iso(WED3), iso(THU3))]
    assert body["project_due_date"] == iso(THU3)
    assert body["bookings_outside"] == [{"id": booking.pk, "deliverable": chain.grade.pk, "who": "Ana Silva",
                                         "start_date": iso(MON2), "end_date": iso(TUE2)}]
    assert body["expected"] == ",".join(f"{d.pk}:1" for d in sorted([chain.shoot, chain.edit, chain.grade],
                                                                       key=lambda d: d.pk))
    assert state() == before


def test_confirming_a_move_pushes_the_dependents_and_the_project_in_one_write(chain, pm):
    client = api(pm)
    expected = send(client, "post", f"{DELIVERABLES}{chain.shoot.pk}/preview/",
                    {"planned_start": iso(MON), "due_date": iso(FRI2)}).json()["expected"]

    response = send(client, "patch", f"{DELIVERABLES}{chain.shoot.pk}/",
                    {"version": 1, "due_date": iso(FRI2), "push": True, "expected": expected})

    assert response.status_code == 200, response.content
    rows = {d.name: (d.planned_start, d.due_date, d.version) for d in Deliverable.objects.all()}
    assert rows == {"Shoot": (MON, FRI2, 2), "Edit": (MON3, TUE3, 2), "Grade": (WED3, THU3, 2)}
    project = Project.objects.get()
    assert (project.due_date, project.version) == (THU3, 2)
    assert actions_on(chain.edit) == ["deliverable.push"]
    assert actions_on(chain.shoot) == ["deliverable.update"]


def test_moving_without_push_moves_only_that_deliverable(chain, pm):
    response = send(api(pm), "patch", f"{DELIVERABLES}{chain.shoot.pk}/", {"version": 1, "due_date": iso(FRI2)})

    assert response.status_code == 200
    assert {d.name: d.version for d in Deliverable.objects.all()} == {"Shoot": 2, "Edit": 1, "Grade": 1}
    conflicts = {row["in_conflict"] for row in api(pm).get(DEPENDENCIES).json()["results"]
                 if row["predecessor"] == chain.shoot.pk}
    assert conflicts == {True}


def test_a_plan_changed_since_the_preview_is_409_and_nothing_moves(chain, pm, executive):
    expected = send(api(pm), "post", f"{DELIVERABLES}{chain.shoot.pk}/preview/",
                    {"planned_start": iso(MON), "due_date": iso(FRI2)}).json()["expected"]
    send(api(executive), "patch", f"{DELIVERABLES}{chain.edit.pk}/", {"version": 1, "name": "Offline edit"})
    before = state()

    response = send(api(pm), "patch", f"{DELIVERABLES}{chain.shoot.pk}/",
                    {"version": 1, "due_date": iso(FRI2), "push": True, "expected": expected})

    assert response.status_code == 409
    assert (response.json()["current"]["id"], response.json()["current"]["due_date"]) == (chain.shoot.pk, iso(WED))
    assert state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"planned_start": iso(MON), "due_date": iso(MON - dt.timedelta(days=1))}, "due_date"),
        ({"planned_start": "0001-01-01", "due_date": iso(FRI)}, "planned_start"),
        ({"planned_start": iso(MON), "due_date": "9999-12-31"}, "due_date"),
        ({"planned_start": iso(MON)}, "due_date"),
        ({"planned_start": iso(MON), "due_date": iso(FRI), "push": "maybe"}, "push"),
    ],
)
def test_bad_previews_are_400(chain, pm, body, field):
    response = send(api(pm), "post", f"{DELIVERABLES}{chain.shoot.pk}/preview/", body)

    assert response.status_code == 400
    assert field in response.json()


def test_cancelling_needs_the_version_and_a_stale_one_is_409_with_the_deliverable_now(project, pm):
    deliverable = f.DeliverableFactory(project=project, name="Shoot")
    client = api(pm)
    send(client, "patch", f"{DELIVERABLES}{deliverable.pk}/", {"version": 1, "name": "Location shoot"})

    missing = send(client, "post", f"{DELIVERABLES}{deliverable.pk}/cancel/", {"reason": ""})
    stale = send(client, "post", f"{DELIVERABLES}{deliverable.pk}/cancel/", {"reason": "", "version": 1})

    assert (missing.status_code, missing.json()) == (400, {"version": ["This field is required."]})
    assert stale.status_code == 409
    assert (stale.json()["current"]["name"], stale.json()["current"]["version"]) == ("Location shoot", 2)
    deliverable.refresh_from_db()
    assert deliverable.status != "cancelled"


def test_cancelling_keeps_the_deliverable_and_refuses_twice_or_in_review(project, pm):
    deliverable = f.DeliverableFactory(project=project)
    in_review = f.DeliverableFactory(project=project, status="client_review")
    client = api(pm)

    response = send(client, "post", f"{DELIVERABLES}{deliverable.pk}/cancel/",
                    {"reason": "Client dropped it", "version": 1})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("cancelled", 2)
    assert actions_on(deliverable) == ["deliverable.cancel"]
    before = state()
    for target, version in ((deliverable, 2), (in_review, 1)):
        again = send(client, "post", f"{DELIVERABLES}{target.pk}/cancel/", {"version": version})
        assert again.status_code == 400
        assert list(again.json()) == ["non_field_errors"]
    edit = send(client, "patch", f"{DELIVERABLES}{deliverable.pk}/", {"version": 2, "name": "Back"})
    preview = send(client, "post", f"{DELIVERABLES}{deliverable.pk}/preview/",
                   {"planned_start": iso(MON), "due_date": iso(FRI)})
    assert (edit.status_code, preview.status_code) == (400, 400)
    assert "non_field_errors" in edit.json() and "non_field_errors" in preview.json()
    assert state() == before


# --- dependencies --------------------------------------------------------------------------


def test_a_dependency_is_added_flagged_when_the_dates_disagree_and_removed(project, pm):
    shoot = f.DeliverableFactory(project=project, planned_start=MON, due_date=WED)
    edit = f.DeliverableFactory(project=project, planned_start=TUE, due_date=FRI)  # starts before shoot is due
    client = api(pm)

    response = send(client, "post", DEPENDENCIES, {"predecessor": shoot.pk, "successor": edit.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["project"], body["predecessor"], body["successor"], body["in_conflict"]) == (
        project.pk, shoot.pk, edit.pk, True)
    dependency = Dependency.objects.get()
    assert actions_on(edit) == ["dependency.add"]

    assert client.delete(f"{DEPENDENCIES}{dependency.pk}/").status_code == 204
    assert not Dependency.objects.exists()
    assert actions_on(edit) == ["dependency.add", "dependency.remove"]


def test_dependency_loops_repeats_self_links_and_other_projects_are_400(chain, pm):
    elsewhere = f.DeliverableFactory()
    before = state()
    client = api(pm)

    for predecessor, successor in [
        (chain.grade, chain.shoot),  # shoot → edit → grade → shoot: a loop
        (chain.edit, chain.shoot),  # the shortest loop
        (chain.shoot, chain.edit),  # already there
        (chain.shoot, chain.shoot),
        (elsewhere, chain.shoot),
    ]:
        response = send(client, "post", DEPENDENCIES, {"predecessor": predecessor.pk, "successor": successor.pk})
        assert response.status_code == 400, (predecessor.name, successor.name)
        assert list(response.json()) == ["predecessor"]
    assert state() == before


@pytest.mark.parametrize(
    "body", [{}, {"predecessor": "a", "successor": 1}, {"predecessor": 99999999999999999999, "successor": 1}, []]
)
def test_malformed_dependencies_are_400(chain, pm, body):
    before = state()

    assert send(api(pm), "post", DEPENDENCIES, body).status_code == 400
    assert state() == before


# --- query counts ------------------------------------------------------------------------------


@pytest.fixture
def grow(brand, creative):
    StudioSettings.load()

    def add(count):
        """`count` projects, each with two phases, three deliverables in a chain and two baselines."""
        for _ in range(count):
            project = f.ProjectFactory(brand=brand)
            f.BookingFactory(project=project, talent=creative.talent)
            f.PhaseFactory.create_batch(2, project=project)
            first, second, third = (f.DeliverableFactory(project=project) for _ in range(3))
            f.DependencyFactory(predecessor=first, successor=second)
            f.DependencyFactory(predecessor=second, successor=third)
            for _ in range(2):
                baseline = f.BaselineFactory(project=project)
                for deliverable in (first, second, third):
                    f.BaselineDeliverableFactory(baseline=baseline, deliverable=deliverable)

    return add


# session, user, page count, page of rows (with what they show joined); baselines add their deliverables.
LIST_QUERIES = {PHASES: 4, DEPENDENCIES: 4, BASELINES: 5}
PER_PROJECT = {PHASES: 2, DEPENDENCIES: 2, BASELINES: 2}


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("role", ["pm", "creative", "brand_manager"])
@pytest.mark.parametrize("url", LIST_QUERIES)
def test_plan_list_query_counts_do_not_grow_with_rows(request, grow, django_assert_num_queries, url, role, count):
    grow(count)
    client = api(request.getfixturevalue(role))

    with django_assert_num_queries(LIST_QUERIES[url]):
        response = client.get(url)
    assert len(response.json()["results"]) == PER_PROJECT[url] * count



# --- the schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_plan_endpoints_and_each_roles_fields(pm):
    schema = api(pm).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    paths = {path: set(operations) for path, operations in schema["paths"].items()}
    assert paths["/api/projects/"] >= {"get", "post"} and paths["/api/projects/{id}/"] >= {"get", "patch"}
    assert "put" not in paths["/api/projects/{id}/"]
    for path in ("/api/projects/{id}/status/", "/api/projects/{id}/baseline/", "/api/phases/{id}/move/",
                 "/api/deliverables/{id}/preview/", "/api/deliverables/{id}/cancel/"):
        assert paths[path] == {"post"}, path
    assert paths["/api/phases/{id}/"] == {"get", "patch", "delete"}
    assert paths["/api/dependencies/{id}/"] == {"get", "delete"}
    assert paths["/api/baselines/{id}/"] == {"get"}
    assert "hours" in components["DeliverableWithHours"]["properties"]
    assert not {"hours", "planned_hours"} & set(components["Deliverable"]["properties"])
    assert "planned_hours" in components["BaselineWithHours"]["properties"]
    assert "planned_hours" not in components["Baseline"]["properties"]
    assert set(components["DeliverableConflict"]["properties"]) == {"detail", "current"}

# --- no input is a 500 ---------------------------------------------------------------------

GARBAGE = [None, "x" * 100_000, "a\x00b", -(10**30), 10**30, 1.5, [], {"a": 1}, "0001-01-01", "9999-12-31"]
RAW_BODIES = [b"", b"null", b"5", b"[]", b'"text"', b"{", b"\xff\xfe", b'{"name": "\\ud800"}']


def _valid_bodies(plan, discipline, talent) -> dict[str, tuple[str, str, dict]]:
    """A valid request to each write endpoint, by name: (method, url, body)."""
    project, phase, first, second = plan.project, plan.phase, plan.first, plan.second
    dates = {"planned_start": iso(MON), "due_date": iso(FRI)}
    deliverable = {"deliverable_type": first.deliverable_type_id, "name": "D", "quantity": 1, "phase": phase.pk,
                   **dates, "hours": [{"discipline": discipline.pk, "hours": "1"}], "assignees": [talent.pk]}
    phase_body = {"name": "P", "start_date": iso(MON), "end_date": iso(FRI)}
    return {
        "project-create": ("post", PROJECTS, {
            "name": "N", "brand": project.brand_id, "pm": project.pm_id, "fee": "1", "description": "",
            "status": "planned", "is_internal": False, **dates}),
        "project-update": ("patch", f"{PROJECTS}{project.pk}/", {
            "version": 1, "name": "N", "fee": "1", "is_internal": False, **dates}),
        "project-status": ("post", f"{PROJECTS}{project.pk}/status/", {"version": 1, "status": "active", "reason": ""}),
        "project-baseline": ("post", f"{PROJECTS}{project.pk}/baseline/", {"version": 1, "note": ""}),
        "phase-create": ("post", PHASES, {"project": project.pk, **phase_body}),
        "phase-update": ("patch", f"{PHASES}{phase.pk}/", {"version": 1, **phase_body}),
        "phase-move": ("post", f"{PHASES}{phase.pk}/move/", {"offset": 1}),
        "phase-remove": ("delete", f"{PHASES}{phase.pk}/", {"version": 99}),
        "deliverable-create": ("post", DELIVERABLES, {"project": project.pk, **deliverable}),
        "deliverable-update": ("patch", f"{DELIVERABLES}{first.pk}/", {
            "version": 1, "push": True, "expected": f"{first.pk}:1", **deliverable}),
        "deliverable-preview": ("post", f"{DELIVERABLES}{first.pk}/preview/", {**dates, "push": True}),
        "deliverable-cancel": ("post", f"{DELIVERABLES}{first.pk}/cancel/", {"reason": "", "version": 1}),
        "dependency-create": ("post", DEPENDENCIES, {"predecessor": second.pk, "successor": plan.third.pk}),
    }


@pytest.mark.parametrize("endpoint", [
    "project-create", "project-update", "project-status", "project-baseline", "phase-create", "phase-update",
    "phase-move", "phase-remove", "deliverable-create", "deliverable-update", "deliverable-preview",
    "deliverable-cancel", "dependency-create",
])
def test_no_bad_input_is_a_500(world, pm, design, endpoint):
    # The client raises any server error: every answer here is a 2xx, 400 or 409.
    client = api(pm)
    method, url, body = _valid_bodies(world["seen"], design, f.TalentFactory())[endpoint]

    for field in body:
        for value in GARBAGE:
            response = send(client, method, url, {**body, field: value})
            assert response.status_code < 500, (field, value)
    for raw in RAW_BODIES:
        response = getattr(client, method)(url, raw, content_type="application/json")
        assert response.status_code < 500, raw


def test_a_lone_surrogate_is_a_400_not_a_500(project, pm):
    # Valid JSON but not text: a choice field would echo it into an answer that cannot be encoded.
    response = api(pm).post(f"{PROJECTS}{project.pk}/status/", b'{"status": "\\ud800", "version": 1}',
                            content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
