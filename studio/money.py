"""How an amount of money is written for people: one format on every page, message and admin
screen ("EUR 43,109.28"). Exports and the API keep raw numbers; this is for reading only."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# A true minus sign: read as "minus" by screen readers, and as wide as the digits.
MINUS = "\u2212"
ABSENT = "—"


def to_cents(amount) -> Decimal:
    """`amount` (Decimal, int, float or numeric text) rounded half-up to cents (DESIGN §3)."""
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount, currency: str = "") -> str:
    """"EUR 43,109.28"; a negative amount "−EUR 1,200.00"; None "—". Without a currency code,
    just the number in the same format, for a column whose heading names the currency."""
    if amount is None or amount == "":
        return ABSENT
    try:
        cents = to_cents(amount)
    except (InvalidOperation, ValueError, TypeError):
        return str(amount)
    sign = MINUS if cents < 0 else ""
    number = f"{abs(cents):,.2f}"
    return f"{sign}{currency} {number}" if currency else f"{sign}{number}"
