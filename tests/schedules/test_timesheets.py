"""The weekly timesheet (issue 5): the grid, saving cell by cell, submitting into the
approval flow, the locked week, the production manager's reopening, the reminders and
the missing-timesheets page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import Approval
from approvals.services import approval_decide
from schedules.models import TimeEntry, Timesheet
from schedules.services.timesheets import (
    TimesheetLocked,
    time_entry_set,
    timesheet_reminders_send,
    timesheet_reopen_by_pm,
    timesheet_submit,
)
from schedules.timegrid import cell_name
from studio.models import AuditEvent, Notification
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# TODAY is Wednesday 25 November 2026: this week starts Monday 23, the last one Monday 16.
MONDAY = dt.date(2026, 11, 23)
LAST_MONDAY = dt.date(2026, 11, 16)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def friday(move_clock):
    """The clock on Friday 27 November: this week may be submitted from its last working day on."""
    move_clock(MONDAY + dt.timedelta(days=4))


@pytest.fixture
def talent(creative):
    return creative.talent


@pytest.fixture
def booked(talent):
    """Six hours a day, Monday to Friday of this week, on a deliverable of ACME-1."""
    deliverable = f.DeliverableFactory(project__code="ACME-1", name="Key visual")
    return f.BookingFactory(
        talent=talent,
        project=deliverable.project,
        deliverable=deliverable,
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=6),
        hours_per_day=Decimal("6"),
    )


def week_url(talent, week=MONDAY):
    return f"{reverse('schedules:timesheet-person', args=[talent.pk])}?week={week.isoformat()}"


def cell_url(talent):
    return reverse("schedules:timesheet-cell", args=[talent.pk])


def name_of(booking, day):
    return cell_name(booking.project_id, booking.deliverable_id, day)


def post_cell(client, talent, name, value):
    return client.post(cell_url(talent), {"cell": name, name: value}, **HTMX)


def logged(talent):
    return {(entry.project_id, entry.date): entry.hours for entry in TimeEntry.objects.filter(talent=talent)}


def input_of(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


# --- access ------------------------------------------------------------------------------

WEEK_PAGE = {
    "pm": 200,
    "executive": 200,
    "admin_user": 200,
    "creative": 200,
    "freelancer": 404,
    "brand_manager": 403,
    "outsider": 403,
}


@pytest.mark.parametrize(("role", "expected"), WEEK_PAGE.items())
def test_who_sees_a_creatives_week(client, request, talent, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(week_url(talent)).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 200,
        "executive": 200,
        "admin_user": 200,
        "creative": 403,
        "freelancer": 403,
        "brand_manager": 403,
        "outsider": 403,
    }.items(),
)
def test_who_sees_the_missing_timesheets_page(client, request, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("schedules:timesheet-missing")).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 302,
        "executive": 302,
        "admin_user": 302,
        "creative": 302,
        "freelancer": 302,
        "brand_manager": 403,
        "outsider": 403,
    }.items(),
)
def test_own_timesheet_link_leads_people_to_their_week_and_managers_to_the_missing_list(
    client, request, role, expected
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("schedules:timesheet-week"), {"week": "2026-11-18"})
    assert response.status_code == expected
    if expected == 302 and role in ("creative", "freelancer"):
        assert response.url == week_url(user.talent, LAST_MONDAY)
    elif expected == 302:
        assert response.url == reverse("schedules:timesheet-missing")


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 200,
        "executive": 403,
        "admin_user": 403,
        "creative": 200,
        "freelancer": 404,
        "brand_manager": 403,
        "outsider": 403,
    }.items(),
)
def test_who_may_save_a_cell_of_a_creatives_week(client, request, talent, booked, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = post_cell(client, talent, name_of(booked, MONDAY), "5")
    assert response.status_code == expected
    # Executives and the admin role read every week but log nobody's time.
    saved = {(booked.project_id, MONDAY): Decimal("5")} if role in ("pm", "creative") else {}
    assert logged(talent) == saved


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 403,
        "executive": 403,
        "admin_user": 403,
        "creative": 302,
        "freelancer": 404,
        "brand_manager": 403,
        "outsider": 403,
    }.items(),
)
def test_only_the_person_submits_their_week(client, request, talent, booked, role, expected, friday):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("schedules:timesheet-submit", args=[talent.pk]), {"week": MONDAY})
    assert response.status_code == expected
    status = Timesheet.objects.filter(talent=talent).values_list("status", flat=True).first()
    assert status == ("submitted" if role == "creative" else None)


@pytest.mark.parametrize(
    ("role", "expected"),
    {
        "pm": 302,
        "executive": 403,
        "admin_user": 403,
        "creative": 403,
        "freelancer": 404,
        "brand_manager": 403,
        "outsider": 403,
    }.items(),
)
def test_only_production_managers_reopen_an_approved_week(client, request, talent, role, expected):
    sheet = f.TimesheetFactory(
        talent=talent, week_start=LAST_MONDAY, status="approved", approved_at="2026-11-23T10:00Z"
    )
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("schedules:timesheet-reopen", args=[talent.pk]), {"week": LAST_MONDAY, "reason": "Wrong project"}
    )
    assert response.status_code == expected
    sheet.refresh_from_db()
    assert sheet.status == ("open" if expected == 302 else "approved")


# --- the grid ----------------------------------------------------------------------------


def test_week_is_prefilled_from_bookings_as_hints(client, creative, talent, booked):
    other = f.BookingFactory(
        talent=talent,
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=1),
        hours_per_day=Decimal("2"),
        project__code="ACME-2",
    )
    f.TimeEntryFactory(
        timesheet__talent=talent, timesheet__week_start=MONDAY, project=other.project, date=MONDAY, hours=Decimal("1.5")
    )
    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()

    monday, saturday = (
        input_of(html, name_of(booked, MONDAY)),
        input_of(html, name_of(booked, MONDAY + dt.timedelta(5))),
    )
    assert 'value=""' in monday and 'placeholder="6"' in monday
    # Weekends are not working days: no hint, the row is still there.
    assert 'placeholder=""' in saturday
    assert 'value="1.5"' in input_of(html, name_of(other, MONDAY))
    assert 'placeholder="2"' in input_of(html, name_of(other, MONDAY + dt.timedelta(1)))
    # Only saved time counts: 1.5 h on Monday.
    assert re.search(r'id="week-total">1.5<', html)
    assert re.search(rf'id="day-total-{MONDAY}">1.5<', html)


def test_week_navigation_is_in_the_url(client, creative, talent):
    client.force_login(creative)
    html = client.get(week_url(talent, dt.date(2026, 11, 19))).content.decode()
    assert "Week of Mon 16 Nov 2026" in html
    assert f"?week={dt.date(2026, 11, 9)}" in html and f"?week={MONDAY}" in html


def test_a_cell_saves_and_answers_with_the_cell_and_totals(client, creative, talent, booked):
    f.TimeEntryFactory(
        timesheet__talent=talent,
        timesheet__week_start=MONDAY,
        project=booked.project,
        deliverable=booked.deliverable,
        date=MONDAY,
        hours=Decimal("3"),
    )
    client.force_login(creative)
    tuesday = MONDAY + dt.timedelta(days=1)
    response = post_cell(client, talent, name_of(booked, tuesday), "4.5")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="cell-{name_of(booked, tuesday)}"' in html and 'value="4.5"' in html
    # Row: 3 (Mon) + 4.5 (Tue) = 7.5; Tuesday's day total 4.5; the week 7.5.
    assert re.search(r'id="row-total-[\d-]+" hx-swap-oob="true">7.5<', html)
    assert re.search(rf'id="day-total-{tuesday}" hx-swap-oob="true">4.5<', html)
    assert re.search(r'id="week-total" hx-swap-oob="true">7.5<', html)
    assert "timeChanged" in response.headers["HX-Trigger"]
    assert logged(talent)[(booked.project_id, tuesday)] == Decimal("4.5")


def test_emptying_a_cell_removes_its_time(client, creative, talent, booked):
    client.force_login(creative)
    post_cell(client, talent, name_of(booked, MONDAY), "4")
    post_cell(client, talent, name_of(booked, MONDAY), "")
    assert logged(talent) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("25", "at most 24"),
        ("-2", "cannot be negative"),
        ("seven", "Enter a number of hours"),
    ],
)
def test_bad_hours_are_shown_next_to_the_cell_and_nothing_is_saved(client, creative, talent, booked, value, message):
    client.force_login(creative)
    response = post_cell(client, talent, name_of(booked, MONDAY), value)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="errors-{name_of(booked, MONDAY)}"' in html and message in html
    assert f'value="{value}"' in html
    assert "HX-Trigger" not in response.headers
    assert logged(talent) == {}


def test_a_day_holds_at_most_24_hours_across_rows(client, creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=MONDAY, end_date=MONDAY)
    client.force_login(creative)
    post_cell(client, talent, name_of(booked, MONDAY), "20")
    html = post_cell(client, talent, name_of(other, MONDAY), "5").content.decode()
    # 20 + 5 = 25 h > 24 h.
    assert "That makes 25 h on Mon 23 Nov" in html
    assert logged(talent) == {(booked.project_id, MONDAY): Decimal("20")}


def test_time_on_a_project_the_person_is_not_on_is_refused(client, creative, talent, booked):
    stranger = f.ProjectFactory()
    client.force_login(creative)
    response = post_cell(client, talent, cell_name(stranger.pk, None, MONDAY), "3")
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="booked on or assigned to"):
        time_entry_set(user=creative, talent=talent, project=stranger, deliverable=None, day=MONDAY, hours=Decimal(3))
    assert logged(talent) == {}


def test_adding_another_project_adds_an_empty_row(client, creative, talent, booked):
    deliverable = f.DeliverableFactory(project__code="ZED-9")
    deliverable.assignees.add(talent)
    client.force_login(creative)
    html = client.get(week_url(talent), {"add": deliverable.project_id}, **HTMX).content.decode()
    name = cell_name(deliverable.project_id, None, MONDAY)
    assert 'value=""' in input_of(html, name)
    post_cell(client, talent, name, "2")
    assert logged(talent)[(deliverable.project_id, MONDAY)] == Decimal("2")


def test_the_whole_week_posts_without_javascript(client, creative, talent, booked):
    client.force_login(creative)
    tuesday = MONDAY + dt.timedelta(days=1)
    data = {"week": MONDAY, name_of(booked, MONDAY): "6", name_of(booked, tuesday): "7.25"}
    response = client.post(reverse("schedules:timesheet-save", args=[talent.pk]), data)
    assert response.status_code == 302
    assert logged(talent) == {(booked.project_id, MONDAY): Decimal("6"), (booked.project_id, tuesday): Decimal("7.25")}


def test_one_bad_cell_in_a_whole_week_post_saves_nothing(client, creative, talent, booked):
    client.force_login(creative)
    tuesday = MONDAY + dt.timedelta(days=1)
    data = {"week": MONDAY, name_of(booked, MONDAY): "6", name_of(booked, tuesday): "30"}
    response = client.post(reverse("schedules:timesheet-save", args=[talent.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="errors-{name_of(booked, tuesday)}"' in html and "at most 24" in html
    assert logged(talent) == {}


# --- submit, approve, lock, reopen -------------------------------------------------------


def test_submitted_week_goes_to_the_pm_who_approves_it_and_it_stays_locked(
    client, creative, talent, booked, pm, friday
):
    client.force_login(creative)
    post_cell(client, talent, name_of(booked, MONDAY), "6")
    client.post(reverse("schedules:timesheet-submit", args=[talent.pk]), {"week": MONDAY})

    sheet = Timesheet.objects.get(talent=talent, week_start=MONDAY)
    approval = Approval.objects.pending_for(sheet)
    assert (sheet.status, approval.kind) == ("submitted", "timesheet")
    # The inbox links to the production manager's view of the person's week.
    assert approval.target is not None
    client.force_login(pm)
    inbox = client.get(reverse("approvals:inbox")).content.decode()
    assert week_url(talent) in inbox.replace("&amp;", "&")
    client.post(reverse("approvals:decide", args=[approval.pk]), {"outcome": "approve", "step": 0})
    sheet.refresh_from_db()
    assert sheet.status == "approved"

    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()
    assert "<fieldset disabled>" in html and "data-locked" in html and "timesheet-submit" not in html
    response = post_cell(client, talent, name_of(booked, MONDAY), "8")
    assert "is approved; ask your production manager to reopen it" in response.content.decode()
    with pytest.raises(TimesheetLocked):
        time_entry_set(
            user=creative,
            talent=talent,
            project=booked.project,
            deliverable=booked.deliverable,
            day=MONDAY,
            hours=Decimal(8),
        )
    assert logged(talent) == {(booked.project_id, MONDAY): Decimal("6")}


def test_a_week_is_submitted_once(creative, talent, booked, pm, friday):
    timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    with pytest.raises(TimesheetLocked):
        timesheet_submit(user=creative, talent=talent, week_start=MONDAY)


def test_a_week_that_has_not_started_cannot_be_submitted(creative, talent):
    with pytest.raises(ValidationError, match="You can submit this week from Fri 4 Dec"):
        timesheet_submit(user=creative, talent=talent, week_start=MONDAY + dt.timedelta(days=7))


def test_pm_reopens_an_approved_week_with_a_reason_and_it_is_audited(client, creative, talent, booked, pm, friday):
    sheet = timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    approval_decide(approval=Approval.objects.pending_for(sheet), user=pm, outcome="approve")
    client.force_login(pm)
    response = client.post(
        reverse("schedules:timesheet-reopen", args=[talent.pk]), {"week": MONDAY, "reason": "Monday was on ACME-2"}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_at) == ("open", None)
    event = AuditEvent.objects.get(action="timesheet.reopened")
    assert (event.actor, event.reason, event.before, event.after) == (
        pm,
        "Monday was on ACME-2",
        {"status": "approved"},
        {"status": "open"},
    )
    assert Notification.objects.filter(recipient=creative, body="Monday was on ACME-2").exists()
    # Open again: the person corrects the week.
    time_entry_set(
        user=creative,
        talent=talent,
        project=booked.project,
        deliverable=booked.deliverable,
        day=MONDAY,
        hours=Decimal(2),
    )


def test_pm_reopening_a_submitted_week_sends_the_approval_back(creative, talent, booked, pm, friday):
    sheet = timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    timesheet_reopen_by_pm(timesheet=sheet, user=pm, reason="Add Friday")
    sheet.refresh_from_db()
    assert sheet.status == "open"
    assert Approval.objects.for_object(sheet).get().status == Approval.Status.CHANGES_REQUESTED
    assert AuditEvent.objects.filter(action="timesheet.reopened", reason="Add Friday").count() == 1


def test_reopening_needs_a_reason_shown_next_to_the_field(client, creative, talent, booked, pm, friday):
    timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    client.force_login(pm)
    response = client.post(reverse("schedules:timesheet-reopen", args=[talent.pk]), {"week": MONDAY, "reason": " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="reopen-errors"' in html and "Say why the week is reopened" in html
    assert Timesheet.objects.get(talent=talent).status == "submitted"


def test_executive_cannot_reopen(executive, creative, talent, booked, friday):
    sheet = timesheet_submit(user=creative, talent=talent, week_start=MONDAY)
    with pytest.raises(PermissionDenied):
        timesheet_reopen_by_pm(timesheet=sheet, user=executive, reason="No")


# --- reminders and the missing page ------------------------------------------------------


def test_reminders_go_once_per_person_and_week(creative, talent, freelancer):
    done = f.TalentFactory()
    for week in (
        LAST_MONDAY,
        LAST_MONDAY - dt.timedelta(7),
        LAST_MONDAY - dt.timedelta(14),
        LAST_MONDAY - dt.timedelta(21),
    ):
        f.TimesheetFactory(talent=done, week_start=week, status="submitted")
    freelancer.talent.contract_start, freelancer.talent.contract_end = dt.date(2026, 11, 10), dt.date(2026, 12, 31)
    freelancer.talent.save()
    f.TimesheetFactory(talent=talent, week_start=LAST_MONDAY, status="open")

    # The creative owes 4 weeks; the freelancer the two of their contract (16 and 9 Nov); `done` none.
    assert timesheet_reminders_send(today=TODAY) == 2
    notes = {note.recipient: note for note in Notification.objects.all()}
    assert set(notes) == {creative, freelancer}
    assert notes[creative].subject == "Your timesheets for 4 weeks are missing or not submitted"
    assert notes[freelancer].body == "Weeks starting Mon 9 Nov, Mon 16 Nov. Fill in your time and submit each week."
    assert notes[creative].url == week_url(talent, LAST_MONDAY - dt.timedelta(21))

    assert timesheet_reminders_send(today=TODAY) == 0
    assert timesheet_reminders_send(today=TODAY + dt.timedelta(days=1)) == 0
    assert Notification.objects.count() == 2
    # A week later the week of 23 November has ended too: only that week is new, for all three.
    assert timesheet_reminders_send(today=TODAY + dt.timedelta(days=7)) == 3
    assert Notification.objects.filter(recipient=creative).latest("pk").body.startswith("Weeks starting Mon 23 Nov.")


def test_no_reminders_at_the_weekend(creative):
    assert timesheet_reminders_send(today=dt.date(2026, 11, 28)) == 0


def test_reminder_task_runs_the_service(creative):
    from schedules.tasks import timesheet_reminders_send_task

    assert timesheet_reminders_send_task.delay().get() == 1


def test_missing_page_lists_who_owes_which_week(client, pm, creative, talent):
    f.TimesheetFactory(talent=talent, week_start=LAST_MONDAY, status="approved", approved_at="2026-11-23T10:00Z")
    f.TimesheetFactory(talent=talent, week_start=LAST_MONDAY - dt.timedelta(7), status="open")
    done = f.TalentFactory()
    for n in range(4):
        f.TimesheetFactory(talent=done, week_start=LAST_MONDAY - dt.timedelta(7 * n), status="submitted")
    client.force_login(pm)
    html = client.get(reverse("schedules:timesheet-missing")).content.decode()
    assert f'data-talent="{talent.pk}"' in html and f'data-talent="{done.pk}"' not in html
    row = html.split(f'data-talent="{talent.pk}"')[1].split("</tr>")[0]
    owed = re.findall(r'data-week="([\d-]+)" data-owed="(yes|no)"', row)
    assert owed == [("2026-11-16", "no"), ("2026-11-09", "yes"), ("2026-11-02", "yes"), ("2026-10-26", "yes")]
    assert "Open" in row and "Missing" in row


# --- queries -----------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_week_page_queries_do_not_grow_with_rows(client, django_assert_num_queries, creative, talent, booked):
    client.force_login(creative)
    # Their own talent is in hand, so whether they may log its time costs no query; the
    # week's holidays say from which day it may be submitted (one query, this week only).
    with django_assert_num_queries(11):
        client.get(week_url(talent))
    for n in range(4):
        other = f.BookingFactory(talent=talent, start_date=MONDAY, end_date=MONDAY + dt.timedelta(4))
        f.TimeEntryFactory(
            timesheet=Timesheet.objects.get_or_create(talent=talent, week_start=MONDAY)[0],
            project=other.project,
            date=MONDAY + dt.timedelta(n),
            hours=Decimal(1),
        )
    with django_assert_num_queries(11):
        html = client.get(week_url(talent)).content.decode()
    assert html.count("<tr data-row=") == 5


def test_missing_page_queries_do_not_grow_with_people(client, django_assert_num_queries, pm):
    f.TalentFactory()
    client.force_login(pm)
    client.get(reverse("schedules:timesheet-missing"))  # caches the studio's time zone
    with django_assert_num_queries(5):
        client.get(reverse("schedules:timesheet-missing"))
    f.TalentFactory.create_batch(5)
    f.FreelanceTalentFactory.create_batch(2)
    with django_assert_num_queries(5):
        html = client.get(reverse("schedules:timesheet-missing")).content.decode()
    assert html.count("data-talent=") >= 6


def test_a_cell_named_for_a_day_that_does_not_exist_is_a_404(client, creative, talent, booked):
    client.force_login(creative)
    response = post_cell(client, talent, f"h-{booked.project_id}-0-2026-02-30", "3")
    assert response.status_code == 404
    assert not TimeEntry.objects.exists()


# --- the production manager decides a submitted week on its page --------------------------


@pytest.fixture
def submitted(client, creative, talent, booked, friday):
    """The week with 6 h on Monday and 4 h on Tuesday, submitted on Friday."""
    time_entry_set(
        user=creative, talent=talent, project=booked.project, deliverable=booked.deliverable, day=MONDAY,
        hours=Decimal(6),
    )
    time_entry_set(
        user=creative, talent=talent, project=booked.project, deliverable=booked.deliverable,
        day=MONDAY + dt.timedelta(days=1), hours=Decimal(4),
    )
    return timesheet_submit(user=creative, talent=talent, week_start=MONDAY)


def test_pm_sees_a_submitted_week_with_its_total_and_the_decision_buttons(client, talent, pm, submitted):
    client.force_login(pm)
    html = client.get(week_url(talent)).content.decode()
    assert 'id="timesheet-approval"' in html and "<strong data-week-total>10 h</strong>" in html
    assert 'id="timesheet-approve"' in html and 'id="timesheet-send-back"' in html
    assert "waits for your approval" in html
    assert "ask your production manager" not in html
    # Sending it back is the decision's: no second way through the reopen form.
    assert 'id="timesheet-reopen"' not in html


def test_pm_approves_the_week_from_its_page_and_comes_back_to_it(client, talent, pm, submitted):
    client.force_login(pm)
    approval = Approval.objects.pending_for(submitted)
    response = client.post(
        reverse("approvals:decide", args=[approval.pk]),
        {"outcome": "approve", "step": approval.current_step, "next": week_url(talent)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == week_url(talent)
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    html = response.content.decode()
    assert 'data-status="approved"' in html and "approved" in html
    assert 'id="timesheet-approve"' not in html and 'id="timesheet-reopen"' in html


def test_pm_sends_the_week_back_with_a_reason_from_its_page(client, creative, talent, pm, submitted):
    client.force_login(pm)
    approval = Approval.objects.pending_for(submitted)
    url = reverse("approvals:decide", args=[approval.pk])
    step = approval.current_step
    # No reason: refused, the week stays submitted, the reason is asked for on the page.
    response = client.post(url, {"outcome": "request_changes", "step": step, "next": week_url(talent)}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert response.redirect_chain[-1][0] == week_url(talent)

    client.post(url, {"outcome": "request_changes", "step": step, "comment": "Tuesday was ACME-2",
                      "next": week_url(talent)})
    submitted.refresh_from_db()
    assert submitted.status == "open"
    assert Notification.objects.filter(recipient=creative, body__contains="Tuesday was ACME-2").exists()


def test_a_decision_never_returns_to_another_site(client, pm, submitted):
    client.force_login(pm)
    approval = Approval.objects.pending_for(submitted)
    response = client.post(
        reverse("approvals:decide", args=[approval.pk]),
        {"outcome": "approve", "step": approval.current_step, "next": "https://evil.example/"},
    )
    assert response.url == reverse("approvals:inbox")


def test_who_does_not_decide_the_week_sees_whom_it_waits_for_without_buttons(client, executive, talent, submitted):
    client.force_login(executive)
    html = client.get(week_url(talent)).content.decode()
    assert "<strong data-week-total>10 h</strong>" in html and "waits for approval by" in html
    assert 'id="timesheet-approve"' not in html and 'id="timesheet-send-back"' not in html


def test_the_person_still_reads_that_their_submitted_week_is_locked(client, creative, talent, submitted):
    client.force_login(creative)
    html = client.get(week_url(talent)).content.decode()
    assert "ask your production manager to reopen it" in html
    assert 'id="timesheet-approval"' not in html
