"""The settings the test suite runs on: Callsheet's own, in development mode, asked for
explicitly since production is the default (DEBUG unset means DEBUG=false). Set in the
environment, so that processes the tests start (a Celery worker, `manage.py`) inherit it."""

import os

os.environ["DEBUG"] = "true"

from studio.settings import *  # noqa: E402, F403
