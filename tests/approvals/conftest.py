"""A test-only approvable kind on budgets (and one on projects), whose hooks record their calls."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from approvals import registry
from approvals.registry import ApprovalKind
from budgets.models import Budget
from projects.models import Project
from tests.factories import ApprovalFlowFactory, ApprovalStepFactory, BudgetFactory, BudgetLineFactory

KIND = "test-budget"
PROJECT_KIND = "test-project"


@dataclass
class Calls:
    """What the engine asked the kind to do, in order: (hook, object pk, user pk)."""

    made: list = field(default_factory=list)

    def hook(self, name):
        def record(obj, approval, user):
            self.made.append((name, obj.pk, user.pk if user else None))

        return record

    def names(self):
        return [name for name, *_ in self.made]


@pytest.fixture
def calls(monkeypatch):
    """Register the test kinds for one test; monkeypatch takes them out again."""
    made = Calls()
    hooks = {name: made.hook(name) for name in ("on_approve", "on_request_changes", "on_reject", "on_step_approved")}
    budget_kind = ApprovalKind(
        kind=KIND, model=Budget, **hooks,
        amount_of=lambda budget: budget.total,
        brand_of=lambda budget: budget.project.brand_id,
        url_of=lambda budget: f"/test-budgets/{budget.pk}/",
    )
    project_kind = ApprovalKind(
        kind=PROJECT_KIND, model=Project, brand_of=lambda project: project.brand_id,
        url_of=lambda project: f"/projects/{project.pk}/",
    )
    monkeypatch.setitem(registry._kinds, KIND, budget_kind)
    monkeypatch.setitem(registry._kinds, PROJECT_KIND, project_kind)
    return made


def make_flow(kind, *steps):
    """A flow of `kind` with steps given as dicts of ApprovalStep fields, in order."""
    flow = ApprovalFlowFactory(kind=kind, name=kind.title())
    for order, step in enumerate(steps, start=1):
        ApprovalStepFactory(flow=flow, order=order, **{"name": step.get("role") or "Named", **step})
    return flow


@pytest.fixture
def pm_flow(db, calls):
    """PM only."""
    return make_flow(KIND, {"role": "pm"})


@pytest.fixture
def budget(brand):
    """A budget of `brand` totalling 1,500.00."""
    budget = BudgetFactory(project__brand=brand)
    BudgetLineFactory(budget=budget, amount=Decimal("1500.00"))
    return budget
