from decimal import Decimal

from django.db import migrations

# The default flows as this migration first wrote them, kept here so that it does not
# change with approvals.defaults: threshold steps then held a copy of the studio's
# threshold, which 0004_steps_read_studio_thresholds replaces with a flag.
FLOWS = {
    "request": ("Request triage", [("Production manager", "pm", None)]),
    "brief": ("Brief", [("Production manager", "pm", None), ("Brand manager", "brand_manager", None)]),
    "deliverable": (
        "Deliverable review",
        [("Internal review", "pm", None), ("Client review", "brand_manager", None)],
    ),
    "budget": (
        "Project budget",
        [("Production manager", "pm", None), ("Executive", "executive", "budget_approval_threshold")],
    ),
    "change_order": (
        "Change order",
        [("Production manager", "pm", None), ("Executive", "executive", "change_order_approval_threshold")],
    ),
    "timesheet": ("Timesheet", [("Production manager", "pm", None)]),
    "time_off": ("Time off", [("Production manager", "pm", None)]),
}
THRESHOLD_DEFAULTS = {
    "budget_approval_threshold": Decimal("50000"),
    "change_order_approval_threshold": Decimal("10000"),
}


def create_default_flows(apps, schema_editor):
    ApprovalFlow = apps.get_model("approvals", "ApprovalFlow")
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    settings_row = apps.get_model("studio", "StudioSettings").objects.filter(pk=1).first()
    for kind, (name, steps) in FLOWS.items():
        flow, created = ApprovalFlow.objects.get_or_create(kind=kind, defaults={"name": name})
        if not created:
            continue
        ApprovalStep.objects.bulk_create(
            ApprovalStep(
                flow=flow, order=order, name=step_name, role=role,
                min_amount=None if threshold is None else (
                    getattr(settings_row, threshold) if settings_row is not None else THRESHOLD_DEFAULTS[threshold]
                ),
            )
            for order, (step_name, role, threshold) in enumerate(steps, start=1)
        )


def remove_default_flows(apps, schema_editor):
    apps.get_model("approvals", "ApprovalFlow").objects.filter(kind__in=FLOWS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
        ("studio", "0002_studio_settings_row"),
    ]

    operations = [migrations.RunPython(create_default_flows, remove_default_flows)]
