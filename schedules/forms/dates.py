"""The plan window, for dates in forms, serializers and query strings.

Writes are checked by the services (`check_plan_dates`); what only reads, the dates of a
page or an API query, is checked here, once: by this validator in form and serializer
fields alike (DRF runs Django validators too), or by `plan_date_or_none` for a query
string read by hand."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from studio import clock
from studio.workdays import check_plan_dates


def plan_date(day: dt.date) -> None:
    """Refuse a date outside the plan window of the studio's today (`studio.workdays`)."""
    try:
        check_plan_dates(clock.today(), date=day)
    except ValidationError as error:
        raise ValidationError(error.error_dict["date"]) from None


class PlanDateField(forms.DateField):
    """A date inside the plan window, picked with the browser's date input."""

    default_validators = [plan_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)


def plan_date_or_none(value: str | None) -> dt.date | None:
    """The ISO date in a query string, or None when it is missing, malformed or outside
    the plan window: the caller falls back as it does for any unusable date."""
    try:
        return PlanDateField().clean(value)
    except ValidationError:
        return None
