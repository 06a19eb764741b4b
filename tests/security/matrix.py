"""Who gets what at every URL of the project: one row for each group of URL patterns that
behave alike, read as identity × pattern × method → outcome.

A row's expectation is derived from `studio.permissions` wherever the code asks it (the
action named in the row is the one the view or viewset checks), and evaluated for each
identity against the object the URL is reversed with, brand A's (the own object) and
brand B's or a colleague's (the foreign one):

- `anyone`: every signed-in identity may;
- `page(action)`: those whose role has `action`, others 403;
- `seen(on)`: 404 unless the object is visible to them (`visible_to`, or `on`'s scope);
- `rule(action, on)`: 404 unless visible, then 403 unless `can(user, action, obj)`;
- `gate(action, then)`: 403 unless the role has `action` at all, then `then`;
- `mine(attr)`: 404 unless visible, then 403 unless the object's `attr` is the user.

Nobody signed in gets the login page for a page (`LOGIN`) and `ANONYMOUS_API` for the API,
unless a row says the URL is public (`anonymous=ALLOWED`, the token links).

To read the table evaluated, one line a URL, method and object, one column an identity:
`CALLSHEET_PRINT_MATRIX=1 pytest -s tests/security/test_url_matrix.py -k readable`."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from studio import clock
from studio.permissions import can, scope_of

ALLOWED = "allowed"  # the request went through: 2xx, a redirect that is not to the login page, or a form error
FORBIDDEN = 403
HIDDEN = 404
LOGIN = "login"  # a redirect to the login page
STOP_POLLING = 286  # htmx's "stop polling": what a signed-out badge gets
# What the API answers nobody signed in (no or bad credentials). DRF answers 403 while the
# session authentication comes first; flip this one constant to 401 when it answers 401.
ANONYMOUS_API = 401

READ = ("GET",)
WRITE = ("POST",)
BOTH = ("GET", "POST")


def visible(user, obj, on: str | None = None) -> bool:
    """Whether `user` may see `obj` (by `on`'s scope when given, else the model's own
    `visible_to`); objects without one are seen by whom they belong to."""
    manager = type(obj)._default_manager
    if hasattr(manager, "visible_to"):
        queryset = manager.visible_to(user, on) if on else manager.visible_to(user)
        return queryset.filter(pk=obj.pk).exists()
    owner = OWNERS[type(obj).__name__](obj)
    if isinstance(owner, type(user)):
        return owner == user
    return visible(user, owner, on)


# Whose an object without a `visible_to` of its own is: a person, or another object.
OWNERS: dict[str, Callable] = {
    "Notification": lambda obj: obj.recipient,
    "SurveyResponse": lambda obj: obj.respondent,
    "Delegation": lambda obj: obj.delegator,
    "Attachment": lambda obj: obj.target,
    "AccessToken": lambda obj: obj.user,
}


Expect = Callable[[object, object], object]  # (user, obj) → outcome


def anyone(user, obj=None):
    """anyone"""
    return ALLOWED


def page(action: str) -> Expect:
    def expect(user, obj=None):
        return ALLOWED if scope_of(user, action) is not None else FORBIDDEN

    expect.__doc__ = f"page({action})"
    return expect


def seen(on: str | None = None, then: Expect = anyone) -> Expect:
    def expect(user, obj):
        return then(user, obj) if visible(user, obj, on) else HIDDEN

    expect.__doc__ = f"seen({on or ''})"
    return expect


def allowed_if(action: str) -> Expect:
    def expect(user, obj):
        return ALLOWED if can(user, action, obj) else FORBIDDEN

    expect.__doc__ = f"allowed if {action}"
    return expect


def rule(action: str, on: str | None = None) -> Expect:
    expect = seen(on, allowed_if(action))
    expect.__doc__ = f"rule({action}{', on=' + on if on else ''})"
    return expect


def gate(action: str, then: Expect) -> Expect:
    def expect(user, obj=None):
        return then(user, obj) if scope_of(user, action) is not None else FORBIDDEN

    expect.__doc__ = f"gate({action}) then {then.__doc__}"
    return expect


def mine(attr: str, on: str | None = None) -> Expect:
    def owned(user, obj):
        owner = obj
        for part in attr.split("."):
            owner = getattr(owner, part)
        return ALLOWED if owner == user else FORBIDDEN

    expect = seen(on, owned)
    expect.__doc__ = f"mine({attr})"
    return expect


def also_seen(on: str) -> Expect:
    """403 unless the object is also in `on`'s scope (a teammate's page, but not their bookings)."""

    def expect(user, obj):
        return ALLOWED if visible(user, obj, on) else FORBIDDEN

    expect.__doc__ = f"also seen({on})"
    return expect


def approved_unless_costs(then: Expect = anyone) -> Expect:
    """A budget as the API gives it: the studio's every one, a brand manager's only once approved."""

    def expect(user, obj):
        return then(user, obj) if can(user, "project.see_costs") or obj.status == "approved" else HIDDEN

    expect.__doc__ = f"approved unless costs, then {then.__doc__}"
    return expect


def but(expect: Expect, **outcomes) -> Expect:
    """`expect`, except for the identities named (the view answers them otherwise)."""

    def changed(user, obj=None):
        identity = getattr(user, "matrix_identity", None)
        return outcomes[identity] if identity in outcomes else expect(user, obj)

    changed.__doc__ = f"{expect.__doc__} but {outcomes}"
    return changed


@dataclass(frozen=True)
class Row:
    names: tuple[str, ...]  # URL names ("namespace:name"); a prefix ending in "*" for a catch-all
    read: Expect | None = None  # GET
    write: Expect | None = None  # POST (pages); POST, PUT, PATCH, DELETE (the API)
    methods: tuple[str, ...] | None = None  # for a page: which methods it answers (the API's come from its route)
    anonymous: object = None  # nobody signed in: None for LOGIN / ANONYMOUS_API
    params: Callable | None = None  # (world, foreign) → query (GET) or form (POST) data
    token: bool = False  # read by an unguessable token: whoever holds it reads as its owner
    note: str = ""

    def expect(self, method: str) -> Expect | None:
        return self.read if method == "GET" else self.write


def _week(world, foreign):
    return {"week": world["other_timesheet" if foreign else "timesheet"].week_start.isoformat()}


def _cell(world, foreign):
    project = world["other_project" if foreign else "project"]
    return {"cell": f"h-{project.pk}-0-{clock.today().isoformat()}", f"h-{project.pk}-0-{clock.today()}": "1"}


def _forecast_week(world, foreign):
    monday = clock.week_start(clock.today() + dt.timedelta(days=1))
    return {"discipline": world["creative"].discipline_id, "week": monday.isoformat()}


def _brief_versions(world, foreign):
    return {"a": 1, "b": 2}


ROWS: list[Row] = [
    # --- signing in, the start page, public links ------------------------------------------
    Row(("home",), read=anyone, methods=READ, note="redirects to the role's start page"),
    Row(("favicon.ico",), read=anyone, methods=READ, anonymous=ALLOWED),
    Row(("login",), read=anyone, write=anyone, methods=BOTH, anonymous=ALLOWED),
    Row(("logout",), write=lambda user, obj=None: LOGIN, methods=WRITE, anonymous=LOGIN),
    Row(("password_change",), read=anyone, write=anyone, methods=BOTH),
    Row(("password_change_done",), read=anyone, methods=READ),
    Row(("password_reset", "password_reset_confirm"), read=anyone, write=anyone, methods=BOTH,
        anonymous=ALLOWED),
    Row(("password_reset_done", "password_reset_complete"), read=anyone, methods=READ, anonymous=ALLOWED),
    Row(("schedules:ical",), read=anyone, methods=READ, anonymous=ALLOWED, token=True,
        note="by its own unguessable token: the colleague's token is as good as one's own"),
    Row(("surveys:answer",), read=anyone, write=anyone, methods=BOTH, anonymous=ALLOWED, token=True,
        note="by its own unguessable token; an empty answer is a 400"),
    # --- the API: its root, schema, token -------------------------------------------------
    Row(("api-root", "api-schema", "api-docs"), read=anyone),
    Row(("api-not-found",), read=lambda user, obj=None: HIDDEN, methods=READ, anonymous=HIDDEN,
        note="an address under /api/ that names nothing: a JSON 404 for anyone"),
    Row(("api-token",), write=anyone, anonymous=ALLOWED, note="an empty post is a 400 for anyone"),
    # --- the API: lists are everyone's (each filtered by visible_to); creating needs the action
    Row(("project-list",), read=anyone, write=page("project.add")),
    Row(("deliverable-list", "phase-list", "dependency-list"), read=anyone, write=page("project.change")),
    Row(("baseline-list", "brief-list", "brief-version-list", "distribution-list", "timesheet-list",
         "approval-list", "budget-list", "metric-snapshot-list", "metric-catalogue-list", "talent-list",
         "notification-list"), read=anyone),
    Row(("request-list",), read=anyone, write=page("request.add")),
    Row(("booking-list",), read=anyone, write=page("booking.book")),
    Row(("time-off-list", "time-entry-list"), read=anyone, write=anyone,
        note="whose time it is, is checked with the data (tests/security/test_mass_assignment.py)"),
    Row(("budget-start",), write=page("budget.change")),
    Row(("budget-line-list", "change-order-list", "change-order-line-list"), read=anyone,
        write=page("budget.change")),
    Row(("cost-list",), read=anyone, write=page("cost.change")),
    Row(("studio-budget-list",), read=anyone, write=page("studio_budget.change")),
    Row(("studio-budget-pool-effect",), read=page("studio_budget.view")),
    Row(("metric-portfolio-list",), read=page("metric.view")),
    Row(("schedule",), read=page("booking.view"), note="a 400 without its dates"),
    Row(("utilization", "utilization-people", "forecast", "who-is-free"), read=page("schedule.team")),
    Row(("notification-read-all",), write=anyone),
    # --- the API: one object ------------------------------------------------------------------
    Row(("project-detail", "deliverable-detail", "phase-detail", "dependency-detail"), read=seen(),
        write=rule("project.change")),
    Row(("project-status", "project-baseline", "deliverable-cancel", "deliverable-preview", "phase-move"),
        write=rule("project.change")),
    Row(("deliverable-submit",), write=rule("deliverable.work")),
    Row(("baseline-detail", "brief-detail", "brief-version-detail", "distribution-detail", "talent-detail",
         "approval-detail", "cost-detail", "notification-detail"), read=seen()),
    Row(("budget-detail",), read=seen(then=approved_unless_costs())),
    Row(("request-detail",), read=seen()),
    Row(("request-accept", "request-ask-info", "request-decline"), write=rule("request.triage")),
    Row(("request-answer",), write=rule("request.answer")),
    Row(("distribution-acknowledge",), write=mine("recipient")),
    Row(("booking-detail",), read=seen(), write=rule("booking.book")),
    Row(("booking-confirm", "booking-release", "booking-split"), write=rule("booking.book")),
    Row(("time-off-detail",), read=seen()),
    Row(("time-off-cancel",), write=rule("talent.request_time_off")),
    Row(("timesheet-detail",), read=seen()),
    Row(("timesheet-reopen",), write=rule("timesheet.reopen")),
    Row(("timesheet-submit",), write=mine("talent.user")),
    Row(("time-entry-detail",), read=seen(), write=rule("talent.log_time"), params=lambda world, foreign: {"hours": 2},
        note="the service decides whose time may be changed, after the fields are read"),
    Row(("approval-decide",), write=seen(), note="who decides which step is the engine's: a 400 without a decision"),
    Row(("budget-submit",), write=seen(then=approved_unless_costs(allowed_if("budget.change")))),
    Row(("budget-line-detail", "change-order-detail", "change-order-line-detail"), read=seen(),
        write=rule("budget.change")),
    Row(("change-order-submit",), write=rule("budget.change")),
    Row(("cost-advance",), write=rule("cost.change")),
    Row(("studio-budget-detail",), read=seen(), write=gate("studio_budget.change", seen())),
    Row(("notification-read",), write=seen()),
    # --- pages: the studio's records ----------------------------------------------------------
    Row(("studio:talent-list",), read=page("talent.view"), methods=READ),
    Row(("studio:talent-detail",), read=seen(), methods=READ),
    Row(("studio:attachment-download",), read=seen(), methods=READ, note="as the object it is attached to"),
    Row(("studio:notification-list", "studio:notification-settings"), read=anyone, write=anyone, methods=BOTH),
    Row(("studio:notification-count",), read=anyone, methods=READ, anonymous=STOP_POLLING),
    Row(("studio:notification-read-all",), write=anyone, methods=WRITE),
    Row(("studio:notification-open",), read=seen(), methods=READ),
    Row(("studio:notification-read",), write=seen(), methods=WRITE),
    Row(("studio:audit-list",), read=page("audit.view"), methods=READ),
    Row(("studio:token-list",), read=anyone, write=anyone, methods=BOTH,
        note="one's own tokens; a post without a name is a form error"),
    Row(("studio:token-revoke",), write=seen(), methods=WRITE, note="one's own token; another person's is not found"),
    # --- pages: projects and their plans ----------------------------------------------------------
    Row(("projects:project-list", "projects:portfolio-timeline"), read=anyone, methods=READ),
    Row(("projects:project-detail", "projects:deliverable-detail", "projects:project-timeline"), read=seen(),
        methods=READ),
    Row(("projects:project-team-message",), read=rule("project.message_team"),
        write=rule("project.message_team"), methods=BOTH),
    Row(("projects:deliverable-submit", "projects:deliverable-progress"), write=rule("deliverable.work"),
        methods=WRITE),
    Row(("projects:project-create",), read=page("project.add"), write=page("project.add"), methods=BOTH),
    Row(("projects:project-edit", "projects:phase-add", "projects:phase-edit", "projects:deliverable-add",
         "projects:deliverable-estimate", "projects:deliverable-edit", "projects:timeline-move"),
        read=rule("project.change"), write=rule("project.change"), methods=BOTH),
    Row(("projects:project-status", "projects:project-baseline", "projects:phase-move", "projects:phase-remove",
         "projects:deliverable-cancel", "projects:timeline-phase-move"), write=rule("project.change"),
        methods=WRITE),
    # --- pages: requests and briefs ----------------------------------------------------------------
    Row(("briefs:request-list",), read=page("request.view"), methods=READ),
    Row(("briefs:request-create",), read=page("request.add"), write=page("request.add"), methods=BOTH),
    Row(("briefs:request-detail",), read=seen(), methods=READ),
    Row(("briefs:request-accept", "briefs:request-ask-info", "briefs:request-decline"),
        write=rule("request.triage"), methods=WRITE),
    Row(("briefs:request-answer",), write=rule("request.answer"), methods=WRITE),
    Row(("briefs:brief-list", "briefs:briefs-to-read", "briefs:brief-links"), read=anyone, methods=READ),
    Row(("briefs:brief-detail",), read=seen(), methods=READ),
    Row(("briefs:brief-diff",), read=seen(), methods=READ, params=_brief_versions),
    Row(("briefs:brief-edit", "briefs:brief-distribute"), read=gate("brief.change", seen()),
        write=gate("brief.change", seen()), methods=BOTH),
    Row(("briefs:brief-submit",), write=gate("brief.change", seen()), methods=WRITE),
    Row(("briefs:brief-recipients",), read=gate("brief.change", seen()), methods=READ),
    Row(("briefs:brief-board",), read=gate("distribution.view", seen()), methods=READ,
        note="who was sent the brief: the studio, and the people it was sent to"),
    Row(("briefs:distribution-detail",), read=seen(), methods=READ),
    Row(("briefs:distribution-acknowledge",), write=mine("recipient"), methods=WRITE),
    Row(("briefs:distribution-comment",), write=seen(), methods=WRITE),
    # --- pages: schedules and time ----------------------------------------------------------------
    Row(("schedules:my-day",), read=page("schedule.my_day"), methods=READ),
    Row(("schedules:my-day-ahead",), read=but(page("schedule.my_day"), no_profile=HIDDEN), methods=READ,
        note="a user without a talent profile has no days ahead"),
    Row(("schedules:my-day-time",), read=but(page("schedule.my_day"), no_profile=HIDDEN),
        write=but(page("schedule.my_day"), no_profile=HIDDEN), methods=BOTH),
    Row(("schedules:ical-regenerate",), write=but(page("schedule.my_day"), no_profile=HIDDEN), methods=WRITE),
    Row(("schedules:team-schedule", "schedules:utilization", "schedules:forecast", "schedules:who-is-free"),
        read=page("schedule.team"), methods=READ),
    Row(("schedules:forecast-cell",), read=page("schedule.team"), methods=READ, params=_forecast_week),
    Row(("schedules:booking-new",), read=page("booking.book"), write=page("booking.book"), methods=BOTH),
    Row(("schedules:booking-deliverable-field",), read=page("booking.book"), methods=READ),
    Row(("schedules:booking-edit",), read=gate("booking.book", seen()), write=gate("booking.book", seen()),
        methods=BOTH),
    Row(("schedules:booking-move", "schedules:booking-confirm", "schedules:booking-split",
         "schedules:booking-release"), write=gate("booking.book", seen()), methods=WRITE),
    Row(("schedules:who-is-free-book",), write=page("booking.book"), methods=WRITE),
    Row(("schedules:timesheet-week",), read=page("timesheet.view"), methods=READ, note="redirects to one's week"),
    Row(("schedules:timesheet-missing",), read=page("schedule.team"), methods=READ),
    Row(("schedules:timesheet-person",), read=gate("timesheet.view", seen("timesheet.view")), methods=READ),
    Row(("schedules:timesheet-save",), write=gate("timesheet.view", seen("timesheet.view")), methods=WRITE,
        note="whose hours may be logged is the service's: tests/security/test_mass_assignment.py"),
    Row(("schedules:timesheet-cell",), write=gate("timesheet.view", rule("talent.log_time", "timesheet.view")),
        methods=WRITE, params=_cell),
    Row(("schedules:timesheet-submit",), write=gate("timesheet.view", mine("user", "timesheet.view")),
        methods=WRITE),
    Row(("schedules:timesheet-reopen",), write=gate("timesheet.view", rule("timesheet.reopen", "timesheet.view")),
        methods=WRITE, params=_week),
    Row(("schedules:time-off-list",), read=page("time_off.view"), methods=READ),
    Row(("schedules:time-off-request",), read=page("talent.request_time_off"),
        write=page("talent.request_time_off"), methods=BOTH),
    Row(("schedules:time-off-cancel",), write=rule("talent.request_time_off"), methods=WRITE),
    Row(("schedules:deliverable-staffing",), read=rule("project.staff"), write=rule("project.staff"),
        methods=BOTH),
    Row(("schedules:deliverable-staff-person",), write=rule("project.staff"), methods=WRITE),
    Row(("schedules:project-staffing",), read=rule("schedule.team"), methods=READ),
    Row(("schedules:feasibility",), read=page("request.view"), methods=READ),
    Row(("schedules:talent-status",), read=page("timesheet.view"), methods=READ),
    Row(("schedules:talent-detail-status",), read=seen(then=also_seen("booking.view")), methods=READ,
        note="a teammate's page is theirs to see; their bookings are not"),
    Row(("schedules:search-talent", "schedules:search-project", "schedules:search-deliverable"), read=anyone,
        methods=READ, note="each answers only what the user may see"),
    # --- pages: money ---------------------------------------------------------------------------
    Row(("budgets:project-budget", "budgets:project-actuals"), read=seen("budget.view"), methods=READ),
    Row(("budgets:budget-start",), write=rule("budget.change", "budget.view"), methods=WRITE),
    Row(("budgets:project-costs",), read=rule("project.see_costs", "budget.view"),
        write=rule("cost.change", "budget.view"), methods=BOTH),
    Row(("budgets:budget-export", "budgets:change-order-export"), read=rule("project.see_costs", "budget.view"),
        methods=READ),
    Row(("budgets:budget-line-add", "budgets:budget-submit"), write=rule("budget.change"), methods=WRITE),
    Row(("budgets:budget-line-edit",), read=rule("budget.change"), write=rule("budget.change"), methods=BOTH),
    Row(("budgets:budget-line-remove", "budgets:change-order-line-remove", "budgets:change-order-submit",
         "budgets:change-order-line-add"), write=rule("budget.change"), methods=WRITE),
    Row(("budgets:cost-advance",), write=rule("cost.change"), methods=WRITE),
    Row(("budgets:change-orders",), read=rule("budget.view"), write=rule("budget.change"), methods=BOTH),
    Row(("budgets:change-order",), read=seen(), write=rule("budget.change"), methods=BOTH),
    Row(("budgets:project-money",), read=rule("project.see_prices"), methods=READ),
    Row(("budgets:studio",), read=page("studio_budget.view"), write=page("studio_budget.change"), methods=BOTH),
    Row(("budgets:studio-export",), read=page("studio_budget.view"), methods=READ),
    Row(("budgets:pool-effect",), read=anyone, methods=READ, note="empty for whoever may not see the pool"),
    # --- pages: approvals -----------------------------------------------------------------------
    Row(("approvals:inbox", "approvals:inbox-count"), read=anyone, methods=READ),
    Row(("approvals:decide",), write=seen(), methods=WRITE, note="the engine says whose step it is"),
    Row(("approvals:bulk-approve",), write=anyone, methods=WRITE, note="decides only what waits on the user"),
    Row(("approvals:panel",), read=seen(), methods=READ),
    Row(("approvals:delegation-list",), read=page("approval.delegate"), write=page("approval.delegate"),
        methods=BOTH),
    Row(("approvals:delegation-end",), write=seen(), methods=WRITE),
    # --- pages: metrics -----------------------------------------------------------------------------
    Row(("metrics:dashboard",), read=page("home.view"), methods=READ),
    Row(("surveys:response-answer",), read=seen(), write=seen(), methods=BOTH),
    Row(("surveys:project-surveys",), read=rule("survey.view"), methods=READ),
    Row(("portfolio:portfolio", "portfolio:trends"), read=page("metric.view"), methods=READ),
    Row(("portfolio:project-metrics",), read=gate("metric.view", seen()), methods=READ),
    Row(("portfolio:people",), read=page("metric.people"), methods=READ),
    Row(("portfolio:trends-csv",), read=page("project.see_costs"), methods=READ, note="the ROI chart's numbers"),
    Row(("portfolio:recompute",), write=page("metric.recompute"), methods=WRITE),
    Row(("portfolio:recompute-progress",), read=page("metric.recompute"), methods=READ),
    # --- catch-alls -------------------------------------------------------------------------------
    Row(("admin:*", "admin/*"), read=lambda user, obj=None: ALLOWED if user.is_staff else LOGIN, methods=READ,
        note="the Django admin: staff only (tests/test_admin.py says what each may do there)"),
    Row(("static/*", "__debug__/*", "media/*"), read=anyone, methods=READ, anonymous=ALLOWED,
        note="development-only files, when DEBUG serves them"),
]


def row_for(name: str) -> Row | None:
    """The row a pattern's name falls under: its own, or a catch-all's prefix."""
    for row in ROWS:
        for candidate in row.names:
            if candidate == name or (candidate.endswith("*") and name.startswith(candidate[:-1])):
                return row
    return None

