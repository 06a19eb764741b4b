"""The people page's read model: productivity and utilization per discipline and per person
as of one night, for readers of the people metrics (`metric.people`).

Six figures each, from the night's snapshots of `discipline:<id>` and `talent:<id>` (and the
studio's own, `studio`, as the disciplines' total line): output units, approved hours,
productivity (units per 100 h), capacity, logged and booked utilization; each utilization
with its red, amber or green status by the studio's target (`portfolio.utilization_rag`).
Every snapshot is read through `MetricSnapshot.objects.visible_to(user)`.

Reads are bounded by the page: the disciplines table is two queries (the active disciplines,
their and the studio's snapshots); the people table is the paginator's count, one page of
people and that page's snapshots. Sorting by a figure happens in SQL: each person's value of
the night is a correlated subquery on the (scope_key, metric, date) index, so the database
sorts the filtered people without Python reading anyone off the page (docs/decisions.md,
"The people page", "Sorting by a figure")."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.db.models import Value as V
from django.db.models.functions import Cast, Concat, Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from studio.filters import TalentFilter
from studio.models import Discipline, Talent

from .catalogue import CATALOGUE, DISCIPLINE, STUDIO, TALENT, scope_key
from .models import MetricSnapshot
from .portfolio import Figure, Rag, Thresholds, utilization_rag

# The figures of each row, in the tables' order.
FIGURE_KEYS = (
    "output_units",
    "approved_hours",
    "productivity",
    "capacity",
    "logged_utilization",
    "booked_utilization",
)
UTILIZATION_KEYS = ("logged_utilization", "booked_utilization")
# A name search longer than this is refused with a message, not run.
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class FigureRow:
    """One discipline's, person's or (`subject` None) the studio's figures of the night, a
    `Figure` by metric key, and the status of each utilization by its key."""

    subject: Discipline | Talent | None
    figures: dict[str, Figure]
    utilization: dict[str, Rag]

    def value(self, key: str) -> Decimal | None:
        return self.figures[key].value


@dataclass(frozen=True)
class DisciplineTable:
    rows: list[FigureRow]
    total: FigureRow


def _row(subject, values: dict[str, Decimal | None], limits: Thresholds) -> FigureRow:
    return FigureRow(
        subject=subject,
        figures={key: Figure(CATALOGUE[key], values.get(key)) for key in FIGURE_KEYS},
        utilization={key: utilization_rag(values.get(key), limits) for key in UTILIZATION_KEYS},
    )


def _values(user, night: dt.date, keys: list[str]) -> dict[str, dict[str, Decimal | None]]:
    """{scope key: {metric: value}} of the night for these scope keys: one query."""
    rows = MetricSnapshot.objects.visible_to(user).filter(date=night, scope_key__in=keys, metric__in=FIGURE_KEYS)
    found: dict[str, dict[str, Decimal | None]] = {}
    for scope, metric, value in rows.order_by().values_list("scope_key", "metric", "value"):
        found.setdefault(scope, {})[metric] = value
    return found


def discipline_table(user, *, night: dt.date, limits: Thresholds) -> DisciplineTable:
    """Each active discipline (the ones a night computes) by name, and the studio's line: two queries."""
    disciplines = list(Discipline.objects.filter(active=True).order_by("name", "pk"))
    found = _values(user, night, [scope_key(DISCIPLINE, d.pk) for d in disciplines] + [scope_key(STUDIO)])
    return DisciplineTable(
        rows=[_row(d, found.get(scope_key(DISCIPLINE, d.pk), {}), limits) for d in disciplines],
        total=_row(None, found.get(scope_key(STUDIO), {}), limits),
    )


def people_rows(user, talent: Iterable[Talent], *, night: dt.date, limits: Thresholds) -> list[FigureRow]:
    """A row for each of `talent` (one page of them, in their order): one query, none for no one."""
    talent = list(talent)
    found = _values(user, night, [scope_key(TALENT, t.pk) for t in talent]) if talent else {}
    return [_row(t, found.get(scope_key(TALENT, t.pk), {}), limits) for t in talent]


def people(user) -> QuerySet:
    """The active people `user` may see, with what their rows show."""
    return Talent.objects.visible_to(user).active().select_related("user", "discipline")


class PeopleFilter(django_filters.FilterSet):
    # Disciplines are the studio's shared vocabulary (as studio.filters.TalentFilter); an
    # unknown one is a message beside the field, and everyone is shown.
    discipline = django_filters.ModelChoiceFilter(
        queryset=Discipline.objects.order_by("name"),
        empty_label=_("Any discipline"),
        error_messages={"invalid_choice": _("There is no such discipline: people of every discipline are shown.")},
    )
    q = django_filters.CharFilter(method="search", label=_("Name"), max_length=SEARCH_MAX_LENGTH)

    class Meta:
        model = Talent
        fields = ["discipline", "q"]

    # The talent directory's search: every word must match a first name, last name or username.
    search = TalentFilter.search


# --- sorting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A heading of the tables: the key the people table sorts by (a figure's metric key, or
    the name), its label and the unit its cells leave out."""

    key: str
    label: str
    unit: str = ""

    @property
    def num(self) -> bool:
        return self.key != NAME


NAME = "name"
COLUMNS = (
    Column(NAME, _("Name")),
    Column("output_units", CATALOGUE["output_units"].label),
    Column("approved_hours", CATALOGUE["approved_hours"].label, pgettext_lazy("hours", "h")),
    Column("productivity", CATALOGUE["productivity"].label, _("units per 100 h")),
    Column("capacity", CATALOGUE["capacity"].label, pgettext_lazy("hours", "h")),
    Column("logged_utilization", CATALOGUE["logged_utilization"].label),
    Column("booked_utilization", CATALOGUE["booked_utilization"].label),
)
FIGURE_COLUMNS = COLUMNS[1:]
SORTS = frozenset(column.key for column in COLUMNS)
DEFAULT_SORT = NAME


def column_heads(sort: str) -> list[dict]:
    """The headings, each with the sort a click asks for and how the rows are sorted now."""
    heads = []
    for column in COLUMNS:
        state = "ascending" if sort == column.key else "descending" if sort == f"-{column.key}" else None
        heads.append(
            {
                "key": column.key,
                "label": column.label,
                "unit": column.unit,
                "num": column.num,
                "aria_sort": state,
                "next": f"-{column.key}" if sort == column.key else column.key,
            }
        )
    return heads


def _night_value(user, night: dt.date, metric: str) -> Subquery:
    """Each person's value of `metric` on the night, as a subquery on the outer talent row."""
    key = Concat(V(f"{TALENT}:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    rows = MetricSnapshot.objects.visible_to(user).filter(date=night, metric=metric, scope_key=key)
    return Subquery(rows.order_by().values("value")[:1])


def order_people(talent: QuerySet, sort: str, *, user, night: dt.date) -> tuple[QuerySet, str]:
    """`talent` sorted by a column ("-" first for descending), by name within equal values;
    people without a value last either way; anything else sorts by name."""
    key = sort.removeprefix("-")
    if key not in SORTS:
        key = sort = DEFAULT_SORT
    descending = sort.startswith("-")
    names = (Lower("user__first_name"), Lower("user__last_name"), Lower("user__username"), "pk")
    if key == NAME:
        if descending:
            names = tuple(F(name).desc() if isinstance(name, str) else name.desc() for name in names)
        return talent.order_by(*names), sort
    value = F("night_value").desc(nulls_last=True) if descending else F("night_value").asc(nulls_last=True)
    return talent.annotate(night_value=_night_value(user, night, key)).order_by(value, *names), sort
