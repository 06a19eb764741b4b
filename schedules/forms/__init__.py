"""Forms of the schedule pages, and the plan window's check for dates that come in."""
