"""The studio's calendar day: one time zone decides "today" for everyone (DESIGN §2)."""

import datetime as dt
import zoneinfo

from django.core.cache import cache
from django.utils import timezone


def studio_zone():
    # Read on nearly every request: cached, and forgotten whenever the settings are saved.
    from .models import TIME_ZONE_CACHE_KEY, StudioSettings

    name = cache.get(TIME_ZONE_CACHE_KEY)
    if name is None:
        name = StudioSettings.load().time_zone
        cache.set(TIME_ZONE_CACHE_KEY, name, timeout=300)
    return zoneinfo.ZoneInfo(name)


def today() -> dt.date:
    return timezone.now().astimezone(studio_zone()).date()


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (weeks start on Monday)."""
    return day - dt.timedelta(days=day.weekday())
