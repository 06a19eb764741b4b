"""Looking for what must not be there: the world's distinctive figures and the other side's
names, in a response of any format (HTML, JSON, CSV, XLSX, iCal) or an e-mail."""

import functools
import io
import re
import zipfile
from decimal import Decimal

from studio.money import format_money
from studio.permissions import scope_of
from tests.security.conftest import (
    BILL_RATE,
    BRIEF_BUDGET,
    BUDGET_LINE_AMOUNT,
    CHANGE_ORDER_BUDGET,
    COST_AMOUNT,
    COST_RATE,
    FOREIGN_MARKERS,
    FREELANCE_BILL_RATE,
    FREELANCE_COST_RATE,
    MARGIN,
    PROJECT_FEE,
    ROI,
    STANDARD_COST_RATE,
)

# The figures only the studio's own roles (`project.see_costs`) may read: a person's rates,
# an internal cost, a line of a budget, what the studio pays for labour. Prices and totals a
# brand manager may read (`project.see_prices`): the fee, a change order's change to the
# budget, a brief's budget section, the freelance bill rate feasibility prices extra hours at.
# Creatives and freelancers never read money at all.
INTERNAL_FIGURES = (COST_RATE, BILL_RATE, COST_AMOUNT, BUDGET_LINE_AMOUNT, FREELANCE_COST_RATE, STANDARD_COST_RATE)
TOTAL_FIGURES = (CHANGE_ORDER_BUDGET, BRIEF_BUDGET, PROJECT_FEE, FREELANCE_BILL_RATE)


def written_as(amount: Decimal) -> set[str]:
    """The ways a page, an export or a payload may write `amount`: raw, with thousands
    separators as studio.money writes them, and in the continental way."""
    plain = f"{amount:.2f}"
    grouped = format_money(amount)
    continental = grouped.replace(",", " ").replace(".", ",")
    return {plain, grouped, continental, continental.replace(" ", "."), continental.replace(" ", "\u202f"),
            plain.replace(".", ",")}


def ratio_written_as(ratio: Decimal) -> set[str]:
    """A ratio as stored (six places) and as a percentage with two places."""
    return {f"{ratio:.6f}", f"{ratio * 100:.2f}"}


def money_markers(user) -> set[str]:
    """What `user` (None: nobody signed in) must never read."""
    if user is not None and scope_of(user, "project.see_costs") is not None:
        return set()
    figures = INTERNAL_FIGURES
    if user is None or scope_of(user, "project.see_prices") is None:
        figures += TOTAL_FIGURES
    ratios = set().union(*(ratio_written_as(ratio) for ratio in (ROI, MARGIN)))
    return ratios.union(*(written_as(amount) for amount in figures))


def foreign_markers(identity: str) -> tuple[str, ...]:
    return FOREIGN_MARKERS.get(identity, ())


def body_text(response) -> str:
    """The response's text; an XLSX's is its sheets' and shared strings' XML."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                             if name.endswith(".xml"))
    return content.decode("utf-8", "replace")


def found(text: str, markers) -> list[str]:
    """The markers in `text`, in one pass (the matrix searches some 4,000 responses)."""
    if not markers:
        return []
    return sorted(set(_pattern(frozenset(markers)).findall(text)))


@functools.cache
def _pattern(markers: frozenset[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(marker) for marker in sorted(markers, key=len, reverse=True)))
