"""The schedules REST API: bookings, the schedule, resources, time off and timesheets
(routed by `schedules/api_urls.py`)."""
