"""Booking services: where hours land, the clash rule (also under concurrency),
overrides, versions, split, release and expired holds. Expected hours are worked
out by hand in each test."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from schedules.models import Booking
from schedules.services.bookings import (
    BookingClash,
    StaleBooking,
    booking_confirm,
    booking_create,
    booking_release,
    booking_split,
    booking_update,
    bookings_release_expired_holds,
)
from studio.models import AuditEvent, Notification
from tests import factories

pytestmark = pytest.mark.django_db

THU = dt.date(2026, 12, 3)
FRI, SAT, SUN, MON, TUE, WED = (THU + dt.timedelta(days=n) for n in range(1, 7))


def tentative(**kwargs):
    return factories.BookingFactory(status="tentative", **kwargs)


@pytest.fixture
def person(db):
    return factories.TalentFactory(hours_per_day=Decimal("8"), overtime_hours_per_day=Decimal("2"))


@pytest.fixture
def project(pm):
    return factories.ProjectFactory(pm=pm)


def test_hours_land_on_working_days_skipping_weekend_holiday_and_full_day_off(person):
    factories.HolidayFactory(date=TUE, name="Studio day")
    factories.TimeOffFactory(talent=person, start_date=FRI, end_date=FRI, status="approved")
    factories.TimeOffFactory(
        talent=person, start_date=MON, end_date=MON, full_day=False, hours_per_day=Decimal("4"), status="approved"
    )
    booking = factories.BookingFactory(talent=person, start_date=THU, end_date=WED, hours_per_day=Decimal("8"))

    landing = Booking.objects.landing_days(person, THU, WED)

    # Thu 3 lands; Fri 4 full day off; Sat 5, Sun 6 weekend; Mon 7 lands (a half day
    # off does not stop hours landing); Tue 8 holiday; Wed 9 lands: 3 days × 8 h = 24 h.
    assert sorted(landing) == [THU, MON, WED]
    assert sum(b.hours_per_day for bookings in landing.values() for b in bookings) == Decimal("24")
    assert all(bookings == [booking] for bookings in landing.values())


def test_weekend_days_land_only_for_bookings_that_include_them(person):
    weekend = factories.BookingFactory(talent=person, start_date=SAT, end_date=SUN, include_weekends=True)
    factories.BookingFactory(talent=person, start_date=FRI, end_date=MON)

    landing = Booking.objects.landing_days(person, FRI, MON)

    assert landing[SAT] == [weekend]
    assert landing[SUN] == [weekend]
    assert len(landing[FRI]) == len(landing[MON]) == 1


def test_confirming_within_overtime_allowance_succeeds(pm, person, project):
    factories.BookingFactory(talent=person, start_date=THU, end_date=FRI, hours_per_day=Decimal("8"))
    extra = tentative(talent=person, project=project, start_date=THU, end_date=FRI, hours_per_day=Decimal("2"))

    # 8 h + 2 h = 10 h = 8 h per day + 2 h overtime: allowed.
    booking = booking_confirm(booking=extra, user=pm, version=1)

    assert booking.status == "confirmed"
    assert booking.version == 2


def test_confirming_over_overtime_allowance_names_the_clashing_booking(pm, person, project):
    other_project = factories.ProjectFactory(code="CLASH1")
    first = factories.BookingFactory(
        talent=person, project=other_project, start_date=THU, end_date=FRI, hours_per_day=Decimal("8")
    )
    extra = tentative(talent=person, project=project, start_date=FRI, end_date=MON, hours_per_day=Decimal("3"))

    with pytest.raises(BookingClash) as refused:
        booking_confirm(booking=extra, user=pm, version=1)

    # Fri: 8 + 3 = 11 h > 10 h; Mon: 3 h only; Sat and Sun do not land.
    assert refused.value.clashes == {FRI: [first]}
    assert "CLASH1" in refused.value.messages[0]
    assert "Clashes on Fri 4 Dec" in refused.value.messages[0]
    assert FRI.isoformat() not in refused.value.messages[0]
    extra.refresh_from_db()
    assert extra.status == "tentative"


def test_holiday_and_time_off_do_not_count_towards_a_clash(pm, person, project):
    factories.HolidayFactory(date=TUE, name="Studio day")
    factories.TimeOffFactory(talent=person, start_date=MON, end_date=MON, status="approved")
    factories.BookingFactory(talent=person, start_date=MON, end_date=TUE, hours_per_day=Decimal("8"))
    extra = tentative(talent=person, project=project, start_date=MON, end_date=TUE, hours_per_day=Decimal("8"))

    # Neither booking lands on Mon (full day off) or Tue (holiday): 0 h each day.
    assert booking_confirm(booking=extra, user=pm, version=1).status == "confirmed"


def test_weekend_booking_does_not_clash_with_a_weekday_one(pm, person, project):
    factories.BookingFactory(
        talent=person, start_date=SAT, end_date=SUN, include_weekends=True, hours_per_day=Decimal("10")
    )
    extra = tentative(talent=person, project=project, start_date=FRI, end_date=MON, hours_per_day=Decimal("10"))

    # The weekday booking lands Fri and Mon only (10 h each); the weekend one Sat and Sun.
    assert booking_confirm(booking=extra, user=pm, version=1).status == "confirmed"


def test_tentative_bookings_overbook_and_are_reported_as_clashes(pm, person, project):
    confirmed = factories.BookingFactory(talent=person, start_date=THU, end_date=THU, hours_per_day=Decimal("8"))

    hold = booking_create(
        user=pm, talent=person, project=project, start_date=THU, end_date=FRI, hours_per_day=Decimal("6")
    )

    # Thu: 8 + 6 = 14 h > 10 h; Fri: 6 h only.
    assert Booking.objects.clashes_for(person, THU, FRI) == {THU: [confirmed, hold]}
    assert Booking.objects.confirmed().clashes_for(person, THU, FRI) == {}


def test_pm_overrides_a_clash_with_an_audited_reason(pm, person, project):
    factories.BookingFactory(talent=person, start_date=THU, end_date=THU, hours_per_day=Decimal("8"))
    extra = tentative(talent=person, project=project, start_date=THU, end_date=THU, hours_per_day=Decimal("4"))

    booking = booking_confirm(booking=extra, user=pm, version=1, override_reason="Pitch deadline, agreed with Sam")

    assert booking.status == "confirmed"
    assert booking.override_reason == "Pitch deadline, agreed with Sam"
    event = AuditEvent.objects.for_object(booking).get(action="booking.confirm")
    assert event.reason == "Pitch deadline, agreed with Sam"
    assert event.actor == pm


def test_admin_neither_confirms_nor_overrides_a_clash(admin_user, person, project):
    # The admin role takes no production decision (DESIGN §1): it does not book at all.
    factories.BookingFactory(talent=person, start_date=THU, end_date=THU, hours_per_day=Decimal("8"))
    extra = tentative(talent=person, project=project, start_date=THU, end_date=THU, hours_per_day=Decimal("4"))

    with pytest.raises(PermissionDenied):
        booking_confirm(booking=extra, user=admin_user, version=1, override_reason="Because")

    with pytest.raises(PermissionDenied):
        booking_confirm(booking=extra, user=admin_user, version=1)


@pytest.mark.parametrize("role", ["executive", "creative", "brand_manager"])
def test_only_pms_and_admins_write_bookings(role, person, project):
    user = factories.UserFactory(role=role)

    with pytest.raises(PermissionDenied):
        booking_create(
            user=user, talent=person, project=project, start_date=THU, end_date=FRI, hours_per_day=Decimal("4")
        )
    assert not Booking.objects.exists()


def test_freelancer_cannot_be_booked_past_contract_end(pm, project):
    freelancer = factories.FreelanceTalentFactory(
        contract_start=dt.date(2026, 11, 1), contract_end=dt.date(2026, 12, 4)
    )

    with pytest.raises(ValidationError) as refused:
        booking_create(
            user=pm, talent=freelancer, project=project, start_date=THU, end_date=SAT, hours_per_day=Decimal("8")
        )

    assert "end_date" in refused.value.message_dict
    # Ending on the contract's last day is fine.
    booking_create(user=pm, talent=freelancer, project=project, start_date=THU, end_date=FRI, hours_per_day=8)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": FRI, "end_date": THU}, "end_date"),
        ({"hours_per_day": Decimal("0")}, "hours_per_day"),
        ({"hours_per_day": Decimal("24.5")}, "hours_per_day"),
    ],
)
def test_bad_input_is_refused_with_field_errors(pm, person, project, changes, field):
    values = {"start_date": THU, "end_date": FRI, "hours_per_day": Decimal("8")} | changes

    with pytest.raises(ValidationError) as refused:
        booking_create(user=pm, talent=person, project=project, **values)

    assert field in refused.value.message_dict
    assert not Booking.objects.exists()


def test_deliverable_of_another_project_is_refused(pm, person, project):
    elsewhere = factories.DeliverableFactory()

    with pytest.raises(ValidationError) as refused:
        booking_create(
            user=pm, talent=person, project=project, deliverable=elsewhere,
            start_date=THU, end_date=FRI, hours_per_day=Decimal("4"),
        )

    assert "deliverable" in refused.value.message_dict


def test_moving_a_confirmed_booking_onto_a_full_day_is_refused(pm, person, project):
    factories.BookingFactory(talent=person, start_date=MON, end_date=MON, hours_per_day=Decimal("8"))
    booking = factories.BookingFactory(
        talent=person, project=project, start_date=THU, end_date=THU, hours_per_day=Decimal("4")
    )

    with pytest.raises(BookingClash):
        # Mon: 8 + 4 = 12 h > 10 h.
        booking_update(booking=booking, user=pm, version=1, start_date=MON, end_date=MON)

    moved = booking_update(booking=booking, user=pm, version=1, start_date=WED, end_date=WED)
    assert (moved.start_date, moved.version) == (WED, 2)


def test_stale_version_is_refused_with_the_current_booking(pm, person, project):
    booking = tentative(talent=person, project=project, start_date=THU, end_date=FRI)
    booking_update(booking=booking, user=pm, version=1, hours_per_day=Decimal("5"))

    with pytest.raises(StaleBooking) as refused:
        booking_update(booking=booking, user=pm, version=1, start_date=MON, end_date=TUE)

    assert refused.value.current.version == 2
    assert refused.value.current.hours_per_day == Decimal("5")
    booking.refresh_from_db()
    assert booking.start_date == THU


def test_split_makes_two_bookings_covering_the_same_days(pm, person, project):
    booking = factories.BookingFactory(talent=person, project=project, start_date=THU, end_date=WED)

    first, second = booking_split(booking=booking, user=pm, version=1, on=MON)

    assert (first.pk, first.start_date, first.end_date, first.version) == (booking.pk, THU, SUN, 2)
    assert (second.start_date, second.end_date, second.status) == (MON, WED, "confirmed")
    assert second.hours_per_day == booking.hours_per_day
    assert Booking.objects.count() == 2


def test_split_on_the_first_day_is_refused(pm, person, project):
    booking = factories.BookingFactory(talent=person, project=project, start_date=THU, end_date=WED)

    with pytest.raises(ValidationError) as refused:
        booking_split(booking=booking, user=pm, version=1, on=THU)

    assert "on" in refused.value.message_dict
    assert Booking.objects.count() == 1


def test_release_deletes_the_booking_and_keeps_its_history(pm, person, project):
    booking = factories.BookingFactory(talent=person, project=project, start_date=THU, end_date=FRI)
    pk = booking.pk

    booking_release(booking=booking, user=pm, version=1)

    assert not Booking.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="booking.release", object_id=str(pk))
    assert event.before["start_date"] == THU.isoformat()


def test_expired_holds_are_released_once_and_their_pm_told(pm, person, project):
    today = dt.date(2026, 11, 25)
    expired = tentative(
        talent=person, project=project, hold_expires_on=today - dt.timedelta(days=1), created_by=pm
    )
    tentative(talent=person, project=project, hold_expires_on=today)
    tentative(talent=person, project=project)
    expired_pk = expired.pk

    assert bookings_release_expired_holds(today=today) == 1
    assert bookings_release_expired_holds(today=today) == 0

    assert not Booking.objects.filter(pk=expired_pk).exists()
    assert Booking.objects.count() == 2
    assert AuditEvent.objects.filter(action="booking.release", object_id=str(expired_pk)).count() == 1
    assert Notification.objects.filter(recipient=pm).count() == 1


def test_expired_hold_created_by_a_non_pm_tells_the_project_pm(admin_user, pm, person, project):
    tentative(
        talent=person, project=project, hold_expires_on=dt.date(2026, 11, 20), created_by=admin_user
    )

    bookings_release_expired_holds(today=dt.date(2026, 11, 25))

    assert list(Notification.objects.values_list("recipient", flat=True)) == [pm.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_over_capacity_one_succeeds():
    pm = factories.UserFactory(role="pm", is_staff=True)
    person = factories.TalentFactory(hours_per_day=Decimal("8"), overtime_hours_per_day=Decimal("0"))
    # Each 6 h alone fits 8 h; together 12 h do not.
    holds = [
        tentative(talent=person, start_date=THU, end_date=FRI, hours_per_day=Decimal("6")) for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    results = []

    def confirm(booking):
        try:
            barrier.wait()
            booking_confirm(booking=booking, user=pm, version=1)
            results.append("confirmed")
        except BookingClash:
            results.append("clash")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(hold,)) for hold in holds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["clash", "confirmed"]
    assert Booking.objects.confirmed().count() == 1


def test_hold_release_task_releases_holds_expired_before_the_studios_today(move_clock, pm, person, project):
    from schedules import tasks

    move_clock(dt.date(2026, 11, 25))
    tentative(talent=person, project=project, hold_expires_on=dt.date(2026, 11, 24), created_by=pm)
    tentative(talent=person, project=project, hold_expires_on=dt.date(2026, 11, 25), created_by=pm)

    assert tasks.bookings_release_expired_holds_task.delay().get() == 1
    assert Booking.objects.count() == 1
