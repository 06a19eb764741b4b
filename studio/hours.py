"""Hours as people read them: 8, 7.5, 0.25, without trailing zeros."""

from decimal import Decimal


def hours_text(value: Decimal | None) -> str:
    """8.00 → "8", 7.50 → "7.5"; nothing for None."""
    return "" if value is None else f"{value.normalize():f}"
