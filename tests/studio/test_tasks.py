"""Notification emails go through the real broker to a real worker (needs REDIS_URL)."""

import datetime as dt

import pytest
import redis
from celery.result import AsyncResult, EagerResult
from django.conf import settings
from django.core import mail
from django.utils import timezone

from studio.models import Notification
from studio.services import notification_create
from studio.tasks import notification_email_task, notifications_deliver_pending_task
from tests.celery_worker import wait_until
from tests.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_email_task_runs_on_a_worker_through_redis(celery_worker, isolated_broker):
    notification = NotificationFactory(recipient=UserFactory(email="ana@example.com"))

    result = notification_email_task.delay(notification.pk)

    # A published task, not one run in-process: it has a broker round trip.
    assert not isinstance(result, EagerResult)
    assert isinstance(result, AsyncResult)
    assert result.get(timeout=15) is True
    # The worker thread shares this process, so the test mail outbox sees its email.
    assert [email.to for email in mail.outbox] == [["ana@example.com"]]
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None


def test_created_notification_is_emailed_by_the_worker_after_commit(celery_worker):
    recipient = UserFactory(notification_delivery="immediate", email="ben@example.com")

    notification = notification_create(
        recipient=recipient, subject="Approval waiting", url="/approvals/"
    )

    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)
    assert [email.subject for email in mail.outbox] == ["Approval waiting"]


def test_a_redelivered_task_sends_no_second_email(celery_worker):
    notification = NotificationFactory()

    first = notification_email_task.delay(notification.pk)
    second = notification_email_task.delay(notification.pk)

    assert [first.get(timeout=15), second.get(timeout=15)] == [True, False]
    assert len(mail.outbox) == 1


def test_the_beat_safety_net_task_runs_on_the_worker(celery_worker):
    NotificationFactory(created_at=timezone.now() - dt.timedelta(minutes=10))

    assert notifications_deliver_pending_task.delay().get(timeout=15) == 1
    assert len(mail.outbox) == 1


def test_tasks_wait_in_the_test_queue_under_its_own_key_prefix(isolated_broker):
    # No worker here: the message must sit in Redis under this process's prefix.
    notification = NotificationFactory()
    client = redis.Redis.from_url(settings.REDIS_URL)

    notification_email_task.delay(notification.pk)

    assert client.llen(f"{isolated_broker}:{isolated_broker}") == 1
    assert client.llen(f"callsheet:{isolated_broker}") == 0
