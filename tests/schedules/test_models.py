"""Bookings, time off, timesheets and time entries keep their invariants."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from projects.models import Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from tests.factories import (
    TODAY,
    BookingFactory,
    DeliverableFactory,
    DisciplineFactory,
    FreelanceTalentFactory,
    ProjectFactory,
    TalentFactory,
    TimeEntryFactory,
    TimeOffFactory,
    TimesheetFactory,
    monday,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def clean_errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.clean()
    return error.value.message_dict


def booking(**kwargs):
    """An unsaved, otherwise valid booking of a staff member."""
    values = {
        "talent": TalentFactory(), "project": ProjectFactory(), "start_date": TODAY,
        "end_date": TODAY + 4 * DAY, "hours_per_day": Decimal("6"), "status": "tentative",
    }
    return Booking(**(values | kwargs))


def test_a_valid_booking_passes_clean():
    booking().clean()


def test_booking_ends_on_or_after_its_start():
    assert_refused(BookingFactory, start_date=TODAY, end_date=TODAY - DAY)
    assert "end_date" in clean_errors(booking(end_date=TODAY - DAY))
    assert BookingFactory(start_date=TODAY, end_date=TODAY).pk


@pytest.mark.parametrize("hours", ["0", "-2", "24.25"])
def test_booking_hours_per_day_are_more_than_zero_and_at_most_24(hours):
    assert_refused(BookingFactory, hours_per_day=Decimal(hours))
    assert "hours_per_day" in clean_errors(booking(hours_per_day=Decimal(hours)))


def test_booking_is_for_a_person_or_a_placeholder_never_both_or_neither():
    discipline = DisciplineFactory()
    assert_refused(BookingFactory, status="tentative", placeholder_discipline=discipline)
    assert_refused(BookingFactory, status="tentative", talent=None)
    assert "talent" in clean_errors(booking(placeholder_discipline=discipline))
    assert "talent" in clean_errors(booking(talent=None))

    placeholder = BookingFactory(status="tentative", talent=None, placeholder_discipline=discipline)
    assert placeholder.is_placeholder


def test_a_placeholder_cannot_be_confirmed():
    discipline = DisciplineFactory()
    placeholder = {"talent": None, "placeholder_discipline": discipline}
    assert_refused(BookingFactory, status="confirmed", **placeholder)
    assert "status" in clean_errors(booking(status="confirmed", **placeholder))


def test_only_tentative_bookings_expire():
    assert_refused(BookingFactory, status="confirmed", hold_expires_on=TODAY + DAY)
    errors = clean_errors(booking(status="confirmed", hold_expires_on=TODAY + DAY))
    assert "hold_expires_on" in errors
    assert BookingFactory(status="tentative", hold_expires_on=TODAY + DAY).pk


def test_booked_deliverable_belongs_to_the_booked_project():
    other = DeliverableFactory()
    assert "deliverable" in clean_errors(booking(deliverable=other))
    booking(project=other.project, deliverable=other).clean()


def test_a_freelancer_is_booked_only_within_the_contract():
    freelancer = FreelanceTalentFactory(contract_start=TODAY, contract_end=TODAY + 9 * DAY)
    assert "end_date" in clean_errors(booking(talent=freelancer, start_date=TODAY - DAY))
    assert "end_date" in clean_errors(booking(talent=freelancer, end_date=TODAY + 10 * DAY))
    booking(talent=freelancer, start_date=TODAY, end_date=TODAY + 9 * DAY).clean()


def test_time_off_ends_on_or_after_its_start():
    assert_refused(TimeOffFactory, start_date=TODAY, end_date=TODAY - DAY)
    errors = clean_errors(TimeOff(talent=TalentFactory(), start_date=TODAY, end_date=TODAY - DAY))
    assert "end_date" in errors


def test_time_off_is_full_days_or_given_hours_per_day():
    assert_refused(TimeOffFactory, full_day=True, hours_per_day=Decimal("4"))
    assert_refused(TimeOffFactory, full_day=False, hours_per_day=None)
    assert_refused(TimeOffFactory, full_day=False, hours_per_day=Decimal("0"))
    assert "hours_per_day" in clean_errors(TimeOff(full_day=True, hours_per_day=Decimal("4")))
    assert "hours_per_day" in clean_errors(TimeOff(full_day=False, hours_per_day=None))
    assert TimeOffFactory(full_day=False, hours_per_day=Decimal("4")).pk


def test_one_timesheet_per_person_per_week():
    sheet = TimesheetFactory()
    assert_refused(TimesheetFactory, talent=sheet.talent, week_start=sheet.week_start)
    assert TimesheetFactory(talent=sheet.talent, week_start=sheet.week_start + 7 * DAY).pk


def test_timesheet_weeks_start_on_monday_and_approval_is_dated():
    assert "week_start" in clean_errors(Timesheet(week_start=monday() + DAY))
    Timesheet(week_start=monday()).clean()
    assert_refused(TimesheetFactory, status="approved", approved_at=None)
    assert TimesheetFactory(status="approved", approved_at=timezone.now()).pk


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_time_entry_hours_are_more_than_zero_and_at_most_24(hours):
    assert_refused(TimeEntryFactory, hours=Decimal(hours))
    assert "hours" in clean_errors(TimeEntry(hours=Decimal(hours)))


def test_one_time_entry_per_person_project_deliverable_and_day():
    entry = TimeEntryFactory()
    same = {"timesheet": entry.timesheet, "project": entry.project, "date": entry.date}
    assert_refused(TimeEntryFactory, **same)

    deliverable = DeliverableFactory(project=entry.project)
    TimeEntryFactory(**same, deliverable=deliverable)
    assert_refused(TimeEntryFactory, **same, deliverable=deliverable)
    assert TimeEntryFactory(**same, deliverable=DeliverableFactory(project=entry.project)).pk


def test_time_entry_belongs_to_its_timesheets_week_person_and_project():
    sheet = TimesheetFactory()
    project = ProjectFactory()

    def entry(**kwargs):
        values = {"timesheet": sheet, "talent": sheet.talent, "project": project,
                  "date": sheet.week_start, "hours": Decimal("2")}
        return TimeEntry(**(values | kwargs))

    entry(date=sheet.week_start + 6 * DAY).clean()
    assert "date" in clean_errors(entry(date=sheet.week_start + 7 * DAY))
    assert "date" in clean_errors(entry(date=sheet.week_start - DAY))
    assert "talent" in clean_errors(entry(talent=TalentFactory()))
    assert "deliverable" in clean_errors(entry(deliverable=DeliverableFactory()))


def test_a_project_with_time_entries_cannot_be_deleted():
    entry = TimeEntryFactory()
    with pytest.raises(ProtectedError):
        entry.project.delete()
    assert Project.objects.filter(pk=entry.project_id).exists()


def test_a_timesheet_with_entries_cannot_be_deleted():
    entry = TimeEntryFactory()
    with pytest.raises(ProtectedError):
        entry.timesheet.delete()


def test_a_booked_project_cannot_be_deleted():
    booked = BookingFactory()
    with pytest.raises(ProtectedError):
        booked.project.delete()
