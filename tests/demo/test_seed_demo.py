"""`manage.py seed_demo` fills an empty database with a demo studio that is the
same for the same seed, keeps every model rule, gives each role a login with
something to do today, and was built through the product's own services: its
approvals are the engine's, and its history is dated when it happened.

The studio is seeded once per module (each seed plays six weeks of work through
the services, which takes a while) inside a transaction that is rolled back at the
end; each test runs in a savepoint inside it, so tests that try to seed again leave
no trace."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Min, Sum
from django.test import RequestFactory, override_settings
from django.utils import timezone

from approvals import registry
from approvals.models import Approval, ApprovalFlow, Decision
from briefs.models import Brief, BriefDistribution, Request
from budgets.health import health_of
from budgets.models import Budget, BudgetLine, ChangeOrder, Cost, StudioBudget
from demo.builder import LOGINS, demo_studio_seed
from demo.people import DEMO_PASSWORD
from metrics.models import MetricSnapshot, SatisfactionSurvey, SurveyResponse
from projects.models import Baseline, Deliverable, DeliverableProgress, Dependency, Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio import clock
from studio.models import (
    AuditEvent,
    Brand,
    Client,
    Discipline,
    Holiday,
    Notification,
    NotificationDelivery,
    RateCard,
    StudioSettings,
    Talent,
    User,
)

SEED = 20261125
# As in the rest of the suite: the production hasher is slow by design.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def fingerprint():
    """A digest of who, what and when, with dates relative to today."""
    today, zone = clock.today(), clock.studio_zone()

    def rel(day):
        return (day - today).days

    users = sorted(User.objects.values_list("username", "role", "first_name", "last_name"))
    projects = sorted(
        (code, status, rel(start), rel(due), str(fee))
        for code, status, start, due, fee in Project.objects.values_list(
            "code", "status", "planned_start", "due_date", "fee"
        )
    )
    bookings = sorted(
        (who or f"({discipline})", code, rel(start), rel(end), str(hours), status)
        for who, discipline, code, start, end, hours, status in Booking.objects.values_list(
            "talent__user__username",
            "placeholder_discipline__name",
            "project__code",
            "start_date",
            "end_date",
            "hours_per_day",
            "status",
        )
    )
    entries = sorted(
        (who, code, deliverable or "", rel(day), str(hours))
        for who, code, deliverable, day, hours in TimeEntry.objects.values_list(
            "talent__user__username", "project__code", "deliverable__name", "date", "hours"
        )
    )
    approvals = sorted(
        (kind, status, step, rel(submitted.astimezone(zone).date()))
        for kind, status, step, submitted in Approval.objects.values_list(
            "kind", "status", "current_step", "submitted_at"
        )
    )
    progress = sorted(
        (project, name, rel(day), status, percent)
        for project, name, day, status, percent in DeliverableProgress.objects.values_list(
            "deliverable__project__code", "deliverable__name", "date", "status", "percent_complete"
        )
    )
    counts = [model.objects.count() for model in (Notification, AuditEvent, BriefDistribution, Decision)]
    return hashlib.sha256(repr((users, projects, bookings, entries, approvals, progress, counts)).encode()).hexdigest()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        fingerprints = {}
        for label, seed in (("first", SEED), ("other seed", SEED + 1)):
            with transaction.atomic():
                demo_studio_seed(seed=seed)
                fingerprints[label] = fingerprint()
                transaction.set_rollback(True)
        with transaction.atomic():
            # The third run goes through the command as `make run` calls it, on an
            # empty database, and stays for the rest of the module.
            out = StringIO()
            call_command("seed_demo", "--seed", str(SEED), "--if-empty", "--weeks-of-metrics", "1", stdout=out)
            fingerprints["second"] = fingerprint()
            yield SimpleNamespace(
                fingerprints=fingerprints, output=out.getvalue(), today=clock.today()
            )
            transaction.set_rollback(True)


@pytest.fixture
def today(seeded):
    return seeded.today


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Project, Booking, TimeEntry, Request)
    }


# --- the command ----------------------------------------------------------


def test_command_prints_each_login_with_its_role_start_page_and_the_password(seeded):
    output = seeded.output
    assert f"password: {DEMO_PASSWORD}" in output
    lines = {line.split()[0]: line for line in output.splitlines() if line.startswith("  ")}
    assert list(lines) == list(LOGINS)
    assert "production manager" in lines["pm"] and "/dashboard/" in lines["pm"]
    assert "/schedule/my-day/" in lines["creative"] and "/schedule/my-day/" in lines["freelancer"]
    assert "brand manager" in lines["brand"]
    assert "superuser" in lines["admin"] and "/admin/" in lines["admin"]


def test_if_empty_leaves_a_database_with_users_alone(seeded):
    before = counts()
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "not seeded" in out.getvalue()
    assert counts() == before


def test_a_second_plain_run_refuses_and_changes_nothing(seeded):
    before = counts()
    with pytest.raises(CommandError, match="only fills an empty database"):
        call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_scale_below_one_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "0", stdout=StringIO())


def test_the_same_seed_gives_the_same_studio_and_another_seed_a_different_one(seeded):
    prints = seeded.fingerprints
    assert prints["first"] == prints["second"]
    assert prints["other seed"] != prints["first"]


# --- the demo logins ------------------------------------------------------


def test_each_demo_login_has_its_role_and_signs_in_with_the_demo_password(seeded):
    expected = {
        "pm": ("pm", True, False),
        "creative": ("creative", False, False),
        "freelancer": ("freelancer", False, False),
        "brand": ("brand_manager", False, False),
        "exec": ("executive", False, False),
        "admin": ("admin", True, True),
    }
    for username, (role, is_staff, is_superuser) in expected.items():
        user = authenticate(RequestFactory().post("/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert (user.role, user.is_staff, user.is_superuser) == (role, is_staff, is_superuser)
    assert authenticate(RequestFactory().post("/login/"), username="pm", password="wrong-password") is None


def test_creative_is_booked_today_with_a_deliverable_due_this_week(today):
    talent = Talent.objects.get(user__username="creative")
    assert talent.employment == Talent.Employment.STAFF
    booked = Booking.objects.confirmed().filter(talent=talent).overlapping(today, today)
    assert booked.exists()
    due = Deliverable.objects.open().filter(
        assignees=talent,
        project__in=booked.values("project"),
        due_date__range=(today, today + dt.timedelta(days=6)),
    )
    assert due.exists()
    unread = BriefDistribution.objects.filter(recipient=talent.user).unacknowledged()
    assert unread.exists()


def test_freelancer_is_under_contract_today_and_booked_today(today):
    talent = Talent.objects.get(user__username="freelancer")
    assert talent.is_freelance and talent.under_contract_on(today)
    assert Booking.objects.confirmed().filter(talent=talent).overlapping(today, today).exists()


def test_brand_manages_at_least_two_brands_with_open_requests(seeded):
    brand_user = User.objects.get(username="brand")
    with_open = Brand.objects.filter(
        managers=brand_user, requests__status__in=["submitted", "info_requested"]
    )
    assert with_open.distinct().count() >= 2


# --- the studio's size and shape ------------------------------------------


def test_counts_fall_in_the_ranges_of_a_forty_person_studio(seeded):
    roles = Counter(User.objects.values_list("role", flat=True))
    assert (
        roles["pm"] == 3
        and roles["executive"] == 1
        and roles["brand_manager"] == 4
        and roles["admin"] == 1
    )
    talent = Talent.objects.count()
    freelance = Talent.objects.filter(employment="freelance").count()
    assert 35 <= talent <= 45 and 0.2 <= freelance / talent <= 0.3
    assert Discipline.objects.count() == 6
    assert all(Talent.objects.filter(discipline=d).exists() for d in Discipline.objects.all())
    assert Talent.objects.filter(skills__isnull=False).distinct().count() == talent
    assert (Client.objects.count(), Brand.objects.count()) == (2, 5)
    assert not Brand.objects.filter(managers__isnull=True).exists()
    assert 22 <= Project.objects.count() <= 28
    assert 3 <= Holiday.objects.count() <= 4
    assert StudioSettings.load().name == "Northlight Studio"
    assert Notification.objects.count() >= 5


def test_every_project_status_appears_with_phases_and_deliverables(seeded):
    assert set(Project.objects.values_list("status", flat=True)) == set(Project.Status.values)
    assert not Project.objects.filter(phases__isnull=True).exists()
    assert not Project.objects.filter(deliverables__isnull=True).exists()
    assert Project.objects.filter(is_internal=True, brand__isnull=True).exists()


def test_some_people_had_a_rate_change_and_everyone_has_a_rate_before_their_first_hour(seeded):
    cards = Counter(RateCard.objects.values_list("talent", flat=True))
    assert set(cards) == set(Talent.objects.values_list("pk", flat=True))
    assert sum(1 for count in cards.values() if count == 2) >= 5
    first_card = dict(
        RateCard.objects.values("talent")
        .annotate(first=Min("valid_from"))
        .values_list("talent", "first")
    )
    first_hour = dict(
        TimeEntry.objects.values("talent")
        .annotate(first=Min("date"))
        .values_list("talent", "first")
    )
    assert first_hour
    assert all(first_card[talent] <= day for talent, day in first_hour.items())


def test_deliverable_statuses_follow_their_project_and_their_progress_history(seeded):
    by_project = defaultdict(set)
    for project_status, status in Deliverable.objects.values_list("project__status", "status"):
        by_project[project_status].add(status)
    assert by_project["intake"] == by_project["planned"] == {"not_started"}
    assert by_project["delivered"] == by_project["closed"] == {"delivered"}
    assert by_project["cancelled"] <= {"cancelled", "approved"}
    assert by_project["active"] & {
        "in_progress",
        "internal_review",
        "client_review",
        "changes_requested",
    }
    assert by_project["active"] & {"approved", "delivered"}
    latest = {}
    for deliverable, status, percent in DeliverableProgress.objects.order_by(
        "deliverable", "date", "recorded_at", "id"
    ).values_list("deliverable", "status", "percent_complete"):
        latest[deliverable] = (status, percent)
    for deliverable in Deliverable.objects.exclude(status="not_started"):
        assert latest[deliverable.pk] == (deliverable.status, deliverable.percent_complete), (
            deliverable
        )
    assert not Deliverable.objects.filter(
        status__in=["approved", "delivered"], approved_at__isnull=True
    ).exists()


def test_bookings_span_six_weeks_either_side_and_never_overbook_a_confirmed_day(today):
    week = clock.week_start(today)
    bookings = Booking.objects.select_related("talent")
    assert bookings.filter(start_date__lte=week - dt.timedelta(weeks=5)).exists()
    assert bookings.filter(end_date__gte=week + dt.timedelta(weeks=5)).exists()
    assert {"confirmed", "tentative"} <= set(bookings.values_list("status", flat=True))
    assert bookings.filter(talent__isnull=True, placeholder_discipline__isnull=False).exists()
    holidays = set(Holiday.objects.values_list("date", flat=True))
    load = defaultdict(int)
    for booking in bookings.filter(status="confirmed"):
        person = booking.talent
        assert person.under_contract_on(booking.start_date) and person.under_contract_on(
            booking.end_date
        )
        day = booking.start_date
        while day <= booking.end_date:
            if day not in holidays and (booking.include_weekends or person.works_on(day)):
                load[(person, day)] += booking.hours_per_day
            day += dt.timedelta(days=1)
    for (person, day), hours in load.items():
        assert hours <= person.hours_per_day + person.overtime_hours_per_day, (person, day, hours)


def test_time_is_logged_for_six_weeks_on_weekly_timesheets(today):
    week = clock.week_start(today)
    yesterday = today - dt.timedelta(days=1)
    entries = TimeEntry.objects.select_related("timesheet", "talent")
    assert entries.count() > 500
    assert entries.filter(date__lt=week - dt.timedelta(weeks=5)).exists()
    assert not entries.filter(date__gte=today).exists()
    for entry in entries:
        assert 0 <= (entry.date - entry.timesheet.week_start).days < 7
        assert entry.timesheet.talent_id == entry.talent_id
        assert entry.talent.works_on(entry.date)
    statuses = defaultdict(set)
    for monday, status in Timesheet.objects.values_list("week_start", "status"):
        statuses[(week - monday).days // 7].add(status)
    # This week's timesheets exist once someone logged time on it (not yet, on a Monday).
    assert statuses[0] <= {"open"} and statuses[1] == {"submitted"}
    assert all(statuses[n] == {"approved"} for n in range(2, 7))
    assert not Timesheet.objects.filter(submitted_at__date__gt=yesterday).exists()


def test_money_has_approved_budgets_drafts_a_change_order_and_the_quarters_pool(today):
    active = Project.objects.filter(status="active")
    approved = (
        Budget.objects.filter(project__in=active, status="approved").values("project").distinct()
    )
    assert approved.count() == active.count()
    assert Budget.objects.filter(status="draft").count() >= 1
    assert Budget.objects.with_totals().filter(status="approved", total__gt=0).exists()
    # Every baseline went through the engine; one change order is in force, one waits.
    baselines = Budget.objects.filter(status="approved").values_list("pk", flat=True)
    decided = Approval.objects.filter(kind="budget", status="approved").values_list("object_id", flat=True)
    assert {str(pk) for pk in baselines} == set(decided)
    assert ChangeOrder.objects.filter(status="approved").exists()
    # Each change order carries lines that add up to its change to the budget.
    for order in ChangeOrder.objects.prefetch_related("lines"):
        assert order.lines.all() and sum(line.total for line in order.lines.all()) == order.budget_change
    waiting = ChangeOrder.objects.get(status="submitted")
    assert Approval.objects.get(kind="change_order", object_id=str(waiting.pk)).current["role"] == "executive"
    quarter = StudioBudget.objects.get(period_start__lte=today, period_end__gte=today)
    assert 0 < quarter.freelance_pool <= quarter.amount


def test_money_has_projects_under_near_and_over_budget(today):
    health = health_of(Project.objects.exclude(status="intake"), today)
    baselined = [figures for figures in health.values() if figures.bac is not None]
    assert any(figures.vac is not None and figures.vac > 0 and not figures.alert_level for figures in baselined)
    assert any(figures.alert_level == 80 for figures in baselined)
    assert any(figures.over_budget or (figures.vac is not None and figures.vac < 0) for figures in baselined)


def test_the_command_leaves_the_last_week_of_nightly_metrics_and_one_night_a_week_before(today):
    yesterday = today - dt.timedelta(days=1)
    nights = sorted(set(MetricSnapshot.objects.values_list("date", flat=True)))
    # --weeks-of-metrics 1: the seven nights up to yesterday and the same weekday a week before them.
    assert nights == [yesterday - dt.timedelta(days=n) for n in (7, 6, 5, 4, 3, 2, 1, 0)]
    showcase = ChangeOrder.objects.filter(status="approved").first().project
    assert MetricSnapshot.objects.filter(date=yesterday, scope_key=f"project:{showcase.pk}", metric="spi_t").exists()
    assert MetricSnapshot.objects.filter(date=yesterday, scope_key="studio", metric="csat").exists()


# The kinds some service submits (briefs.services, projects.services.review,
# schedules.services, budgets.services): every registered kind.
SUBMITTED_KINDS = {"request", "brief", "deliverable", "timesheet", "time_off", "budget", "change_order"}
# The demo's budgets are all decided (approved, or drafts never submitted): none waits.
PENDING_KINDS = SUBMITTED_KINDS - {"budget"}


def test_every_approval_is_of_a_kind_the_product_submits_and_follows_its_flow(seeded):
    approvals = Approval.objects.select_related("submitted_by").prefetch_related("decisions")
    assert set(approvals.values_list("kind", flat=True)) == SUBMITTED_KINDS
    assert SUBMITTED_KINDS <= set(registry.registered())
    flows = {flow.kind: list(flow.steps.all()) for flow in ApprovalFlow.objects.prefetch_related("steps")}
    settings = StudioSettings.load()
    for approval in approvals:
        # A step "only above the threshold" is copied when the amount was above it.
        threshold = settings.approval_threshold(approval.kind)
        expected = [
            (step.order, step.name, step.role) for step in flows[approval.kind]
            if not step.only_above_threshold or (approval.amount is not None and approval.amount > threshold)
        ]
        assert [(step["order"], step["name"], step["role"]) for step in approval.steps] == expected


def _passed_over(approval, step):
    """Whether the engine skips `step`: the submitter's own, or a brand's with no brand."""
    return approval.is_for(approval.submitted_by, step) or (
        approval.steps[step]["role"] == "brand_manager" and approval.brand_id is None
    )


def test_each_pending_approval_waits_at_the_step_the_engine_chose(seeded):
    pending = Approval.objects.filter(status="pending").select_related("submitted_by").prefetch_related("decisions")
    assert set(pending.values_list("kind", flat=True)) == PENDING_KINDS
    for approval in pending:
        decisions = {decision.step: decision.outcome for decision in approval.decisions.all()}
        current = approval.current_step
        # Every earlier step was decided (approved, or skipped where the engine skips) and
        # the current one is the first that somebody other than the submitter decides.
        assert set(decisions) == set(range(current)), approval
        for step in range(current):
            assert decisions[step] == ("skipped" if _passed_over(approval, step) else "approve"), approval
        assert not _passed_over(approval, current), approval


def test_pending_approvals_match_what_waits_on_them(seeded):
    pending = Approval.objects.filter(status="pending")

    def waiting(kind):
        return {int(pk) for pk in pending.filter(kind=kind).values_list("object_id", flat=True)}

    assert waiting("timesheet") == set(Timesheet.objects.filter(status="submitted").values_list("pk", flat=True))
    assert waiting("time_off") == set(TimeOff.objects.filter(status="requested").values_list("pk", flat=True))
    assert waiting("request") == set(Request.objects.filter(status="submitted").values_list("pk", flat=True))
    assert waiting("brief") == set(Brief.objects.filter(status="in_review").values_list("pk", flat=True))
    in_review = Deliverable.objects.filter(status__in=["internal_review", "client_review"])
    assert waiting("deliverable") == set(in_review.values_list("pk", flat=True))
    for approval in pending.filter(kind="deliverable"):
        deliverable = Deliverable.objects.get(pk=approval.object_id)
        assert deliverable.status == ("internal_review" if approval.current_step == 0 else "client_review")
    brief = pending.get(kind="brief")
    assert brief.current["role"] == "brand_manager"
    assert brief in Approval.objects.waiting_on(User.objects.get(username="brand"))


def test_the_history_is_dated_when_it_happened(seeded, today):
    now = timezone.now()
    for model, field in (
        (AuditEvent, "created_at"), (Approval, "submitted_at"), (Decision, "decided_at"),
        (Notification, "created_at"), (Booking, "created_at"), (Project, "created_at"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), model
    assert AuditEvent.objects.filter(created_at__date__lt=today - dt.timedelta(weeks=4)).exists()
    # An approved deliverable was approved on the day its progress history says.
    zone = clock.studio_zone()
    for deliverable in Deliverable.objects.filter(status__in=["approved", "delivered"]):
        approved_on = deliverable.approved_at.astimezone(zone).date()
        history = deliverable.progress.filter(status="approved").values_list("date", flat=True)
        assert list(history) == [approved_on], deliverable
        decision = Decision.objects.filter(
            approval__kind="deliverable", approval__object_id=str(deliverable.pk), approval__status="approved",
        ).latest("decided_at")
        assert decision.decided_at.astimezone(zone).date() == approved_on
    # Booked before the work started, by the project's production manager.
    for booking in Booking.objects.select_related("project").filter(start_date__lt=today):
        assert booking.created_at.astimezone(zone).date() < booking.start_date
        assert booking.created_by_id == booking.project.pm_id


def test_nothing_the_build_notified_is_mailed_and_older_notifications_are_read(seeded, today):
    assert not Notification.objects.awaiting_email().exists()
    assert not User.objects.exclude(notification_delivery=NotificationDelivery.IMMEDIATE).exists()
    two_days_ago = today - dt.timedelta(days=2)
    assert not Notification.objects.filter(created_at__date__lt=two_days_ago, read_at__isnull=True).exists()
    pm = User.objects.get(username="pm")
    assert Notification.objects.filter(recipient=pm, read_at__isnull=True).exists()


def test_briefs_are_approved_and_sent_some_read_and_some_not(seeded):
    assert Brief.objects.filter(status="approved", versions__isnull=False).exists()
    sent = BriefDistribution.objects.all()
    assert sent.filter(acknowledged_at__isnull=False).exists()
    assert sent.unacknowledged().exists()
    assert Request.objects.open().filter(items__isnull=False).exists()


def test_a_delivered_project_has_a_survey_with_answers(seeded):
    survey = SatisfactionSurvey.objects.filter(project__status="delivered").first()
    assert survey is not None
    assert SurveyResponse.objects.filter(
        survey__project__status="delivered", rating__isnull=False
    ).exists()
    assert SurveyResponse.objects.filter(respondent__username="brand", rating__isnull=True).exists()


def test_every_seeded_row_passes_its_models_validation(seeded):
    # Rows went in through bulk_create, which skips clean(); check them as a form would.
    for queryset in (
        Talent.objects.all(),
        Project.objects.all(),
        Deliverable.objects.all(),
        Booking.objects.select_related("talent", "deliverable"),
        TimeOff.objects.all(),
        Timesheet.objects.all(),
        TimeEntry.objects.select_related("timesheet", "deliverable"),
        Request.objects.all(),
        BudgetLine.objects.all(),
        Cost.objects.all(),
        StudioBudget.objects.all(),
    ):
        # Foreign keys are left to the database: checking each one is a query per row.
        relations = [field.name for field in queryset.model._meta.fields if field.is_relation]
        for row in queryset:
            row.clean_fields(exclude=relations)
            row.clean()


def test_requests_waiting_for_triage_wait_on_the_production_managers(seeded):
    waiting = set(Request.objects.filter(status="submitted").values_list("pk", flat=True))
    assert waiting
    pm = User.objects.get(username="pm")
    in_inbox = Approval.objects.waiting_on(pm).filter(kind="request")
    assert {int(pk) for pk in in_inbox.values_list("object_id", flat=True)} == waiting


# --- the plan ---------------------------------------------------------------


def test_codes_follow_each_brands_own_prefix_and_sequence(seeded):
    for brand in Brand.objects.filter(projects__isnull=False).distinct():
        numbers = sorted(int(code.split("-")[1]) for code in brand.projects.values_list("code", flat=True))
        assert all(code.startswith(f"{brand.code_prefix}-") for code in brand.projects.values_list("code", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    assert Brand.objects.get(name="Aurora Oats").code_prefix == "AUR"


def test_planned_hours_are_split_by_discipline(seeded):
    for deliverable in Deliverable.objects.annotate(split=Sum("planned_by_discipline__hours")):
        assert deliverable.split == deliverable.planned_hours


def test_projects_past_intake_have_a_baseline_and_some_plans_moved(seeded):
    for project in Project.objects.exclude(status="intake"):
        baseline = Baseline.objects.get(project=project, number=1)
        assert baseline.deliverables.count() == project.deliverables.count()
    assert Project.objects.filter(baseline_due_date__lt=F("due_date")).exists()


def test_the_showcase_has_dependencies_and_one_conflict_to_resolve(seeded):
    conflicts = Dependency.objects.conflicts().select_related("predecessor__project", "successor")
    assert [(d.predecessor.name, d.successor.name) for d in conflicts] == [("Motion toolkit: launch",
                                                                             "30-second cut: launch")]
    assert Dependency.objects.count() > Project.objects.count()
