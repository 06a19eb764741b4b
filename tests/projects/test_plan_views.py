"""Planning a project through its pages: create and edit it, move its status, set a
baseline, and edit phases and deliverables in place (HTMX), as each role would.

The clock stands on Wednesday 25 November 2026:
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4 | Mon 7
"""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from projects.models import Baseline, Deliverable, Phase, Project
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))
MON3 = dt.date(2026, 12, 7)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def project(pm, brand):
    return f.ProjectFactory(pm=pm, brand=brand, planned_start=MON, due_date=FRI2, status="planned")


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def user_for(role, request):
    return None if role == "anonymous" else request.getfixturevalue(role)


ROLES = ["pm", "executive", "creative", "freelancer", "brand_manager", "outsider", "admin_user", "anonymous"]
WRITERS = {"pm", "executive"}


# --- who may do what ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_new_project_page(client, request, role):
    response = login(client, user_for(role, request)).get(reverse("projects:project-create"))
    expected = 200 if role in WRITERS else 302 if role == "anonymous" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_project(client, request, role, project):
    # The brand manager of the project's brand sees it (403 to edit); another brand's does not (404).
    response = login(client, user_for(role, request)).get(reverse("projects:project-edit", args=[project.pk]))
    expected = {"anonymous": 302, "outsider": 404, "creative": 404, "freelancer": 404}.get(
        role, 200 if role in WRITERS else 403
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    "url",
    ["projects:project-status", "projects:project-baseline", "projects:phase-add", "projects:deliverable-add"],
)
def test_a_creative_on_the_team_may_look_but_not_plan(client, project, creative, url):
    f.BookingFactory(talent=creative.talent, project=project)
    login(client, creative)
    assert client.get(reverse("projects:project-detail", args=[project.pk])).status_code == 200
    assert client.post(reverse(url, args=[project.pk]), {"name": "x"}).status_code == 403
    assert not Phase.objects.exists() and not Baseline.objects.exists()


def test_the_page_offers_planning_only_to_those_who_may_plan(client, project, pm, brand_manager):
    url = reverse("projects:project-detail", args=[project.pk])
    pm_page = login(client, pm).get(url).content.decode()
    assert reverse("projects:deliverable-add", args=[project.pk]) in pm_page
    assert "Set baseline" in pm_page
    client.logout()
    brand_page = login(client, brand_manager).get(url).content.decode()
    assert reverse("projects:deliverable-add", args=[project.pk]) not in brand_page
    assert "Baseline" not in brand_page and "History" not in brand_page  # hours and internal history


# --- the project -------------------------------------------------------------------


def test_a_pm_creates_a_project_under_its_brands_next_code(client, pm):
    aurora = f.BrandFactory(name="Aurora Oats", code_prefix="AUR")
    f.ProjectFactory(brand=aurora, code="AUR-004")
    response = login(client, pm).post(reverse("projects:project-create"), {
        "name": "Porridge season", "brand": aurora.pk, "pm": pm.pk, "planned_start": "2026-11-30",
        "due_date": "2027-01-29", "fee": "18000", "status": "planned",
    })
    project = Project.objects.get(name="Porridge season")
    assert response.status_code == 302 and response["Location"] == reverse("projects:project-detail", args=[project.pk])
    assert (project.code, project.fee, project.status) == ("AUR-005", D("18000"), "planned")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_date": "2026-11-01"}, "due_date", "cannot be before the planned start"),
        ({"due_date": "2040-01-01"}, "due_date", "Choose a date from"),
        ({"planned_start": "0001-01-01"}, "planned_start", "Choose a date from"),
        ({"name": "Nul\x00byte"}, "name", "Null characters are not allowed"),
        ({"name": "x" * 5000}, "name", "at most 200 characters"),
        ({"fee": "-5"}, "fee", "greater than or equal to 0"),
        ({"brand": ""}, "brand", "Client work needs a brand"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_created(client, pm, brand, changes, field, message):
    data = {"name": "Launch", "brand": brand.pk, "pm": pm.pk, "planned_start": "2026-11-30",
            "due_date": "2026-12-18", "fee": "100", "status": "planned"}
    data.update(changes)
    response = login(client, pm).post(reverse("projects:project-create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_a_stale_edit_answers_409_with_the_current_values(client, project, pm, executive):
    data = {"name": "Mine", "brand": project.brand_id, "pm": pm.pk, "planned_start": "2026-11-23",
            "due_date": "2026-12-04", "fee": "20000", "version": project.version}
    login(client, executive).post(reverse("projects:project-edit", args=[project.pk]), data | {"name": "Theirs"})
    client.logout()
    response = login(client, pm).post(reverse("projects:project-edit", args=[project.pk]), data)
    assert response.status_code == 409
    assert response.context["form"].initial["name"] == "Theirs"
    assert "changed this since you opened it" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "Theirs"


def test_status_moves_and_refusals_say_why(client, project, pm):
    login(client, pm)
    url = reverse("projects:project-status", args=[project.pk])
    client.post(url, {"status": "active", "version": project.version, "reason": "Kick-off"})
    project.refresh_from_db()
    assert project.status == "active"
    response = client.post(url, {"status": "closed", "version": project.version}, follow=True)
    assert "Choose where the project goes next." in response.content.decode()
    project.refresh_from_db()
    assert project.status == "active"
    history = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "Planned → Active" in history and "Kick-off" in history


@pytest.mark.parametrize("route", ["projects:project-status", "projects:project-baseline"])
def test_a_status_or_baseline_posted_without_the_version_changes_nothing(client, project, pm, route):
    response = login(client, pm).post(reverse(route, args=[project.pk]), {"status": "active"}, follow=True)

    assert "Someone else changed this" in response.content.decode()
    project.refresh_from_db()
    assert (project.status, project.version, project.baselines.count()) == ("planned", 1, 0)


def test_setting_a_baseline_then_moving_shows_the_difference(client, project, pm):
    deliverable = f.DeliverableFactory(project=project, name="Hero film", planned_start=MON, due_date=WED)
    login(client, pm).post(reverse("projects:project-baseline", args=[project.pk]), {"version": project.version})
    Deliverable.objects.filter(pk=deliverable.pk).update(due_date=FRI, planned_hours=D("46"))
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    # Due Wed 25 → Fri 27: 2 days later; 40 → 46 hours.
    assert "2 days later</span>, +6 h" in page
    assert "Baseline 1, set by" in page


# --- phases and deliverables in place ---------------------------------------------------


def test_a_phase_is_added_in_place_and_the_editor_closes(client, project, pm):
    response = login(client, pm).post(
        reverse("projects:phase-add", args=[project.pk]),
        {"name": "Concept", "start_date": "2026-11-23", "end_date": "2026-11-27"}, **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="plan"' in html and "Concept" in html
    assert 'id="plan-editor"' in html and 'hx-swap-oob="true"' in html
    assert Phase.objects.get().order == 1


def test_a_phase_ending_before_it_starts_stays_in_the_editor_with_the_error(client, project, pm):
    response = login(client, pm).post(
        reverse("projects:phase-add", args=[project.pk]),
        {"name": "Concept", "start_date": "2026-11-27", "end_date": "2026-11-23"}, **HTMX,
    )
    assert "The phase cannot end before it starts." in response.content.decode()
    assert 'id="plan"' not in response.content.decode()
    assert not Phase.objects.exists()


@pytest.fixture
def key_visual():
    kind = f.DeliverableTypeFactory(name="Key visual")
    design = f.DisciplineFactory(name="Design")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("12"))
    return kind, design


def test_the_estimate_prefills_hours_from_the_type(client, project, pm, key_visual):
    kind, design = key_visual
    response = login(client, pm).get(
        reverse("projects:deliverable-estimate", args=[project.pk]), {"deliverable_type": kind.pk, "quantity": 3},
        **HTMX,
    )
    # 3 units × 12 hours of design.
    assert f'name="hours_{design.pk}"' in response.content.decode()
    assert 'value="36.00"' in response.content.decode() or 'value="36"' in response.content.decode()


def test_a_deliverable_is_added_with_its_people_and_what_it_follows(client, project, pm, key_visual):
    kind, design = key_visual
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    ana = f.TalentFactory(discipline=design)
    response = login(client, pm).post(reverse("projects:deliverable-add", args=[project.pk]), {
        "name": "Hero KV", "deliverable_type": kind.pk, "quantity": 2, "planned_start": "2026-11-26",
        "due_date": "2026-12-02", "assignees": [ana.pk], "depends_on": [shoot.pk],
    }, **HTMX)
    assert response.status_code == 200 and "Hero KV" in response.content.decode()
    hero = Deliverable.objects.get(name="Hero KV")
    assert hero.planned_hours == D("24")  # 2 × 12, from the type
    assert list(hero.assignees.all()) == [ana]
    assert list(hero.predecessor_links.values_list("predecessor__name", flat=True)) == ["Shoot"]


@pytest.mark.parametrize("quantity", ["-1", "0", "99999999999", "2147483648"])
def test_impossible_quantities_are_refused_in_place(client, project, pm, key_visual, quantity):
    kind, _design = key_visual
    response = login(client, pm).post(reverse("projects:deliverable-add", args=[project.pk]), {
        "name": "Hero KV", "deliverable_type": kind.pk, "quantity": quantity, "planned_start": "2026-11-26",
        "due_date": "2026-12-02",
    }, **HTMX)
    assert response.status_code == 200
    assert 'id="id_quantity_error"' in response.content.decode()
    assert not Deliverable.objects.exists()


@pytest.fixture
def chain(project):
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED)
    edit = f.DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    f.DependencyFactory(predecessor=shoot, successor=edit)
    return shoot, edit


def edit_form(deliverable, **changes):
    data = {
        "name": deliverable.name, "deliverable_type": deliverable.deliverable_type_id,
        "quantity": deliverable.quantity, "planned_start": deliverable.planned_start.isoformat(),
        "due_date": deliverable.due_date.isoformat(), "version": deliverable.version,
    }
    return data | changes


def test_moving_a_deliverable_others_follow_asks_first_then_pushes_them(client, pm, chain):
    shoot, edit = chain
    url = reverse("projects:deliverable-edit", args=[shoot.pk])
    login(client, pm)

    asked = client.post(url, edit_form(shoot, due_date="2026-11-27"), **HTMX)
    html = asked.content.decode()
    assert "Move and push 1 deliverable" in html
    # Shoot now ends Fri 27: Edit (2 days) moves to Mon 30 – Tue 1.
    assert "Mon 30 Nov – Tue 1 Dec 2026" in html
    assert Deliverable.objects.get(pk=shoot.pk).due_date == WED  # nothing saved yet

    expected = re.search(r'name="expected" value="([^"]*)"', html).group(1)
    client.post(url, edit_form(shoot, due_date="2026-11-27", push="yes", expected=expected), **HTMX)
    edit.refresh_from_db()
    assert (edit.planned_start, edit.due_date) == (MON2, TUE2)


def test_a_stale_deliverable_edit_answers_409(client, pm, executive, chain):
    shoot, _edit = chain
    url = reverse("projects:deliverable-edit", args=[shoot.pk])
    login(client, executive).post(url, edit_form(shoot, name="Shoot day"), **HTMX)
    client.logout()
    response = login(client, pm).post(url, edit_form(shoot, name="Location shoot"), **HTMX)
    assert response.status_code == 409
    assert Deliverable.objects.get(pk=shoot.pk).name == "Shoot day"


def test_cancelling_a_deliverable_keeps_it_struck_through(client, pm, chain):
    shoot, _edit = chain
    response = login(client, pm).post(
        reverse("projects:deliverable-cancel", args=[shoot.pk]), {"version": shoot.version}, **HTMX
    )
    assert 'class="is-cancelled"' in response.content.decode()
    shoot.refresh_from_db()
    assert shoot.status == "cancelled"


def test_the_cancel_button_carries_the_version_and_a_changed_plan_is_not_cancelled(client, pm, chain):
    shoot, _edit = chain
    page = login(client, pm).get(reverse("projects:project-detail", args=[shoot.project_id])).content.decode()
    assert f'name="version" value="{shoot.version}"' in page
    Deliverable.objects.filter(pk=shoot.pk).update(version=shoot.version + 1)  # someone saved it meanwhile

    response = client.post(reverse("projects:deliverable-cancel", args=[shoot.pk]), {"version": shoot.version}, **HTMX)

    assert "Someone else changed this" in response.content.decode()
    shoot.refresh_from_db()
    assert shoot.status != "cancelled"


def test_dependency_conflicts_are_flagged_on_the_page(client, pm, project):
    first = f.DeliverableFactory(project=project, planned_start=MON, due_date=WED)
    second = f.DeliverableFactory(project=project, planned_start=TUE, due_date=FRI)
    f.DependencyFactory(predecessor=first, successor=second)
    html = login(client, pm).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "1 deliverable starts before something it depends on is due." in html
    assert "Starts too early" in html


@pytest.mark.parametrize("size", [1, 8])
def test_the_project_page_runs_a_fixed_number_of_queries(client, pm, project, size, django_assert_num_queries):
    f.BaselineFactory(project=project, number=1)
    for n in range(size):
        phase = f.PhaseFactory(project=project, name=f"Phase {n}")
        deliverable = f.DeliverableFactory(project=project, phase=phase)
        deliverable.assignees.add(f.TalentFactory())
        f.DeliverableHoursFactory(deliverable=deliverable)
        f.DependencyFactory(predecessor=deliverable, successor=f.DeliverableFactory(project=project))
        f.audit(pm, deliverable, action="deliverable.update")
    login(client, pm)
    client.get(reverse("projects:project-detail", args=[project.pk]))
    # session, user, project, deliverables, assignees, dependencies, baseline, its rows,
    # phases, deliverable ids and history (content types are cached), the submittable
    # deliverables, studio settings (layout), team, attachments
    with django_assert_num_queries(15):
        response = client.get(reverse("projects:project-detail", args=[project.pk]))
    assert response.status_code == 200
