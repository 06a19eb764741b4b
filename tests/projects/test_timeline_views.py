"""The timelines through their pages: who sees them, who may move what, moving and
stretching deliverables (at once, or after the confirmation of what else moves),
refusals that write nothing, and the portfolio.

The clock stands on Wednesday 25 November 2026:
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27 | Mon 30  Tue 1  Wed 2  Thu 3  Fri 4 | Mon 7  Tue 8
"""

import datetime as dt
import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from projects.models import Deliverable, Phase, Project
from studio.models import AuditEvent
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
MON2, TUE2, WED2, THU2, FRI2 = (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5))
MON3, TUE3 = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def project(pm, brand):
    return f.ProjectFactory(pm=pm, brand=brand, planned_start=MON, due_date=FRI2, status="active")


@pytest.fixture
def chain(project):
    """Shoot (Mon 23 – Wed 25) → Edit (Thu 26 – Fri 27); Copy (Mon 23 – Tue 24) stands alone."""
    shoot = f.DeliverableFactory(project=project, name="Shoot", planned_start=MON, due_date=WED,
                                 planned_hours=D("37.25"))
    edit = f.DeliverableFactory(project=project, name="Edit", planned_start=THU, due_date=FRI)
    copy = f.DeliverableFactory(project=project, name="Copy", planned_start=MON, due_date=TUE)
    f.DependencyFactory(predecessor=shoot, successor=edit)
    return shoot, edit, copy


def timeline_url(project, **query):
    url = reverse("projects:project-timeline", args=[project.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def move_url(deliverable):
    return reverse("projects:timeline-move", args=[deliverable.pk])


def move(client, deliverable, start, due, *, version=None, htmx=True, **extra):
    data = {"planned_start": start.isoformat(), "due_date": due.isoformat(),
            "version": deliverable.version if version is None else version, "zoom": "week", **extra}
    return client.post(move_url(deliverable), data, **(HTMX if htmx else {}))


def dates(deliverable):
    deliverable.refresh_from_db()
    return deliverable.planned_start, deliverable.due_date


def bar_classes(html: str, key: str) -> set[str]:
    """The CSS classes of the bar with this key ("deliverable-12")."""
    return set(re.search(rf'<(?:a|span) class="([^"]*)"[^<>]*?id="bar-{key}"', html).group(1).split())


def triggers(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger", "{}"))


# --- who sees the timeline, who may move it -------------------------------------------------


@pytest.fixture
def on_project(project, creative, freelancer):
    """The creative and the freelancer are booked on the project."""
    f.BookingFactory(talent=creative.talent, project=project)
    f.BookingFactory(talent=freelancer.talent, project=project)


ROLES = {
    # role: (timeline, move)
    "pm": (200, 200),
    "executive": (200, 200),
    "admin_user": (200, 403),
    "creative_on_it": (200, 403),
    "creative_not_on_it": (404, 404),
    "freelancer_on_it": (200, 403),
    "freelancer_not_on_it": (404, 404),
    "brand_manager": (200, 403),
    "outsider": (404, 404),
    "anonymous": (302, 302),
}


def user_for(role, request):
    if role == "anonymous":
        return None
    if role.endswith("_not_on_it"):
        return request.getfixturevalue(role.removesuffix("_not_on_it"))
    if role.endswith("_on_it"):
        request.getfixturevalue("on_project")
        return request.getfixturevalue(role.removesuffix("_on_it"))
    return request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_timeline_and_who_may_move_it(client, request, role, chain):
    shoot, _edit, copy = chain
    user = user_for(role, request)
    if user is not None:
        client.force_login(user)
    seen, moved = ROLES[role]

    response = client.get(timeline_url(shoot.project))
    assert response.status_code == seen
    if seen == 302:
        assert response.url.startswith(reverse("login"))
    if seen == 200:
        html = response.content.decode()
        assert f'id="bar-deliverable-{shoot.pk}"' in html
        # Only those who may move get the move handles.
        assert ("data-move-url" in html) is (moved == 200)

    response = move(client, copy, TUE, WED)
    assert response.status_code == moved
    assert dates(copy) == ((TUE, WED) if moved == 200 else (MON, TUE))


@pytest.mark.parametrize("role", ["pm", "executive", "admin_user", "brand_manager", "creative_on_it"])
def test_planned_hours_only_for_the_studio(client, request, role, chain):
    client.force_login(user_for(role, request))
    html = client.get(timeline_url(chain[0].project)).content.decode()
    assert ("37.25 h" in html) is (role in {"pm", "executive", "admin_user"})
    assert ("Planned hours" in html) is (role in {"pm", "executive", "admin_user"})


def test_the_page_shows_the_critical_path_slack_and_conflicts(client, pm, chain):
    shoot, edit, copy = chain
    late = f.DeliverableFactory(project=shoot.project, name="Late", planned_start=FRI, due_date=MON2)
    f.DependencyFactory(predecessor=edit, successor=late)  # Edit is due Fri 27: Late starts too early
    client.force_login(pm)

    html = client.get(timeline_url(shoot.project)).content.decode()

    # Shoot → Edit → Late is the critical path; Late also starts too early.
    assert "is-critical" in bar_classes(html, f"deliverable-{shoot.pk}")
    assert {"is-critical", "has-conflict"} <= bar_classes(html, f"deliverable-{late.pk}")
    assert not {"is-critical", "has-conflict"} & bar_classes(html, f"deliverable-{copy.pk}")
    assert html.count('<path class="tl-link') == 2
    assert "is-conflict" in html
    assert "1 deliverable starts before something it depends on is due." in html
    # The table for keyboard and screen-reader users: Copy (Mon 23 – Tue 24) has 4 working
    # days of slack before the plan's finish, Mon 30 (Wed, Thu, Fri, Mon).
    row = re.search(rf'<tr id="table-deliverable-{copy.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'<td class="num">\s*4\s*</td>', row)
    assert "Alt+←/→" in html


def test_the_zoom_is_in_the_url_and_htmx_gets_only_the_timeline(client, pm, chain):
    client.force_login(pm)
    project = chain[0].project

    page = client.get(timeline_url(project, zoom="month")).content.decode()
    fragment = client.get(timeline_url(project, zoom="month"), **HTMX).content.decode()

    assert 'class="timeline timeline-month"' in page and "<html" in page
    assert fragment.lstrip().startswith('<section id="timeline"') and "<html" not in fragment
    assert 'hx-push-url="true"' in page


def test_a_project_without_deliverables_has_a_timeline_too(client, pm, project):
    client.force_login(pm)
    response = client.get(timeline_url(project))
    assert response.status_code == 200
    assert "No deliverables planned yet." in response.content.decode()
    assert response.context["timeline"].finish is None


def test_the_project_page_links_to_its_timeline(client, pm, project):
    client.force_login(pm)
    html = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert f'href="{timeline_url(project)}"' in html


@pytest.mark.parametrize("size", [2, 10])
def test_the_timeline_runs_a_fixed_number_of_queries(client, pm, project, size, django_assert_num_queries):
    phase = f.PhaseFactory(project=project)
    baseline = f.BaselineFactory(project=project)
    previous = None
    for n in range(size):
        d = f.DeliverableFactory(project=project, phase=phase if n % 2 else None,
                                 planned_start=MON + dt.timedelta(days=n), due_date=FRI2)
        f.BaselineDeliverableFactory(baseline=baseline, deliverable=d)
        if previous:
            f.DependencyFactory(predecessor=previous, successor=d)
        previous = d
    client.force_login(pm)
    client.get(timeline_url(project))  # the studio's time zone is cached from then on

    # session, user, project, deliverables, dependencies, phases, latest baseline, its
    # deliverables, holidays, studio settings (the page's name)
    with django_assert_num_queries(10):
        response = client.get(timeline_url(project))
    assert len(response.context["timeline"].deliverable_rows) == size


# --- moving deliverables -----------------------------------------------------------------


def test_a_move_nothing_depends_on_is_saved_at_once(client, pm, chain):
    _shoot, _edit, copy = chain
    client.force_login(pm)

    response = move(client, copy, TUE, WED)

    assert response.status_code == 200
    assert dates(copy) == (TUE, WED)
    assert copy.version == 2
    assert response.headers["HX-Retarget"] == "#timeline"
    assert "planChanged" in triggers(response) and "timelineDialogClose" in triggers(response)
    html = response.content.decode()
    assert 'data-start="2026-11-24" data-end="2026-11-25"' in html
    assert "“Copy” now runs Tue 24 Nov – Wed 25 Nov." in html
    assert AuditEvent.objects.filter(action="deliverable.update").count() == 1


def test_moving_a_deliverable_others_depend_on_asks_first(client, pm, chain):
    shoot, edit, _copy = chain
    client.force_login(pm)

    # Two days later: Shoot Mon 23 – Wed 25 → Wed 25 – Fri 27; Edit would start Mon 30.
    response = move(client, shoot, WED, FRI)

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#timeline-dialog-body"
    html = response.content.decode()
    assert "Move and push 1" in html and "Move only this one" in html
    assert "Mon 30 Nov – Tue 1 Dec 2026" in html  # Edit's new dates
    assert "The project stays due Fri 4 Dec 2026." in html
    assert f'name="expected" value="{shoot.pk}:1,{edit.pk}:1"' in html
    assert dates(shoot) == (MON, WED) and dates(edit) == (THU, FRI)  # nothing saved


def test_the_confirmation_moves_and_pushes_in_one_go(client, pm, chain):
    shoot, edit, _copy = chain
    client.force_login(pm)

    response = move(client, shoot, WED, FRI, confirm="push", expected=f"{shoot.pk}:1,{edit.pk}:1")

    assert response.status_code == 200
    assert dates(shoot) == (WED, FRI)
    assert dates(edit) == (MON2, TUE2)
    assert response.headers["HX-Retarget"] == "#timeline"


def test_moving_only_this_one_keeps_the_conflict_flagged(client, pm, chain):
    shoot, edit, _copy = chain
    client.force_login(pm)
    preview = move(client, shoot, WED, FRI).content.decode()
    expected = re.search(r'name="expected" value="([^"]*)"', preview).group(1)

    response = move(client, shoot, WED, FRI, confirm="only", expected=expected)

    assert response.status_code == 200
    assert dates(shoot) == (WED, FRI) and dates(edit) == (THU, FRI)
    assert "has-conflict" in bar_classes(response.content.decode(), f"deliverable-{edit.pk}")


def test_the_preview_says_when_the_project_due_date_moves_and_which_bookings_fall_outside(client, pm, chain):
    shoot, edit, _copy = chain
    booking = f.BookingFactory(project=shoot.project, deliverable=edit, start_date=THU, end_date=FRI,
                               talent=f.TalentFactory(user__first_name="Ana", user__last_name="Silva"))
    client.force_login(pm)

    # Shoot to Thu 3 Dec: Edit pushed to Fri 4 – Mon 7, past the project's Fri 4.
    html = move(client, shoot, MON, THU2).content.decode()

    assert "due date moves from Fri 4 Dec 2026 to Mon 7 Dec 2026." in html
    assert "Ana Silva, Edit: Thu 26 Nov – Fri 27 Nov 2026" in html
    move(client, shoot, MON, THU2, confirm="push", expected=f"{shoot.pk}:1,{edit.pk}:1")
    assert Project.objects.get(pk=shoot.project_id).due_date == MON3
    booking.refresh_from_db()
    assert (booking.start_date, booking.end_date) == (THU, FRI)  # bookings are the PM's to move


def test_stretching_the_end_changes_only_the_due_date(client, pm, chain):
    _shoot, _edit, copy = chain
    client.force_login(pm)
    move(client, copy, MON, THU)
    assert dates(copy) == (MON, THU)


def test_a_due_date_before_the_start_is_refused_and_nothing_is_written(client, pm, chain):
    _shoot, _edit, copy = chain
    client.force_login(pm)

    response = move(client, copy, WED, MON)

    assert response.status_code == 422
    assert dates(copy) == (MON, TUE) and copy.version == 1
    assert "timelineRefused" in triggers(response)
    assert "The due date cannot be before the planned start." in response.content.decode()
    assert 'class="timeline-status is-alert"' in response.content.decode()


def test_dates_outside_the_plan_window_are_refused(client, pm, chain):
    _shoot, _edit, copy = chain
    client.force_login(pm)
    response = move(client, copy, dt.date(2045, 1, 2), dt.date(2045, 1, 3))
    assert response.status_code == 422
    assert dates(copy) == (MON, TUE)


def test_a_stale_bar_is_refused_with_409_and_snaps_back(client, pm, chain):
    _shoot, _edit, copy = chain
    Deliverable.objects.filter(pk=copy.pk).update(version=2)  # someone saved it meanwhile
    client.force_login(pm)

    response = move(client, copy, TUE, WED, version=1)

    assert response.status_code == 409
    assert dates(copy) == (MON, TUE)
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert f'id="bar-deliverable-{copy.pk}"' in html and 'data-start="2026-11-23" data-end="2026-11-24"' in html


def test_a_plan_changed_since_the_preview_is_refused(client, pm, chain):
    shoot, edit, _copy = chain
    client.force_login(pm)
    preview = move(client, shoot, WED, FRI).content.decode()
    expected = re.search(r'name="expected" value="([^"]*)"', preview).group(1)
    Deliverable.objects.filter(pk=edit.pk).update(version=5, name="Rough cut")

    for confirm in ("push", "only"):
        response = move(client, shoot, WED, FRI, confirm=confirm, expected=expected)
        assert response.status_code == 409
    assert dates(shoot) == (MON, WED) and dates(edit) == (THU, FRI)


def test_without_javascript_the_move_is_a_form_and_its_confirmation_a_page(client, pm, chain):
    shoot, edit, _copy = chain
    client.force_login(pm)

    form = client.get(move_url(shoot))
    assert form.status_code == 200
    assert 'name="planned_start"' in form.content.decode() and 'id="timeline"' in form.content.decode()

    confirmation = move(client, shoot, WED, FRI, htmx=False)
    assert confirmation.status_code == 200
    assert "Move and push 1" in confirmation.content.decode()

    done = move(client, shoot, WED, FRI, htmx=False, confirm="push", expected=f"{shoot.pk}:1,{edit.pk}:1")
    assert done.status_code == 302 and done.url == timeline_url(shoot.project, zoom="week")
    assert dates(edit) == (MON2, TUE2)

    refused = move(client, shoot, FRI, WED, htmx=False, version=2)
    assert refused.status_code == 422
    assert "The due date cannot be before the planned start." in refused.content.decode()


# --- phases --------------------------------------------------------------------------


def test_dragging_a_phase_moves_it(client, pm, project):
    phase = f.PhaseFactory(project=project, start_date=MON, end_date=FRI)
    client.force_login(pm)
    url = reverse("projects:timeline-phase-move", args=[phase.pk])

    response = client.post(url, {"start_date": TUE, "end_date": MON2, "version": 1, "zoom": "week"}, **HTMX)
    assert response.status_code == 200
    phase.refresh_from_db()
    assert (phase.start_date, phase.end_date, phase.version) == (TUE, MON2, 2)

    stale = client.post(url, {"start_date": WED, "end_date": MON2, "version": 1}, **HTMX)
    assert stale.status_code == 409
    assert Phase.objects.get(pk=phase.pk).start_date == TUE


def test_a_brand_manager_cannot_move_a_phase(client, brand_manager, project):
    phase = f.PhaseFactory(project=project, start_date=MON, end_date=FRI)
    client.force_login(brand_manager)
    url = reverse("projects:timeline-phase-move", args=[phase.pk])
    assert client.post(url, {"start_date": TUE, "end_date": FRI, "version": 1}).status_code == 403


# --- the portfolio -------------------------------------------------------------------------

PORTFOLIO = reverse("projects:portfolio-timeline")


def codes(response) -> list[str]:
    return [row.project.code for row in response.context["timeline"].rows]


def test_the_portfolio_shows_active_projects_unless_filtered(client, pm, brand):
    other_pm = f.UserFactory(role="pm", first_name="Olga")
    f.ProjectFactory(code="A-1", brand=brand, pm=pm, status="active", planned_start=MON)
    f.ProjectFactory(code="A-2", pm=other_pm, status="active", planned_start=TUE)
    f.ProjectFactory(code="P-1", brand=brand, pm=pm, status="planned", planned_start=WED)
    client.force_login(pm)

    assert codes(client.get(PORTFOLIO)) == ["A-1", "A-2"]
    assert codes(client.get(PORTFOLIO, {"status": ""})) == ["A-1", "A-2", "P-1"]
    assert codes(client.get(PORTFOLIO, {"status": "planned"})) == ["P-1"]
    assert codes(client.get(PORTFOLIO, {"pm": other_pm.pk})) == ["A-2"]
    assert codes(client.get(PORTFOLIO, {"brand": brand.pk, "status": ""})) == ["A-1", "P-1"]
    fragment = client.get(PORTFOLIO, {"zoom": "week"}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="portfolio"')
    assert '<input type="hidden" name="zoom" value="week" form="portfolio-filters">' in fragment


def test_the_portfolio_shows_only_what_the_user_may_see(client, creative, brand_manager, brand):
    mine = f.ProjectFactory(code="MINE-1", status="active")
    f.BookingFactory(talent=creative.talent, project=mine)
    f.ProjectFactory(code="BRAND-1", brand=brand, status="active")
    f.ProjectFactory(code="OTHER-1", status="active")

    client.force_login(creative)
    assert codes(client.get(PORTFOLIO)) == ["MINE-1"]
    client.force_login(brand_manager)
    html = client.get(PORTFOLIO).content.decode()
    assert "BRAND-1" in html and "OTHER-1" not in html and "MINE-1" not in html


def test_the_portfolio_is_in_the_managers_menu_only(client, pm, creative):
    client.force_login(pm)
    assert f'href="{PORTFOLIO}"' in client.get(reverse("projects:project-list")).content.decode()
    client.force_login(creative)
    assert f'href="{PORTFOLIO}"' not in client.get(reverse("projects:project-list")).content.decode()


@pytest.mark.parametrize("size", [3, 20])
def test_the_portfolio_runs_a_fixed_number_of_queries(client, pm, size, django_assert_num_queries):
    for n in range(size):
        project = f.ProjectFactory(status="active", baseline_start=MON, baseline_due_date=FRI2,
                                   baseline_set_at=f.timezone.now())
        f.DeliverableFactory(project=project, percent_complete=n % 100)
    client.force_login(pm)
    client.get(PORTFOLIO)  # the studio's time zone is cached from then on

    # session, user, count, page of projects (with brand and PM), percent complete, holidays,
    # studio settings (the page's name), brands and production managers for the filter form
    with django_assert_num_queries(9):
        response = client.get(PORTFOLIO)
    assert len(response.context["timeline"].rows) == size


def test_the_portfolio_pages_fifty_projects(client, pm):
    for _ in range(51):
        f.ProjectFactory(status="active")
    client.force_login(pm)
    assert len(codes(client.get(PORTFOLIO))) == 50
    assert len(codes(client.get(PORTFOLIO, {"page": 2}))) == 1
