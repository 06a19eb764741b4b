"""Writes to schedules: bookings (bookings.py), and time off and timesheets (time.py)."""
