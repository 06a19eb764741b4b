"""The nightly reminder: who has not acknowledged a brief within one working day is
reminded, and their PM told; weekends and holidays are not working days; once a day.

Calendar used below (worked out by hand): 2026-11-27 is a Friday, 28/29 November the
weekend, 30 November a Monday, 1 December a Tuesday; 2026-12-24 is a Thursday, 25
December a Friday (a studio holiday here), 28 December a Monday."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from briefs.services.briefs import brief_reminders_send
from briefs.tasks import brief_reminders_send_task
from studio.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")  # the studio's time zone (settings default)


def at(day, hour=19):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def run(move_clock):
    """Run the nightly job for `day`, with the clock on that day."""

    def run_on(day):
        move_clock(day)
        return brief_reminders_send(today=day)

    return run_on


def sent(day, hour=15, **kwargs):
    return f.BriefDistributionFactory(sent_at=at(day, hour), **kwargs)


def reminders_to(user):
    return Notification.objects.filter(recipient=user, subject__startswith="Reminder").count()


def test_sent_on_friday_is_reminded_on_monday_evening_not_over_the_weekend(run):
    distribution = sent(dt.date(2026, 11, 27))

    assert run(dt.date(2026, 11, 28)) == 0  # Saturday
    assert run(dt.date(2026, 11, 29)) == 0  # Sunday
    assert run(dt.date(2026, 11, 30)) == 1  # Monday: the working day after Friday is over

    assert reminders_to(distribution.recipient) == 1
    distribution.refresh_from_db()
    assert timezone.localdate(distribution.reminded_at, LONDON) == dt.date(2026, 11, 30)


def test_nothing_is_reminded_on_the_day_it_was_sent(run):
    distribution = sent(dt.date(2026, 11, 30), hour=9)

    assert run(dt.date(2026, 11, 30)) == 0
    assert run(dt.date(2026, 12, 1)) == 1
    assert reminders_to(distribution.recipient) == 1


def test_a_studio_holiday_is_not_a_working_day(run):
    f.HolidayFactory(date=dt.date(2026, 12, 25))
    distribution = sent(dt.date(2026, 12, 24), hour=10)

    assert run(dt.date(2026, 12, 25)) == 0  # Christmas Day, a holiday
    assert run(dt.date(2026, 12, 28)) == 1  # Monday
    assert reminders_to(distribution.recipient) == 1


def test_a_second_run_on_the_same_day_sends_nothing_and_the_next_day_reminds_again(run):
    distribution = sent(dt.date(2026, 11, 27))

    assert run(dt.date(2026, 11, 30)) == 1
    assert run(dt.date(2026, 11, 30)) == 0
    assert reminders_to(distribution.recipient) == 1
    assert Notification.objects.filter(recipient=distribution.version.brief.project.pm).count() == 1

    assert run(dt.date(2026, 12, 1)) == 1
    assert reminders_to(distribution.recipient) == 2


def test_acknowledged_and_superseded_versions_are_not_reminded(run):
    acknowledged = sent(dt.date(2026, 11, 27), acknowledged_at=at(dt.date(2026, 11, 27), 16))
    old = sent(dt.date(2026, 11, 26))
    brief = old.version.brief
    newer = f.BriefVersionFactory(brief=brief, number=2)
    latest = sent(dt.date(2026, 11, 27), version=newer, recipient=old.recipient)

    assert run(dt.date(2026, 11, 30)) == 1

    assert reminders_to(acknowledged.recipient) == 0
    for distribution in (old, latest):
        distribution.refresh_from_db()
    assert old.reminded_at is None and latest.reminded_at is not None


def test_each_pm_hears_once_per_brief_who_has_not_acknowledged(run):
    first = sent(dt.date(2026, 11, 27), recipient__first_name="Ada", recipient__last_name="Byron")
    version = first.version
    sent(dt.date(2026, 11, 27), version=version, recipient__first_name="Ben", recipient__last_name="Ng")
    other_brief = f.BriefVersionFactory(brief__project__pm=version.brief.project.pm)
    sent(dt.date(2026, 11, 27), version=other_brief)

    assert run(dt.date(2026, 11, 30)) == 3

    pm = version.brief.project.pm
    notes = Notification.objects.filter(recipient=pm)
    assert notes.count() == 2
    about_first = notes.get(subject__contains=version.brief.title)
    assert about_first.subject.startswith("2 people have not acknowledged")
    assert about_first.body == "Ada Byron, Ben Ng"
    # The PM's note leads to the brief's distribution board, the recipient's to the brief.
    assert about_first.url == f"/briefs/{version.brief_id}/board/"
    assert Notification.objects.get(recipient=first.recipient).url == f"/briefs/{version.brief_id}/"


def test_the_nightly_task_runs_the_reminders_for_the_studios_today(move_clock):
    sent(dt.date(2026, 11, 27))
    # The Monday after: the job finds the Friday distribution overdue.
    move_clock(dt.date(2026, 11, 30))

    assert brief_reminders_send_task.delay().get() == 1
