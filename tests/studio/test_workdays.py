"""The plan window: the dates a plan may take (ten years ahead at most, not before the
studio's calendar starts), checked in one place."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from studio.workdays import EARLIEST_DAY, check_plan_dates, plan_window


def test_the_window_reaches_ten_years_ahead():
    assert plan_window(dt.date(2026, 12, 3)) == (EARLIEST_DAY, dt.date(2036, 12, 3))


def test_a_leap_day_reaches_the_28th_ten_years_on():
    assert plan_window(dt.date(2028, 2, 29))[1] == dt.date(2038, 2, 28)


def test_dates_outside_the_window_are_refused_field_by_field():
    today = dt.date(2026, 12, 3)
    with pytest.raises(ValidationError) as excinfo:
        check_plan_dates(today, start=dt.date(1, 1, 1), end=dt.date(2036, 12, 4), fine=dt.date(2027, 1, 4), empty=None)
    errors = excinfo.value.message_dict
    assert set(errors) == {"start", "end"}
    assert errors["end"] == ["Choose a date from Sat 1 Jan 2000 to Wed 3 Dec 2036."]


def test_dates_at_both_ends_of_the_window_are_accepted():
    check_plan_dates(dt.date(2026, 12, 3), first=EARLIEST_DAY, last=dt.date(2036, 12, 3))
