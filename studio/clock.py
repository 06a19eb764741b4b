"""The studio's calendar day: one time zone decides "today" for everyone (DESIGN §2)."""

import datetime as dt
import zoneinfo

from django.utils import timezone


def studio_zone():
    from .models import StudioSettings

    return zoneinfo.ZoneInfo(StudioSettings.load().time_zone)


def today() -> dt.date:
    return timezone.now().astimezone(studio_zone()).date()


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (weeks start on Monday)."""
    return day - dt.timedelta(days=day.weekday())
