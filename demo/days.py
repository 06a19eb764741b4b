"""Working days for the demo: the weekdays a person works, minus studio holidays."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)
WEEKDAYS = "12345"


@dataclass
class WorkCalendar:
    holidays: set[dt.date] = field(default_factory=set)

    def works(self, day: dt.date, working_days: str = WEEKDAYS) -> bool:
        return str(day.isoweekday()) in working_days and day not in self.holidays

    def days(self, start: dt.date, end: dt.date, working_days: str = WEEKDAYS) -> Iterator[dt.date]:
        day = start
        while day <= end:
            if self.works(day, working_days):
                yield day
            day += ONE_DAY

    def count(self, start: dt.date, end: dt.date, working_days: str = WEEKDAYS) -> int:
        return sum(1 for _day in self.days(start, end, working_days))

    def on_or_after(self, day: dt.date, working_days: str = WEEKDAYS) -> dt.date:
        while not self.works(day, working_days):
            day += ONE_DAY
        return day

    def on_or_before(self, day: dt.date, working_days: str = WEEKDAYS) -> dt.date:
        while not self.works(day, working_days):
            day -= ONE_DAY
        return day

    def spread(self, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
        """`count` working days spread evenly from `start` to `end`, both ends included."""
        days = list(self.days(start, end)) or [start]
        if count == 1:
            return [days[-1]]
        return [days[round(i * (len(days) - 1) / (count - 1))] for i in range(count)]
