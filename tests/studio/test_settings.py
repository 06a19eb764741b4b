"""The settings read the environment and refuse unsafe production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from tests.factories import RateCardFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9LmZ2vR8tW4y" * 4,
    "ALLOWED_HOSTS": "callsheet.example.com",
    "DATABASE_URL": "sqlite:////tmp/callsheet-deploy-check.sqlite3",
    "PATH": os.environ.get("PATH", ""),
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"} | {"SECRET_KEY_FILE": str(key_file)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_tests_run_on_postgresql_when_database_url_is_set():
    assert connection.vendor == "postgresql"
    card = RateCardFactory()
    with pytest.raises(IntegrityError):
        RateCardFactory(talent=card.talent, valid_from=card.valid_from)


@pytest.mark.redis
def test_cache_is_redis_when_redis_url_is_set(xdist_worker):
    from django.core.cache import cache, caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    key = f"settings-test-{xdist_worker}"
    cache.set(key, {"hours": "7.50"}, timeout=30)
    try:
        assert cache.get(key) == {"hours": "7.50"}
    finally:
        cache.delete(key)


def test_with_no_environment_manage_py_runs_in_development_mode():
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)",
                    env={"PATH": os.environ.get("PATH", "")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_container_image_runs_in_production_mode():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENV DEBUG=false" in dockerfile
