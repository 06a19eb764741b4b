"""Beat's schedule runs in the studio's time zone, the one that decides "today"
(DESIGN §2), whatever zone the Celery app was configured with."""

import datetime as dt

import pytest
from celery import Celery

from studio import clock
from studio.celery import StudioCrontab
from studio.celery import app as celery_app
from studio.models import StudioSettings

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.fixture
def utc_app():
    """A Celery app whose own zone is UTC, as the environment might set it."""
    app = Celery("utc", set_as_current=False)
    app.conf.timezone = "UTC"
    return app


def set_studio_zone(name: str) -> None:
    studio = StudioSettings.load()
    studio.time_zone = name
    studio.save()


def test_every_beat_entry_runs_in_the_studio_zone():
    schedules = {name: type(entry["schedule"]) for name, entry in celery_app.conf.beat_schedule.items()}

    assert set(schedules.values()) == {StudioCrontab}


@pytest.mark.parametrize(
    ("seven_in_auckland", "next_seven_utc", "until_the_next_run"),
    [
        # January, daylight time (UTC+13): 07:00 on the 15th is 18:00 UTC on the 14th; at
        # 07:00 UTC on the 15th it is 20:00 there, 11 hours before the next 07:00.
        (dt.datetime(2026, 1, 14, 18, 0, tzinfo=UTC), dt.datetime(2026, 1, 15, 7, 0, tzinfo=UTC), 11 * HOUR),
        # July, standard time (UTC+12): 07:00 on the 15th is 19:00 UTC on the 14th; at
        # 07:00 UTC on the 15th it is 19:00 there, 12 hours before the next 07:00.
        (dt.datetime(2026, 7, 14, 19, 0, tzinfo=UTC), dt.datetime(2026, 7, 15, 7, 0, tzinfo=UTC), 12 * HOUR),
    ],
)
def test_a_seven_oclock_crontab_is_due_at_seven_in_the_studio_zone_not_in_the_apps(
    time_machine, utc_app, seven_in_auckland, next_seven_utc, until_the_next_run
):
    set_studio_zone("Pacific/Auckland")
    schedule = StudioCrontab(hour=7, minute=0, app=utc_app)
    yesterday = seven_in_auckland - DAY

    time_machine.move_to(seven_in_auckland - MINUTE, tick=False)
    assert schedule.is_due(yesterday).is_due is False
    assert schedule.remaining_estimate(yesterday) == MINUTE

    time_machine.move_to(seven_in_auckland, tick=False)
    assert schedule.is_due(yesterday).is_due is True
    # The same zone decides "today": it is already the 15th in Auckland.
    assert clock.today() == seven_in_auckland.date() + DAY

    # 07:00 in the app's zone is not a run.
    time_machine.move_to(next_seven_utc, tick=False)
    assert schedule.is_due(seven_in_auckland).is_due is False
    assert schedule.remaining_estimate(seven_in_auckland) == until_the_next_run


def test_moving_the_studio_zone_in_the_settings_moves_beat(time_machine, utc_app):
    schedule = StudioCrontab(hour=7, minute=0, app=utc_app)
    now = dt.datetime(2026, 1, 15, 6, 0, tzinfo=UTC)
    time_machine.move_to(now, tick=False)

    # In January London is on UTC: the next 07:00 is an hour away.
    set_studio_zone("Europe/London")
    assert schedule.remaining_estimate(now) == HOUR

    # 06:00 UTC is 19:00 in Auckland (UTC+13): the next 07:00 there is 12 hours away.
    set_studio_zone("Pacific/Auckland")
    assert schedule.remaining_estimate(now) == 12 * HOUR
