"""factory_boy factories for every model the tests build."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from approvals.models import Approval, ApprovalFlow, ApprovalStep, Decision, Delegation
from briefs.models import Brief, BriefDistribution, BriefTemplate, BriefVersion, Request, RequestItem
from budgets.models import Budget, BudgetLine, ChangeOrder, ChangeOrderLine, Cost, StudioBudget
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
from studio import clock
from studio.models import (
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
    Talent,
    User,
)

# The day that tests needing a fixed date move the clock to (`move_clock(TODAY)`): a
# Wednesday, four weeks before Christmas. Factories never read it: their dates are
# counted from the studio's today, so they fit whatever day the clock shows.
TODAY = dt.date(2026, 11, 25)


def monday(day=None):
    day = clock.today() if day is None else day
    return day - dt.timedelta(days=day.weekday())


def next_christmas(day: dt.date) -> dt.date:
    christmas = dt.date(day.year, 12, 25)
    return christmas if christmas >= day else dt.date(day.year + 1, 12, 25)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def days_from_today(days: int):
    """A factory default `days` from the studio's today, read when the object is built."""
    return factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=days))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = "creative"
    password = factory.PostGenerationMethodCall("set_password", "pw-Callsheet-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Discipline {n}")
    freelance_bill_rate = Decimal("120.00")
    freelance_cost_rate = Decimal("80.00")
    freelance_hours_per_week = Decimal("40")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skill {n}")


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    user = factory.SubFactory(UserFactory, role="creative")
    discipline = factory.SubFactory(DisciplineFactory)
    employment = "staff"
    hours_per_day = Decimal("8")


class FreelanceTalentFactory(TalentFactory):
    user = factory.SubFactory(UserFactory, role="freelancer")
    employment = "freelance"
    contract_start = days_from_today(-90)
    contract_end = days_from_today(90)


class RateCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateCard

    talent = factory.SubFactory(TalentFactory)
    cost_rate = Decimal("50.00")
    bill_rate = Decimal("110.00")
    valid_from = days_from_today(-365)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    code_prefix = factory.Sequence(lambda n: f"B{n}")


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    date = factory.LazyFunction(lambda: next_christmas(clock.today()))
    name = "Christmas Day"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    brand = factory.SubFactory(BrandFactory)
    pm = factory.SubFactory(UserFactory, role="pm", is_staff=True)
    status = "active"
    fee = Decimal("20000.00")
    planned_start = days_from_today(-14)
    due_date = days_from_today(30)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    project = factory.SubFactory(ProjectFactory)
    name = "Production"
    start_date = factory.SelfAttribute("project.planned_start")
    end_date = factory.SelfAttribute("project.due_date")


class DeliverableTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Type {n}")


class StandardHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardHours

    deliverable_type = factory.SubFactory(DeliverableTypeFactory)
    discipline = factory.SubFactory(DisciplineFactory)
    hours_per_unit = Decimal("10")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    project = factory.SubFactory(ProjectFactory)
    deliverable_type = factory.SubFactory(DeliverableTypeFactory)
    name = factory.Sequence(lambda n: f"Deliverable {n}")
    quantity = 1
    planned_hours = Decimal("40")
    planned_start = factory.SelfAttribute("project.planned_start")
    due_date = days_from_today(3)


class DeliverableHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableHours

    deliverable = factory.SubFactory(DeliverableFactory)
    discipline = factory.SubFactory(DisciplineFactory)
    hours = Decimal("20")


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependency

    predecessor = factory.SubFactory(DeliverableFactory)
    successor = factory.SubFactory(DeliverableFactory, project=factory.SelfAttribute("..predecessor.project"))


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Baseline

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    planned_start = factory.SelfAttribute("project.planned_start")
    due_date = factory.SelfAttribute("project.due_date")
    planned_hours = Decimal("40")
    set_by = factory.SelfAttribute("project.pm")


class BaselineDeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BaselineDeliverable

    baseline = factory.SubFactory(BaselineFactory)
    deliverable = factory.SubFactory(DeliverableFactory, project=factory.SelfAttribute("..baseline.project"))
    planned_start = factory.SelfAttribute("deliverable.planned_start")
    due_date = factory.SelfAttribute("deliverable.due_date")
    planned_hours = factory.SelfAttribute("deliverable.planned_hours")


class DeliverableProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableProgress

    deliverable = factory.SubFactory(DeliverableFactory)
    date = days_from_today(0)
    status = "in_progress"
    percent_complete = 50


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    talent = factory.SubFactory(TalentFactory)
    project = factory.SubFactory(ProjectFactory)
    start_date = days_from_today(0)
    end_date = days_from_today(4)
    hours_per_day = Decimal("6")
    status = "confirmed"


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    talent = factory.SubFactory(TalentFactory)
    start_date = days_from_today(7)
    end_date = days_from_today(8)
    status = "approved"


class TimesheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timesheet

    talent = factory.SubFactory(TalentFactory)
    week_start = factory.LazyFunction(lambda: monday(clock.today() - dt.timedelta(days=7)))
    status = "open"


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    timesheet = factory.SubFactory(TimesheetFactory)
    talent = factory.SelfAttribute("timesheet.talent")
    project = factory.SubFactory(ProjectFactory)
    date = factory.SelfAttribute("timesheet.week_start")
    hours = Decimal("4")


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    title = factory.Sequence(lambda n: f"Request {n}")
    brand = factory.SubFactory(BrandFactory)
    submitted_by = factory.SubFactory(UserFactory, role="brand_manager")
    objectives = "Launch the winter range."
    deadline = days_from_today(40)
    budget = Decimal("15000.00")


class RequestItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestItem

    request = factory.SubFactory(RequestFactory)
    deliverable_type = factory.SubFactory(DeliverableTypeFactory)
    quantity = 2


class BriefTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class BriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brief

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Brief {n}")
    background = "Background."
    objectives = "Objectives."
    budget_summary = "EUR 20,000 in all."
    created_by = factory.SelfAttribute("project.pm")


class BriefVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefVersion

    brief = factory.SubFactory(BriefFactory, status="approved", current_version_number=1)
    number = 1
    title = factory.SelfAttribute("brief.title")
    content = factory.LazyAttribute(lambda v: v.brief.content())


class BriefDistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefDistribution

    version = factory.SubFactory(BriefVersionFactory)
    recipient = factory.SubFactory(UserFactory, role="creative")
    sent_by = factory.SelfAttribute("version.brief.project.pm")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    project = factory.SubFactory(ProjectFactory)
    created_by = factory.SelfAttribute("project.pm")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    budget = factory.SubFactory(BudgetFactory)
    kind = "expense"
    description = "Stock photography"
    amount = Decimal("1500.00")


class ChangeOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeOrder

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Two extra cut-downs"
    fee_change = Decimal("3000.00")
    budget_change = Decimal("2000.00")
    requested_by = factory.SelfAttribute("project.pm")


class ChangeOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeOrderLine

    change_order = factory.SubFactory(ChangeOrderFactory)
    kind = "expense"
    description = "Extra stock footage"
    amount = Decimal("800.00")


class CostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cost

    project = factory.SubFactory(ProjectFactory)
    kind = "expense"
    description = "Studio hire"
    amount = Decimal("800.00")
    date = days_from_today(-3)
    status = "invoiced"


class StudioBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioBudget

    # The quarter the studio's today falls in.
    name = factory.LazyAttribute(lambda b: f"{b.period_start.year} Q{(b.period_start.month - 1) // 3 + 1}")
    period_start = factory.LazyFunction(lambda: quarter_start(clock.today()))
    period_end = factory.LazyAttribute(lambda b: quarter_end(b.period_start))
    amount = Decimal("500000.00")
    freelance_pool = Decimal("80000.00")


class ApprovalFlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalFlow
        django_get_or_create = ("kind",)

    kind = factory.Sequence(lambda n: f"kind-{n}")
    name = factory.LazyAttribute(lambda f: f.kind.title())


class ApprovalStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalStep

    flow = factory.SubFactory(ApprovalFlowFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Production manager"
    role = "pm"


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval
        exclude = ["subject"]

    subject = factory.SubFactory(BudgetFactory)
    kind = "budget"
    content_type = factory.LazyAttribute(
        lambda a: __import__("django.contrib.contenttypes.models", fromlist=["ContentType"])
        .ContentType.objects.get_for_model(a.subject)
    )
    object_id = factory.LazyAttribute(lambda a: str(a.subject.pk))
    object_repr = factory.LazyAttribute(lambda a: str(a.subject))
    steps = [{"order": 1, "name": "Production manager", "role": "pm", "user": None}]
    submitted_by = factory.SubFactory(UserFactory, role="pm")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    approval = factory.SubFactory(ApprovalFactory)
    step = 0
    outcome = "approve"
    decided_by = factory.SubFactory(UserFactory, role="pm")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    delegator = factory.SubFactory(UserFactory, role="pm")
    delegate = factory.SubFactory(UserFactory, role="pm")
    start_date = days_from_today(0)
    end_date = days_from_today(5)


class MetricSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricSnapshot

    date = days_from_today(0)
    scope_key = "studio"
    metric = "spi"
    value = Decimal("1.000000")


class SatisfactionSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatisfactionSurvey

    project = factory.SubFactory(ProjectFactory, status="delivered")


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SatisfactionSurveyFactory)
    respondent = factory.SubFactory(UserFactory, role="brand_manager")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = "A brief is waiting for you"
    body = "Please read and acknowledge it."
    url = "/"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        exclude = ["subject"]

    subject = factory.SubFactory(ProjectFactory)
    content_type = factory.LazyAttribute(
        lambda c: __import__("django.contrib.contenttypes.models", fromlist=["ContentType"])
        .ContentType.objects.get_for_model(c.subject)
    )
    object_id = factory.LazyAttribute(lambda c: str(c.subject.pk))
    author = factory.SubFactory(UserFactory)
    body = "Looks good."


def audit(actor, obj, action="changed", **kwargs):
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.create(
        actor=actor, action=action, content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk), object_repr=str(obj)[:200], created_at=timezone.now(), **kwargs,
    )


__all__ = [name for name in dir() if name.endswith("Factory")] + ["Attachment", "audit", "TODAY", "monday"]
