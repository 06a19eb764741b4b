"""Audit and notification services: who did what, and emails sent exactly once."""

import datetime as dt
import smtplib
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.utils import timezone

from studio import services
from studio.celery import app as celery_app
from studio.models import AuditEvent, Notification
from studio.services import (
    audit_record,
    notification_create,
    notification_send_email,
    notifications_deliver_pending,
)
from studio.tasks import notification_email_task
from tests.factories import NotificationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_celery():
    """Run tasks in-process here even when REDIS_URL is set: these tests are
    about the services; tests/studio/test_tasks.py covers the real broker."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def minutes_ago(minutes):
    return timezone.now() - dt.timedelta(minutes=minutes)


# --- audit ------------------------------------------------------------------


def test_audit_record_keeps_actor_object_and_states():
    pm = UserFactory(role="pm")
    project = ProjectFactory()

    event = audit_record(
        actor=pm,
        obj=project,
        action="fee changed",
        before={"fee": Decimal("20000.00"), "due": dt.date(2026, 12, 1)},
        after={"fee": Decimal("23000.00"), "due": dt.date(2026, 12, 1)},
        reason="Change order 1",
    )

    event.refresh_from_db()
    assert event.actor == pm
    assert event.target == project
    assert event.object_repr == str(project)
    # Decimals and dates are stored as strings, the JSON a reader can diff.
    assert event.before == {"fee": "20000.00", "due": "2026-12-01"}
    assert event.after == {"fee": "23000.00", "due": "2026-12-01"}
    assert event.reason == "Change order 1"
    assert list(AuditEvent.objects.for_object(project)) == [event]


def test_audit_record_by_anonymous_user_is_recorded_as_system():
    project = ProjectFactory()

    event = audit_record(actor=AnonymousUser(), obj=project, action="survey answered")

    assert event.actor is None
    assert str(event) == f"system survey answered {project}"


# --- creating notifications ---------------------------------------------------


def test_immediate_notification_is_emailed_once_after_commit(django_capture_on_commit_callbacks):
    recipient = UserFactory(notification_delivery="immediate", email="ana@example.com")
    project = ProjectFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(
            recipient=recipient,
            subject="Brief ready",
            body="Please read it.",
            url="/projects/1/",
            target=project,
        )
        # Nothing leaves before the transaction commits.
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ana@example.com"]
    assert email.subject == "Brief ready"
    assert "Please read it." in email.body
    assert "/projects/1/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.target == project


def test_rerunning_the_email_task_sends_no_second_email(django_capture_on_commit_callbacks):
    recipient = UserFactory(notification_delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(recipient=recipient, subject="Approval waiting")
    first_sent_at = Notification.objects.get(pk=notification.pk).emailed_at

    assert notification_email_task.delay(notification.pk).get() is False
    assert notification_send_email(notification_id=notification.pk) is False

    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).emailed_at == first_sent_at


def test_digest_recipient_gets_no_email_and_the_notification_waits_for_the_digest(
    django_capture_on_commit_callbacks,
):
    recipient = UserFactory(notification_delivery="digest")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_create(recipient=recipient, subject="Brief ready")

    assert callbacks == []
    assert mail.outbox == []
    assert list(Notification.objects.awaiting_email()) == [notification]


def test_recipient_who_wants_no_email_is_marked_skipped(django_capture_on_commit_callbacks):
    recipient = UserFactory(notification_delivery="none")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_create(recipient=recipient, subject="Brief ready")

    assert callbacks == []
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_skipped is True
    assert notification.emailed_at is None


def test_recipient_without_email_address_is_marked_skipped(django_capture_on_commit_callbacks):
    recipient = UserFactory(notification_delivery="immediate", email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_create(recipient=recipient, subject="Brief ready")

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_skipped is True


def test_notification_survives_a_broker_outage_and_stays_pending(
    django_capture_on_commit_callbacks,
):
    recipient = UserFactory(notification_delivery="immediate")

    with mock.patch.object(
        notification_email_task, "delay", side_effect=ConnectionError("broker down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notification_create(recipient=recipient, subject="Brief ready")

    # The request that created it did not fail; the beat safety net sends it later.
    assert mail.outbox == []
    assert list(Notification.objects.awaiting_email()) == [notification]


# --- sending ----------------------------------------------------------------------


def test_sending_skips_a_recipient_who_removed_their_email_since():
    notification = NotificationFactory(recipient=UserFactory(email=""))

    assert notification_send_email(notification_id=notification.pk) is False

    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_skipped is True


def test_sending_a_deleted_notification_does_nothing():
    assert notification_send_email(notification_id=987654) is False
    assert mail.outbox == []


def test_failed_send_leaves_the_notification_pending_for_a_retry():
    notification = NotificationFactory()

    with mock.patch.object(
        services, "send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")
    ):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notification_send_email(notification_id=notification.pk)
    assert Notification.objects.get(pk=notification.pk).emailed_at is None

    assert notification_send_email(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_email_task_retries_transient_mail_errors_then_sends_once():
    notification = NotificationFactory()
    real_send_mail = services.send_mail
    failures = [smtplib.SMTPServerDisconnected("gone"), ConnectionResetError("reset")]

    def flaky_send_mail(**kwargs):
        if failures:
            raise failures.pop(0)
        return real_send_mail(**kwargs)

    # Eager retries run at once, one inside the other; propagating would stop
    # at the first Retry instead of following them.
    celery_app.conf.task_eager_propagates = False
    with mock.patch.object(services, "send_mail", side_effect=flaky_send_mail):
        result = notification_email_task.apply(args=[notification.pk])

    assert result.get() is True
    assert len(mail.outbox) == 1
    assert failures == []


def test_email_task_does_not_retry_a_programming_error():
    notification = NotificationFactory()

    with mock.patch.object(services, "send_mail", side_effect=ValueError("bad header")) as send:
        with pytest.raises(ValueError):
            notification_email_task.apply(args=[notification.pk])

    assert send.call_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_second_worker_skips_a_notification_that_is_being_sent():
    notification = NotificationFactory()
    real_send_mail = services.send_mail
    sending, release = threading.Event(), threading.Event()
    results = {}

    def slow_send_mail(**kwargs):
        sending.set()
        release.wait(10)
        return real_send_mail(**kwargs)

    def first_worker():
        try:
            results["first"] = notification_send_email(notification_id=notification.pk)
        finally:
            connection.close()

    with mock.patch.object(services, "send_mail", side_effect=slow_send_mail):
        worker = threading.Thread(target=first_worker)
        worker.start()
        try:
            assert sending.wait(10), "the first worker never reached send_mail"
            # The first worker holds the row while it talks to the mail server.
            results["second"] = notification_send_email(notification_id=notification.pk)
        finally:
            release.set()
            worker.join(10)

    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 1
    assert notification_send_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


# --- the beat safety net ---------------------------------------------------------------


def test_deliver_pending_sends_only_immediate_notifications_left_behind():
    immediate = UserFactory(notification_delivery="immediate")
    left_behind = NotificationFactory(
        recipient=immediate, subject="left behind", created_at=minutes_ago(5)
    )
    NotificationFactory(recipient=immediate, subject="just created", created_at=minutes_ago(0))
    NotificationFactory(recipient=immediate, subject="a day late", created_at=minutes_ago(25 * 60))
    NotificationFactory(
        recipient=immediate,
        subject="already sent",
        created_at=minutes_ago(5),
        emailed_at=minutes_ago(4),
    )
    NotificationFactory(
        recipient=UserFactory(notification_delivery="digest"),
        subject="digest",
        created_at=minutes_ago(5),
    )

    assert notifications_deliver_pending() == 1
    assert [email.subject for email in mail.outbox] == ["left behind"]
    assert Notification.objects.get(pk=left_behind.pk).emailed_at is not None

    assert notifications_deliver_pending() == 0
    assert len(mail.outbox) == 1


def test_deliver_pending_carries_on_past_a_refused_address():
    refused = NotificationFactory(
        recipient=UserFactory(email="bounce@example.com"),
        subject="first",
        created_at=minutes_ago(6),
    )
    NotificationFactory(recipient=UserFactory(), subject="second", created_at=minutes_ago(5))
    real_send_mail = services.send_mail

    def refusing_send_mail(**kwargs):
        if kwargs["recipient_list"] == ["bounce@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"bounce@example.com": (550, b"no such user")})
        return real_send_mail(**kwargs)

    with mock.patch.object(services, "send_mail", side_effect=refusing_send_mail):
        assert notifications_deliver_pending() == 1

    assert [email.subject for email in mail.outbox] == ["second"]
    assert list(Notification.objects.awaiting_email()) == [refused]
