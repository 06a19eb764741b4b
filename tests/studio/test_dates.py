"""Dates in messages as people read them, "Thu 3 Dec", never ISO (issue 14)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals.services import delegation_create
from schedules.models import Booking
from schedules.services.bookings import BookingClash, booking_confirm, bookings_release_expired_holds
from schedules.services.timesheets import time_entry_set, timesheet_reopen_by_pm
from studio.dates import day_text, days_text
from studio.models import Notification
from studio.workdays import check_plan_dates
from tests import factories as f

# The studio's today in these tests: Wednesday 25 November 2026 (tests.factories.TODAY).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]


@pytest.mark.parametrize(
    "day, text",
    [
        (dt.date(2026, 12, 3), "Thu 3 Dec"),
        (dt.date(2026, 1, 1), "Thu 1 Jan"),
        (dt.date(2027, 1, 4), "Mon 4 Jan 2027"),  # next year: the year is written
        (dt.date(2025, 12, 31), "Wed 31 Dec 2025"),  # last year too
        (dt.datetime(2026, 12, 3, 23, 30), "Thu 3 Dec"),
    ],
)
def test_day_text_adds_the_year_only_outside_the_current_one(day, text):
    assert day_text(day) == text


def test_day_text_counts_the_year_from_the_studio_clock(move_clock):
    move_clock(dt.date(2027, 1, 2))
    assert day_text(dt.date(2026, 12, 31)) == "Thu 31 Dec 2026"
    assert day_text(dt.date(2027, 1, 4)) == "Mon 4 Jan"


def test_day_text_takes_the_caller_s_today():
    assert day_text(dt.date(2027, 1, 4), today=dt.date(2027, 6, 1)) == "Mon 4 Jan"


def test_days_text_lists_days_in_order():
    assert days_text([dt.date(2026, 12, 4), dt.date(2026, 12, 3), dt.date(2027, 1, 4)]) == (
        "Thu 3 Dec, Fri 4 Dec, Mon 4 Jan 2027"
    )


# --- messages ---------------------------------------------------------------------


def test_a_booking_clash_names_its_days_and_bookings_as_people_read_them(pm):
    person = f.TalentFactory(hours_per_day=D("8"), overtime_hours_per_day=D("0"))
    # Thu 31 Dec 2026 and Mon 4 Jan 2027: the second in another year.
    other = f.BookingFactory(talent=person, project=f.ProjectFactory(code="CLASH1"), start_date=dt.date(2026, 12, 31),
                             end_date=dt.date(2027, 1, 4), hours_per_day=D("8"))
    hold = f.BookingFactory(talent=person, project=f.ProjectFactory(pm=pm), start_date=dt.date(2026, 12, 31),
                            end_date=dt.date(2027, 1, 4), hours_per_day=D("2"), status="tentative")

    with pytest.raises(BookingClash) as refused:
        booking_confirm(booking=hold, user=pm, version=1)

    message = refused.value.messages[0]
    assert "Clashes on Thu 31 Dec: " in message and "; Mon 4 Jan 2027: " in message
    assert f"{person} · CLASH1 Thu 31 Dec – Mon 4 Jan 2027" in message
    assert str(other) in message and "2026-12-31" not in message


def test_a_released_hold_says_until_when_it_was_held(pm):
    f.BookingFactory(project=f.ProjectFactory(pm=pm), status="tentative", start_date=dt.date(2026, 11, 30),
                     end_date=dt.date(2026, 12, 4), hold_expires_on=dt.date(2026, 11, 20), created_by=pm)

    bookings_release_expired_holds(today=f.TODAY)

    notice = Notification.objects.get(recipient=pm)
    assert "was held until Fri 20 Nov and has been released" in notice.body
    assert "Mon 30 Nov – Fri 4 Dec" in notice.subject


def test_a_freelancer_booked_outside_the_contract_is_told_the_contract_days():
    freelancer = f.FreelanceTalentFactory(contract_start=dt.date(2026, 11, 23), contract_end=dt.date(2027, 1, 8))
    booking = Booking(talent=freelancer, project=f.ProjectFactory(), start_date=dt.date(2027, 1, 4),
                      end_date=dt.date(2027, 1, 15), hours_per_day=D("8"))

    with pytest.raises(ValidationError) as refused:
        booking.full_clean()

    assert refused.value.message_dict["end_date"] == [
        f"{freelancer} is under contract from Mon 23 Nov to Fri 8 Jan 2027 only."
    ]


def test_a_plan_date_out_of_the_window_names_the_window_as_people_read_it():
    with pytest.raises(ValidationError) as refused:
        check_plan_dates(f.TODAY, due_date=dt.date(2040, 1, 3))

    assert refused.value.message_dict["due_date"] == ["Choose a date from Sat 1 Jan 2000 to Tue 25 Nov 2036."]


def test_a_stand_in_is_told_the_days_as_people_read_them():
    delegator, delegate = f.UserFactory(role="pm"), f.UserFactory(role="pm")

    delegation_create(delegator=delegator, delegate=delegate, start_date=dt.date(2026, 11, 30),
                      end_date=dt.date(2027, 1, 4))

    notice = Notification.objects.get(recipient=delegate)
    assert notice.body == "From Mon 30 Nov to Mon 4 Jan 2027 you may decide what waits on them."


def test_a_week_reopened_by_the_production_manager_is_named_by_its_monday(pm):
    sheet = f.TimesheetFactory(week_start=dt.date(2026, 11, 16), status="approved", submitted_at=timezone.now(),
                               approved_at=timezone.now())

    timesheet_reopen_by_pm(timesheet=sheet, user=pm, reason="Add Friday")

    notice = Notification.objects.get(recipient=sheet.talent.user)
    assert notice.subject == "Your timesheet for the week of Mon 16 Nov was reopened"


def test_a_day_over_24_hours_is_named_as_people_read_it():
    booking = f.BookingFactory(start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 27))
    person = booking.talent

    with pytest.raises(ValidationError) as refused:
        time_entry_set(user=person.user, talent=person, project=booking.project, deliverable=None,
                       day=dt.date(2026, 11, 24), hours=D("25"))

    assert "That makes 25 h on Tue 24 Nov" in str(refused.value)
    assert "2026-11-24" not in str(refused.value)


def test_records_are_named_with_their_days_as_people_read_them():
    # The admin's "was changed successfully" messages and the audit trail show these names.
    holiday = f.HolidayFactory(name="New Year's Day", date=dt.date(2027, 1, 1))
    delegation = f.DelegationFactory(start_date=dt.date(2026, 11, 30), end_date=dt.date(2026, 12, 4))
    entry = f.TimeEntryFactory(timesheet=f.TimesheetFactory(week_start=dt.date(2026, 11, 16)))

    assert str(holiday) == "New Year's Day (Fri 1 Jan 2027)"
    assert str(delegation).endswith("(Mon 30 Nov – Fri 4 Dec)")
    assert " Mon 16 Nov 4 h on " in str(entry)
