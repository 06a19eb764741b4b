"""The daily digest: one email per digest recipient, each notification emailed once."""

import datetime as dt
import smtplib
import threading
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from studio import services
from studio.celery import StudioCrontab
from studio.celery import app as celery_app
from studio.models import Notification, StudioSettings
from studio.services import notification_digest_send, notifications_send_digests
from studio.tasks import notifications_send_digests_task
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def eager_celery():
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def pending(user):
    return Notification.objects.filter(recipient=user).awaiting_email()


@pytest.fixture
def dora(db):
    return UserFactory(username="dora", email="dora@example.com", notification_delivery="digest")


def test_digest_is_one_email_listing_every_pending_notification(dora, settings):
    settings.SITE_URL = "https://callsheet.example"
    NotificationFactory(recipient=dora, subject="Brief B-12 v2 is waiting", url="/briefs/12/", created_at=hours_ago(20))
    NotificationFactory(recipient=dora, subject="Timesheet approved", url="", created_at=hours_ago(10))
    NotificationFactory(recipient=dora, subject="Deliverable sent back", url="/projects/3/", created_at=hours_ago(2))
    NotificationFactory(recipient=dora, subject="Emailed before", emailed_at=hours_ago(30), created_at=hours_ago(31))
    NotificationFactory(recipient=dora, subject="Skipped before", email_skipped=True, created_at=hours_ago(31))

    assert notifications_send_digests() == 1

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["dora@example.com"]
    assert email.subject == "Your Callsheet digest: 3 notifications"
    # Oldest first, each with the link to open it.
    assert email.body.index("Brief B-12 v2 is waiting") < email.body.index("Timesheet approved")
    assert email.body.index("Timesheet approved") < email.body.index("Deliverable sent back")
    assert "https://callsheet.example/briefs/12/" in email.body
    assert "https://callsheet.example/projects/3/" in email.body
    assert "Emailed before" not in email.body and "Skipped before" not in email.body
    assert "One daily digest" in email.body
    assert not pending(dora).exists()


def test_rerunning_the_digest_sends_nothing(dora):
    NotificationFactory.create_batch(2, recipient=dora)
    assert notifications_send_digests() == 1

    assert notifications_send_digests() == 0
    assert notification_digest_send(user_id=dora.pk, day=timezone.localdate()) == 0
    assert len(mail.outbox) == 1


def test_next_digest_lists_only_what_came_since(dora):
    NotificationFactory(recipient=dora, subject="Yesterday's news")
    notifications_send_digests()
    NotificationFactory(recipient=dora, subject="Today's news")

    assert notifications_send_digests() == 1

    assert mail.outbox[1].subject == "Your Callsheet digest: 1 notification"
    assert "Today's news" in mail.outbox[1].body
    assert "Yesterday's news" not in mail.outbox[1].body


def test_immediate_and_no_email_users_are_left_alone(dora):
    immediate = UserFactory(notification_delivery="immediate")
    nothing = UserFactory(notification_delivery="none")
    waiting = NotificationFactory(recipient=immediate, created_at=hours_ago(3))
    unwanted = NotificationFactory(recipient=nothing, created_at=hours_ago(3))
    NotificationFactory(recipient=dora)

    assert notifications_send_digests() == 1

    assert [email.to for email in mail.outbox] == [["dora@example.com"]]
    assert list(pending(immediate)) == [waiting]
    assert list(pending(nothing)) == [unwanted]


def test_digest_for_a_user_who_switched_away_sends_nothing(dora):
    notification = NotificationFactory(recipient=dora)
    dora.notification_delivery = "immediate"
    dora.save()

    assert notification_digest_send(user_id=dora.pk, day=timezone.localdate()) == 0
    assert mail.outbox == []
    assert list(pending(dora)) == [notification]


def test_digest_recipient_without_an_address_is_marked_skipped():
    nobody = UserFactory(email="", notification_delivery="digest")
    NotificationFactory.create_batch(2, recipient=nobody)

    assert notifications_send_digests() == 0

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=nobody, email_skipped=True).count() == 2


def test_digest_for_a_past_day_stops_at_its_end_in_the_studio_time_zone(dora):
    # In January London is on UTC: the 14th ends at 2026-01-15 00:00 UTC.
    studio = StudioSettings.load()
    studio.time_zone = "Europe/London"
    studio.save()
    NotificationFactory(recipient=dora, subject="Late on the 14th",
                        created_at=dt.datetime(2026, 1, 14, 23, 30, tzinfo=LONDON))
    NotificationFactory(recipient=dora, subject="Early on the 15th",
                        created_at=dt.datetime(2026, 1, 15, 0, 30, tzinfo=LONDON))

    assert notification_digest_send(user_id=dora.pk, day=dt.date(2026, 1, 14)) == 1

    assert "Late on the 14th" in mail.outbox[0].body
    assert "Early on the 15th" not in mail.outbox[0].body
    assert [n.subject for n in pending(dora)] == ["Early on the 15th"]


def test_a_refused_address_does_not_hold_back_the_others(dora):
    bounce = UserFactory(email="bounce@example.com", notification_delivery="digest")
    refused = NotificationFactory(recipient=bounce)
    NotificationFactory(recipient=dora)
    real_send_mail = services.send_mail

    def refusing_send_mail(**kwargs):
        if kwargs["recipient_list"] == ["bounce@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"bounce@example.com": (550, b"no such user")})
        return real_send_mail(**kwargs)

    with mock.patch.object(services, "send_mail", side_effect=refusing_send_mail):
        assert notifications_send_digests() == 1

    assert [email.to for email in mail.outbox] == [["dora@example.com"]]
    # The failed claim rolled back: the next run tries the refused digest again.
    assert list(pending(bounce)) == [refused]


def test_digest_task_sends_the_digests(dora):
    NotificationFactory(recipient=dora)

    assert notifications_send_digests_task.delay().get() == 1
    assert len(mail.outbox) == 1


def test_beat_sends_digests_daily_at_seven_in_the_studio_time_zone():
    entry = celery_app.conf.beat_schedule["notifications-send-digests"]

    assert entry["task"] == notifications_send_digests_task.name
    # A StudioCrontab: 07:00 in StudioSettings.time_zone (tests/studio/test_beat.py).
    assert entry["schedule"] == StudioCrontab(hour=7, minute=0)
    assert isinstance(entry["schedule"], StudioCrontab)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_run_skips_a_digest_being_sent():
    dora = UserFactory(email="dora@example.com", notification_delivery="digest")
    NotificationFactory.create_batch(2, recipient=dora)
    real_send_mail = services.send_mail
    sending, release = threading.Event(), threading.Event()
    results = {}

    def slow_send_mail(**kwargs):
        sending.set()
        release.wait(10)
        return real_send_mail(**kwargs)

    def first_run():
        try:
            results["first"] = notifications_send_digests()
        finally:
            connection.close()

    with mock.patch.object(services, "send_mail", side_effect=slow_send_mail):
        worker = threading.Thread(target=first_run)
        worker.start()
        try:
            assert sending.wait(10), "the first run never reached send_mail"
            # The first run holds the rows while it talks to the mail server.
            results["second"] = notifications_send_digests()
        finally:
            release.set()
            worker.join(10)

    assert results == {"first": 1, "second": 0}
    assert len(mail.outbox) == 1
    assert notifications_send_digests() == 0
    assert len(mail.outbox) == 1
