"""Charts drawn on the server as SVG: the geometry of a line chart (one line per series over
a run of nights, with reference lines such as a target) and of stacked columns (shares that
add up to one), in a fixed viewBox the page scales to its width. No database here: the
trends page (`metrics.trends`) hands in the values, the template draws the shapes.

Every chart's numbers are also a table (`rows`), so nothing is read from the picture alone."""

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 240
# The plot's box inside the viewBox: room for the y labels on the left, the dates below.
LEFT, RIGHT, TOP, BOTTOM = 68, 8, 10, 26
# At most this many dates written under the x axis (more would overlap on a phone).
X_LABELS = 5
Y_TICKS = 5
# The colours of the series (`series-<n>` in metrics.css); a chart draws at most this many.
PALETTE = 8

Number = Decimal | float | int
Format = Callable[[float], str]


def nice_ticks(low: float, high: float, count: int = Y_TICKS) -> list[float]:
    """Round values spanning [low, high]: a step of 1, 2, 2.5 or 5 × 10^k, at most about
    `count` of them, the first at or below `low` and the last at or above `high`."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    rough = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks, n = [], 0
    while first + n * step <= last + step * 1e-6:
        ticks.append(round(first + n * step, 10))
        n += 1
    return ticks


@dataclass(frozen=True)
class Series:
    """One line: its label and a value (or None) for each night of the chart."""

    label: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the plot at `value` (a target, zero), named by `label`."""

    value: Number
    label: str


@dataclass(frozen=True)
class SeriesShape:
    index: int
    label: str
    # Polylines' points, split where a night has no value; a value alone between gaps a dot.
    segments: list[str]
    dots: list[tuple[str, str]]


@dataclass(frozen=True)
class Tick:
    at: str
    label: str
    # How a date under the x axis hangs from its tick: the first and last stay inside.
    anchor: str = "middle"


@dataclass(frozen=True)
class ReferenceShape:
    y: str
    label: str
    # Where its label sits: above the line, or below for every other reference so two
    # close ones (on plan, behind limit) do not overwrite each other.
    dy: int = -3


@dataclass(frozen=True)
class Block:
    """One piece of a stacked column."""

    index: int
    x: str
    y: str
    width: str
    height: str
    title: str


@dataclass(frozen=True)
class Chart:
    """What the template draws: the plot's box, the grid's labels, and the lines or blocks."""

    kind: str  # "line" or "stacked"
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    lines: list[SeriesShape] = field(default_factory=list)
    references: list[ReferenceShape] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    legend: list[tuple[int, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def has_values(self) -> bool:
        return bool(self.blocks) or any(line.segments or line.dots for line in self.lines)


def _x_positions(count: int) -> list[float]:
    inner = WIDTH - LEFT - RIGHT
    if count <= 1:
        return [LEFT + inner / 2] * count
    return [LEFT + inner * n / (count - 1) for n in range(count)]


def _x_ticks(days: Sequence[dt.date], xs: list[float], day_label: Callable[[dt.date], str]) -> list[Tick]:
    if not days:
        return []
    wanted = min(X_LABELS, len(days))
    picks = sorted({round(n * (len(days) - 1) / max(wanted - 1, 1)) for n in range(wanted)})
    last = len(days) - 1

    def anchor(n: int) -> str:
        if last == 0:
            return "middle"
        return "start" if n == 0 else "end" if n == last else "middle"

    return [Tick(f"{xs[n]:.1f}", day_label(days[n]), anchor(n)) for n in picks]


def _scale(ticks: list[float]) -> Callable[[float], float]:
    low, high = ticks[0], ticks[-1]
    top, bottom = TOP, HEIGHT - BOTTOM
    return lambda value: bottom - (value - low) / (high - low) * (bottom - top)


def line_chart(
    days: Sequence[dt.date],
    series: Sequence[Series],
    *,
    y_label: Format,
    day_label: Callable[[dt.date], str],
    references: Sequence[Reference] = (),
) -> Chart:
    """Lines of `series` over `days` (oldest first), the y axis spanning every value and
    reference; the first PALETTE series only."""
    series = list(series)[:PALETTE]
    known = [float(value) for line in series for value in line.values if value is not None]
    span = known + [float(reference.value) for reference in references]
    ticks = nice_ticks(min(span, default=0.0), max(span, default=1.0))
    y, xs = _scale(ticks), _x_positions(len(days))
    lines = []
    for index, line in enumerate(series):
        runs: list[list[str]] = [[]]
        for n, value in enumerate(line.values[: len(days)]):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{xs[n]:.1f},{y(float(value)):.1f}")
        lines.append(SeriesShape(
            index, line.label,
            segments=[" ".join(run) for run in runs if len(run) > 1],
            dots=[tuple(run[0].split(",")) for run in runs if len(run) == 1],
        ))
    return Chart(
        kind="line",
        y_ticks=[Tick(f"{y(tick):.1f}", y_label(tick)) for tick in ticks],
        x_ticks=_x_ticks(days, xs, day_label),
        lines=lines,
        references=[
            ReferenceShape(f"{y(float(reference.value)):.1f}", reference.label, -3 if n % 2 == 0 else 11)
            for n, reference in enumerate(references)
        ],
        legend=[(index, line.label) for index, line in enumerate(series)],
    )


def stacked_columns(
    days: Sequence[dt.date],
    series: Sequence[Series],
    *,
    y_label: Format,
    day_label: Callable[[dt.date], str],
    value_label: Format,
) -> Chart:
    """A column for each night, the series' shares stacked from the bottom in their order
    (0 to 1); a night with no value in any series has no column."""
    series = list(series)[:PALETTE]
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    slot = (WIDTH - LEFT - RIGHT) / max(len(days), 1)
    y, xs = _scale(ticks), [LEFT + slot * (n + 0.5) for n in range(len(days))]
    width = max(slot * 0.7, 1.0)
    blocks = []
    for n, day in enumerate(days):
        base = 0.0
        for index, line in enumerate(series):
            value = line.values[n] if n < len(line.values) else None
            if not value:
                continue
            share = float(value)
            top = y(base + share)
            blocks.append(Block(
                index, f"{xs[n] - width / 2:.1f}", f"{top:.1f}", f"{width:.1f}", f"{y(base) - top:.1f}",
                f"{day_label(day)}: {line.label} {value_label(share)}",
            ))
            base += share
    return Chart(
        kind="stacked",
        y_ticks=[Tick(f"{y(tick):.1f}", y_label(tick)) for tick in ticks],
        x_ticks=_x_ticks(days, xs, day_label),
        blocks=blocks,
        legend=[(index, line.label) for index, line in enumerate(series)],
    )
