"""docker-compose.yml is valid, needs its secrets, and configures a production-safe app."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = shutil.which("docker-compose")

pytestmark = pytest.mark.skipif(
    COMPOSE is None, reason="docker-compose is not installed (apt-get install -y docker-compose)"
)

# What a deployment must set: the two secrets, the host names it answers to and the
# address its links lead to.
SECRETS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "POSTGRES_PASSWORD": "compose-test-password",
    "ALLOWED_HOSTS": "callsheet.example.com",
    "SITE_URL": "https://callsheet.example.com",
}


def compose(*args, **env):
    # Only PATH from the outside, so a developer's own SECRET_KEY cannot mask a missing one.
    environment = {"PATH": os.environ.get("PATH", ""), **env}
    return subprocess.run(
        [COMPOSE, "-f", "docker-compose.yml", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def config():
    result = compose("config", **SECRETS)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid():
    result = compose("config", "-q", **SECRETS)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "SITE_URL"])
def test_compose_refuses_to_run_without_its_secrets(missing):
    env = {name: value for name, value in SECRETS.items() if name != missing}
    result = compose("config", "-q", **env)
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr


def test_compose_runs_the_database_broker_web_and_workers(config):
    services = config["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= services.keys()
    assert services["postgres"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["web"]["command"][:2] == ["gunicorn", "studio.wsgi"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "studio", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "studio", "beat"]


def test_schema_is_migrated_before_web_and_workers_start(config):
    services = config["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_web_and_worker_can_be_scaled(config):
    # A fixed container name or a host port on a worker would make a second replica fail.
    for name in ("web", "worker"):
        assert "container_name" not in config["services"][name]
    assert "ports" not in config["services"]["worker"]


def test_data_and_private_files_live_in_named_volumes(config):
    services = config["services"]
    assert {"postgres-data", "private-media"} <= config["volumes"].keys()
    assert any(
        v.startswith("postgres-data:/var/lib/postgresql/data")
        for v in services["postgres"]["volumes"]
    )
    private_root = services["web"]["environment"]["PRIVATE_MEDIA_ROOT"]
    for name in ("web", "worker"):
        assert any(v.startswith(f"private-media:{private_root}") for v in services[name]["volumes"])


def test_app_environment_passes_the_deploy_check(config):
    environment = {
        name: str(value) for name, value in config["services"]["web"]["environment"].items()
    }
    assert environment["DEBUG"] == "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**environment, "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # TLS ends at the proxy, so the https redirect is off on purpose; nothing else may warn.
    security_warnings = set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))
    assert security_warnings == {"W008"}
