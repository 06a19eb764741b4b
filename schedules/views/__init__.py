"""Pages of the schedules app: my day, the team schedule and its booking dialog, timesheets,
time off, resources (utilization, the forecast, who is free), staffing, and the fragments
other apps load (talent status, feasibility)."""
