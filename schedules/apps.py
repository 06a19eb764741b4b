from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = "Schedules"

    def ready(self):
        from approvals.registry import ApprovalKind, register

        from .models import TimeOff, Timesheet
        from .services import time as services
        from .services import timesheets

        register(ApprovalKind(
            kind="timesheet",
            model=Timesheet,
            on_approve=services.timesheet_on_approve,
            on_request_changes=services.timesheet_on_send_back,
            on_reject=services.timesheet_on_send_back,
            on_withdraw=services.timesheet_on_send_back,
            url_of=Timesheet.get_absolute_url,
            hours_of=timesheets.timesheets_hours,
        ))
        # Sent back, a time-off request stays requested: the person changes the dates and resubmits.
        register(ApprovalKind(
            kind="time_off",
            model=TimeOff,
            on_approve=services.time_off_on_approve,
            on_reject=services.time_off_on_reject,
            url_of=TimeOff.get_absolute_url,
            may_withdraw=services.time_off_may_withdraw,
        ))
