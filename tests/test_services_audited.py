"""Every write that goes through a service leaves its trace in the audit log (issue 15).

The test walks the public functions of every services module (`<app>/services.py`,
`<app>/services/*.py`, and `metrics/surveys/services.py`) and asks each for a way to call
it (`CALLS`) or a reason it records nothing (`EXEMPT`). A new public service function
without either fails `test_every_public_service_is_called_or_exempt`.

Each call is a minimal valid one, set up with the factories; the events it adds are
exactly the actions named, in order. Most writes record one event. A few write several
objects, or take a step of the approval engine as well, and record one event for each
object or step (a booking split in two, a request accepted into a project and its brief):
those name every action they record, and say why in `why`. No call records the same
action on the same object twice.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals.models import Approval
from studio import clock
from studio.models import AuditEvent, StudioSettings
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

APPS = ("studio", "approvals", "projects", "briefs", "schedules", "budgets", "metrics")
EXTRA_MODULES = ("metrics.surveys.services",)


def service_modules() -> list[str]:
    names = []
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        names.append(module.__name__)
        if hasattr(module, "__path__"):
            names += [f"{module.__name__}.{info.name}" for info in pkgutil.iter_modules(module.__path__)]
    return [*names, *EXTRA_MODULES]


def public_services() -> list[str]:
    found = []
    for name in service_modules():
        module = importlib.import_module(name)
        found += [
            f"{name}.{function_name}"
            for function_name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == name and not function_name.startswith("_")
        ]
    return sorted(found)


# --- what records nothing, and why ---------------------------------------------------------

READS = "reads only: writes nothing"
HELPER = "a pure helper (a message, a key, a date): writes nothing"
NOTIFIES = ("notifications are messages to one person, not the studio's records: the row itself keeps "
            "who, when, read and e-mailed")
RECEIPT = ("a read receipt: the distribution's own opened_at is the record, written on every page view, "
           "which the log would drown in")
HOOK = ("a hook of the approval engine (or a step of one), called inside approval_decide, "
        "approval_submit or approval_withdraw, whose approval.* event on the same object in the same "
        "transaction is the record of the decision; the approval_decide and *_submit calls below "
        "pin what each kind records")

EXEMPT = {
    "studio.services.audit_record": "the recorder itself",
    "studio.services.notification_create": NOTIFIES,
    "studio.services.notification_digest_send": NOTIFIES,
    "studio.services.notification_mark_read": NOTIFIES,
    "studio.services.notification_send_email": NOTIFIES,
    "studio.services.notifications_deliver_pending": NOTIFIES,
    "studio.services.notifications_mark_all_read": NOTIFIES,
    "studio.services.notifications_send_digests": NOTIFIES,
    "approvals.services.approval_approvers": READS,
    "approvals.services.approval_steps": READS,
    "briefs.services.briefs.brief_board": READS,
    "briefs.services.briefs.brief_brand_of": READS,
    "briefs.services.briefs.brief_changes_to_approve": READS,
    "briefs.services.briefs.brief_default_recipients": READS,
    "briefs.services.briefs.brief_eligible_recipients": READS,
    "briefs.services.briefs.brief_freeze": HOOK,
    "briefs.services.briefs.brief_on_approve": HOOK,
    "briefs.services.briefs.brief_on_reject": HOOK,
    "briefs.services.briefs.brief_on_request_changes": HOOK,
    "briefs.services.briefs.brief_on_withdraw": HOOK,
    "briefs.services.briefs.brief_return_to_draft": HOOK,
    "briefs.services.briefs.brief_reading": f"{READS} (opening marks the receipt: {RECEIPT})",
    "briefs.services.briefs.brief_readings": f"{READS} (opening marks the receipts: {RECEIPT})",
    "briefs.services.briefs.brief_reminders_send": NOTIFIES + "; reminded_at marks the distribution",
    "briefs.services.briefs.distribution_comments": READS,
    "briefs.services.briefs.distribution_open": RECEIPT,
    "briefs.services.briefs.distributions_current": READS,
    "briefs.services.briefs.distributions_open": RECEIPT,
    "briefs.services.briefs.distributions_to_read": READS,
    "briefs.services.briefs.hidden_sections_for": READS,
    "briefs.services.briefs.reads_live_drafts": READS,
    "briefs.services.briefs.template_fill": HELPER,
    "briefs.services.briefs.versions_content": READS,
    "briefs.services.requests.deadline_error": HELPER,
    "briefs.services.requests.items_errors": HELPER,
    "briefs.services.requests.quantity_error": HELPER,
    "briefs.services.requests.request_comments": READS,
    "briefs.services.requests.request_history": READS,
    "briefs.services.requests.request_input_errors": READS,
    "briefs.services.requests.request_on_approve": HOOK,
    "briefs.services.requests.request_on_reject": HOOK,
    "briefs.services.requests.request_on_request_changes": HOOK,
    "budgets.services.budgets.budget_approve": HOOK,
    "budgets.services.budgets.budget_on_approve": HOOK,
    "budgets.services.budgets.budget_on_send_back": HOOK,
    "budgets.services.budgets.budget_return_to_draft": HOOK,
    "budgets.services.budgets.budget_total": READS,
    "budgets.services.budgets.planned_hours_by_discipline": READS,
    "budgets.services.change_orders.change_order_on_approve": HOOK,
    "budgets.services.change_orders.change_order_on_reject": HOOK,
    "budgets.services.change_orders.change_order_on_send_back": HOOK,
    "budgets.services.change_orders.change_order_set_status": HOOK,
    "projects.services.plan.assignee_problems": READS,
    "projects.services.plan.deliverable_move_preview": READS + " (a preview: nothing is saved)",
    "projects.services.plan.estimate_hours": READS,
    "projects.services.plan.parse_expected": HELPER,
    "projects.services.projects.allowed_moves": HELPER,
    "projects.services.projects.code_prefix": READS,
    "projects.services.projects.project_code_next": READS,
    "projects.services.projects.project_insert": ("the insert step of project_create and project_from_request, "
                                                  "which record the creation with the code it found"),
    "projects.services.review.deliverable_brand_of": READS,
    "projects.services.review.deliverable_on_approve": HOOK,
    "projects.services.review.deliverable_on_reject": HOOK,
    "projects.services.review.deliverable_on_request_changes": HOOK,
    "projects.services.review.deliverable_on_step_approved": HOOK,
    "projects.services.team.project_team": READS,
    "schedules.services.staffing.staffing_range": HELPER,
    "schedules.services.time.confirmed_landings": READS,
    "schedules.services.time.time_off_approve": HOOK,
    "schedules.services.time.time_off_may_withdraw": READS,
    "schedules.services.time.time_off_on_approve": HOOK,
    "schedules.services.time.time_off_on_reject": HOOK,
    "schedules.services.time.time_off_set_status": HOOK,
    "schedules.services.time.timesheet_approve": HOOK,
    "schedules.services.time.timesheet_on_approve": HOOK,
    "schedules.services.time.timesheet_on_send_back": HOOK,
    "schedules.services.time.timesheet_reopen": HOOK + "; timesheet_reopen_by_pm records the PM's reopening",
    "schedules.services.timesheets.entry_key": HELPER,
    "schedules.services.timesheets.future_day_message": HELPER,
    "schedules.services.timesheets.missing_weeks": READS,
    "schedules.services.timesheets.owed_weeks": HELPER,
    "schedules.services.timesheets.timesheet_locked_message": HELPER,
    "schedules.services.timesheets.timesheet_submit_opens": READS,
    "schedules.services.timesheets.timesheet_submit_refusal": READS,
    "schedules.services.timesheets.timesheets_hours": READS,
    "schedules.services.timesheets.timesheets_missing": READS,
    "metrics.surveys.services.answer_errors": HELPER,
    "metrics.surveys.services.answer_url": HELPER,
    "metrics.surveys.services.expires_at": HELPER,
    "metrics.surveys.services.last_day": HELPER,
    "metrics.surveys.services.project_surveys": READS,
    "metrics.surveys.services.responses_to_answer": READS,
    "metrics.surveys.services.state_of": HELPER,
    "metrics.surveys.services.survey_notify": NOTIFIES,
    "metrics.surveys.services.survey_recipients": READS,
    "metrics.surveys.services.survey_reminders_send": NOTIFIES + "; reminded_at marks the response",
}


# --- the calls -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """`prepare()` sets the world up (what it records does not count) and returns the call."""

    prepare: Callable[[], Callable[[], object]]
    records: tuple[str, ...]
    why: str = ""


CALLS: dict[str, list[Call]] = {}

ENGINE = "the approval engine records the submission (approval.submitted) beside the object's own change"
SKIPS = "and the step it passes over, recorded as skipped (nobody decides their own submission)"


def calls(name: str, *records: str, why: str = ""):
    """Register the decorated preparation as a call of the service `name`."""

    def register(prepare):
        CALLS.setdefault(name, []).append(Call(prepare, records, why))
        return prepare

    return register


def pm_user():
    return f.UserFactory(role="pm", is_staff=True)


def project_of(pm=None, **kwargs):
    return f.ProjectFactory(pm=pm or pm_user(), **kwargs)


def world():
    """A PM's active client project, a brand manager of its brand, a creative booked on it."""
    pm = pm_user()
    project = project_of(pm)
    brand_manager = f.UserFactory(role="brand_manager")
    project.brand.managers.add(brand_manager)
    creative = f.TalentFactory()
    f.BookingFactory(project=project, talent=creative)
    return pm, project, brand_manager, creative


# studio -------------------------------------------------------------------------------------

@calls("studio.services.talent_ical_token_regenerate", "talent.ical_token_regenerated")
def _():
    from studio.services import talent_ical_token_regenerate

    talent = f.TalentFactory()
    return lambda: talent_ical_token_regenerate(talent=talent, user=talent.user)


@calls("studio.services.access_token_create", "access_token.created")
def _():
    from studio.services import access_token_create

    user = f.UserFactory()
    return lambda: access_token_create(user=user, name="Sync", read_only=True, expires_in=None)


@calls("studio.services.access_token_revoke", "access_token.revoked")
def _():
    from studio.services import access_token_create, access_token_revoke

    user = f.UserFactory()
    token, _key = access_token_create(user=user, name="Sync", read_only=True, expires_in=None)
    return lambda: access_token_revoke(token=token, user=user)


# approvals ----------------------------------------------------------------------------------

def timesheet_waiting():
    """A creative's last week, submitted: waiting for a PM."""
    from schedules.services.timesheets import timesheet_submit

    talent = f.TalentFactory()
    sheet = f.TimesheetFactory(talent=talent)
    return timesheet_submit(user=talent.user, timesheet=sheet)


@calls("approvals.services.approval_submit", "approval.submitted")
def _():
    from approvals.services import approval_submit

    sheet = f.TimesheetFactory(status="submitted")
    return lambda: approval_submit(obj=sheet, kind="timesheet", submitted_by=sheet.talent.user)


@calls("approvals.services.approval_decide", "approval.approve")
def _():
    from approvals.services import approval_decide

    sheet, pm = timesheet_waiting(), pm_user()
    approval = Approval.objects.pending_for(sheet)
    return lambda: approval_decide(approval=approval, user=pm, outcome="approve")


@calls("approvals.services.approval_decide", "approval.request_changes")
def _():
    from approvals.services import approval_decide

    sheet, pm = timesheet_waiting(), pm_user()
    approval = Approval.objects.pending_for(sheet)
    return lambda: approval_decide(approval=approval, user=pm, outcome="request_changes", comment="Tuesday?")


@calls("approvals.services.approval_decide", "approval.approve", "change_order.approved",
       why="the change order's own status change (with its fee and budget before and after) beside the "
           "engine's decision")
def _():
    from approvals.services import approval_decide
    from budgets.services.change_orders import change_order_create, change_order_submit

    pm, project, _bm, _creative = baselined_world()
    # Above the studio's threshold: the executive's step waits (the PM's own is skipped).
    threshold = StudioSettings.load().change_order_approval_threshold
    order = change_order_create(project=project, user=pm, title="A second campaign", fee_change=threshold * 3,
                                budget_change=threshold * 2)
    order = change_order_submit(change_order=order, user=pm, version=order.version)
    approval = Approval.objects.pending_for(order)
    executive = f.UserFactory(role="executive")
    return lambda: approval_decide(approval=approval, user=executive, outcome="approve")


@calls("approvals.services.approval_decide", "approval.approve", "time_off.approved",
       why="the time off's own approval, with the bookings it takes hours from, beside the engine's decision")
def _():
    from approvals.services import approval_decide
    from schedules.services.time import time_off_request

    talent = f.TalentFactory()
    today = clock.today()
    time_off = time_off_request(talent=talent, user=talent.user, start_date=today + dt.timedelta(days=14),
                                end_date=today + dt.timedelta(days=15))
    approval = Approval.objects.pending_for(time_off)
    pm = pm_user()
    return lambda: approval_decide(approval=approval, user=pm, outcome="approve")


@calls("approvals.services.approval_withdraw", "approval.withdrawn")
def _():
    from approvals.services import approval_withdraw

    sheet = timesheet_waiting()
    approval = Approval.objects.pending_for(sheet)
    return lambda: approval_withdraw(approval=approval, user=sheet.talent.user)


@calls("approvals.services.delegation_create", "delegation.created")
def _():
    from approvals.services import delegation_create

    pm, other = pm_user(), pm_user()
    today = clock.today()
    return lambda: delegation_create(delegator=pm, delegate=other, start_date=today,
                                     end_date=today + dt.timedelta(days=5))


@calls("approvals.services.delegation_end", "delegation.ended")
def _():
    from approvals.services import delegation_end

    today = clock.today()
    delegation = f.DelegationFactory(start_date=today - dt.timedelta(days=2), end_date=today + dt.timedelta(days=5))
    return lambda: delegation_end(delegation=delegation, user=delegation.delegator)


# briefs --------------------------------------------------------------------------------------

@calls("briefs.services.briefs.brief_create_from_request", "brief.created")
def _():
    from briefs.services.briefs import brief_create_from_request

    pm, project, _bm, _creative = world()
    request = f.RequestFactory(status="accepted", project=project, brand=project.brand)
    f.RequestItemFactory(request=request)
    return lambda: brief_create_from_request(request=request, created_by=pm)


@calls("briefs.services.briefs.brief_update", "brief.edited")
def _():
    from briefs.services.briefs import brief_update

    brief = f.BriefFactory()
    return lambda: brief_update(brief=brief, edited_by=brief.project.pm, values={"background": "New"},
                                version=brief.version)


@calls("briefs.services.briefs.brief_submit", "approval.submitted", "approval.skipped", why=f"{ENGINE} {SKIPS}")
def _():
    from briefs.services.briefs import brief_submit

    brief = f.BriefFactory()
    return lambda: brief_submit(brief=brief, user=brief.project.pm, version=brief.version)


@calls("briefs.services.briefs.brief_distribute", "brief.distributed")
def _():
    from briefs.services.briefs import brief_distribute

    version = f.BriefVersionFactory()
    creative = f.TalentFactory().user
    return lambda: brief_distribute(brief=version.brief, sent_by=version.brief.project.pm, recipients=[creative])


@calls("briefs.services.briefs.distribution_acknowledge", "brief.acknowledged")
def _():
    from briefs.services.briefs import distribution_acknowledge

    distribution = f.BriefDistributionFactory()
    return lambda: distribution_acknowledge(distribution=distribution, user=distribution.recipient)


@calls("briefs.services.briefs.distribution_comment", "brief.question")
def _():
    from briefs.services.briefs import distribution_comment

    distribution = f.BriefDistributionFactory()
    return lambda: distribution_comment(distribution=distribution, author=distribution.recipient, body="Which logo?")


@calls("briefs.services.briefs.distribution_comment", "brief.answer")
def _():
    from briefs.services.briefs import distribution_comment

    distribution = f.BriefDistributionFactory()
    pm = distribution.version.brief.project.pm
    return lambda: distribution_comment(distribution=distribution, author=pm, body="The new one.")


def submitted_request():
    from briefs.services.requests import request_submit

    brand_manager = f.UserFactory(role="brand_manager")
    brand = f.BrandFactory()
    brand.managers.add(brand_manager)
    kind = f.StandardHoursFactory().deliverable_type
    return request_submit(
        submitted_by=brand_manager, brand=brand, title="Winter launch", objectives="Sell the range.",
        deadline=clock.today() + dt.timedelta(days=60), budget=Decimal("15000"), items=[(kind, 1)],
    )


@calls("briefs.services.requests.request_submit", "request.submitted", "approval.submitted", why=ENGINE)
def _():
    from briefs.services.requests import request_submit

    brand_manager = f.UserFactory(role="brand_manager")
    brand = f.BrandFactory()
    brand.managers.add(brand_manager)
    kind = f.DeliverableTypeFactory()
    return lambda: request_submit(
        submitted_by=brand_manager, brand=brand, title="Winter launch", objectives="Sell the range.",
        deadline=clock.today() + dt.timedelta(days=60), budget=Decimal("15000"), items=[(kind, 1)],
    )


ACCEPTED = ("one event per record written: the project, its deliverable and its draft brief are created, the "
            "request moves, and the engine records the triage's decision of the pending approval")


@calls("briefs.services.requests.request_accept", "project.create", "deliverable.add", "brief.created",
       "request.accepted", "approval.approve", why=ACCEPTED)
def _():
    from briefs.services.requests import request_accept

    request, pm = submitted_request(), pm_user()
    return lambda: request_accept(request=request, accepted_by=pm)


TRIAGE = "the request's own move, and the engine's record of the triage's decision of the pending approval"


@calls("briefs.services.requests.request_ask_info", "request.info_requested", "approval.request_changes",
       why=TRIAGE)
def _():
    from briefs.services.requests import request_ask_info

    request, pm = submitted_request(), pm_user()
    return lambda: request_ask_info(request=request, user=pm, question="Which sizes?")


@calls("briefs.services.requests.request_decline", "request.declined", "approval.reject", why=TRIAGE)
def _():
    from briefs.services.requests import request_decline

    request, pm = submitted_request(), pm_user()
    return lambda: request_decline(request=request, user=pm, reason="Fully booked until spring.")


@calls("briefs.services.requests.request_answer", "request.answered", "approval.submitted",
       why="the request's answer, and the engine's new round of its approval")
def _():
    from briefs.services.requests import request_answer, request_ask_info

    request = submitted_request()
    request_ask_info(request=request, user=pm_user(), question="Which sizes?")
    request.refresh_from_db()
    return lambda: request_answer(request=request, user=request.submitted_by, answer="A4 and A3.")


# budgets --------------------------------------------------------------------------------------

@calls("budgets.services.budgets.budget_start", "budget.start")
def _():
    from budgets.services.budgets import budget_start

    pm, project, _bm, _creative = world()
    return lambda: budget_start(project=project, user=pm)


def draft_budget():
    from budgets.services.budgets import budget_start

    pm, project, _bm, _creative = world()
    return budget_start(project=project, user=pm), pm


@calls("budgets.services.budgets.budget_line_add", "budget_line.add")
def _():
    from budgets.services.budgets import budget_line_add

    budget, pm = draft_budget()
    return lambda: budget_line_add(budget=budget, user=pm, version=budget.version, kind="expense",
                                   description="Stock", amount=Decimal("800"))


def budget_with_line():
    from budgets.services.budgets import budget_line_add

    budget, pm = draft_budget()
    line = budget_line_add(budget=budget, user=pm, version=budget.version, kind="expense", description="Stock",
                           amount=Decimal("800"))
    budget.refresh_from_db()
    return budget, line, pm


@calls("budgets.services.budgets.budget_line_change", "budget_line.change")
def _():
    from budgets.services.budgets import budget_line_change

    budget, line, pm = budget_with_line()
    return lambda: budget_line_change(line=line, user=pm, version=budget.version, amount=Decimal("900"))


@calls("budgets.services.budgets.budget_line_remove", "budget_line.remove")
def _():
    from budgets.services.budgets import budget_line_remove

    budget, line, pm = budget_with_line()
    return lambda: budget_line_remove(line=line, user=pm, version=budget.version)


@calls("budgets.services.budgets.budget_submit", "approval.submitted", "approval.skipped",
       why=f"the engine records the submission {SKIPS}; below the threshold that was the only step, so the "
           "budget is approved at once")
def _():
    from budgets.services.budgets import budget_submit

    budget, _line, pm = budget_with_line()
    return lambda: budget_submit(budget=budget, user=pm, version=budget.version)


@calls("budgets.services.change_orders.change_order_create", "change_order.created")
def _():
    from budgets.services.change_orders import change_order_create

    pm, project, _bm, _creative = baselined_world()
    return lambda: change_order_create(project=project, user=pm, title="More banners", fee_change=Decimal("900"))


def baselined_world():
    """As world(), with the project's budget approved: the baseline change orders change."""
    pm, project, brand_manager, creative = world()
    f.BudgetFactory(project=project, status="approved", approved_at=timezone.now())
    return pm, project, brand_manager, creative


def draft_change_order():
    from budgets.services.change_orders import change_order_create

    pm, project, _bm, _creative = baselined_world()
    return change_order_create(project=project, user=pm, title="More banners", fee_change=Decimal("900")), pm


@calls("budgets.services.change_orders.change_order_update", "change_order.updated")
def _():
    from budgets.services.change_orders import change_order_update

    order, pm = draft_change_order()
    return lambda: change_order_update(change_order=order, user=pm, version=order.version, title="Banners")


@calls("budgets.services.change_orders.change_order_line_add", "change_order.line_added")
def _():
    from budgets.services.change_orders import change_order_line_add

    order, pm = draft_change_order()
    return lambda: change_order_line_add(change_order=order, user=pm, version=order.version, kind="expense",
                                         description="Print", amount=Decimal("300"))


@calls("budgets.services.change_orders.change_order_line_remove", "change_order.line_removed")
def _():
    from budgets.services.change_orders import change_order_line_add, change_order_line_remove

    order, pm = draft_change_order()
    line = change_order_line_add(change_order=order, user=pm, version=order.version, kind="expense",
                                 description="Print", amount=Decimal("300"))
    order.refresh_from_db()
    return lambda: change_order_line_remove(line=line, user=pm, version=order.version)


@calls("budgets.services.change_orders.change_order_submit", "approval.submitted", "approval.skipped",
       "change_order.approved",
       why=f"the engine records the submission {SKIPS}; below the threshold that was the only step, so the "
           "change order is approved at once, with its own record of the new status")
def _():
    from budgets.services.change_orders import change_order_submit

    order, pm = draft_change_order()
    return lambda: change_order_submit(change_order=order, user=pm, version=order.version)


@calls("budgets.services.costs.cost_add", "cost.added")
def _():
    from budgets.services.costs import cost_add

    pm, project, _bm, _creative = world()
    return lambda: cost_add(project=project, user=pm, kind="expense", description="Stock", amount=Decimal("120"))


@calls("budgets.services.costs.cost_advance", "cost.moved")
def _():
    from budgets.services.costs import cost_add, cost_advance

    pm, project, _bm, _creative = world()
    cost = cost_add(project=project, user=pm, kind="expense", description="Stock", amount=Decimal("120"))
    return lambda: cost_advance(cost=cost, user=pm, status="invoiced")


@calls("budgets.services.studio.studio_budget_add", "studio_budget.added")
def _():
    from budgets.services.studio import studio_budget_add

    pm, today = pm_user(), clock.today()
    return lambda: studio_budget_add(user=pm, name="Next year", period_start=dt.date(today.year + 1, 1, 1),
                                     period_end=dt.date(today.year + 1, 12, 31), amount=Decimal("500000"),
                                     freelance_pool=Decimal("80000"))


@calls("budgets.services.studio.studio_budget_set", "studio_budget.changed")
def _():
    from budgets.services.studio import studio_budget_add, studio_budget_set

    pm, today = pm_user(), clock.today()
    period = studio_budget_add(user=pm, name="Next year", period_start=dt.date(today.year + 1, 1, 1),
                               period_end=dt.date(today.year + 1, 12, 31), amount=Decimal("500000"),
                               freelance_pool=Decimal("80000"))
    return lambda: studio_budget_set(studio_budget=period, user=pm, version=period.version,
                                     amount=Decimal("520000"), freelance_pool=Decimal("90000"))


# projects -------------------------------------------------------------------------------------

@calls("projects.services.projects.project_create", "project.create")
def _():
    from projects.services.projects import project_create

    pm, today = pm_user(), clock.today()
    return lambda: project_create(user=pm, name="Spring", pm=pm, planned_start=today,
                                  due_date=today + dt.timedelta(days=30), brand=f.BrandFactory(), fee=Decimal("1000"))


@calls("projects.services.projects.project_update", "project.update")
def _():
    from projects.services.projects import project_update

    pm, project, _bm, _creative = world()
    return lambda: project_update(project=project, user=pm, version=project.version, name="Spring launch")


@calls("projects.services.projects.project_status_change", "project.status")
def _():
    from projects.services.projects import project_status_change

    pm, project, _bm, _creative = world()
    return lambda: project_status_change(project=project, user=pm, status="on_hold", version=project.version)


@calls("projects.services.projects.project_from_request", "project.create")
def _():
    from projects.services.projects import project_from_request

    pm = pm_user()
    return lambda: project_from_request(user=pm, name="Spring", brand=f.BrandFactory(), pm=pm,
                                        due_date=clock.today() + dt.timedelta(days=30), fee=Decimal("1000"),
                                        description="", items=[])


@calls("projects.services.baselines.baseline_set", "project.baseline")
def _():
    from projects.services.baselines import baseline_set

    pm, project, _bm, _creative = world()
    return lambda: baseline_set(project=project, user=pm, version=project.version)


@calls("projects.services.plan.phase_add", "phase.add")
def _():
    from projects.services.plan import phase_add

    pm, project, _bm, _creative = world()
    return lambda: phase_add(project=project, user=pm, name="Design", start_date=project.planned_start,
                             end_date=project.due_date)


@calls("projects.services.plan.phase_update", "phase.update")
def _():
    from projects.services.plan import phase_update

    pm, project, _bm, _creative = world()
    phase = f.PhaseFactory(project=project)
    return lambda: phase_update(phase=phase, user=pm, version=phase.version, name="Design")


@calls("projects.services.plan.phase_move", "phase.move")
def _():
    from projects.services.plan import phase_move

    pm, project, _bm, _creative = world()
    first = f.PhaseFactory(project=project, order=1)
    f.PhaseFactory(project=project, order=2, name="Delivery")
    return lambda: phase_move(phase=first, user=pm, offset=1)


@calls("projects.services.plan.phase_remove", "phase.remove")
def _():
    from projects.services.plan import phase_remove

    pm, project, _bm, _creative = world()
    phase = f.PhaseFactory(project=project)
    return lambda: phase_remove(phase=phase, user=pm, version=phase.version)


def new_deliverable_plan(project):
    return {"deliverable_type": f.StandardHoursFactory().deliverable_type, "name": "Key visual",
            "planned_start": clock.today(), "due_date": project.due_date}


@calls("projects.services.plan.deliverable_add", "deliverable.add")
def _():
    from projects.services.plan import deliverable_add

    pm, project, _bm, _creative = world()
    plan = new_deliverable_plan(project)
    return lambda: deliverable_add(project=project, user=pm, **plan)


@calls("projects.services.plan.deliverable_create", "deliverable.add")
def _():
    from projects.services.plan import deliverable_create

    pm, project, _bm, _creative = world()
    plan = new_deliverable_plan(project)
    return lambda: deliverable_create(project=project, user=pm, **plan)


@calls("projects.services.plan.deliverable_update", "deliverable.update")
def _():
    from projects.services.plan import deliverable_update

    pm, project, _bm, _creative = world()
    deliverable = f.DeliverableFactory(project=project)
    return lambda: deliverable_update(deliverable=deliverable, user=pm, version=deliverable.version, name="Hero")


@calls("projects.services.plan.dependency_add", "dependency.add")
def _():
    from projects.services.plan import dependency_add

    pm, project, _bm, _creative = world()
    first = f.DeliverableFactory(project=project, due_date=clock.today() + dt.timedelta(days=2))
    second = f.DeliverableFactory(project=project, planned_start=clock.today() + dt.timedelta(days=3),
                                  due_date=clock.today() + dt.timedelta(days=9))
    return lambda: dependency_add(predecessor=first, successor=second, user=pm)


@calls("projects.services.plan.dependency_remove", "dependency.remove")
def _():
    from projects.services.plan import dependency_remove

    pm, project, _bm, _creative = world()
    dependency = f.DependencyFactory(predecessor=f.DeliverableFactory(project=project))
    return lambda: dependency_remove(dependency=dependency, user=pm)


def assigned_deliverable():
    pm, project, _bm, creative = world()
    deliverable = f.DeliverableFactory(project=project)
    deliverable.assignees.add(creative)
    return deliverable, creative.user


@calls("projects.services.review.deliverable_progress_update", "deliverable.progress")
def _():
    from projects.services.review import deliverable_progress_update

    deliverable, person = assigned_deliverable()
    return lambda: deliverable_progress_update(deliverable=deliverable, user=person, percent_complete=40)


# The deliverable's move to review is the engine's record of the submission.
@calls("projects.services.review.deliverable_submit_for_review", "approval.submitted")
def _():
    from projects.services.review import deliverable_submit_for_review

    deliverable, person = assigned_deliverable()
    return lambda: deliverable_submit_for_review(deliverable=deliverable, user=person, link="https://example.com/v1")


@calls("projects.services.review.deliverable_cancel", "deliverable.cancel")
def _():
    from projects.services.review import deliverable_cancel

    pm, project, _bm, _creative = world()
    deliverable = f.DeliverableFactory(project=project)
    return lambda: deliverable_cancel(deliverable=deliverable, user=pm, reason="Dropped by the client.")


@calls("projects.services.team.project_team_message", "team_message")
def _():
    from projects.services.team import project_team_message

    pm, project, _bm, _creative = world()
    return lambda: project_team_message(project=project, user=pm, subject="Kick-off", body="Monday at ten.")


# schedules -------------------------------------------------------------------------------------

def tentative_booking():
    pm, project, _bm, _creative = world()
    booking = f.BookingFactory(project=project, status="tentative", talent=f.TalentFactory())
    return booking, pm


@calls("schedules.services.bookings.booking_create", "booking.create")
def _():
    from schedules.services.bookings import booking_create

    pm, project, _bm, _creative = world()
    talent, today = f.TalentFactory(), clock.today()
    return lambda: booking_create(user=pm, talent=talent, project=project, start_date=today,
                                  end_date=today + dt.timedelta(days=2), hours_per_day=Decimal("4"))


@calls("schedules.services.bookings.booking_update", "booking.update")
def _():
    from schedules.services.bookings import booking_update

    booking, pm = tentative_booking()
    return lambda: booking_update(booking=booking, user=pm, version=booking.version, hours_per_day=Decimal("3"))


@calls("schedules.services.bookings.booking_confirm", "booking.confirm")
def _():
    from schedules.services.bookings import booking_confirm

    booking, pm = tentative_booking()
    return lambda: booking_confirm(booking=booking, user=pm, version=booking.version)


@calls("schedules.services.bookings.booking_split", "booking.split", "booking.create",
       why="two bookings come out of one: the first is shortened, the second is new, each keeps its own history")
def _():
    from schedules.services.bookings import booking_split

    booking, pm = tentative_booking()
    return lambda: booking_split(booking=booking, user=pm, version=booking.version,
                                 on=booking.start_date + dt.timedelta(days=2))


@calls("schedules.services.bookings.booking_release", "booking.release")
def _():
    from schedules.services.bookings import booking_release

    booking, pm = tentative_booking()
    return lambda: booking_release(booking=booking, user=pm, version=booking.version)


@calls("schedules.services.bookings.bookings_release_expired_holds", "booking.release")
def _():
    from schedules.services.bookings import bookings_release_expired_holds

    today = clock.today()
    f.BookingFactory(status="tentative", hold_expires_on=today - dt.timedelta(days=2))
    return lambda: bookings_release_expired_holds(today=today)


@calls("schedules.services.staffing.deliverable_staff", "booking.create", "deliverable.staff",
       why="two objects change: a booking is made and the deliverable gets its assignee")
def _():
    from schedules.services.staffing import deliverable_staff

    pm, project, _bm, _creative = world()
    deliverable = f.DeliverableFactory(project=project, planned_start=clock.today(),
                                       due_date=clock.today() + dt.timedelta(days=4))
    f.DeliverableHoursFactory(deliverable=deliverable)
    talent = f.TalentFactory(discipline=deliverable.planned_by_discipline.get().discipline)
    return lambda: deliverable_staff(deliverable=deliverable, talent=talent, user=pm)


@calls("schedules.services.time.time_off_request", "time_off.requested", "approval.submitted", why=ENGINE)
def _():
    from schedules.services.time import time_off_request

    talent, today = f.TalentFactory(), clock.today()
    return lambda: time_off_request(talent=talent, user=talent.user, start_date=today + dt.timedelta(days=14),
                                    end_date=today + dt.timedelta(days=15))


@calls("schedules.services.time.time_off_cancel", "approval.withdrawn", "time_off.cancelled",
       why="the engine records the withdrawn approval beside the time off's own cancellation")
def _():
    from schedules.services.time import time_off_cancel, time_off_request

    talent, today = f.TalentFactory(), clock.today()
    time_off = time_off_request(talent=talent, user=talent.user, start_date=today + dt.timedelta(days=14),
                                end_date=today + dt.timedelta(days=15))
    return lambda: time_off_cancel(time_off=time_off, user=talent.user)


def logging_creative():
    pm, project, _bm, creative = world()
    return creative, project


@calls("schedules.services.timesheets.time_entry_set", "timesheet.time_set")
def _():
    from schedules.services.timesheets import time_entry_set

    talent, project = logging_creative()
    return lambda: time_entry_set(user=talent.user, talent=talent, project=project, deliverable=None,
                                  day=clock.today(), hours=Decimal("3"))


@calls("schedules.services.timesheets.time_entries_set_day", "timesheet.time_set")
def _():
    from schedules.services.timesheets import DayRow, time_entries_set_day

    talent, project = logging_creative()
    return lambda: time_entries_set_day(user=talent.user, talent=talent, day=clock.today(),
                                        rows=[DayRow(project, None, Decimal("3"), "")])


@calls("schedules.services.timesheets.timesheet_week_set", "timesheet.time_set")
def _():
    from schedules.services.timesheets import WeekCell, timesheet_week_set

    talent, project = logging_creative()
    week = f.monday()
    return lambda: timesheet_week_set(user=talent.user, talent=talent, week_start=week,
                                      cells=[WeekCell(project, None, week, Decimal("3"))])


@calls("schedules.services.timesheets.timesheet_submit", "timesheet.submitted", "approval.submitted", why=ENGINE)
def _():
    from schedules.services.timesheets import timesheet_submit

    sheet = f.TimesheetFactory()
    return lambda: timesheet_submit(user=sheet.talent.user, timesheet=sheet)


@calls("schedules.services.timesheets.timesheet_reopen_by_pm", "approval.request_changes", "timesheet.reopened",
       why="the engine records the PM sending the pending week back, beside the reopening with its reason")
def _():
    from schedules.services.timesheets import timesheet_reopen_by_pm

    sheet, pm = timesheet_waiting(), pm_user()
    return lambda: timesheet_reopen_by_pm(timesheet=sheet, user=pm, reason="Tuesday is missing.")


@calls("schedules.services.timesheets.timesheet_reminders_send", "timesheet.reminded")
def _():
    from schedules.services.timesheets import timesheet_reminders_send

    talent, today = f.TalentFactory(), clock.today()
    # Owed: last week only; the weeks before it are in.
    for weeks_ago in (2, 3, 4):
        f.TimesheetFactory(talent=talent, week_start=f.monday() - dt.timedelta(days=7 * weeks_ago),
                           status="submitted")
    return lambda: timesheet_reminders_send(today=today)


# metrics: satisfaction surveys ---------------------------------------------------------------------

@calls("metrics.surveys.services.survey_send", "survey.sent")
def _():
    from metrics.surveys.services import survey_send

    pm, project, _bm, _creative = world()
    project.status = "delivered"
    project.save()
    return lambda: survey_send(project=project)


@calls("metrics.surveys.services.survey_answer", "survey.answered")
def _():
    from metrics.surveys.services import survey_answer

    response = f.SurveyResponseFactory()
    return lambda: survey_answer(response=response, rating=5, comment="Lovely work.")


# --- the tests -------------------------------------------------------------------------------

def test_every_public_service_is_called_or_exempt():
    found = set(public_services())
    missing = sorted(found - set(CALLS) - set(EXEMPT))
    assert not missing, "call these in tests/test_services_audited.py (CALLS), or say why they record nothing (EXEMPT)"
    assert not set(CALLS) & set(EXEMPT)
    # Nothing registered for a function that is gone or renamed.
    assert sorted((set(CALLS) | set(EXEMPT)) - found) == []


def test_the_walk_finds_the_services_of_every_app():
    modules = service_modules()
    for app in ("studio", "approvals", "projects", "briefs", "schedules", "budgets"):
        assert any(module.startswith(f"{app}.") for module in modules), app
    assert "metrics.surveys.services" in modules
    assert len(public_services()) > 100


def test_every_call_that_records_more_than_one_event_says_why():
    for name, registered in CALLS.items():
        for call in registered:
            assert len(call.records) >= 1, name
            assert len(call.records) == 1 or call.why, f"{name} records {call.records}: say why in `why`"


CASES = [(name, index) for name in sorted(CALLS) for index in range(len(CALLS[name]))]


@pytest.mark.parametrize("name, index", CASES, ids=[f"{name.rsplit('.', 1)[1]}-{index}" for name, index in CASES])
def test_each_write_records_what_it_did_once(name, index):
    call = CALLS[name][index]
    run = call.prepare()
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    run()

    events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert [event.action for event in events] == list(call.records)
    once = {(event.content_type_id, event.object_id, event.action) for event in events}
    assert len(once) == len(events), "the same change of the same object is recorded twice"
    assert all(event.object_repr for event in events)
