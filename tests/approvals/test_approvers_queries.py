"""Who is told a step waits on them: the table answers for those who see every object,
so the number of queries does not grow with the number of production managers."""

import pytest

from approvals.services import approval_approvers
from studio.roles import Role
from tests.factories import ApprovalFactory, BrandFactory, BudgetFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pm_step_approval():
    budget = BudgetFactory(project=ProjectFactory(brand=BrandFactory()))
    return ApprovalFactory(subject=budget, kind="budget", brand_id=budget.project.brand_id)


@pytest.mark.parametrize("pms", [2, 12])
def test_approvers_of_a_pm_step_cost_the_same_queries_however_many_pms(django_assert_num_queries, pms):
    approval = _pm_step_approval()
    UserFactory.create_batch(pms, role=Role.PM)
    with django_assert_num_queries(2):  # the assignees, their delegates
        approvers = approval_approvers(approval)
    every_pm_but_the_submitter = set(
        UserFactory._meta.model.objects.filter(role=Role.PM).exclude(pk=approval.submitted_by_id)
    )
    assert set(approvers) == every_pm_but_the_submitter
    assert len(approvers) >= pms


def test_a_brand_manager_of_another_brand_is_never_an_approver_of_a_brand_step():
    approval = _pm_step_approval()
    approval.steps = [{"order": 1, "name": "Brand", "role": Role.BRAND_MANAGER, "user": None}]
    approval.save()
    own, other = UserFactory(role=Role.BRAND_MANAGER), UserFactory(role=Role.BRAND_MANAGER)
    own.brands.add(approval.brand_id)
    other.brands.add(BrandFactory())
    assert approval_approvers(approval) == [own]


def test_permission_on_ones_own_row_in_hand_costs_no_query(django_assert_num_queries):
    from schedules.models import TimeEntry
    from studio.permissions import can
    from tests.factories import TalentFactory, TimeEntryFactory

    talent = TalentFactory()
    entry = TimeEntry.objects.select_related("talent").get(pk=TimeEntryFactory(talent=talent).pk)
    stranger = UserFactory(role=Role.CREATIVE)
    with django_assert_num_queries(0):
        assert can(talent.user, "timesheet.view", entry)
        assert not can(stranger, "timesheet.view", entry)
        assert can(talent.user, "talent.log_time", talent)
        assert not can(stranger, "talent.log_time", talent)
