"""The studio's default approval flows (DESIGN §2), created by a data migration and
editable in the admin afterwards."""

from decimal import Decimal

# kind: (flow name, [(step name, role, threshold setting or None)])
DEFAULT_FLOWS = {
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

# StudioSettings' own defaults, for a database without its settings row.
THRESHOLD_DEFAULTS = {
    "budget_approval_threshold": Decimal("50000"),
    "change_order_approval_threshold": Decimal("10000"),
}


def default_flows_create(apps) -> None:
    """Create each default flow whose kind has none yet; flows edited in the admin stay as they are.

    Takes an app registry, so the data migration passes its historical models and
    tests whose database was flushed pass `django.apps.apps`."""
    ApprovalFlow = apps.get_model("approvals", "ApprovalFlow")
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    settings_row = apps.get_model("studio", "StudioSettings").objects.filter(pk=1).first()
    for kind, (name, steps) in DEFAULT_FLOWS.items():
        flow, created = ApprovalFlow.objects.get_or_create(kind=kind, defaults={"name": name})
        if not created:
            continue
        ApprovalStep.objects.bulk_create(
            ApprovalStep(
                flow=flow,
                order=order,
                name=step_name,
                role=role,
                min_amount=_threshold(settings_row, threshold),
            )
            for order, (step_name, role, threshold) in enumerate(steps, start=1)
        )


def _threshold(settings_row, name: str | None) -> Decimal | None:
    if name is None:
        return None
    return getattr(settings_row, name) if settings_row is not None else THRESHOLD_DEFAULTS[name]
