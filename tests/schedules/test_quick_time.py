"""Quick time entry on my day, and the time-entry services beneath it (issue 4)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse

from projects.models import Project
from schedules.models import TimeEntry, Timesheet
from schedules.services.timesheets import (
    NOT_LOGGABLE,
    DayRow,
    entry_key,
    time_entries_set_day,
    time_entry_set,
)
from studio import clock
from studio.models import AuditEvent
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

URL = reverse("schedules:my-day-time")
HTMX = {"HTTP_HX_REQUEST": "true"}
# TODAY is Wednesday 25 November 2026; its week starts on Monday 23 November.
MONDAY = dt.date(2026, 11, 23)
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def talent(creative):
    return creative.talent


@pytest.fixture
def booked(talent):
    """A confirmed booking of 6 h a day on today, on a deliverable."""
    deliverable = f.DeliverableFactory(project__code="BOOK-1")
    return f.BookingFactory(
        talent=talent,
        project=deliverable.project,
        deliverable=deliverable,
        start_date=YESTERDAY,
        end_date=TODAY + dt.timedelta(days=2),
        hours_per_day="6",
    )


def hours_of(talent, day=TODAY):
    return {
        entry_key(entry.project_id, entry.deliverable_id): entry.hours
        for entry in TimeEntry.objects.filter(talent=talent, date=day)
    }


def set_day(user, talent, *rows, day=TODAY):
    return time_entries_set_day(user=user, talent=talent, day=day, rows=[DayRow(*row) for row in rows])


def errors(excinfo):
    return excinfo.value.message_dict


def row_errors(excinfo, key, day=TODAY):
    """The refusal's messages on one row of the day (`TimeNotSaved.rows`)."""
    return excinfo.value.rows[(day, key)]


# --- which projects are open for time ---------------------------------------------------


def test_person_logs_time_on_a_project_booked_today(creative, talent, booked):
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("5.5"), "Grade"))

    entry = TimeEntry.objects.get(talent=talent)
    assert (entry.project, entry.deliverable, entry.date, entry.hours, entry.note) == (
        booked.project,
        booked.deliverable,
        TODAY,
        Decimal("5.5"),
        "Grade",
    )
    assert (entry.timesheet.week_start, entry.timesheet.status) == (MONDAY, "open")


def test_tentative_hold_over_today_opens_its_project(creative, talent):
    booking = f.BookingFactory(talent=talent, status="tentative", start_date=TODAY, end_date=TODAY)

    set_day(creative, talent, (booking.project, None, Decimal("2"), ""))

    assert hours_of(talent) == {entry_key(booking.project.pk, None): Decimal("2")}


def test_creative_logs_time_on_a_project_whose_deliverable_lists_them(creative, talent):
    deliverable = f.DeliverableFactory()
    deliverable.assignees.add(talent)

    set_day(creative, talent, (deliverable.project, deliverable, Decimal("3"), ""))

    assert hours_of(talent) == {entry_key(deliverable.project.pk, deliverable.pk): Decimal("3")}


def test_project_neither_booked_nor_assigned_is_refused(creative, talent):
    colleague_booking = f.BookingFactory(start_date=TODAY, end_date=TODAY)

    with pytest.raises(ValidationError) as excinfo:
        set_day(creative, talent, (colleague_booking.project, None, Decimal("2"), ""))

    key = entry_key(colleague_booking.project.pk, None)
    assert "booked on or assigned to" in " ".join(row_errors(excinfo, key))
    assert not TimeEntry.objects.exists()


def test_a_booking_that_ended_last_week_does_not_open_its_project_this_week(creative, talent):
    last_sunday = clock.week_start(TODAY) - dt.timedelta(days=1)
    ended = f.BookingFactory(talent=talent, start_date=last_sunday - dt.timedelta(days=3), end_date=last_sunday)

    assert list(Project.objects.loggable_by(talent, TODAY)) == []
    assert list(Project.objects.loggable_by(talent, last_sunday)) == [ended.project]


def test_freelancer_assignment_counts_only_on_a_project_they_are_booked_on(freelancer):
    talent = freelancer.talent
    unbooked = f.DeliverableFactory()
    unbooked.assignees.add(talent)
    booked_before = f.BookingFactory(
        talent=talent, start_date=TODAY - dt.timedelta(days=20), end_date=TODAY - dt.timedelta(days=10)
    )
    assigned_there = f.DeliverableFactory(project=booked_before.project)
    assigned_there.assignees.add(talent)

    assert list(Project.objects.loggable_by(talent, TODAY)) == [booked_before.project]
    with pytest.raises(ValidationError):
        set_day(freelancer, talent, (unbooked.project, unbooked, Decimal("1"), ""))
    assert not TimeEntry.objects.exists()


def test_deliverable_of_another_project_is_refused(creative, talent, booked):
    elsewhere = f.DeliverableFactory()

    with pytest.raises(ValidationError) as excinfo:
        set_day(creative, talent, (booked.project, elsewhere, Decimal("2"), ""))

    key = entry_key(booked.project.pk, elsewhere.pk)
    assert row_errors(excinfo, key) == ["The deliverable belongs to another project."]
    assert not TimeEntry.objects.exists()


# --- hours ----------------------------------------------------------------------------------


def test_rows_of_one_day_together_may_not_pass_24_hours(creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)

    with pytest.raises(ValidationError) as excinfo:
        # 20 + 5 = 25 h, one over the cap.
        set_day(
            creative,
            talent,
            (booked.project, booked.deliverable, Decimal("20"), ""),
            (other.project, None, Decimal("5"), ""),
        )

    assert errors(excinfo)[NON_FIELD_ERRORS] == ["That makes 25 h on Wed 25 Nov; a day holds at most 24 h."]
    assert not TimeEntry.objects.exists()


def test_the_cap_counts_the_days_entries_on_other_projects(creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)
    set_day(creative, talent, (other.project, None, Decimal("20"), ""))

    with pytest.raises(ValidationError) as excinfo:
        # 20 already logged + 4.5 = 24.5 h.
        set_day(creative, talent, (booked.project, booked.deliverable, Decimal("4.5"), ""))
    assert (
        "24.5 h" in errors(excinfo)[NON_FIELD_ERRORS][0]
        and "20 h of it already" in errors(excinfo)[NON_FIELD_ERRORS][0]
    )

    # 20 + 4 = 24 h exactly is a full day, allowed.
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("4"), ""))
    assert sum(hours_of(talent).values()) == Decimal("24")


def test_changing_a_row_replaces_its_hours_rather_than_adding_to_them(creative, talent, booked):
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("20"), ""))

    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("22"), ""))

    assert hours_of(talent) == {entry_key(booked.project.pk, booked.deliverable.pk): Decimal("22")}


def test_the_cap_ignores_other_days(creative, talent, booked):
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("20"), ""), day=YESTERDAY)

    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("20"), ""))

    assert hours_of(talent) == {entry_key(booked.project.pk, booked.deliverable.pk): Decimal("20")}


@pytest.mark.parametrize("empty", [None, Decimal("0"), Decimal("0.00")])
def test_empty_or_zero_hours_remove_the_entry(creative, talent, booked, empty):
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("6"), ""))

    saved = set_day(creative, talent, (booked.project, booked.deliverable, empty, ""))

    assert saved == [] and hours_of(talent) == {}


def test_empty_hours_on_a_row_without_entry_save_nothing(creative, talent, booked):
    assert set_day(creative, talent, (booked.project, booked.deliverable, None, "")) == []
    assert not TimeEntry.objects.exists()


def test_negative_hours_are_refused(creative, talent, booked):
    with pytest.raises(ValidationError) as excinfo:
        set_day(creative, talent, (booked.project, booked.deliverable, Decimal("-1"), ""))

    key = entry_key(booked.project.pk, booked.deliverable.pk)
    assert "cannot be negative" in row_errors(excinfo, key)[0]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    "hours, message",
    [
        (Decimal("24.25"), "at most 24 hours"),
        (Decimal("1.125"), "two decimal places"),
        (Decimal("NaN"), "a number"),
    ],
)
def test_out_of_range_hours_are_refused(creative, talent, booked, hours, message):
    with pytest.raises(ValidationError) as excinfo:
        set_day(creative, talent, (booked.project, booked.deliverable, hours, ""))

    assert message in row_errors(excinfo, entry_key(booked.project.pk, booked.deliverable.pk))[0]
    assert not TimeEntry.objects.exists()


def test_one_bad_row_saves_nothing_of_the_day(creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)
    set_day(creative, talent, (other.project, None, Decimal("3"), "before"))

    with pytest.raises(ValidationError):
        set_day(
            creative,
            talent,
            (other.project, None, Decimal("5"), "after"),
            (booked.project, booked.deliverable, Decimal("-2"), ""),
        )

    entry = TimeEntry.objects.get(talent=talent)
    assert (entry.project, entry.hours, entry.note) == (other.project, Decimal("3"), "before")


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_submitted_or_approved_week_is_locked(creative, talent, booked, status):
    sheet = f.TimesheetFactory(
        talent=talent, week_start=MONDAY, status=status, approved_at=f.timezone.now() if status == "approved" else None
    )
    f.TimeEntryFactory(timesheet=sheet, project=booked.project, date=TODAY, hours=Decimal("6"))

    with pytest.raises(ValidationError) as excinfo:
        set_day(creative, talent, (booked.project, None, Decimal("1"), ""))

    assert errors(excinfo)[NON_FIELD_ERRORS] == [
        f"This week's timesheet is {status}; ask your production manager to reopen it."
    ]
    assert hours_of(talent) == {entry_key(booked.project.pk, None): Decimal("6")}


def test_another_weeks_locked_timesheet_does_not_lock_this_week(creative, talent, booked):
    f.TimesheetFactory(talent=talent, week_start=MONDAY - dt.timedelta(days=7), status="submitted")

    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("6"), ""))

    assert Timesheet.objects.get(talent=talent, week_start=MONDAY).entries.count() == 1


def test_a_save_is_audited_on_the_week(creative, talent, booked):
    set_day(creative, talent, (booked.project, booked.deliverable, Decimal("6"), ""))

    event = AuditEvent.objects.get(action="timesheet.time_set")
    assert event.actor == creative
    assert event.after["hours"] == {entry_key(booked.project.pk, booked.deliverable.pk): "6"}


# --- who may write ----------------------------------------------------------------------------


@pytest.mark.parametrize("writer", ["pm"])
def test_production_managers_log_time_for_anyone(request, talent, booked, writer):
    set_day(request.getfixturevalue(writer), talent, (booked.project, booked.deliverable, Decimal("6"), ""))

    assert len(hours_of(talent)) == 1


@pytest.mark.parametrize("writer", ["executive", "admin_user", "freelancer", "brand_manager", "outsider"])
def test_no_one_else_logs_time_for_a_person(request, talent, booked, writer):
    with pytest.raises(PermissionDenied):
        set_day(request.getfixturevalue(writer), talent, (booked.project, booked.deliverable, Decimal("6"), ""))
    assert not TimeEntry.objects.exists()


# --- one cell (the weekly grid's save) ---------------------------------------------------------


def test_one_cell_is_set_changed_and_removed_keeping_its_note(creative, talent, booked):
    cell = {
        "user": creative,
        "talent": talent,
        "project": booked.project,
        "deliverable": booked.deliverable,
        "day": TODAY,
    }

    entry = time_entry_set(**cell, hours=Decimal("2"), note="Rough cut")
    changed = time_entry_set(**cell, hours=Decimal("3.75"))
    removed = time_entry_set(**cell, hours=None)

    assert (entry.hours, changed.pk, changed.hours, changed.note) == (
        Decimal("2"),
        entry.pk,
        Decimal("3.75"),
        "Rough cut",
    )
    assert removed is None and not TimeEntry.objects.exists()


def test_one_cell_errors_are_keyed_by_field(creative, talent, booked):
    with pytest.raises(ValidationError) as excinfo:
        time_entry_set(
            user=creative, talent=talent, project=booked.project, deliverable=None, day=TODAY, hours=Decimal("-3")
        )

    assert list(errors(excinfo)) == ["hours"]


# --- the fragment on my day -------------------------------------------------------------------


def fragment(client, user, **extra):
    client.force_login(user)
    return client.get(URL, **HTMX, **extra)


def row_html(response, key):
    match = re.search(rf'<tr data-row="{key}">(.*?)</tr>', response.content.decode(), re.DOTALL)
    assert match, f"no row {key}"
    return match[1]


def test_my_day_loads_the_quick_time_fragment(client, creative):
    client.force_login(creative)
    assert f'hx-get="{URL}"' in client.get(reverse("schedules:my-day")).content.decode()


def test_rows_are_pre_filled_from_todays_bookings_and_existing_entries(client, creative, talent, booked):
    # A second booking on the same deliverable today: one row of 6 + 1.5 = 7.5 h.
    f.BookingFactory(
        talent=talent,
        project=booked.project,
        deliverable=booked.deliverable,
        start_date=TODAY,
        end_date=TODAY,
        hours_per_day="1.5",
        status="tentative",
    )
    logged = f.BookingFactory(talent=talent, project__code="LOGD-1", start_date=TODAY, end_date=TODAY)
    assigned = f.DeliverableFactory(project__code="ASGN-1")
    assigned.assignees.add(talent)
    set_day(
        creative,
        talent,
        (logged.project, None, Decimal("2.25"), "Edit"),
        (assigned.project, assigned, Decimal("1"), ""),
    )

    response = fragment(client, creative)

    booked_row = row_html(response, entry_key(booked.project.pk, booked.deliverable.pk))
    assert 'value="7.5"' in booked_row and "From your booking" in booked_row
    logged_row = row_html(response, entry_key(logged.project.pk, None))
    assert 'value="2.25"' in logged_row and 'value="Edit"' in logged_row and "Logged" in logged_row
    assert 'value="1"' in row_html(response, entry_key(assigned.project.pk, assigned.pk))
    # 7.5 suggested + 2.25 + 1 logged = 10.75 h.
    assert "10.75 h" in response.content.decode()


def test_saving_logs_the_days_hours_and_says_so(client, creative, talent, booked):
    key = entry_key(booked.project.pk, booked.deliverable.pk)
    client.force_login(creative)

    response = client.post(URL, {f"hours-{key}": "5.5", f"note-{key}": "Colour"}, **HTMX)

    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert "timeChanged" in response.headers["HX-Trigger"]
    assert hours_of(talent) == {key: Decimal("5.5")}
    assert TimeEntry.objects.get().note == "Colour"


def test_a_project_from_the_list_can_be_added(client, creative, talent, booked):
    assigned = f.DeliverableFactory(project__code="ASGN-2")
    assigned.assignees.add(talent)
    client.force_login(creative)
    assert f'<option value="{assigned.project.pk}">' in client.get(URL, **HTMX).content.decode()

    client.post(URL, {"extra-project": assigned.project.pk, "extra-hours": "1.5"}, **HTMX)

    assert hours_of(talent) == {entry_key(assigned.project.pk, None): Decimal("1.5")}


def test_another_persons_project_is_refused(client, creative, talent, booked):
    colleague = f.BookingFactory(project__code="THEIRS", start_date=TODAY, end_date=TODAY)
    client.force_login(creative)

    response = client.post(
        URL,
        {
            "extra-project": colleague.project.pk,
            "extra-hours": "2",
            f"hours-{entry_key(colleague.project.pk, None)}": "3",
        },
        **HTMX,
    )

    assert str(NOT_LOGGABLE) in response.content.decode()
    assert "THEIRS" not in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_bad_hours_are_marked_on_their_row_and_nothing_is_saved(client, creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)
    key, other_key = entry_key(booked.project.pk, booked.deliverable.pk), entry_key(other.project.pk, None)
    client.force_login(creative)

    response = client.post(URL, {f"hours-{key}": "lots", f"hours-{other_key}": "4"}, **HTMX)

    assert response.status_code == 200
    assert "Enter a number of hours" in row_html(response, key)
    assert 'value="lots"' in row_html(response, key) and 'value="4"' in row_html(response, other_key)
    assert not TimeEntry.objects.exists()


def test_service_errors_show_in_place(client, creative, talent, booked):
    other = f.BookingFactory(talent=talent, start_date=TODAY, end_date=TODAY)
    key, other_key = entry_key(booked.project.pk, booked.deliverable.pk), entry_key(other.project.pk, None)
    client.force_login(creative)

    response = client.post(URL, {f"hours-{key}": "-1", f"hours-{other_key}": "4"}, **HTMX)
    assert "cannot be negative" in row_html(response, key)

    response = client.post(URL, {f"hours-{key}": "20", f"hours-{other_key}": "4.5"}, **HTMX)
    assert 'role="alert"' in response.content.decode() and "24.5 h" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_locked_week_is_explained_and_its_inputs_disabled(client, creative, talent, booked):
    f.TimesheetFactory(talent=talent, week_start=MONDAY, status="submitted")
    key = entry_key(booked.project.pk, booked.deliverable.pk)

    content = fragment(client, creative).content.decode()
    assert "This week&#x27;s timesheet is submitted; ask your production manager to reopen it." in content
    assert "<fieldset disabled>" in content

    response = client.post(URL, {f"hours-{key}": "6"}, **HTMX)
    assert "ask your production manager to reopen it" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_page_post_redirects_to_my_day_with_a_message(client, creative, talent, booked):
    key = entry_key(booked.project.pk, booked.deliverable.pk)
    client.force_login(creative)

    saved = client.post(URL, {f"hours-{key}": "6"}, follow=True)
    refused = client.post(URL, {f"hours-{key}": "-6"}, follow=True)

    assert saved.redirect_chain == [(reverse("schedules:my-day"), 302)]
    assert "Your time for today is saved." in saved.content.decode()
    assert "cannot be negative" in refused.content.decode()
    assert hours_of(talent) == {key: Decimal("6")}


def test_nothing_to_log_says_so(client, creative):
    assert "Nothing to log time on today" in fragment(client, creative).content.decode()


@pytest.mark.parametrize(
    "role, status",
    [
        ("creative", 200),
        ("freelancer", 200),
        ("pm", 403),
        ("executive", 403),
        ("admin_user", 403),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_quick_time_is_for_creatives_and_freelancers(client, request, role, status):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(URL, **HTMX).status_code == status
    assert client.post(URL, {}, **HTMX).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_a_creative_without_a_talent_profile_gets_404(client):
    client.force_login(f.UserFactory(role="creative"))
    assert client.get(URL, **HTMX).status_code == 404


def _book_several(talent, count):
    """`count` bookings today, and an entry on the first one's project outside its deliverable."""
    for _n in range(count):
        deliverable = f.DeliverableFactory()
        f.BookingFactory(
            talent=talent,
            project=deliverable.project,
            deliverable=deliverable,
            start_date=TODAY,
            end_date=TODAY,
            hours_per_day="2",
        )
    f.TimeEntryFactory(
        timesheet__talent=talent,
        timesheet__week_start=MONDAY,
        project=deliverable.project,
        date=TODAY,
        hours=Decimal("1"),
    )


@pytest.mark.parametrize("bookings", [1, 6])
def test_the_fragment_reads_in_a_fixed_number_of_queries(client, creative, talent, bookings, django_assert_num_queries):
    _book_several(talent, bookings)
    client.force_login(creative)

    # session, user, talent, studio settings (context processor), the week's status, bookings,
    # entries, projects open for time; whether the person may log this time is answered from
    # their talent in hand.
    with django_assert_num_queries(8):
        response = client.get(URL, **HTMX)
    # One row a booking, and one for the entry outside the bookings' deliverables.
    assert len(re.findall(r'<tr data-row="\d+-\d+">', response.content.decode())) == bookings + 1


@pytest.mark.parametrize("bookings", [1, 6])
def test_saving_runs_a_fixed_number_of_queries(client, creative, talent, bookings, django_assert_num_queries):
    _book_several(talent, bookings)
    client.force_login(creative)
    data = {f"hours-{entry_key(booking.project_id, booking.deliverable_id)}": "2" for booking in talent.bookings.all()}

    ContentType.objects.clear_cache()  # the audit event's content type is read once per process

    # Session, user, talent and the fragment's 4 reads (7); the save: savepoint, the week
    # (locked), the day's entries, the projects open for time, one insert for all the rows,
    # savepoint, the audit event's content type and insert, two releases (10); the fragment's
    # 4 reads again and the studio settings of the context processor (5).
    with django_assert_num_queries(22):
        response = client.post(URL, data, **HTMX)
    assert "Saved" in response.content.decode()
    assert len(hours_of(talent)) == bookings + 1
