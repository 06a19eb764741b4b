"""How a day is written in messages, notifications and errors: as people read it ("Thu 3 Dec"),
never ISO. The year is added when the day is not in the studio's current year ("Mon 4 Jan 2027"),
so a date next January does not read as last January."""

import datetime as dt

from django.utils.formats import date_format

from . import clock


def day_text(day: dt.date, *, today: dt.date | None = None) -> str:
    """"Thu 3 Dec" in the studio's current year, "Mon 4 Jan 2027" otherwise."""
    if isinstance(day, dt.datetime):
        day = day.date()
    current = (today or clock.today()).year
    return date_format(day, "D j M" if day.year == current else "D j M Y")


def days_text(days) -> str:
    """Several days, in order, comma-separated: "Thu 3 Dec, Fri 4 Dec"."""
    today = clock.today()
    return ", ".join(day_text(day, today=today) for day in sorted(days))
