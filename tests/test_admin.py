"""The Django admin: every model answers, forms show their errors, PMs manage the
studio's settings and only view the rest, history stays read-only, lists do not
query per row."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import (
    Approval,
    ApprovalFlow,
    ApprovalStep,
    Decision,
    Delegation,
)
from briefs.models import (
    Brief,
    BriefDistribution,
    BriefTemplate,
    BriefVersion,
    Request,
    RequestItem,
)
from budgets.models import Budget, BudgetAlert, BudgetLine, ChangeOrder, ChangeOrderLine, Cost, StudioBudget
from metrics.models import MetricSnapshot, SatisfactionSurvey, SurveyResponse
from projects.models import (
    Baseline,
    BaselineDeliverable,
    Deliverable,
    DeliverableHours,
    DeliverableProgress,
    DeliverableType,
    Dependency,
    Phase,
    Project,
    StandardHours,
)
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio.models import (
    AccessToken,
    Attachment,
    AuditEvent,
    Brand,
    Client,
    Comment,
    Discipline,
    Holiday,
    Notification,
    RateCard,
    Skill,
    StudioSettings,
    Talent,
    User,
)
from studio.services import access_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def serial():
    return next(_serial)


def make_attachment():
    owner = f.UserFactory()
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(owner), object_id=str(owner.pk),
        file=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 test"), original_name="brief.pdf",
        mime_type="application/pdf", size=13, uploaded_by=owner,
    )


def make_booking():
    # A booked deliverable, so the list shows a related object beyond person and project.
    deliverable = f.DeliverableFactory()
    return f.BookingFactory(project=deliverable.project, deliverable=deliverable)


def make_time_entry():
    deliverable = f.DeliverableFactory()
    return f.TimeEntryFactory(project=deliverable.project, deliverable=deliverable)


def make_survey_response():
    deliverable = f.DeliverableFactory()
    survey = f.SatisfactionSurveyFactory(project=deliverable.project, deliverable=deliverable)
    return f.SurveyResponseFactory(survey=survey)


# One row of every registered model, with its optional relations filled so a list
# that forgot to join them would query once per row.
ROW_MAKERS = {
    Group: lambda: Group.objects.create(name=f"Group {serial()}"),
    User: f.UserFactory,
    AccessToken: lambda: access_token_create(user=f.UserFactory(), name="Sync", read_only=True, expires_in=None)[0],
    Discipline: f.DisciplineFactory,
    Skill: f.SkillFactory,
    Talent: f.TalentFactory,
    RateCard: f.RateCardFactory,
    Client: f.ClientFactory,
    Brand: f.BrandFactory,
    Holiday: lambda: f.HolidayFactory(date=dt.date(2020, 1, 1) + dt.timedelta(days=serial())),
    StudioSettings: StudioSettings.load,
    AuditEvent: lambda: f.audit(f.UserFactory(role="pm"), f.ProjectFactory()),
    Notification: f.NotificationFactory,
    Comment: f.CommentFactory,
    Attachment: make_attachment,
    ApprovalFlow: f.ApprovalFlowFactory,
    ApprovalStep: lambda: f.ApprovalStepFactory(role="", user=f.UserFactory(role="executive")),
    Approval: f.ApprovalFactory,
    Decision: lambda: f.DecisionFactory(on_behalf_of=f.UserFactory(role="pm")),
    Delegation: f.DelegationFactory,
    Project: f.ProjectFactory,
    Phase: f.PhaseFactory,
    DeliverableType: f.DeliverableTypeFactory,
    StandardHours: f.StandardHoursFactory,
    Deliverable: f.DeliverableFactory,
    DeliverableHours: f.DeliverableHoursFactory,
    Dependency: f.DependencyFactory,
    Baseline: f.BaselineFactory,
    BaselineDeliverable: f.BaselineDeliverableFactory,
    DeliverableProgress: lambda: f.DeliverableProgressFactory(recorded_by=f.UserFactory(role="pm")),
    Request: lambda: f.RequestFactory(status="accepted", project=f.ProjectFactory()),
    RequestItem: f.RequestItemFactory,
    BriefTemplate: lambda: f.BriefTemplateFactory(deliverable_type=f.DeliverableTypeFactory()),
    Brief: f.BriefFactory,
    BriefVersion: lambda: f.BriefVersionFactory(approved_by=f.UserFactory(role="brand_manager")),
    BriefDistribution: f.BriefDistributionFactory,
    Booking: make_booking,
    TimeOff: f.TimeOffFactory,
    Timesheet: f.TimesheetFactory,
    TimeEntry: make_time_entry,
    Budget: f.BudgetFactory,
    BudgetLine: lambda: f.BudgetLineFactory(
        kind="labor", discipline=f.DisciplineFactory(), hours=Decimal("10"), rate=Decimal("80"),
        amount=None,
    ),
    ChangeOrder: f.ChangeOrderFactory,
    ChangeOrderLine: f.ChangeOrderLineFactory,
    Cost: lambda: f.CostFactory(kind="freelance_fixed", talent=f.FreelanceTalentFactory()),
    StudioBudget: lambda: f.StudioBudgetFactory(
        name=f"Period {serial()}", period_start=dt.date(2000, 1, 1) + dt.timedelta(days=serial()),
        period_end=dt.date(2030, 12, 31),
    ),
    BudgetAlert: lambda: BudgetAlert.objects.create(budget=f.BudgetFactory(), level=80),
    MetricSnapshot: lambda: f.MetricSnapshotFactory(scope_key=f"project:{serial()}"),
    SatisfactionSurvey: lambda: f.SatisfactionSurveyFactory(),
    SurveyResponse: make_survey_response,
}
# History is written by the services only: nobody adds, changes or deletes it here.
HISTORY = {
    AuditEvent, BriefVersion, DeliverableProgress, Decision, MetricSnapshot, Baseline, BaselineDeliverable, BudgetAlert,
}
# Records whose writes carry rules (approvals, plans, briefs, bookings, time, money): their
# services are the only way in, so nothing here skips the approval engine or the audit log.
# Read-only as history is.
SERVICE_RECORDS = {
    Approval, Delegation, Project, Phase, Deliverable, DeliverableHours, Dependency, Request, RequestItem, Brief,
    BriefDistribution, Booking, TimeOff, Timesheet, TimeEntry, Budget, BudgetLine, ChangeOrder, ChangeOrderLine,
    Cost, StudioBudget,
}
HISTORY |= SERVICE_RECORDS
# What a PM may add and change: the studio's settings (DESIGN §1).
PM_MANAGES = {
    StudioSettings, Holiday, Discipline, Skill, DeliverableType, StandardHours, ApprovalFlow,
    ApprovalStep, BriefTemplate, Client, Brand, Talent, RateCard,
}
REGISTERED = list(admin.site._registry)


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def object_id(obj):
    return obj.pk


def make_rows(model, count):
    return [ROW_MAKERS[model]() for _ in range(count)]


def management_form(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def pm_client(client, pm):
    client.force_login(pm)
    return client


def test_every_registered_model_has_a_row_maker():
    assert set(REGISTERED) <= set(ROW_MAKERS), "give each new admin model a row maker"


# --- every page answers --------------------------------------------------------

@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_changelist_lists_the_rows(admin_client, model):
    make_rows(model, 2)
    response = admin_client.get(url(model, "changelist"), follow=True)
    assert response.status_code == 200
    if model is not StudioSettings:
        assert response.context["cl"].result_count >= 2


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_change_page_answers(admin_client, model):
    obj = make_rows(model, 1)[0]
    response = admin_client.get(url(model, "change", object_id(obj)))
    assert response.status_code == 200
    assert response.context["original"].pk == object_id(obj)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_add_page_answers_except_for_history(admin_client, model):
    StudioSettings.load()
    response = admin_client.get(url(model, "add"))
    # A token is created by its owner, the one person who may see its key.
    if model in HISTORY or model in (StudioSettings, AccessToken):
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in REGISTERED if m is not StudioSettings], ids=label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries,
                                                  model):
    changelist = url(model, "changelist")
    make_rows(model, 3)
    admin_client.get(changelist)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as three_rows:
        assert admin_client.get(changelist).status_code == 200
    make_rows(model, 27)
    with django_assert_max_num_queries(len(three_rows.captured_queries)):
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count >= 30


# Session, user, the filters' choices, the filtered and the full count, the page of rows,
# the studio's name for the header, and the date hierarchy's range and steps.
PINNED_CHANGELISTS = [
    (Booking, 9),
    (TimeEntry, 8),
    (Talent, 7),
    (Budget, 6),
    (Deliverable, 9),
]


@pytest.mark.parametrize("model, queries", PINNED_CHANGELISTS,
                         ids=[model.__name__ for model, _ in PINNED_CHANGELISTS])
@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_query_count_is_pinned(admin_client, django_assert_max_num_queries, model,
                                          queries, rows):
    make_rows(model, rows)
    changelist = url(model, "changelist")
    admin_client.get(changelist)
    with django_assert_max_num_queries(queries):
        response = admin_client.get(changelist)
    assert response.context["cl"].result_count == rows


# --- forms show their errors and save nothing -------------------------------------

def talent_form(user, discipline, **changes):
    return {
        "user": user.pk, "discipline": discipline.pk, "active": "on", "employment": "staff",
        "hours_per_day": "8", "working_days": "12345", "overtime_hours_per_day": "0",
        "time_zone": "Europe/London", "contract_start": "", "contract_end": "", "phone": "",
        **management_form("rate_cards"),
    } | changes


def test_freelancer_without_contract_is_shown_on_the_form_and_not_saved(admin_client):
    user, discipline = f.UserFactory(role="freelancer"), f.DisciplineFactory()

    form = talent_form(user, discipline, employment="freelance")
    response = admin_client.post(url(Talent, "add"), form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["contract_end"] == [
        "A freelancer needs contract start and end dates."
    ]
    assert not Talent.objects.exists()


def test_two_rate_cards_on_one_day_are_refused_with_the_talent(admin_client):
    user, discipline = f.UserFactory(), f.DisciplineFactory()
    card = {"valid_from": "2026-01-01", "cost_rate": "50", "bill_rate": "110"}
    form = talent_form(user, discipline, **management_form("rate_cards", total=2))
    for index in range(2):
        form |= {f"rate_cards-{index}-{name}": value for name, value in card.items()}

    response = admin_client.post(url(Talent, "add"), form)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not Talent.objects.exists()
    assert not RateCard.objects.exists()


def test_talent_with_rate_cards_is_saved_in_one_form(admin_client):
    user, discipline = f.UserFactory(), f.DisciplineFactory()
    form = talent_form(user, discipline, **management_form("rate_cards", total=2))
    for index, day in enumerate(["2026-01-01", "2026-07-01"]):
        form |= {f"rate_cards-{index}-valid_from": day, f"rate_cards-{index}-cost_rate": "50",
                 f"rate_cards-{index}-bill_rate": "110"}

    assert admin_client.post(url(Talent, "add"), form).status_code == 302
    assert Talent.objects.get().rate_cards.count() == 2


# --- PMs manage the studio's settings; history is read-only --------------------------

def test_pm_can_change_a_holiday_and_a_discipline(pm_client):
    holiday = f.HolidayFactory(date=dt.date(2026, 12, 26), name="Boxing day")
    discipline = f.DisciplineFactory(name="Motion")

    response = pm_client.post(url(Holiday, "change", holiday.pk),
                              {"date": "2026-12-26", "name": "Boxing Day"})
    assert response.status_code == 302
    response = pm_client.post(url(Discipline, "change", discipline.pk), {
        "name": "Motion design", "freelance_bill_rate": "130", "freelance_cost_rate": "85",
        "freelance_hours_per_week": "60", "standard_cost_rate": "72.50", "active": "on",
    })
    assert response.status_code == 302

    holiday.refresh_from_db()
    discipline.refresh_from_db()
    assert holiday.name == "Boxing Day"
    assert (discipline.name, discipline.freelance_bill_rate, discipline.standard_cost_rate) == (
        "Motion design", Decimal("130"), Decimal("72.50"))


def test_pm_can_add_a_holiday_and_an_approval_flow_with_its_steps(pm_client):
    response = pm_client.post(url(Holiday, "add"), {"date": "2027-01-01", "name": "New Year's Day"})
    assert response.status_code == 302
    assert Holiday.objects.filter(date=dt.date(2027, 1, 1)).exists()

    form = {"kind": "purchase-order", "name": "Purchase order", "active": "on", **management_form("steps", total=2),
            "steps-0-order": "1", "steps-0-name": "Production manager", "steps-0-role": "pm",
            "steps-1-order": "2", "steps-1-name": "Finance", "steps-1-role": "executive"}
    assert pm_client.post(url(ApprovalFlow, "add"), form).status_code == 302
    flow = ApprovalFlow.objects.get(kind="purchase-order")
    assert list(flow.steps.values_list("role", flat=True)) == ["pm", "executive"]


def test_an_approval_step_above_a_threshold_the_studio_does_not_set_is_refused(pm_client):
    # The studio settings hold thresholds for budgets and change orders only.
    form = {"kind": "purchase-order", "name": "Purchase order", "active": "on", **management_form("steps", total=1),
            "steps-0-order": "1", "steps-0-name": "Finance", "steps-0-role": "executive",
            "steps-0-only_above_threshold": "on"}

    response = pm_client.post(url(ApprovalFlow, "add"), form)

    assert response.status_code == 200
    assert "The studio sets no approval threshold for this kind of object." in response.content.decode()
    assert not ApprovalFlow.objects.filter(kind="purchase-order").exists()


def test_pm_can_change_studio_settings(pm_client):
    form = {"name": "Northlight", "time_zone": "Europe/London", "currency": "GBP",
            "budget_approval_threshold": "40000", "change_order_approval_threshold": "5000",
            "schedule_behind_days": "1", "budget_warning_ratio": "0.9", "csat_target": "0.8",
            "utilization_target": "0.75", "internal_code_prefix": "INT"}
    response = pm_client.post(url(StudioSettings, "change", StudioSettings.load().pk), form)
    assert response.status_code == 302
    assert (StudioSettings.load().name, StudioSettings.load().currency) == ("Northlight", "GBP")


def test_a_studio_time_zone_that_does_not_exist_is_refused(pm_client):
    form = {"name": "Northlight", "time_zone": "Europe/Londn", "currency": "EUR",
            "budget_approval_threshold": "50000", "change_order_approval_threshold": "10000",
            "schedule_behind_days": "1", "budget_warning_ratio": "0.9", "csat_target": "0.8",
            "utilization_target": "0.75", "internal_code_prefix": "INT"}

    response = pm_client.post(url(StudioSettings, "change", StudioSettings.load().pk), form)

    assert response.status_code == 200
    assert "An IANA time zone, e.g. Europe/London." in response.content.decode()
    assert StudioSettings.load().time_zone != "Europe/Londn"


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_what_a_pm_may_do_with_each_model(pm, rf, model):
    request = rf.get("/admin/")
    request.user = pm
    model_admin = admin.site._registry[model]
    StudioSettings.load()
    if model is Group:
        # Django's own admin: not part of the studio's settings.
        assert not model_admin.has_view_permission(request)
        return
    assert model_admin.has_view_permission(request)
    assert model_admin.has_change_permission(request) == (model in PM_MANAGES)
    if model is not StudioSettings:  # its one row is never added
        assert model_admin.has_add_permission(request) == (model in PM_MANAGES)
    # Deleting stays with superusers, except the rows that make up a settings record.
    assert model_admin.has_delete_permission(request) == (model in {StandardHours, ApprovalStep})


def test_pm_can_pick_people_for_a_talent_profile(pm_client):
    user = f.UserFactory(role="creative", first_name="Ines", last_name="Okafor")
    response = pm_client.get(reverse("admin:autocomplete"), {
        "app_label": "studio", "model_name": "talent", "field_name": "user", "term": "Okafor",
    })
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(user.pk)]


def test_pm_sees_projects_but_cannot_change_them(pm_client):
    project = f.ProjectFactory(name="Winter launch")
    response = pm_client.get(url(Project, "change", project.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]

    response = pm_client.post(url(Project, "change", project.pk), {"name": "Renamed"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "Winter launch"


@pytest.mark.parametrize("model", sorted(HISTORY, key=label), ids=label)
def test_pm_views_history_but_cannot_change_or_delete_it(pm_client, model):
    obj = make_rows(model, 1)[0]
    change = url(model, "change", obj.pk)

    assert pm_client.get(url(model, "changelist")).status_code == 200
    assert pm_client.get(change).status_code == 200
    assert pm_client.post(change, {}).status_code == 403
    assert pm_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert pm_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", sorted(HISTORY, key=label), ids=label)
def test_history_is_read_only_for_superusers_too(admin_client, model):
    obj = make_rows(model, 1)[0]
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", sorted(SERVICE_RECORDS, key=label), ids=label)
def test_records_with_rules_and_their_inlines_are_read_only_for_superusers(admin_client, model):
    obj = make_rows(model, 1)[0]
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    # Their inlines offer no row to add, change or delete either.
    for formset in response.context["inline_admin_formsets"]:
        assert not formset.has_add_permission
        assert not formset.has_change_permission
        assert not formset.has_delete_permission


def test_a_superuser_cannot_confirm_a_booking_in_the_admin(admin_client):
    booking = make_booking()
    booking.status = "tentative"
    booking.save()
    form = {"talent": booking.talent_id, "placeholder_discipline": "", "project": booking.project_id,
            "deliverable": "", "start_date": booking.start_date.isoformat(),
            "end_date": booking.end_date.isoformat(), "hours_per_day": "6", "status": "confirmed",
            "hold_expires_on": "", "note": "", "override_reason": ""}

    assert admin_client.post(url(Booking, "change", booking.pk), form).status_code == 403
    assert admin_client.post(url(Booking, "add"), form).status_code == 403

    booking.refresh_from_db()
    assert booking.status == "tentative"
    assert Booking.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_a_superuser_cannot_approve_a_budget_in_the_admin(admin_client):
    budget = f.BudgetFactory()
    form = {"project": budget.project_id, "revision": "1", "status": "approved", "note": "",
            **management_form("lines")}
    assert admin_client.post(url(Budget, "change", budget.pk), form).status_code == 403
    budget.refresh_from_db()
    assert budget.status == "draft"


@pytest.mark.parametrize("role", ["creative", "freelancer", "brand_manager", "executive"])
def test_a_staff_user_whose_role_has_no_admin_access_sees_nothing(client, role):
    # Every user has a role (a database constraint); only `studio.settings` opens the admin.
    StudioSettings.load()
    user = f.UserFactory(role=role, is_staff=True)
    client.force_login(user)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    for model in REGISTERED:
        assert client.get(url(model, "changelist")).status_code in (302, 403)
        assert client.get(url(model, "add")).status_code in (302, 403)
    project = f.ProjectFactory()
    assert client.get(url(Project, "change", project.pk)).status_code in (302, 403)


def test_audit_event_is_shown_read_only(admin_client):
    event = f.audit(f.UserFactory(role="pm"), f.ProjectFactory(), action="baseline frozen")
    response = admin_client.get(url(AuditEvent, "change", event.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "baseline frozen" in response.content.decode()


def test_pm_cannot_delete_settings_rows(pm_client):
    holiday = f.HolidayFactory()
    assert pm_client.post(url(Holiday, "delete", holiday.pk), {"post": "yes"}).status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_pm_cannot_make_anyone_staff(pm_client):
    creative = f.UserFactory(role="creative")
    response = pm_client.post(url(User, "change", creative.pk), {"username": creative.username,
                                                                 "is_staff": "on"})
    assert response.status_code == 403
    creative.refresh_from_db()
    assert not creative.is_staff


def test_pm_admin_index_lists_the_settings_to_manage(pm_client):
    response = pm_client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {model["object_name"]: model for app in response.context["app_list"]
              for model in app["models"]}
    assert models["Holiday"]["perms"]["change"]
    assert models["Discipline"]["perms"]["add"]
    assert not models["Project"]["perms"]["change"]
    assert models["Project"]["perms"]["view"]
    assert not models["AuditEvent"]["perms"]["change"]
    assert "Group" not in models


@pytest.mark.parametrize("role", ["creative", "freelancer", "brand_manager", "executive"])
def test_people_who_are_not_staff_are_sent_to_the_admin_login(client, role):
    client.force_login(f.UserFactory(role=role))
    for page in (reverse("admin:index"), url(Holiday, "changelist"), url(Project, "add")):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_a_deactivated_pm_loses_admin_access(client, pm):
    client.force_login(pm)
    pm.is_active = False
    pm.save()
    response = client.get(url(Holiday, "changelist"))
    assert response.status_code == 302


# --- the one settings row ------------------------------------------------------

def test_studio_settings_list_goes_straight_to_the_one_row(admin_client):
    row = StudioSettings.load()
    response = admin_client.get(url(StudioSettings, "changelist"))
    assert response.status_code == 302
    assert response.url == url(StudioSettings, "change", row.pk)
    assert admin_client.get(url(StudioSettings, "add")).status_code == 403
    delete = admin_client.post(url(StudioSettings, "delete", row.pk), {"post": "yes"})
    assert delete.status_code == 403
    assert StudioSettings.objects.count() == 1


def test_studio_settings_list_creates_the_row_when_missing(admin_client):
    StudioSettings.objects.all().delete()
    response = admin_client.get(url(StudioSettings, "changelist"), follow=True)
    assert response.status_code == 200
    assert StudioSettings.objects.count() == 1


def test_budget_list_shows_each_budgets_total(admin_client):
    budget = f.BudgetFactory()
    f.BudgetLineFactory(budget=budget, kind="expense", amount=Decimal("1500.00"))
    f.BudgetLineFactory(budget=budget, kind="freelance", hours=Decimal("12.5"), rate=Decimal("90"),
                        amount=None)
    response = admin_client.get(url(Budget, "changelist"))
    # 1500.00 + 12.5 × 90 = 1500.00 + 1125.00 = 2625.00
    [row] = response.context["cl"].result_list
    assert row.total == Decimal("2625.00")


@pytest.mark.parametrize("app", ["studio", "projects", "briefs", "schedules", "budgets",
                                 "approvals", "metrics"])
def test_every_model_of_the_studio_is_in_the_admin(app):
    unregistered = [model.__name__ for model in apps.get_app_config(app).get_models()
                    if not admin.site.is_registered(model)]
    assert unregistered == []


# --- what the admin writes is in the audit log ------------------------------------------

def test_a_pms_change_of_a_setting_is_in_the_audit_log_as_from_the_admin(pm_client, pm):
    holiday = f.HolidayFactory(date=dt.date(2026, 12, 26), name="Boxing day")

    pm_client.post(url(Holiday, "change", holiday.pk), {"date": "2026-12-26", "name": "Boxing Day"})

    event = AuditEvent.objects.for_object(holiday).get()
    assert (event.actor, event.action, event.source) == (pm, "admin.change", "admin")
    assert event.changes == [("name", "Boxing day", "Boxing Day")]


def test_rows_of_an_inline_are_each_in_the_audit_log(admin_client):
    user, discipline = f.UserFactory(), f.DisciplineFactory()
    form = talent_form(user, discipline, **management_form("rate_cards", total=1))
    form |= {"rate_cards-0-valid_from": "2026-01-01", "rate_cards-0-cost_rate": "50", "rate_cards-0-bill_rate": "110"}

    assert admin_client.post(url(Talent, "add"), form).status_code == 302

    talent = Talent.objects.get()
    card = talent.rate_cards.get()
    assert AuditEvent.objects.for_object(talent).get().action == "admin.add"
    card_event = AuditEvent.objects.for_object(card).get()
    assert card_event.action == "admin.add"
    assert card_event.after["cost_rate"] == "50"


def test_a_deletion_in_the_admin_is_in_the_audit_log(admin_client):
    holiday = f.HolidayFactory()
    assert admin_client.post(url(Holiday, "delete", holiday.pk), {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action="admin.delete")
    assert (event.object_id, event.object_repr) == (str(holiday.pk), str(holiday))


def test_a_new_users_password_is_never_in_the_audit_log(admin_client):
    form = {"username": "ines", "password1": "pw-Callsheet-1x", "password2": "pw-Callsheet-1x",
            "usable_password": "true", "first_name": "Ines", "last_name": "Okafor",
            "email": "ines@example.com", "role": "creative"}
    response = admin_client.post(url(User, "add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.for_object(User.objects.get(username="ines")).get()
    assert event.after["username"] == "ines"
    assert "pw-Callsheet-1x" not in str(event.after)
    assert not any("password" in name for name in event.after)
