"""Projects and their plans through the services: codes, the lifecycle, versions,
deliverables with hours by discipline, dependencies, pushes and baselines.

The clock stands on Wednesday 25 November 2026:
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4 | Mon 7
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import (
    Baseline,
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    Dependency,
    Phase,
    Project,
)
from projects.services import baselines, plan, projects
from projects.services.review import deliverable_cancel
from studio.models import AuditEvent
from studio.versions import StaleVersion
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))
MON3 = dt.date(2026, 12, 7)


@pytest.fixture
def project(pm):
    return f.ProjectFactory(pm=pm, planned_start=MON, due_date=FRI2, status="planned")


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- projects ------------------------------------------------------------------------


def test_codes_follow_the_brands_own_prefix_and_sequence(pm):
    aurora = f.BrandFactory(name="Aurora Oats", code_prefix="AUR")
    f.ProjectFactory(brand=aurora, code="AUR-001")
    f.ProjectFactory(brand=aurora, code="AUR-007")
    f.ProjectFactory(code="AURX-099")  # another prefix that merely starts alike

    created = projects.project_create(
        user=pm, name="Winter oats", brand=aurora, pm=pm, planned_start=MON, due_date=FRI2, fee=D("12000")
    )

    assert created.code == "AUR-008"
    assert AuditEvent.objects.filter(action="project.create", object_id=str(created.pk)).exists()


def test_internal_work_takes_the_studios_internal_prefix(executive, pm):
    created = projects.project_create(
        user=executive, name="Showreel", is_internal=True, pm=pm, planned_start=MON, due_date=FRI2
    )
    assert created.code == "INT-001"


@pytest.mark.parametrize("role", ["creative", "freelancer", "brand_manager", "admin"])
def test_only_managers_create_projects(role, pm):
    user = f.UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        projects.project_create(user=user, name="X", is_internal=True, pm=pm, planned_start=MON, due_date=FRI)
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": MON - dt.timedelta(days=1)}, "due_date"),
        ({"due_date": dt.date(2036, 11, 26)}, "due_date"),  # more than ten years from today
        ({"planned_start": dt.date(1, 1, 1)}, "planned_start"),
        ({"fee": D("-1")}, "fee"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"brand": None, "is_internal": False}, "brand"),
        ({"is_internal": True, "fee": D("10")}, "fee"),
    ],
)
def test_bad_projects_are_refused_field_by_field(pm, brand, changes, field):
    values = {"name": "Launch", "brand": brand, "pm": pm, "planned_start": MON, "due_date": FRI2, "fee": D("100")}
    values.update(changes)
    if values.get("is_internal"):
        values["brand"] = None
    with pytest.raises(ValidationError) as excinfo:
        projects.project_create(user=pm, **values)
    assert field in errors_of(excinfo)
    assert not Project.objects.exists()


def test_the_lead_must_be_an_active_production_manager(pm, brand, creative):
    with pytest.raises(ValidationError) as excinfo:
        projects.project_create(user=pm, name="X", brand=brand, pm=creative, planned_start=MON, due_date=FRI)
    assert "pm" in errors_of(excinfo)


def test_a_stale_edit_is_refused_with_the_current_values(project, pm, executive):
    seen = project.version
    projects.project_update(project=project, user=executive, version=seen, name="Renamed by the executive")

    with pytest.raises(StaleVersion) as excinfo:
        projects.project_update(project=project, user=pm, version=seen, name="Renamed by the PM")

    assert excinfo.value.current.name == "Renamed by the executive"
    project.refresh_from_db()
    assert (project.name, project.version) == ("Renamed by the executive", seen + 1)


def test_the_code_stays_when_the_brand_changes(project, pm):
    code = project.code
    projects.project_update(project=project, user=pm, version=project.version, brand=f.BrandFactory())
    project.refresh_from_db()
    assert project.code == code


def test_status_moves_along_the_lifecycle_and_is_recorded(project, pm):
    project = projects.project_status_change(project=project, user=pm, status="active", reason="Kick-off done")
    event = AuditEvent.objects.get(action="project.status")
    assert (event.before["status"], event.after["status"], event.reason) == ("planned", "active", "Kick-off done")
    assert project.version == 2


def test_impossible_moves_are_refused_with_where_it_can_go(project, pm):
    project.status = "intake"
    project.save()
    with pytest.raises(ValidationError) as excinfo:
        projects.project_status_change(project=project, user=pm, status="delivered")
    message = errors_of(excinfo)["status"][0]
    assert "“Intake” cannot become “Delivered”" in message
    assert "“Planned”" in message and "“Cancelled”" in message


def test_closed_projects_stay_closed(project, pm):
    Project.objects.filter(pk=project.pk).update(status="closed")
    project.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        projects.project_status_change(project=project, user=pm, status="active")
    assert "it is final" in errors_of(excinfo)["status"][0]


def test_a_project_with_open_deliverables_is_not_delivered(project, pm):
    Project.objects.filter(pk=project.pk).update(status="active")
    f.DeliverableFactory(project=project, status="in_progress")
    f.DeliverableFactory(project=project, status="cancelled")
    with pytest.raises(ValidationError) as excinfo:
        projects.project_status_change(project=project, user=pm, status="delivered")
    assert "1 deliverables are still open" in errors_of(excinfo)["status"][0]


# --- phases --------------------------------------------------------------------------


def test_phases_are_added_in_order_and_reordered(project, pm):
    first = plan.phase_add(project=project, user=pm, name="Concept", start_date=MON, end_date=FRI)
    second = plan.phase_add(project=project, user=pm, name="Production", start_date=MON2, end_date=FRI2)
    third = plan.phase_add(project=project, user=pm, name="Delivery", start_date=FRI2, end_date=FRI2)

    plan.phase_move(phase=third, user=pm, offset=-2)

    assert list(project.phases.values_list("name", "order")) == [("Delivery", 1), ("Concept", 2), ("Production", 3)]
    assert (first.order, second.order) == (1, 2)  # the objects passed in are not reloaded


def test_a_phase_with_deliverables_is_not_removed(project, pm):
    phase = f.PhaseFactory(project=project)
    f.DeliverableFactory(project=project, phase=phase)
    with pytest.raises(ValidationError):
        plan.phase_remove(phase=phase, user=pm, version=phase.version)
    assert Phase.objects.filter(pk=phase.pk).exists()


# --- deliverables ---------------------------------------------------------------------


@pytest.fixture
def key_visual():
    kind = f.DeliverableTypeFactory(name="Key visual")
    design = f.DisciplineFactory(name="Design")
    copy = f.DisciplineFactory(name="Copy")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("12"))
    f.StandardHoursFactory(deliverable_type=kind, discipline=copy, hours_per_unit=D("2.5"))
    return kind, design, copy


def test_a_new_deliverable_is_estimated_from_its_types_standard_hours(project, pm, key_visual):
    kind, design, copy = key_visual
    deliverable = plan.deliverable_add(
        project=project, user=pm, deliverable_type=kind, name="Hero KV", quantity=3, planned_start=MON, due_date=FRI
    )
    # 3 units × (12 design + 2.5 copy) = 36 + 7.5 = 43.5 hours.
    hours = dict(deliverable.planned_by_discipline.values_list("discipline__name", "hours"))
    assert hours == {"Design": D("36.00"), "Copy": D("7.50")}
    assert deliverable.planned_hours == D("43.5")
    assert DeliverableProgress.objects.filter(deliverable=deliverable, status="not_started").count() == 1


def test_hours_given_by_discipline_replace_the_estimate(project, pm, key_visual):
    kind, design, _copy = key_visual
    deliverable = plan.deliverable_add(
        project=project, user=pm, deliverable_type=kind, name="Hero KV", planned_start=MON, due_date=FRI,
        hours={design: D("20")},
    )
    assert list(deliverable.planned_by_discipline.values_list("hours", flat=True)) == [D("20.00")]
    assert deliverable.planned_hours == D("20")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": 10_001}, "quantity"),
        ({"hours": "negative"}, "hours"),
        ({"due_date": MON - dt.timedelta(days=1)}, "due_date"),
        ({"due_date": dt.date(9999, 12, 31)}, "due_date"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_deliverables_are_refused_and_nothing_is_written(project, pm, key_visual, changes, field):
    kind, design, _copy = key_visual
    values = {"name": "Hero", "planned_start": MON, "due_date": FRI, "quantity": 1}
    values.update(changes)
    if values.get("hours") == "negative":
        values["hours"] = {design: D("-1")}
    with pytest.raises(ValidationError) as excinfo:
        plan.deliverable_add(project=project, user=pm, deliverable_type=kind, **values)
    assert field in errors_of(excinfo)
    assert not Deliverable.objects.exists() and not DeliverableHours.objects.exists()


def test_inactive_people_and_freelancers_outside_their_contract_are_not_assigned(project, pm, key_visual):
    kind, _design, _copy = key_visual
    gone = f.TalentFactory(active=False)
    away = f.FreelanceTalentFactory(contract_start=MON3, contract_end=MON3 + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as excinfo:
        plan.deliverable_add(project=project, user=pm, deliverable_type=kind, name="Hero", planned_start=MON,
                             due_date=FRI, assignees=[gone, away])
    assert len(errors_of(excinfo)["assignees"]) == 2
    assert not Deliverable.objects.exists()


def test_a_deliverable_outside_its_projects_dates_is_allowed_and_flagged(project, pm, key_visual):
    kind, _design, _copy = key_visual
    late = plan.deliverable_add(project=project, user=pm, deliverable_type=kind, name="Late", planned_start=MON,
                                due_date=MON3)
    plan.deliverable_add(project=project, user=pm, deliverable_type=kind, name="Inside", planned_start=MON,
                         due_date=FRI)
    assert list(Deliverable.objects.outside_project()) == [late]


def test_cancelling_keeps_the_history_and_refuses_work_in_review(project, pm):
    deliverable = f.DeliverableFactory(project=project)
    deliverable_cancel(deliverable=deliverable, user=pm, reason="Client dropped it")
    assert DeliverableProgress.objects.get(deliverable=deliverable).status == "cancelled"
    in_review = f.DeliverableFactory(project=project, status="client_review")
    with pytest.raises(ValidationError):
        deliverable_cancel(deliverable=in_review, user=pm)


# --- dependencies and moves ------------------------------------------------------------


@pytest.fixture
def chain(project):
    """Shoot (Mon–Wed) → edit (Thu–Fri) → grade (Mon 30–Tue 1), in a project due Fri 4."""
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    edit = f.DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    grade = f.DeliverableFactory(project=project, name="Grade", planned_start=MON2, due_date=TUE2)
    f.DependencyFactory(predecessor=shoot, successor=edit)
    f.DependencyFactory(predecessor=edit, successor=grade)
    return shoot, edit, grade


def test_the_preview_says_what_a_move_would_push_before_anything_is_saved(chain, pm):
    shoot, edit, grade = chain
    talent = f.TalentFactory(user__first_name="Ana", user__last_name="Silva")
    booking = f.BookingFactory(talent=talent, project=shoot.project, deliverable=grade, start_date=MON2,
                               end_date=TUE2)

    preview = plan.deliverable_move_preview(deliverable=shoot, user=pm, planned_start=MON, due_date=FRI2)

    # Shoot now ends Fri 4: edit (2 days) → Mon 7–Tue 8; grade (2 days) → Wed 9–Thu 10.
    assert [(c.deliverable.name, c.start, c.due) for c in preview.changes] == [
        ("Shoot", MON, FRI2),
        ("Edit", MON3, MON3 + dt.timedelta(days=1)),
        ("Grade", MON3 + dt.timedelta(days=2), MON3 + dt.timedelta(days=3)),
    ]
    assert preview.project_due == MON3 + dt.timedelta(days=3)
    assert [(b.pk, b.who) for b in preview.bookings_outside] == [(booking.pk, "Ana Silva")]
    assert Deliverable.objects.get(pk=edit.pk).planned_start == THU  # nothing saved


def test_confirming_moves_everything_in_one_transaction(chain, pm):
    shoot, edit, grade = chain
    preview = plan.deliverable_move_preview(deliverable=shoot, user=pm, planned_start=MON, due_date=FRI2)

    plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON, due_date=FRI2,
                            push=True, expected=plan.parse_expected(preview.expected))

    edit.refresh_from_db()
    grade.refresh_from_db()
    shoot.project.refresh_from_db()
    assert (edit.planned_start, grade.due_date) == (MON3, MON3 + dt.timedelta(days=3))
    assert shoot.project.due_date == MON3 + dt.timedelta(days=3)
    assert AuditEvent.objects.filter(action="deliverable.push").count() == 2


def test_moving_only_one_leaves_the_conflict_flagged(chain, pm):
    shoot, edit, _grade = chain
    plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON, due_date=FRI,
                            push=False)
    edit.refresh_from_db()
    assert edit.planned_start == THU
    assert list(Dependency.objects.conflicts().values_list("successor__name", flat=True)) == ["Edit"]


def test_a_plan_changed_since_the_preview_is_refused(chain, pm, executive):
    shoot, edit, _grade = chain
    preview = plan.deliverable_move_preview(deliverable=shoot, user=pm, planned_start=MON, due_date=FRI2)
    plan.deliverable_update(deliverable=edit, user=executive, version=edit.version, name="Rough cut")

    with pytest.raises(StaleVersion):
        plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON,
                                due_date=FRI2, push=True, expected=plan.parse_expected(preview.expected))
    shoot.refresh_from_db()
    assert shoot.due_date == WED


def test_a_failed_update_writes_nothing(chain, pm):
    shoot, edit, _grade = chain
    with pytest.raises(ValidationError):
        plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON,
                                due_date=FRI2, push=True, hours={f.DisciplineFactory(): D("-3")})
    edit.refresh_from_db()
    shoot.refresh_from_db()
    assert (shoot.due_date, edit.planned_start, shoot.version) == (WED, THU, 1)


def test_dependencies_refuse_loops_other_projects_and_repeats(chain, pm):
    shoot, edit, grade = chain
    with pytest.raises(ValidationError) as excinfo:
        plan.dependency_add(predecessor=grade, successor=shoot, user=pm)
    assert "loop" in errors_of(excinfo)["predecessor"][0]
    with pytest.raises(ValidationError):
        plan.dependency_add(predecessor=f.DeliverableFactory(), successor=shoot, user=pm)
    with pytest.raises(ValidationError):
        plan.dependency_add(predecessor=shoot, successor=edit, user=pm)
    assert Dependency.objects.count() == 2


def test_a_dependency_in_conflict_is_allowed(project, pm):
    first = f.DeliverableFactory(project=project, planned_start=MON, due_date=WED)
    second = f.DeliverableFactory(project=project, planned_start=TUE, due_date=FRI)
    plan.dependency_add(predecessor=first, successor=second, user=pm)
    assert Dependency.objects.conflicts().count() == 1


# --- baselines ------------------------------------------------------------------------


def test_each_baseline_is_kept(chain, pm):
    shoot, edit, grade = chain
    f.DeliverableFactory(project=shoot.project, status="cancelled")
    first = baselines.baseline_set(project=shoot.project, user=pm, note="Signed off")
    plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON, due_date=THU,
                            push=True)
    second = baselines.baseline_set(project=shoot.project, user=pm)

    assert (first.number, second.number) == (1, 2)
    assert Baseline.objects.count() == 2
    assert first.deliverables.get(deliverable=shoot).due_date == WED
    assert second.deliverables.get(deliverable=shoot).due_date == THU
    assert first.deliverables.count() == 3  # the cancelled one is not part of the plan
    shoot.project.refresh_from_db()
    assert shoot.project.baseline_set_at == second.set_at


# --- who works on it, and what a move may do to them -------------------------------------


def test_only_production_managers_choose_who_works_on_a_deliverable(project, executive, pm, key_visual):
    kind, design, _copy = key_visual
    ana = f.TalentFactory(discipline=design)
    with pytest.raises(ValidationError) as excinfo:
        plan.deliverable_add(project=project, user=executive, deliverable_type=kind, name="Hero", planned_start=MON,
                             due_date=FRI, assignees=[ana])
    assert "assignees" in errors_of(excinfo)
    hero = plan.deliverable_add(project=project, user=pm, deliverable_type=kind, name="Hero", planned_start=MON,
                                due_date=FRI, assignees=[ana])
    # The executive may still edit the plan, as long as the people stay as they are.
    plan.deliverable_update(deliverable=hero, user=executive, version=hero.version, name="Hero KV", assignees=[ana])
    with pytest.raises(ValidationError):
        plan.deliverable_update(deliverable=hero, user=executive, version=hero.version + 1, assignees=[])


def test_a_move_may_not_take_work_past_an_assigned_freelancers_contract(chain, pm):
    shoot, edit, _grade = chain
    fran = f.FreelanceTalentFactory(contract_start=MON, contract_end=FRI)
    edit.assignees.add(fran)
    # Moving edit itself to next week leaves Fran's contract behind.
    with pytest.raises(ValidationError) as excinfo:
        plan.deliverable_update(deliverable=edit, user=pm, version=edit.version, planned_start=MON2, due_date=TUE2)
    assert "assignees" in errors_of(excinfo)
    # So does pushing it there by stretching the shoot.
    with pytest.raises(ValidationError) as excinfo:
        plan.deliverable_update(deliverable=shoot, user=pm, version=shoot.version, planned_start=MON,
                                due_date=FRI2, push=True)
    assert "due_date" in errors_of(excinfo)
    edit.refresh_from_db()
    assert edit.planned_start == THU


def test_a_malformed_expectation_is_refused_not_taken_for_a_stale_plan():
    with pytest.raises(ValidationError) as excinfo:
        plan.parse_expected("12:x")
    assert "expected" in errors_of(excinfo)
    assert plan.parse_expected("3:1,7:2") == {3: 1, 7: 2}


def test_a_baseline_note_is_refused_when_too_long_not_cut(project, pm):
    with pytest.raises(ValidationError):
        baselines.baseline_set(project=project, user=pm, note="x" * 201)
    assert not Baseline.objects.exists()


def test_only_those_who_plan_see_a_moves_preview(chain, creative):
    shoot, _edit, _grade = chain
    with pytest.raises(PermissionDenied):
        plan.deliverable_move_preview(deliverable=shoot, user=creative, planned_start=MON, due_date=FRI2)
