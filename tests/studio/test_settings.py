"""The settings read the environment and refuse unsafe production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from tests.factories import RateCardFactory

ROOT = Path(__file__).resolve().parents[2]
# DEBUG unset: production is the default.
PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-" + "x7Qp9LmZ2vR8tW4y" * 4,
    "ALLOWED_HOSTS": "callsheet.example.com",
    "SITE_URL": "https://callsheet.example.com",
    "DATABASE_URL": "sqlite:////tmp/callsheet-deploy-check.sqlite3",
    "PATH": os.environ.get("PATH", ""),
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def serve(env):
    """What a production server does first: load the WSGI application."""
    return subprocess.run(
        [sys.executable, "-c", "import studio.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_are_hardened():
    show = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS,"
        " 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE)"
    )
    result = manage("shell", "--no-imports", "-c", show, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000", "True", "True", "same-origin", "DENY", "True"]


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = serve(env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = serve(env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_without_site_url_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = serve(env)
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


@pytest.mark.parametrize("site_url", ["callsheet.example.com", "ftp://callsheet.example.com", "https://"])
def test_a_site_url_that_is_no_web_address_is_refused(site_url):
    result = manage("check", env=PRODUCTION_ENV | {"SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be an http(s) address" in result.stderr


def test_development_links_default_to_the_development_server():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("SITE_URL", "SECRET_KEY")} | {"DEBUG": "true"}
    show = "from django.conf import settings; print(settings.SITE_URL)"
    result = manage("shell", "--no-imports", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


@pytest.mark.parametrize(("behind_proxy", "trusted"), [(None, "None"), ("false", "None"),
                                                       ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_the_forwarded_protocol_is_trusted_only_behind_a_proxy(behind_proxy, trusted):
    env = PRODUCTION_ENV | ({"BEHIND_PROXY": behind_proxy} if behind_proxy else {})
    show = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = manage("shell", "--no-imports", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == trusted


@pytest.mark.parametrize(("proxy_header", "status"), [(None, 301), (("HTTP_X_FORWARDED_PROTO", "https"), 200)])
def test_a_client_claiming_https_is_believed_only_behind_a_proxy(db, client, settings, proxy_header, status):
    settings.SECURE_PROXY_SSL_HEADER = proxy_header
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
    # Not believed: redirected to https; believed: served as the secure request it claims to be.
    assert response.status_code == status


def test_make_run_names_the_port_it_serves_in_links():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0, result.stderr
    assert "SITE_URL=http://127.0.0.1:8123 " in result.stdout
    assert "runserver 127.0.0.1:8123" in result.stdout


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


def test_with_no_environment_the_server_refuses_to_start_and_says_what_is_missing():
    result = serve({"PATH": os.environ.get("PATH", "")})
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    for missing in ("SECRET_KEY is not set", "ALLOWED_HOSTS is not set", "SITE_URL is not set", "set DEBUG=true"):
        assert missing in result.stderr


def test_with_no_environment_a_celery_worker_refuses_to_start():
    start = "from studio.celery import app; app.WorkController(pool_cls='solo')"
    result = subprocess.run([sys.executable, "-c", start], cwd=ROOT, env={"PATH": os.environ.get("PATH", "")},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_no_environment_the_deploy_check_names_what_is_missing():
    result = manage("check", "--deploy", env={"PATH": os.environ.get("PATH", "")})
    assert result.returncode != 0
    for missing in ("SECRET_KEY is not set", "ALLOWED_HOSTS is not set", "SITE_URL is not set"):
        assert missing in result.stderr


def test_commands_that_serve_nothing_run_with_no_environment():
    # A migration check, a build's collectstatic or migrate need no production secrets.
    result = manage("makemigrations", "--check", "--dry-run", env={"PATH": os.environ.get("PATH", "")})
    assert result.returncode == 0, result.stderr


def test_development_mode_is_asked_for_with_debug_true():
    show = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    result = manage("shell", "--no-imports", "-c", show, env={"PATH": os.environ.get("PATH", ""), "DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['127.0.0.1', 'localhost', '[::1]']"


def test_the_suite_runs_in_development_mode_with_no_environment():
    # What CI's `make test` and a bare `python -m pytest` do: the test settings ask for it.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
         "tests/studio/test_settings.py"],
        cwd=ROOT, env={"PATH": os.environ.get("PATH", "")}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_the_suite_runs_in_development_mode_with_no_environment" in result.stdout


@pytest.mark.parametrize("target", ["migrate", "seed", "run", "worker", "beat", "test"])
def test_make_targets_for_a_developer_ask_for_development_mode(tmp_path, target):
    # A stand-in virtualenv whose python and celery print the DEBUG they were given.
    (tmp_path / "bin").mkdir()
    for tool in ("python", "celery"):
        (tmp_path / "bin" / tool).write_text('#!/bin/sh\necho "DEBUG=$DEBUG $*"\n')
        (tmp_path / "bin" / tool).chmod(0o755)
    for marker in (".installed", ".installed-dev"):
        (tmp_path / marker).touch()
    result = subprocess.run(
        ["make", "-s", target, f"VENV={tmp_path}", "REDIS_URL=redis://127.0.0.1:6379/9"], cwd=ROOT,
        capture_output=True, text=True, timeout=60, env={"PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if line.startswith("DEBUG=")]
    assert commands and all(line.startswith("DEBUG=true ") for line in commands), result.stdout


def test_the_container_image_runs_in_production_mode():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENV DEBUG=false" in dockerfile
