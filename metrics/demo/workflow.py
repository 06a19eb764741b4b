"""What waits on whom: approval flows and the approvals in flight, a few
notifications, and the satisfaction surveys of delivered work."""

import datetime as dt
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType

from approvals.defaults import default_flows_create
from approvals.models import Approval, ApprovalFlow, ApprovalStep, Decision
from briefs.models import Request
from metrics.models import SatisfactionSurvey, SurveyResponse
from projects.models import Project
from schedules.models import TimeOff, Timesheet
from studio.models import Notification, StudioSettings

from .context import Demo

DAY = dt.timedelta(days=1)


def build_workflow(demo: Demo, studio: StudioSettings) -> None:
    flows = _flows(studio)
    _pending_approvals(demo, flows)
    _surveys(demo)
    _notifications(demo)


def _flows(studio: StudioSettings) -> dict[str, list[ApprovalStep]]:
    """The default flows (a data migration makes them; a flushed database gets them here)."""
    default_flows_create(django_apps)
    flows = ApprovalFlow.objects.prefetch_related("steps")
    return {flow.kind: list(flow.steps.all()) for flow in flows}


def _copied_steps(steps: list[ApprovalStep], amount) -> list[dict]:
    """The flow's steps as the engine copies them at submission: those the amount reaches."""
    return [
        {
            "order": step.order,
            "name": step.name,
            "role": step.role,
            "user": step.user_id,
            "min_amount": None if step.min_amount is None else str(step.min_amount),
        }
        for step in steps
        if step.min_amount is None or (amount is not None and amount > step.min_amount)
    ]


def _pending_approvals(demo: Demo, flows) -> None:
    approvals = []

    skipped: list[tuple[Approval, int]] = []

    def submit(kind, target, submitted_by, submitted_at, amount=None, brand_id=None):
        steps = _copied_steps(flows[kind], amount)
        # As the engine does: leading steps the submitter would decide are skipped.
        first = 0
        while first < len(steps) - 1 and (
            steps[first]["user"] == submitted_by.pk or steps[first]["role"] == submitted_by.role
        ):
            first += 1
        approval = Approval(
            kind=kind,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            steps=steps,
            current_step=first,
            amount=amount,
            brand_id=brand_id,
            submitted_by=submitted_by,
            submitted_at=submitted_at,
        )
        approvals.append(approval)
        skipped.extend((approval, step) for step in range(first))

    budget = demo.submitted_budget
    if budget is not None:
        total = sum(
            (line.total for line in _plan_of(demo, budget.project).budget_lines), Decimal(0)
        )
        submit(
            "budget",
            budget,
            budget.project.pm,
            demo.at(demo.day(-2), 11),
            total,
            budget.project.brand_id,
        )
    order = demo.submitted_change_order
    if order is not None:
        submit(
            "change_order",
            order,
            order.requested_by,
            order.created_at,
            order.budget_change,
            order.project.brand_id,
        )
    brief = demo.brief_in_review
    if brief is not None:
        submit(
            "brief",
            brief,
            brief.created_by,
            demo.at(demo.day(-1), 15),
            brand_id=brief.project.brand_id,
        )
    for request in demo.requests:
        if request.status == Request.Status.SUBMITTED:
            submit("request", request, request.submitted_by, request.created_at, brand_id=request.brand_id)
    for sheet in demo.timesheets:
        if sheet.status == Timesheet.Status.SUBMITTED:
            submit("timesheet", sheet, sheet.talent.user, sheet.submitted_at)
    for time_off in demo.time_off:
        if time_off.status == TimeOff.Status.REQUESTED:
            submit("time_off", time_off, time_off.talent.user, time_off.created_at)
    Approval.objects.bulk_create(approvals, batch_size=2000)
    Decision.objects.bulk_create(
        Decision(approval=approval, step=step, outcome=Decision.Outcome.SKIPPED, decided_at=approval.submitted_at)
        for approval, step in skipped
    )
    demo.approvals = approvals


def _plan_of(demo: Demo, project):
    return next(plan for plan in demo.plans if plan.project is project)


def _surveys(demo: Demo) -> None:
    """Delivered work was rated by most of its brand managers; `brand` still owes one answer."""
    rng = demo.rng
    surveys, responses = [], []
    for plan in demo.plans:
        project = plan.project
        if project.is_internal or project.status not in (
            Project.Status.DELIVERED,
            Project.Status.CLOSED,
        ):
            continue
        sent = project.due_date + DAY
        survey = SatisfactionSurvey(project=project, sent_at=demo.at(sent, 10))
        surveys.append(survey)
        for manager in demo.managers_of[project.brand.pk]:
            response = SurveyResponse(survey=survey, respondent=manager)
            answered = sent + dt.timedelta(days=rng.randint(0, 6))
            owed = manager.username == "brand" and project.status == Project.Status.DELIVERED
            if answered < demo.today and not owed:
                response.rating = rng.choices((5, 4, 3, 2, 1), weights=(40, 35, 15, 7, 3))[0]
                response.responded_at = demo.at(answered, 13)
                if response.rating <= 3:
                    response.comment = "Good work in the end, but the second round took too long."
            responses.append(response)
    SatisfactionSurvey.objects.bulk_create(surveys)
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    demo.surveys = surveys


def _notifications(demo: Demo) -> None:
    users = demo.users
    showcase = demo.showcase.project
    deliverable = demo.creative_deliverable
    waiting = sum(1 for sheet in demo.timesheets if sheet.status == Timesheet.Status.SUBMITTED)
    notes = [
        (
            "pm",
            f"{waiting} timesheets wait for approval",
            "Last week's timesheets are in.",
            None,
            1,
            False,
        ),
        (
            "pm",
            f"New request: {demo.requests[-1].title}",
            "A brand manager sent a new request.",
            None,
            1,
            True,
        ),
        (
            "creative",
            f"Brief updated: {showcase.name} v2",
            "Please read and acknowledge the new version.",
            None,
            2,
            False,
        ),
        (
            "creative",
            f"Due {deliverable.due_date:%A %d %B}: {deliverable.name}",
            f"On {showcase.code}.",
            deliverable,
            1,
            False,
        ),
        (
            "freelancer",
            f"You are booked on {showcase.code} {showcase.name}",
            "See your day for the details.",
            showcase,
            14,
            True,
        ),
        (
            "freelancer",
            f"Brief updated: {showcase.name} v2",
            "Please read and acknowledge the new version.",
            None,
            2,
            False,
        ),
        (
            "exec",
            "Change order waiting for you",
            "A change order above the threshold needs an executive.",
            demo.submitted_change_order,
            2,
            False,
        ),
    ]
    if demo.brief_in_review is not None:
        notes.append(
            (
                "brand",
                f"Brief ready for your approval: {demo.brief_in_review.title}",
                "Review the brief and approve it, or ask for changes.",
                demo.brief_in_review,
                1,
                False,
            )
        )
    notes.append(("brand", "How did we do?", "Rate the work we delivered for you.", None, 3, False))
    rows = []
    for username, subject, body, target, days_ago, read in notes:
        created = demo.at(demo.day(-days_ago), 9, 15)
        rows.append(
            Notification(
                recipient=users[username],
                subject=subject[:200],
                body=body,
                created_at=created,
                content_type=ContentType.objects.get_for_model(target)
                if target is not None
                else None,
                object_id=str(target.pk) if target is not None else "",
                # Already delivered: a fresh demo does not mail anyone.
                emailed_at=created,
                read_at=created + dt.timedelta(hours=2) if read else None,
            )
        )
    Notification.objects.bulk_create(rows)
