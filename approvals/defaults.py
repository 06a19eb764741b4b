"""The studio's default approval flows (DESIGN §2), created by a data migration and
editable in the admin afterwards."""

# kind: (flow name, [(step name, role, only above the studio's threshold for the kind)])
DEFAULT_FLOWS = {
    "request": ("Request triage", [("Production manager", "pm", False)]),
    "brief": ("Brief", [("Production manager", "pm", False), ("Brand manager", "brand_manager", False)]),
    "deliverable": (
        "Deliverable review",
        [("Internal review", "pm", False), ("Client review", "brand_manager", False)],
    ),
    "budget": ("Project budget", [("Production manager", "pm", False), ("Executive", "executive", True)]),
    "change_order": ("Change order", [("Production manager", "pm", False), ("Executive", "executive", True)]),
    "timesheet": ("Timesheet", [("Production manager", "pm", False)]),
    "time_off": ("Time off", [("Production manager", "pm", False)]),
}


def default_flows_create(apps) -> None:
    """Create each default flow whose kind has none yet; flows edited in the admin stay as they are.

    Takes an app registry, so a data migration passes its historical models and
    tests whose database was flushed pass `django.apps.apps`."""
    ApprovalFlow = apps.get_model("approvals", "ApprovalFlow")
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    for kind, (name, steps) in DEFAULT_FLOWS.items():
        flow, created = ApprovalFlow.objects.get_or_create(kind=kind, defaults={"name": name})
        if not created:
            continue
        ApprovalStep.objects.bulk_create(
            ApprovalStep(flow=flow, order=order, name=step_name, role=role, only_above_threshold=above)
            for order, (step_name, role, above) in enumerate(steps, start=1)
        )
