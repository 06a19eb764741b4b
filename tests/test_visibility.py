"""DESIGN §1 as a matrix: each role against each model's `visible_to`."""

import pytest

from briefs.models import Brief, BriefDistribution, BriefVersion, Request
from budgets.models import Budget, BudgetLine, ChangeOrder, Cost, StudioBudget
from metrics.models import MetricSnapshot, SatisfactionSurvey
from projects.models import Deliverable, Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio.models import Talent
from tests import factories as f
from tests.conftest import role_fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(brand, other_brand, creative, freelancer):
    """Brand A's projects: booked (creative and freelancer), assigned, brief sent, untouched; brand B's one."""
    w = {
        "booked": f.ProjectFactory(brand=brand, code="A-BOOKED"),
        "assigned": f.ProjectFactory(brand=brand, code="A-ASSIGNED"),
        "briefed": f.ProjectFactory(brand=brand, code="A-BRIEFED"),
        "untouched": f.ProjectFactory(brand=brand, code="A-UNTOUCHED"),
        "other": f.ProjectFactory(brand=other_brand, code="B-OTHER"),
        "internal": f.ProjectFactory(brand=None, is_internal=True, code="INTERNAL"),
    }
    colleague = f.TalentFactory()
    w["booking_creative"] = f.BookingFactory(talent=creative.talent, project=w["booked"])
    w["booking_freelancer"] = f.BookingFactory(talent=freelancer.talent, project=w["booked"])
    w["booking_colleague"] = f.BookingFactory(talent=colleague, project=w["untouched"])
    w["deliverable_assigned"] = f.DeliverableFactory(project=w["assigned"])
    w["deliverable_assigned"].assignees.add(creative.talent)
    w["deliverable_other"] = f.DeliverableFactory(project=w["other"])
    version = f.BriefVersionFactory(brief__project=w["briefed"])
    w["distribution"] = f.BriefDistributionFactory(version=version, recipient=creative)
    f.BriefDistributionFactory(version=version, recipient=freelancer)  # sent, but not booked there
    w["brief_sent"] = version.brief
    w["brief_draft"] = f.BriefFactory(project=w["untouched"])
    w["request_a"] = f.RequestFactory(brand=brand)
    w["request_b"] = f.RequestFactory(brand=other_brand)
    w["budget_a"] = f.BudgetLineFactory(budget__project=w["booked"]).budget
    w["budget_b"] = f.BudgetFactory(project=w["other"])
    w["change_order_a"] = f.ChangeOrderFactory(project=w["booked"])
    w["cost_a"] = f.CostFactory(project=w["booked"])
    w["studio_budget"] = f.StudioBudgetFactory()
    w["entry_creative"] = f.TimeEntryFactory(timesheet__talent=creative.talent, project=w["booked"])
    w["entry_colleague"] = f.TimeEntryFactory(timesheet__talent=colleague, project=w["untouched"])
    w["time_off_creative"] = f.TimeOffFactory(talent=creative.talent)
    w["time_off_colleague"] = f.TimeOffFactory(talent=colleague)
    w["survey_a"] = f.SatisfactionSurveyFactory(project=w["untouched"])
    w["survey_b"] = f.SatisfactionSurveyFactory(project=w["other"])
    w["colleague"] = colleague
    w["metric_a"] = f.MetricSnapshotFactory(scope_key=f"project:{w['untouched'].pk}", metric="csat")
    w["metric_b"] = f.MetricSnapshotFactory(scope_key=f"project:{w['other'].pk}", metric="csat")
    w["metric_money_a"] = f.MetricSnapshotFactory(scope_key=f"project:{w['untouched'].pk}", metric="roi")
    w["metric_people"] = f.MetricSnapshotFactory(scope_key=f"talent:{colleague.pk}", metric="productivity")
    return w


def codes(user):
    return set(Project.objects.visible_to(user).values_list("code", flat=True))


def test_pm_and_executive_see_every_project(world, pm, executive):
    everything = {"A-BOOKED", "A-ASSIGNED", "A-BRIEFED", "A-UNTOUCHED", "B-OTHER", "INTERNAL"}
    assert codes(pm) == everything
    assert codes(executive) == everything


def test_creative_sees_projects_booked_assigned_or_briefed(world, creative):
    assert codes(creative) == {"A-BOOKED", "A-ASSIGNED", "A-BRIEFED"}


def test_freelancer_sees_only_projects_they_are_booked_on(world, freelancer):
    assert codes(freelancer) == {"A-BOOKED"}


def test_brand_manager_sees_only_own_brands_projects(world, brand_manager, outsider):
    assert codes(brand_manager) == {"A-BOOKED", "A-ASSIGNED", "A-BRIEFED", "A-UNTOUCHED"}
    assert codes(outsider) == {"B-OTHER"}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for model in (Project, Deliverable, Talent, Booking, Request, Brief, Budget, Cost, MetricSnapshot):
        assert not model.objects.visible_to(anonymous).exists(), model


def test_metrics_for_own_brand_without_money_or_people(world, brand_manager, outsider, creative, freelancer,
                                                       admin_user, pm):
    assert set(MetricSnapshot.objects.visible_to(brand_manager)) == {world["metric_a"]}
    assert set(MetricSnapshot.objects.visible_to(outsider)) == {world["metric_b"]}
    assert not MetricSnapshot.objects.visible_to(creative).exists()
    assert not MetricSnapshot.objects.visible_to(freelancer).exists()
    assert world["metric_people"] not in MetricSnapshot.objects.visible_to(admin_user)
    assert MetricSnapshot.objects.visible_to(pm).count() == 4


def test_deliverables_follow_project_visibility(world, creative, outsider):
    assert set(Deliverable.objects.visible_to(creative)) == {world["deliverable_assigned"]}
    assert set(Deliverable.objects.visible_to(outsider)) == {world["deliverable_other"]}


def test_people_see_only_their_own_bookings_time_and_time_off(world, creative, freelancer, pm):
    assert set(Booking.objects.visible_to(creative)) == {world["booking_creative"]}
    assert set(Booking.objects.visible_to(freelancer)) == {world["booking_freelancer"]}
    assert Booking.objects.visible_to(pm).count() == 3
    assert set(TimeEntry.objects.visible_to(creative)) == {world["entry_creative"]}
    assert set(Timesheet.objects.visible_to(creative)) == {world["entry_creative"].timesheet}
    assert set(TimeOff.objects.visible_to(creative)) == {world["time_off_creative"]}


def test_brand_managers_see_no_bookings_or_time(world, brand_manager):
    for model in (Booking, TimeEntry, Timesheet, TimeOff, Talent):
        assert not model.objects.visible_to(brand_manager).exists(), model


def test_talent_directory_whole_for_pm_teams_for_creatives(world, pm, creative, freelancer):
    assert Talent.objects.visible_to(pm).count() == Talent.objects.count()
    # The creative's teams: themselves and the freelancer booked beside them; not the colleague.
    assert set(Talent.objects.visible_to(creative)) == {creative.talent, freelancer.talent}
    assert world["colleague"] not in Talent.objects.visible_to(freelancer)


def test_requests_only_for_own_brand(world, brand_manager, outsider, creative, pm):
    assert set(Request.objects.visible_to(brand_manager)) == {world["request_a"]}
    assert set(Request.objects.visible_to(outsider)) == {world["request_b"]}
    assert not Request.objects.visible_to(creative).exists()
    assert Request.objects.visible_to(pm).count() == 2


def test_briefs_only_when_sent_and_on_a_visible_project(world, creative, freelancer, brand_manager, outsider):
    assert set(Brief.objects.visible_to(creative)) == {world["brief_sent"]}
    # Sent to the freelancer, but they are not booked on that project: nothing.
    assert not Brief.objects.visible_to(freelancer).exists()
    # Brand managers see approved briefs of their brands, never drafts.
    assert set(Brief.objects.visible_to(brand_manager)) == {world["brief_sent"]}
    assert not Brief.objects.visible_to(outsider).exists()
    assert set(BriefVersion.objects.visible_to(creative)) == {world["distribution"].version}
    assert set(BriefDistribution.objects.visible_to(creative)) == {world["distribution"]}


def test_money_is_for_the_studio_with_totals_for_own_brand(request, world, creative, brand_manager, outsider):
    for user in map(request.getfixturevalue, role_fixtures("project.see_costs")):
        assert Budget.objects.visible_to(user).count() == 2
        assert Cost.objects.visible_to(user).exists()
        assert BudgetLine.objects.visible_to(user).exists()
        assert StudioBudget.objects.visible_to(user).exists()
    assert set(Budget.objects.visible_to(brand_manager)) == {world["budget_a"]}
    assert set(ChangeOrder.objects.visible_to(brand_manager)) == {world["change_order_a"]}
    assert not Budget.objects.visible_to(outsider).filter(pk=world["budget_a"].pk).exists()
    for user in (brand_manager, creative):
        assert not Cost.objects.visible_to(user).exists()
        assert not BudgetLine.objects.visible_to(user).exists()
        assert not StudioBudget.objects.visible_to(user).exists()
    assert not Budget.objects.visible_to(creative).exists()


def test_surveys_for_own_brand_only(world, brand_manager, outsider, creative):
    assert set(SatisfactionSurvey.objects.visible_to(brand_manager)) == {world["survey_a"]}
    assert set(SatisfactionSurvey.objects.visible_to(outsider)) == {world["survey_b"]}
    assert not SatisfactionSurvey.objects.visible_to(creative).exists()


def test_visible_to_is_one_query_whatever_the_data(world, creative, django_assert_num_queries):
    for _ in range(5):
        project = f.ProjectFactory(brand=world["booked"].brand)
        f.BookingFactory(talent=creative.talent, project=project)
    with django_assert_num_queries(1):
        assert len(list(Project.objects.visible_to(creative))) == 8
