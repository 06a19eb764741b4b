"""The metric families of the catalogue (`metrics.catalogue`): each module computes its
family's metrics for one date over every scope at once, in a fixed number of queries
whatever the number of projects, people or entries, using only what was known at the end
of that date (DESIGN §3), and answers a list of `Value`s for the nightly job to store."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Value:
    """One metric of one scope (`metrics.catalogue.scope_key`) on the night's date: a
    Decimal, a date (a forecast finish), or None where the metric is undefined."""

    scope_key: str
    metric: str
    value: Decimal | dt.date | None
