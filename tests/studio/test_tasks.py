"""Notification emails go through the real broker to a real worker (needs REDIS_URL)."""

import datetime as dt
import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult, EagerResult
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from studio.celery import app as celery_app
from studio.models import Notification
from studio.services import notification_create
from studio.tasks import notification_email_task, notifications_deliver_pending_task
from tests.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _reset_broker_connections():
    # Queues and the connection pool are built once from the configuration;
    # drop them so the next publish and the worker read the new settings.
    # (kombu keeps one pool per transport options, so the old one is reused
    # as is when the settings come back: it must not be closed.)
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def isolated_broker(xdist_worker):
    """A queue and Redis key prefix of this test process's own, so parallel
    pytest workers (and anyone else on this Redis) never take each other's tasks."""
    namespace = f"callsheet-test-{xdist_worker}-{os.getpid()}"
    conf = celery_app.conf
    saved = {
        "task_always_eager": conf.task_always_eager,
        "task_default_queue": conf.task_default_queue,
        "broker_transport_options": conf.broker_transport_options,
    }
    conf.task_always_eager = False
    conf.task_default_queue = namespace
    conf.broker_transport_options = {
        **saved["broker_transport_options"],
        "global_keyprefix": f"{namespace}:",
    }
    _reset_broker_connections()
    yield namespace
    conf.update(saved)
    _reset_broker_connections()
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"{namespace}:*"):
        client.delete(key)


@pytest.fixture
def celery_worker(isolated_broker):
    def close_worker_connections(**kwargs):
        # The worker thread has its own database connections; close them after
        # each task so none outlives the test (the test database is dropped).
        connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_worker_connections)


def wait_until(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


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
