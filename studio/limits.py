"""The largest numbers Callsheet takes in, written once for the forms, serializers, models
and services that check them (STYLE §15, "Input has a window"). A value past them is a typo
or a probe, never a plan, and would overflow a database column or a loop over it; dates
have their window in `studio.workdays` (`plan_window`)."""

from decimal import Decimal

# Hours of one person on one day: a booking's, time logged, part-day time off.
HOURS_PER_DAY = Decimal("24")
# Output units of a deliverable, or of an item a brand asks for.
MAX_QUANTITY = 10_000
# A deliverable's planned hours in one discipline.
MAX_PLANNED_HOURS = Decimal("99999")
# The hours of a budget line or a change order's line.
MAX_BUDGET_HOURS = Decimal("99999.99")
# Any sum of money: a cost, a rate, a line's amount, a change to a fee.
MAX_AMOUNT = Decimal("999999999.99")
# An edit counter, stored in a PostgreSQL integer.
MAX_VERSION = 2_147_483_647
