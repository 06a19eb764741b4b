"""The world every security test reads: two brands, their projects and everything on them,
one user for each of the nine identities, and distinctive money figures to look for.

The world is built once per module (outside any test's transaction, then removed), and
each test runs in a transaction of its own that is rolled back: a write a test makes,
allowed or not, never reaches the next test."""

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings

from studio.services import access_token_create
from tests import factories as f
from tests.conftest import studio_noon

# The identities of the matrix, in its column order.
IDENTITIES = (
    "pm", "executive", "creative", "freelancer", "brand_manager", "other_brand_manager",
    "no_profile", "admin", "anonymous",
)

# Figures that appear nowhere else in the world, so finding one in a response is a leak.
COST_RATE = Decimal("987.65")  # the creative's cost rate
BILL_RATE = Decimal("876.54")  # the creative's bill rate
COST_AMOUNT = Decimal("76543.21")  # an internal cost of brand A's project
BUDGET_LINE_AMOUNT = Decimal("65432.17")  # an internal expense line of brand A's budget
CHANGE_ORDER_BUDGET = Decimal("54321.09")  # a change order's change in internal budget
PROJECT_FEE = Decimal("34567.89")  # brand A's fee: a price its brand manager reads
FREELANCE_BILL_RATE = Decimal("113.29")  # what the brand pays an extra freelance hour
FREELANCE_COST_RATE = Decimal("91.37")  # what the studio pays one
STANDARD_COST_RATE = Decimal("64.83")  # the internal labour rate of the creative's discipline
BRIEF_BUDGET = Decimal("43219.87")  # the budget section of brand A's brief, hidden from creatives
COLLEAGUE_HOURS = Decimal("7.25")  # hours a colleague logged on brand B's project (its note is looked for)
COLLEAGUE_NAME = "Zephyrine"  # a colleague on brand B's project only

# What of the other side each identity must never read in any response: brand B's project,
# request, brief and people for brand A's people; brand A's for brand B's manager.
OMEGA = ("OMEGA-9", "Omega", COLLEAGUE_NAME)
ALPHA = ("ALPHA-1", "Alpha")
# Another person's bookings and hours on a shared project: the creative's and the freelancer's
# notes, which neither reads of the other, and no brand manager reads at all.
CREATIVE_NOTES = ("Creative hold note", "Creative sketching note")
FREELANCER_NOTES = ("Freelancer hold note",)
FOREIGN_MARKERS = {
    "creative": OMEGA + FREELANCER_NOTES, "freelancer": OMEGA + CREATIVE_NOTES,
    "brand_manager": OMEGA + CREATIVE_NOTES + FREELANCER_NOTES, "other_brand_manager": ALPHA,
    "no_profile": OMEGA + ALPHA, "anonymous": OMEGA + ALPHA,
}
# Ratios of money: brand A's return on investment and margin, as stored and as a percentage.
ROI, MARGIN = Decimal("0.583917"), Decimal("0.271953")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]

    def user(self, identity: str):
        return self.users.get(identity)

    def client(self, identity: str) -> Client:
        client = Client()
        if identity != "anonymous":
            client.force_login(self.users[identity])
        return client


def build_world() -> World:
    w = World()
    users = w.users
    users["pm"] = f.UserFactory(role="pm", is_staff=True, username="matrix-pm")
    users["executive"] = f.UserFactory(role="executive", username="matrix-exec")
    users["admin"] = f.UserFactory(role="admin", is_staff=True, is_superuser=True, username="matrix-admin")
    discipline = f.DisciplineFactory(
        name="Matrix design", freelance_bill_rate=FREELANCE_BILL_RATE, freelance_cost_rate=FREELANCE_COST_RATE,
        standard_cost_rate=STANDARD_COST_RATE,
    )
    creative = f.TalentFactory(user__role="creative", user__username="matrix-creative", discipline=discipline)
    freelancer = f.FreelanceTalentFactory(user__username="matrix-freelancer")
    colleague = f.TalentFactory(user__role="creative", user__username="matrix-colleague",
                                user__first_name="Quentin", user__last_name=COLLEAGUE_NAME)
    users["creative"], users["freelancer"] = creative.user, freelancer.user
    users["no_profile"] = f.UserFactory(role="creative", username="matrix-noprofile")
    brand = f.BrandFactory(name="Brand Alpha")
    other_brand = f.BrandFactory(name="Brand Omega")
    users["brand_manager"] = f.UserFactory(role="brand_manager", username="matrix-bm")
    users["other_brand_manager"] = f.UserFactory(role="brand_manager", username="matrix-other-bm")
    brand.managers.add(users["brand_manager"])
    other_brand.managers.add(users["other_brand_manager"])

    o = w.objects
    o.update(brand=brand, other_brand=other_brand, creative=creative, freelancer=freelancer, colleague=colleague)
    f.RateCardFactory(talent=creative, cost_rate=COST_RATE, bill_rate=BILL_RATE)
    f.RateCardFactory(talent=freelancer)
    f.RateCardFactory(talent=colleague)

    # Brand A's project: the creative and the freelancer are booked on it and assigned its work.
    project = f.ProjectFactory(brand=brand, pm=users["pm"], code="ALPHA-1", name="Alpha launch", fee=PROJECT_FEE)
    other = f.ProjectFactory(brand=other_brand, code="OMEGA-9", name="Omega secret relaunch")
    o.update(project=project, other_project=other)
    o["phase"] = f.PhaseFactory(project=project)
    o["other_phase"] = f.PhaseFactory(project=other, name="Omega phase")
    o["deliverable"] = f.DeliverableFactory(project=project, name="Alpha key visual")
    o["deliverable"].assignees.add(creative, freelancer)
    o["other_deliverable"] = f.DeliverableFactory(project=other, name="Omega hidden cut")
    o["other_deliverable"].assignees.add(colleague)
    second = f.DeliverableFactory(project=project, name="Alpha banner set")
    o["dependency"] = f.DependencyFactory(predecessor=o["deliverable"], successor=second)
    o["other_dependency"] = f.DependencyFactory(
        predecessor=o["other_deliverable"], successor=f.DeliverableFactory(project=other, name="Omega follow-up")
    )
    o["baseline"] = f.BaselineFactory(project=project, set_by=users["pm"])
    o["other_baseline"] = f.BaselineFactory(project=other)

    o["booking"] = f.BookingFactory(talent=creative, project=project, deliverable=o["deliverable"], status="tentative",
                                    note=CREATIVE_NOTES[0])
    o["freelancer_booking"] = f.BookingFactory(talent=freelancer, project=project, status="tentative",
                                               note=FREELANCER_NOTES[0])
    o["other_booking"] = f.BookingFactory(talent=colleague, project=other, status="tentative", note="Omega hold")
    o["time_off"] = f.TimeOffFactory(talent=creative, status="requested")
    o["other_time_off"] = f.TimeOffFactory(talent=colleague, status="requested")
    o["time_entry"] = f.TimeEntryFactory(timesheet__talent=creative, project=project, note=CREATIVE_NOTES[1])
    o["timesheet"] = o["time_entry"].timesheet
    o["other_time_entry"] = f.TimeEntryFactory(timesheet__talent=colleague, project=other, hours=COLLEAGUE_HOURS,
                                               note="Omega retouch")
    o["other_timesheet"] = o["other_time_entry"].timesheet

    o["request"] = f.RequestFactory(brand=brand, submitted_by=users["brand_manager"], title="Alpha winter ask")
    o["other_request"] = f.RequestFactory(brand=other_brand, submitted_by=users["other_brand_manager"],
                                          title="Omega confidential ask")
    o["version"] = f.BriefVersionFactory(brief__project=project, brief__title="Alpha brief",
                                         brief__budget_summary=f"Up to EUR {BRIEF_BUDGET:,} all in.")
    o["brief"] = o["version"].brief
    o["distribution"] = f.BriefDistributionFactory(version=o["version"], recipient=creative.user)
    o["freelancer_distribution"] = f.BriefDistributionFactory(version=o["version"], recipient=freelancer.user)
    o["other_version"] = f.BriefVersionFactory(brief__project=other, brief__title="Omega brief")
    o["other_brief"] = o["other_version"].brief
    o["other_distribution"] = f.BriefDistributionFactory(version=o["other_version"], recipient=colleague.user)
    _second_version(o["brief"])
    _second_version(o["other_brief"])

    week_ago = studio_noon(f.TODAY - dt.timedelta(days=7))
    o["budget"] = f.BudgetFactory(  # approved, the baseline: its brand manager reads its totals
        project=project, created_by=users["pm"], status="approved", approved_at=week_ago)
    o["budget_line"] = f.BudgetLineFactory(budget=o["budget"], amount=BUDGET_LINE_AMOUNT, description="Alpha stock")
    f.BudgetLineFactory(budget=o["budget"], amount=Decimal("1000.00"))  # so the total is no line's amount
    o["other_budget"] = f.BudgetFactory(project=other)  # a draft: not even its brand manager reads it
    o["other_budget_line"] = f.BudgetLineFactory(budget=o["other_budget"], description="Omega stock")
    o["change_order"] = f.ChangeOrderFactory(project=project, budget_change=CHANGE_ORDER_BUDGET,
                                             requested_by=users["pm"], title="Alpha extra cut")
    o["change_order_line"] = f.ChangeOrderLineFactory(change_order=o["change_order"])
    o["other_change_order"] = f.ChangeOrderFactory(project=other, title="Omega extra cut")
    o["other_change_order_line"] = f.ChangeOrderLineFactory(change_order=o["other_change_order"])
    o["cost"] = f.CostFactory(project=project, amount=COST_AMOUNT, description="Alpha studio hire")
    o["other_cost"] = f.CostFactory(project=other, description="Omega studio hire")
    o["studio_budget"] = f.StudioBudgetFactory()

    # A budget approval waiting on the executives, and one of the other brand's request.
    o["approval"] = f.ApprovalFactory(
        subject=o["budget"], submitted_by=users["pm"],
        steps=[{"order": 1, "name": "Executive", "role": "executive", "user": None}],
    )
    o["other_approval"] = f.ApprovalFactory(
        subject=o["other_budget"], steps=[{"order": 1, "name": "Executive", "role": "executive", "user": None}],
    )
    o["delegation"] = f.DelegationFactory(delegator=users["pm"], delegate=users["executive"])
    o["token"], _ = access_token_create(user=creative.user, name="Alpha script", expires_in=None)
    o["other_token"], _ = access_token_create(user=colleague.user, name="Omega script", expires_in=None)
    o["notification"] = f.NotificationFactory(recipient=creative.user, subject="Alpha brief waits")
    o["other_notification"] = f.NotificationFactory(recipient=colleague.user, subject="Omega brief waits")

    o["survey"] = f.SatisfactionSurveyFactory(project=project)
    o["survey_response"] = f.SurveyResponseFactory(survey=o["survey"], respondent=users["brand_manager"])
    o["other_survey"] = f.SatisfactionSurveyFactory(project=other)
    o["other_survey_response"] = f.SurveyResponseFactory(survey=o["other_survey"],
                                                         respondent=users["other_brand_manager"])
    f.MetricSnapshotFactory(scope_key=f"project:{project.pk}", metric="spi")
    f.MetricSnapshotFactory(scope_key=f"project:{project.pk}", metric="roi", value=ROI)
    f.MetricSnapshotFactory(scope_key=f"project:{project.pk}", metric="margin", value=MARGIN)
    f.MetricSnapshotFactory(scope_key=f"project:{other.pk}", metric="spi")

    o["attachment"] = _attachment(project, users["pm"], "alpha-notes.txt")
    o["other_attachment"] = _attachment(other, users["pm"], "omega-notes.txt")
    for identity, user in users.items():
        user.matrix_identity = identity
    return w


def _second_version(brief):
    """A second version, sent to whoever was sent the first."""
    version = f.BriefVersionFactory(brief=brief, number=2, title=brief.title)
    for distribution in brief.versions.get(number=1).distributions.all():
        f.BriefDistributionFactory(version=version, recipient=distribution.recipient)
    brief.current_version_number = 2
    brief.save(update_fields=["current_version_number"])


def _attachment(obj, user, name):
    attachment = f.Attachment(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), original_name=name,
        mime_type="text/plain", size=5, uploaded_by=user,
    )
    attachment.file.save(name, ContentFile(b"notes"), save=False)
    attachment.save()
    return attachment


@pytest.fixture(scope="session")
def _security_media():
    folder = tempfile.mkdtemp(prefix="callsheet-security-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _private_media(_security_media, settings):
    """The world's attachments live as long as the world, not one test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": _security_media, "base_url": None},
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _security_media):
    """The world, built once for the module on the studio clock's day and removed after it."""
    storages = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _security_media, "base_url": None},
    }}
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(studio_noon(f.TODAY), tick=False), override_settings(STORAGES=storages):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world):
    """One client a signed-in identity (and one for nobody), kept for the module: the
    sessions are part of the world."""
    return {identity: world.client(identity) for identity in IDENTITIES}


@pytest.fixture(autouse=True)
def _on_the_worlds_day(time_machine):
    """Every test reads the world on the day it was built for."""
    time_machine.move_to(studio_noon(f.TODAY), tick=True)
