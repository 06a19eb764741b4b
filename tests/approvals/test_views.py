"""The approval inbox, its count badge, the object panel and delegations, as a user drives them."""

import datetime as dt

import pytest
from django.urls import reverse

from approvals import registry
from approvals.forms import DelegationForm
from approvals.models import Approval, Decision, Delegation
from approvals.registry import ApprovalKind
from approvals.services import approval_decide, approval_submit
from schedules.models import Timesheet
from studio import clock
from tests.factories import BudgetFactory, DelegationFactory, ProjectFactory, TimesheetFactory, UserFactory

from .conftest import KIND, PROJECT_KIND, make_flow

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = dt.timedelta(days=1)


def client_for(client, user):
    client.force_login(user)
    return client


def decide_url(approval):
    return reverse("approvals:decide", args=[approval.pk])


@pytest.fixture
def waiting(pm_flow, budget, executive):
    """A budget waiting on the production managers."""
    return approval_submit(obj=budget, kind=KIND, submitted_by=executive)


# --- the inbox ----------------------------------------------------------------------------


def test_inbox_lists_what_waits_on_me_grouped_by_kind_oldest_first_with_age_and_link(
    client, calls, pm, executive, brand
):
    make_flow(KIND, {"role": "pm"})
    make_flow(PROJECT_KIND, {"role": "pm"})
    budgets = [BudgetFactory(project__brand=brand) for _ in range(2)]
    older = approval_submit(obj=budgets[0], kind=KIND, submitted_by=executive)
    newer = approval_submit(obj=budgets[1], kind=KIND, submitted_by=executive)
    project = approval_submit(obj=ProjectFactory(), kind=PROJECT_KIND, submitted_by=executive)
    Approval.objects.filter(pk=older.pk).update(submitted_at=older.submitted_at - 3 * DAY)

    response = client_for(client, pm).get(reverse("approvals:inbox"))

    assert response.status_code == 200
    rows = [approval.pk for approval in response.context["page_obj"]]
    # Grouped by kind (test-budget before test-project), oldest first within each.
    assert rows == [older.pk, newer.pk, project.pk]
    html = response.content.decode()
    assert "3\xa0days" in html
    assert f'href="/test-budgets/{budgets[0].pk}/"' in html
    assert html.index(f"approval-{older.pk}") < html.index(f"approval-{newer.pk}")


def test_inbox_shows_nothing_of_what_waits_on_others(client, waiting, executive, brand_manager):
    for user in (executive, brand_manager):
        response = client_for(client, user).get(reverse("approvals:inbox"))
        assert list(response.context["page_obj"]) == []


def _submit_many(count, executive, brand):
    for _ in range(count):
        approval_submit(obj=BudgetFactory(project__brand=brand), kind=KIND, submitted_by=executive)
        approval_submit(obj=ProjectFactory(brand=brand), kind=PROJECT_KIND, submitted_by=executive)


@pytest.mark.parametrize("count", [1, 6])
def test_inbox_query_count_does_not_grow_with_rows(
    client, calls, pm, executive, brand, count, django_assert_num_queries
):
    make_flow(KIND, {"role": "pm"})
    make_flow(PROJECT_KIND, {"role": "pm"})
    _submit_many(count, executive, brand)
    client_for(client, pm)

    # session, user, studio settings (page), count, page of approvals, its targets (one
    # query per kind: two here), flow names; today's time zone is cached.
    with django_assert_num_queries(8):
        response = client.get(reverse("approvals:inbox"))
    assert len(response.context["page_obj"]) == 2 * count


def test_inbox_count_badge_shows_the_number_waiting_and_nothing_at_zero(client, waiting, pm, executive):
    assert ">1</span>" in client_for(client, pm).get(reverse("approvals:inbox-count")).content.decode()
    assert client_for(client, executive).get(reverse("approvals:inbox-count")).content.decode().strip() == ""


# --- deciding inline ----------------------------------------------------------------------


def test_approving_inline_replaces_the_row_and_tells_the_badge(client, calls, waiting, pm):
    response = client_for(client, pm).post(decide_url(waiting), {"outcome": "approve", "step": 0}, **HTMX)

    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == '{"approvalChanged": {}}'
    html = response.content.decode()
    assert f'id="approval-{waiting.pk}"' in html and "Approved" in html
    assert "<form" not in html
    assert Decision.objects.get(approval=waiting).decided_by == pm


def test_sending_back_without_a_comment_shows_the_error_in_the_row(client, calls, waiting, pm):
    response = client_for(client, pm).post(decide_url(waiting), {"outcome": "request_changes", "step": 0}, **HTMX)

    assert response.status_code == 200
    assert "HX-Trigger" not in response.headers
    assert "Say what should change" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_stale_decision_says_so_in_the_row(client, calls, waiting, pm):
    approval_decide(approval=waiting, user=UserFactory(role="pm"), outcome="approve")

    response = client_for(client, pm).post(
        decide_url(waiting), {"outcome": "reject", "comment": "No.", "step": 0}, **HTMX
    )

    assert response.status_code == 200
    assert "already decided" in response.content.decode()
    assert Decision.objects.filter(approval=waiting).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("pm", 200), ("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("creative", 404),
     ("freelancer", 404), ("outsider", 404)],
)
def test_deciding_answers_404_to_who_cannot_see_it_and_403_to_who_may_not_decide(
    request, client, calls, waiting, who, status
):
    user = request.getfixturevalue(who)

    response = client_for(client, user).post(
        decide_url(waiting), {"outcome": "reject", "comment": "No.", "step": 0}, **HTMX
    )

    assert response.status_code == status
    assert Decision.objects.exists() == (status == 200)


def test_bulk_approve_decides_each_selected_timesheet_and_reports_how_many(client, monkeypatch, pm, creative):
    monkeypatch.setitem(registry._kinds, "timesheet", ApprovalKind(kind="timesheet", model=Timesheet))
    sheets = [TimesheetFactory(talent=creative.talent, week_start=dt.date(2026, 11, 2) + 7 * n * DAY)
              for n in range(3)]
    approvals = [approval_submit(obj=sheet, kind="timesheet", submitted_by=creative) for sheet in sheets]
    # One of them was decided by another PM meanwhile.
    approval_decide(approval=approvals[2], user=UserFactory(role="pm"), outcome="approve")

    response = client_for(client, pm).post(
        reverse("approvals:bulk-approve"), {"approvals": [a.pk for a in approvals]}, **HTMX
    )

    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == '{"approvalChanged": {}}'
    html = response.content.decode()
    assert "2 timesheets approved." in html
    assert "1 was not approved" in html
    assert set(Approval.objects.values_list("status", flat=True)) == {"approved"}
    assert Decision.objects.filter(decided_by=pm).count() == 2


# --- the object's panel -------------------------------------------------------------------


def panel_url(kind, obj):
    return reverse("approvals:panel", args=[kind, obj.pk])


def test_the_panel_shows_rounds_and_gives_the_approver_the_buttons(client, waiting, budget, pm, brand_manager):
    html = client_for(client, pm).get(panel_url(KIND, budget)).content.decode()
    assert "Round 1" in html and 'value="approve"' in html

    response = client_for(client, brand_manager).get(panel_url(KIND, budget))
    assert response.status_code == 200
    assert "Round 1" in response.content.decode() and 'value="approve"' not in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "creative"])
def test_the_panel_of_an_object_one_cannot_see_is_a_404(request, client, waiting, budget, who):
    user = request.getfixturevalue(who)
    assert client_for(client, user).get(panel_url(KIND, budget)).status_code == 404
    assert client_for(client, user).get(panel_url("no-such-kind", budget)).status_code == 404


def test_deciding_from_the_panel_answers_with_the_panel(client, calls, waiting, budget, pm):
    response = client_for(client, pm).post(
        decide_url(waiting), {"outcome": "request_changes", "comment": "Trim it.", "step": 0, "view": "panel"},
        **HTMX,
    )

    html = response.content.decode()
    assert 'class="approval-panel"' in html and "Trim it." in html and 'value="approve"' not in html
    assert response.headers["HX-Trigger"] == '{"approvalChanged": {}}'


# --- delegations --------------------------------------------------------------------------


def test_an_approver_names_a_stand_in_for_a_date_range(client, pm):
    stand_in = UserFactory(role="pm")
    today = clock.today()

    response = client_for(client, pm).post(reverse("approvals:delegation-list"), {
        "delegate": stand_in.pk, "start_date": today.isoformat(), "end_date": (today + 3 * DAY).isoformat(),
    })

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate, delegation.end_date) == (pm, stand_in, today + 3 * DAY)
    assert str(stand_in) in client.get(reverse("approvals:delegation-list")).content.decode()


@pytest.mark.parametrize(
    ("field", "change"),
    [("end_date", {"end_date": -1}), ("delegate", {"delegate": "self"}), ("start_date", {"start_date": -1})],
)
def test_a_bad_delegation_shows_field_errors_and_saves_nothing(client, pm, field, change):
    today = clock.today()
    data = {"delegate": UserFactory(role="pm").pk, "start_date": today, "end_date": today + DAY}
    for name, value in change.items():
        data[name] = pm.pk if value == "self" else today + value * DAY

    response = client_for(client, pm).post(reverse("approvals:delegation-list"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Delegation.objects.exists()


def test_ending_a_running_delegation_stops_it_today(client, pm):
    today = clock.today()
    delegation = DelegationFactory(delegator=pm, start_date=today - 2 * DAY, end_date=today + 2 * DAY)

    response = client_for(client, pm).post(reverse("approvals:delegation-end", args=[delegation.pk]))

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.end_date == today - DAY
    assert not Delegation.objects.active_on(today).exists()


def test_others_delegations_cannot_be_ended(client, pm):
    delegation = DelegationFactory(start_date=clock.today())

    assert client_for(client, pm).post(reverse("approvals:delegation-end", args=[delegation.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    # The admin role decides nothing, so has nobody to hand decisions to.
    [("pm", 200), ("executive", 200), ("brand_manager", 200), ("outsider", 200), ("admin_user", 403),
     ("creative", 403), ("freelancer", 403)],
)
def test_the_delegation_page_is_for_those_who_may_delegate(request, client, who, status):
    user = request.getfixturevalue(who)

    assert client_for(client, user).get(reverse("approvals:delegation-list")).status_code == status
    inbox = client.get(reverse("approvals:inbox")).content.decode()
    assert (reverse("approvals:delegation-list") in inbox) == (status == 200)


def test_the_delegation_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("approvals:delegation-list"))

    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("who", "choices"),
    [("pm", {"pm_colleague", "executive"}), ("executive", {"pm", "pm_colleague"}),
     ("brand_manager", {"brand_colleague"})],
)
def test_a_stand_in_is_a_colleague_who_sees_what_one_decides(request, brand, who, choices):
    people = {
        "pm": request.getfixturevalue("pm"),
        "pm_colleague": UserFactory(role="pm"),
        "executive": request.getfixturevalue("executive"),
        "admin": request.getfixturevalue("admin_user"),
        "creative": request.getfixturevalue("creative"),
        "brand_manager": request.getfixturevalue("brand_manager"),
        "brand_colleague": UserFactory(role="brand_manager"),
        "outsider": request.getfixturevalue("outsider"),
    }
    brand.managers.add(people["brand_colleague"])

    offered = DelegationForm(delegator=people[who]).fields["delegate"].queryset

    assert {key for key, person in people.items() if person in offered} == choices


def test_a_brand_manager_does_not_read_the_internal_reviews_comments(client, calls, budget, pm, brand_manager):
    make_flow(KIND, {"role": "pm"}, {"role": "brand_manager"})
    approval = approval_submit(obj=budget, kind=KIND, submitted_by=UserFactory(role="executive"))
    approval = approval_decide(approval=approval, user=pm, outcome="approve", comment="Internal: pad the hours.")
    approval_decide(approval=approval, user=brand_manager, outcome="reject", comment="Too dear.")

    brand_view = client_for(client, brand_manager).get(panel_url(KIND, budget)).content.decode()
    studio_view = client_for(client, pm).get(panel_url(KIND, budget)).content.decode()

    assert "Too dear." in brand_view and "pad the hours" not in brand_view
    assert "Too dear." in studio_view and "pad the hours" in studio_view
