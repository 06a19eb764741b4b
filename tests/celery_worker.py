"""A real Celery worker for tests, fed through the real Redis broker (needs REDIS_URL):
`celery_worker` starts one in a thread on a queue and key prefix of this test process's
own (`isolated_broker`). The fixtures are made available to every test by conftest."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection, connections

from studio.celery import app as celery_app


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


def database_url() -> str:
    """The test database's address, for a process of its own."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"


@contextmanager
def worker_process(namespace: str, log_path, *, settings_module: str = "studio.settings", **environ: str):
    """A real `celery worker` process on the test database, consuming only the queue and
    key prefix of `isolated_broker` (settings read CELERY_QUEUE and KEY_PREFIX), with
    `environ` added to its environment; skips the test when it cannot start. Killed, if
    still alive, on the way out."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": namespace,
        "KEY_PREFIX": namespace,
        **environ,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "studio", "worker", "--pool", "solo", "--concurrency", "1",
        "-Q", namespace, "-n", f"{namespace}@%h", "-l", "INFO",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        ready = wait_until(lambda: process.poll() is not None or b" ready." in log_path.read_bytes(), 40)
        if not ready or process.poll() is not None:
            tail = log_path.read_bytes()[-2000:].decode(errors="replace")
            pytest.skip(f"the celery worker could not start: {tail}")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
