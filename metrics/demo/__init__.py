"""The demo studio behind `manage.py seed_demo`: a deterministic, realistic data
set with a login for each role, every date counted from the studio's today."""

from .builder import LOGINS, DatabaseNotEmpty, DemoLogin, database_is_empty, demo_studio_seed
from .people import DEMO_PASSWORD

__all__ = [
    "DEMO_PASSWORD",
    "LOGINS",
    "DatabaseNotEmpty",
    "DemoLogin",
    "database_is_empty",
    "demo_studio_seed",
]
