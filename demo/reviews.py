"""Each deliverable's story, played through the services on its days: progress reported
by the person on it, the work handed in for review, and the approval engine's rounds
decided by the production manager and then the brand."""

from django.db import transaction

from approvals.models import Approval, Decision
from approvals.services import approval_decide
from projects.models import DeliverableProgress, DeliverableStatus
from projects.services.review import deliverable_cancel, deliverable_progress_update, deliverable_submit_for_review
from studio.models import Role

from . import names
from .context import DeliverablePlan, Demo, ProjectPlan, Step, moment

# What a reviewer writes when the work goes back, in turn.
CHANGES = (
    "The headline fights the product shot; give the pack more room.",
    "Close, but the colours are off-brand: use the brand book's palette.",
    "Legal asked for the disclaimer on every frame.",
    "Tighten the first three seconds; the logo lands too late.",
)


def build_reviews(demo: Demo) -> None:
    """Play every deliverable's steps, with the reviewers' comments taken in turn."""
    changes = 0
    for plan in demo.plans:
        for deliverable in plan.deliverables:
            changes = _play(demo, plan, deliverable, changes)


def _play(demo: Demo, plan: ProjectPlan, deliverable: DeliverablePlan, changes: int) -> int:
    row = deliverable.row
    # Work is reported and handed in by the first person on it; every deliverable with a
    # review in its story has one (`schedule._assignees`).
    worker = deliverable.assignees[0].user if deliverable.assignees else plan.pm
    previous, hour = None, 9
    for step in deliverable.steps:
        hour = hour + 1 if step.day == previous else 9
        previous = step.day
        with moment(demo.at(step.day, min(hour, 20))):
            if step.action == Step.PROGRESS:
                deliverable_progress_update(deliverable=row, user=worker, percent_complete=step.percent)
            elif step.action == Step.SUBMIT:
                link = f"https://files.{names.STUDIO_DOMAIN}/{plan.project.code}/{row.pk}"
                deliverable_submit_for_review(deliverable=row, user=worker, link=link, note="Ready for review.")
            elif step.action in (Step.APPROVE, Step.CHANGES):
                approval = Approval.objects.pending_for(row)
                decider = plan.pm if approval.current["role"] == Role.PM else demo.managers_of[plan.brand.pk][0]
                if step.action == Step.APPROVE:
                    approval_decide(approval=approval, user=decider, outcome=Decision.Outcome.APPROVE)
                else:
                    approval_decide(
                        approval=approval, user=decider, outcome=Decision.Outcome.REQUEST_CHANGES,
                        comment=CHANGES[changes % len(CHANGES)],
                    )
                    changes += 1
            elif step.action == Step.DELIVER:
                _deliver(row, plan, step)
            elif step.action == Step.CANCEL:
                deliverable_cancel(deliverable=row, user=plan.pm, reason="The brand cancelled the campaign.")
    return changes


@transaction.atomic
def _deliver(row, plan: ProjectPlan, step: Step) -> None:
    """Handed over to the brand. No service records the handover yet, so the row and its
    dated progress are written as the review services write theirs."""
    row.refresh_from_db()
    row.status = DeliverableStatus.DELIVERED
    row.save(update_fields=["status"])
    DeliverableProgress.objects.create(
        deliverable=row, date=step.day, status=row.status, percent_complete=row.percent_complete,
        recorded_by=plan.pm,
    )
