"""A project's plan on the studio's working calendar: finish-to-start dependencies,
pushing dependents forward, the critical path and every deliverable's slack.

Pure functions over `Task`s (a deliverable's id, dates and predecessors) and a
`WorkingDays` index, so the rules are tested without a database and the pages, the
API and the services all use the same answers.

- A dependency is finish-to-start: the successor may start on the first working day
  after its predecessor is due. It is in conflict when the successor starts on or
  before that due date.
- Pushing forward (Gantt tools' automatic scheduling, forward only): a successor that
  would start too early moves to the first working day after its latest predecessor,
  keeping its length in working days; its own successors follow.
- Slack and the critical path (the critical path method on fixed dates): the project
  finishes with its last-due deliverable; a deliverable's latest finish is the
  project's finish, or the day before its earliest successor's latest start; slack is
  the working days between its planned finish and that latest finish. Deliverables
  with no slack are critical.
"""

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from studio.workdays import WorkCalendar

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Task:
    id: int
    start: dt.date
    due: dt.date
    predecessors: tuple[int, ...] = ()


class WorkingDays:
    """The studio's working days between two dates as an index: position, next, add."""

    def __init__(self, calendar: WorkCalendar):
        self.calendar = calendar
        self.days = list(calendar.days())

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "WorkingDays":
        return cls(WorkCalendar.between(start, end))

    def _check(self, day: dt.date) -> None:
        if not self.calendar.start <= day <= self.calendar.end:
            raise ValueError(f"{day} is outside the calendar {self.calendar.start}–{self.calendar.end}.")

    def first_on_or_after(self, day: dt.date) -> int:
        """The index of the first working day on or after `day` (len(days) if none)."""
        self._check(day)
        return bisect.bisect_left(self.days, day)

    def last_on_or_before(self, day: dt.date) -> int:
        """The index of the last working day on or before `day` (-1 if none)."""
        self._check(day)
        return bisect.bisect_right(self.days, day) - 1

    def day(self, index: int) -> dt.date:
        if not 0 <= index < len(self.days):
            raise ValueError("The plan runs past the end of the calendar.")
        return self.days[index]

    def length(self, start: dt.date, due: dt.date) -> int:
        """Working days from `start` to `due`, both included."""
        return max(0, self.last_on_or_before(due) - self.first_on_or_after(start) + 1)


def tasks_of(deliverables: Iterable, links: Iterable[tuple[int, int]]) -> dict[int, Task]:
    """Tasks of deliverables (anything with `pk`, `planned_start` and `due_date`) and their
    (predecessor, successor) links; links to anything not given are left out."""
    deliverables = list(deliverables)
    ids = {d.pk for d in deliverables}
    predecessors: dict[int, list[int]] = {}
    for pred, succ in links:
        if pred in ids and succ in ids:
            predecessors.setdefault(succ, []).append(pred)
    return {
        d.pk: Task(d.pk, d.planned_start, d.due_date, tuple(sorted(predecessors.get(d.pk, ()))))
        for d in deliverables
    }


def conflicts(tasks: dict[int, Task]) -> set[tuple[int, int]]:
    """The (predecessor, successor) pairs whose successor starts before its predecessor is done."""
    return {
        (pred, task.id)
        for task in tasks.values()
        for pred in task.predecessors
        if pred in tasks and task.start <= tasks[pred].due
    }


def topological_order(tasks: dict[int, Task]) -> list[int]:
    """Predecessors before successors (ties by id); raises ValueError on a cycle."""
    successors: dict[int, list[int]] = {pk: [] for pk in tasks}
    waiting = {pk: 0 for pk in tasks}
    for task in tasks.values():
        for pred in task.predecessors:
            if pred in tasks:
                successors[pred].append(task.id)
                waiting[task.id] += 1
    ready = sorted(pk for pk, count in waiting.items() if count == 0)
    order = []
    while ready:
        pk = ready.pop(0)
        order.append(pk)
        for succ in sorted(successors[pk]):
            waiting[succ] -= 1
            if waiting[succ] == 0:
                bisect.insort(ready, succ)
    if len(order) != len(tasks):
        raise ValueError("The dependencies form a cycle.")
    return order


def would_cycle(tasks: dict[int, Task], predecessor: int, successor: int) -> bool:
    """Whether making `successor` depend on `predecessor` closes a loop: it would, when the
    predecessor already depends on the successor."""
    return predecessor == successor or (predecessor in tasks and _reaches(tasks, predecessor, successor))


@dataclass
class Move:
    """What moving one deliverable does to the plan: every deliverable whose dates change."""

    moved: int
    dates: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)  # id -> (start, due)

    @property
    def pushed(self) -> list[int]:
        return [pk for pk in self.dates if pk != self.moved]


def push_forward(tasks: dict[int, Task], moved: int, start: dt.date, due: dt.date, days: WorkingDays) -> Move:
    """Move `moved` to `start`…`due` and push what depends on it, directly or not,
    forward just enough to start after its latest predecessor; nothing moves back."""
    current = {pk: (task.start, task.due) for pk, task in tasks.items()}
    current[moved] = (start, due)
    move = Move(moved=moved, dates={moved: (start, due)})
    for pk in topological_order(tasks):
        task = tasks[pk]
        preds = [p for p in task.predecessors if p in tasks]
        if pk == moved or not preds or not _reaches(tasks, pk, moved):
            continue
        latest_due = max(current[p][1] for p in preds)
        task_start, task_due = current[pk]
        if task_start > latest_due:
            continue
        new_start = days.day(days.last_on_or_before(latest_due) + 1)
        length = days.length(task_start, task_due)
        if length:
            new_due = days.day(days.first_on_or_after(new_start) + length - 1)
        else:  # no working day in it: keep its calendar length
            new_due = new_start + (task_due - task_start)
        current[pk] = (new_start, new_due)
        move.dates[pk] = (new_start, new_due)
    return move


def _reaches(tasks: dict[int, Task], pk: int, ancestor: int) -> bool:
    """Whether `pk` depends on `ancestor`, directly or through others."""
    seen, stack = set(), list(tasks[pk].predecessors)
    while stack:
        current = stack.pop()
        if current == ancestor:
            return True
        if current not in seen and current in tasks:
            seen.add(current)
            stack.extend(tasks[current].predecessors)
    return False


@dataclass(frozen=True)
class Slack:
    finish: dt.date  # the project's finish: the last due date
    slack: dict[int, int]  # id -> working days of slack (negative while in conflict)

    @property
    def critical(self) -> set[int]:
        return {pk for pk, days in self.slack.items() if days <= 0}


def slack(tasks: dict[int, Task], days: WorkingDays) -> Slack | None:
    """Every deliverable's slack in working days and the project's finish (None without tasks)."""
    if not tasks:
        return None
    finish = max(task.due for task in tasks.values())
    finish_index = days.last_on_or_before(finish)
    successors: dict[int, list[int]] = {pk: [] for pk in tasks}
    for task in tasks.values():
        for pred in task.predecessors:
            if pred in tasks:
                successors[pred].append(task.id)
    latest_start: dict[int, int] = {}
    result: dict[int, int] = {}
    for pk in reversed(topological_order(tasks)):
        task = tasks[pk]
        start_index = days.first_on_or_after(task.start)
        due_index = days.last_on_or_before(task.due)
        span = max(0, due_index - start_index)
        latest_finish = min((latest_start[s] - 1 for s in successors[pk]), default=finish_index)
        latest_start[pk] = latest_finish - span
        result[pk] = latest_finish - due_index
    return Slack(finish=finish, slack=result)


def calendar_for(tasks: Iterable[Task], *, reach: dt.date) -> WorkingDays:
    """A working-day index from the earliest start to `reach`, for the tasks given."""
    tasks = list(tasks)
    first = min((task.start for task in tasks), default=reach)
    last = max([reach, *(task.due for task in tasks)])
    return WorkingDays.between(first, last)
