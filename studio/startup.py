"""What a server or worker asks before it starts: production settings that are missing
(`settings.UNCONFIGURED`) stop it with what to set. `check --deploy` says the same."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT = "For local development set DEBUG=true instead (`make run` does)."


def refuse_unconfigured(**_signal) -> None:
    """Stop a WSGI/ASGI application, a Celery worker or beat that production settings are missing from."""
    if settings.UNCONFIGURED:
        raise ImproperlyConfigured(" ".join([*settings.UNCONFIGURED, DEVELOPMENT]))


@checks.register(checks.Tags.security, deploy=True)
def production_settings_check(app_configs, **kwargs):
    return [checks.Error(message, hint=DEVELOPMENT, id="studio.E001") for message in settings.UNCONFIGURED]
