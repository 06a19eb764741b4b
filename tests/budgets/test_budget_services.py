"""A project's budget through its services: started from the plan, its draft's lines
changed under the version rule with their bounds, submitted through the approval engine
and, once approved, the project's one baseline (DESIGN §2, issue 12)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals.models import Approval
from approvals.services import approval_decide
from budgets.models import Budget, BudgetLine, budget_figures, cents
from budgets.services.budgets import (
    budget_line_add,
    budget_line_change,
    budget_line_remove,
    budget_start,
    budget_submit,
)
from studio.models import AuditEvent, StudioSettings
from studio.versions import StaleVersion
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def design():
    return f.DisciplineFactory(name="Design", standard_cost_rate=D("60.00"))


@pytest.fixture
def motion():
    return f.DisciplineFactory(name="Motion", standard_cost_rate=D("75.50"))


@pytest.fixture
def project(design, motion):
    """A planned project: Design 20 + 12.5 h, Motion 10 h; a cancelled deliverable's
    100 Design hours are no longer part of the plan."""
    project = f.ProjectFactory(status="planned", fee=D("20000.00"))
    key_visual = f.DeliverableFactory(project=project)
    f.DeliverableHoursFactory(deliverable=key_visual, discipline=design, hours=D("20"))
    f.DeliverableHoursFactory(deliverable=key_visual, discipline=motion, hours=D("10"))
    banners = f.DeliverableFactory(project=project)
    f.DeliverableHoursFactory(deliverable=banners, discipline=design, hours=D("12.5"))
    dropped = f.DeliverableFactory(project=project, status="cancelled")
    f.DeliverableHoursFactory(deliverable=dropped, discipline=design, hours=D("100"))
    return project


def lines_of(budget):
    return list(
        budget.lines.order_by("kind", "discipline__name").values_list(
            "kind", "discipline__name", "hours", "rate", "amount", "percent"
        )
    )


def state():
    """Everything a budget write could touch: equal before and after means nothing was written."""
    return (
        list(Budget.objects.order_by("pk").values_list("pk", "status", "version", "revision")),
        list(
            BudgetLine.objects.order_by("pk").values_list(
                "pk", "kind", "discipline", "description", "hours", "rate", "amount", "percent"
            )
        ),
        AuditEvent.objects.count(),
        Approval.objects.count(),
    )


def total_of(budget) -> D:
    return budget_figures(BudgetLine.objects.filter(budget=budget)).total


# --- starting from the plan ------------------------------------------------------------


def test_a_budget_starts_from_the_plans_hours_at_each_disciplines_standard_rate(project, pm):
    budget = budget_start(project=project, user=pm)

    assert (budget.revision, budget.status, budget.created_by) == (1, "draft", pm)
    assert lines_of(budget) == [
        ("contingency", None, None, None, None, D("0.00")),
        # Design: 20 + 12.5 = 32.5 h (the cancelled deliverable's 100 h left out) × 60.00
        ("labor", "Design", D("32.50"), D("60.00"), None, None),
        ("labor", "Motion", D("10.00"), D("75.50"), None, None),
    ]
    # 32.5 × 60.00 = 1,950.00; 10 × 75.50 = 755.00; 1,950.00 + 755.00 = 2,705.00; contingency 0 %
    assert total_of(budget) == D("2705.00")
    assert AuditEvent.objects.filter(action="budget.start").count() == 1


def test_a_project_with_no_plan_starts_with_the_contingency_alone(pm):
    budget = budget_start(project=f.ProjectFactory(), user=pm)

    assert lines_of(budget) == [("contingency", None, None, None, None, D("0.00"))]


def test_a_plan_with_more_hours_than_a_line_holds_is_refused(pm, design):
    project = f.ProjectFactory()
    for _ in range(2):
        f.DeliverableHoursFactory(
            deliverable=f.DeliverableFactory(project=project), discipline=design, hours=D("60000")
        )

    # 60,000 + 60,000 = 120,000 Design hours > 99,999.99
    with pytest.raises(ValidationError) as error:
        budget_start(project=project, user=pm)

    assert error.value.code == "too_many_hours" and "Design" in error.value.messages[0]
    assert not Budget.objects.exists()


@pytest.mark.parametrize("existing", ["draft", "submitted"])
def test_a_second_budget_in_the_works_is_refused(project, pm, existing):
    f.BudgetFactory(project=project, status=existing)
    before = state()

    with pytest.raises(ValidationError) as error:
        budget_start(project=project, user=pm)

    assert error.value.code == "exists"
    assert state() == before


def test_after_the_baseline_changes_are_change_orders(project, pm):
    f.BudgetFactory(project=project, status="approved", approved_at=timezone.now())

    with pytest.raises(ValidationError) as error:
        budget_start(project=project, user=pm)

    assert "change orders" in error.value.messages[0]


@pytest.mark.parametrize("status", ["delivered", "closed", "cancelled"])
def test_a_closed_project_gets_no_budget(pm, status):
    project = f.ProjectFactory(status=status)

    with pytest.raises(ValidationError):
        budget_start(project=project, user=pm)

    assert not Budget.objects.exists()


@pytest.mark.parametrize("who", ["executive", "admin_user", "creative", "brand_manager"])
def test_only_production_managers_start_a_budget(project, who, request):
    with pytest.raises(PermissionDenied):
        budget_start(project=project, user=request.getfixturevalue(who))

    assert not Budget.objects.exists()


# --- the draft's lines -------------------------------------------------------------------


@pytest.fixture
def draft(project, pm):
    return budget_start(project=project, user=pm)


def test_lines_are_added_changed_and_removed_with_the_budgets_version(draft, pm, design):
    contingency = draft.lines.get(kind="contingency")
    freelance = budget_line_add(
        budget=draft,
        user=pm,
        version=1,
        kind="freelance",
        discipline=design,
        description="Retoucher",
        hours=D("20"),
        rate=D("95.25"),
    )
    expense = budget_line_add(
        budget=draft, user=pm, version=2, kind="expense", description="Stock photography", amount=D("1234.56")
    )
    budget_line_change(line=contingency, user=pm, version=3, percent=D("10"))

    # Labour 1,950.00 + 755.00 = 2,705.00; freelance 20 × 95.25 = 1,905.00; expense 1,234.56
    # subtotal 2,705.00 + 1,905.00 + 1,234.56 = 5,844.56; contingency 10 % = 584.456
    # total 5,844.56 + 584.456 = 6,429.016: kept to the fraction, shown as 6,429.02 (half-up).
    figures = budget_figures(draft.lines.all())
    assert (figures.subtotal, figures.contingency, figures.total) == (D("5844.56"), D("584.456"), D("6429.016"))
    assert cents(figures.total) == D("6429.02")
    assert Budget.objects.with_totals().get(pk=draft.pk).total == D("6429.016")
    assert Budget.objects.get(pk=draft.pk).version == 4

    budget_line_change(line=freelance, user=pm, version=4, hours=None, rate=None, amount=D("1500"))
    budget_line_remove(line=expense, user=pm, version=5)

    # 2,705.00 + 1,500.00 = 4,205.00; + 10 % = 420.50; total 4,625.50
    assert total_of(draft) == D("4625.50")
    assert Budget.objects.get(pk=draft.pk).version == 6
    actions = list(AuditEvent.objects.filter(action__startswith="budget_line.").values_list("action", flat=True))
    assert sorted(actions) == [
        "budget_line.add",
        "budget_line.add",
        "budget_line.change",
        "budget_line.change",
        "budget_line.remove",
    ]


def test_internal_labour_is_costed_at_the_disciplines_standard_rate_unless_given_one(draft, pm, motion):
    line = budget_line_add(budget=draft, user=pm, version=1, kind="labor", discipline=motion, hours=D("4"))

    assert line.rate == D("75.50")


def test_a_stale_version_is_refused_with_the_budget_as_it_is_now(draft, pm):
    line = budget_line_add(budget=draft, user=pm, version=1, kind="expense", amount=D("100"))
    before = state()

    for write in (
        lambda: budget_line_add(budget=draft, user=pm, version=1, kind="expense", amount=D("200")),
        lambda: budget_line_change(line=line, user=pm, version=1, amount=D("300")),
        lambda: budget_line_remove(line=line, user=pm, version=1),
        lambda: budget_submit(budget=draft, user=pm, version=1),
    ):
        with pytest.raises(StaleVersion) as error:
            write()
        assert error.value.current.pk == draft.pk and error.value.current.version == 2

    assert state() == before


TEN_THOUSAND = "x" * 10_000


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "expense", "hours": D("-5"), "rate": D("50")}, "hours"),
        ({"kind": "expense", "hours": D("0"), "rate": D("50")}, "hours"),
        ({"kind": "freelance", "hours": D("1000000000"), "rate": D("50")}, "hours"),
        ({"kind": "freelance", "hours": D("100000"), "rate": D("50")}, "hours"),
        ({"kind": "expense", "amount": D("-0.01")}, "amount"),
        ({"kind": "expense", "amount": D("1e14")}, "amount"),
        ({"kind": "expense", "amount": D("10.005")}, "amount"),
        ({"kind": "expense", "description": TEN_THOUSAND, "amount": D("10")}, "description"),
        ({"kind": "expense", "description": "Nul\x00byte", "amount": D("10")}, "description"),
        ({"kind": "expense", "hours": D("2"), "rate": D("50"), "amount": D("100")}, "amount"),
        ({"kind": "expense"}, "amount"),
        ({"kind": "labor", "hours": D("2"), "rate": D("50")}, "discipline"),
        ({"kind": "contingency", "percent": D("5")}, "kind"),
        ({"kind": "expense", "percent": D("5")}, "percent"),
        ({"kind": "bribe", "amount": D("10")}, "kind"),
    ],
)
def test_bad_lines_are_refused_with_a_field_error_and_nothing_saved(draft, pm, fields, field):
    before = state()

    with pytest.raises(ValidationError) as error:
        budget_line_add(budget=draft, user=pm, version=1, **fields)

    assert field in error.value.message_dict
    assert state() == before


@pytest.mark.parametrize("percent", [D("101"), D("-1"), D("100.01")])
def test_a_contingency_stays_between_0_and_100_percent(draft, pm, percent):
    contingency = draft.lines.get(kind="contingency")
    before = state()

    with pytest.raises(ValidationError) as error:
        budget_line_change(line=contingency, user=pm, version=1, percent=percent)

    assert "percent" in error.value.message_dict
    assert state() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_only_a_draft_changes(pm, status):
    budget = f.BudgetFactory(status=status, approved_at=timezone.now() if status == "approved" else None)
    line = f.BudgetLineFactory(budget=budget)
    before = state()

    for write in (
        lambda: budget_line_add(budget=budget, user=pm, version=1, kind="expense", amount=D("5")),
        lambda: budget_line_change(line=line, user=pm, version=1, amount=D("5")),
        lambda: budget_line_remove(line=line, user=pm, version=1),
        lambda: budget_submit(budget=budget, user=pm, version=1),
    ):
        with pytest.raises(ValidationError) as error:
            write()
        assert error.value.code == ("submitted" if status == "submitted" else "baselined")

    assert state() == before


def test_lines_are_changed_by_production_managers_only(draft, executive):
    line = draft.lines.get(kind="contingency")

    with pytest.raises(PermissionDenied):
        budget_line_change(line=line, user=executive, version=1, percent=D("5"))
    with pytest.raises(PermissionDenied):
        budget_line_add(budget=draft, user=executive, version=1, kind="expense", amount=D("5"))


# --- submission and approval ---------------------------------------------------------------


def test_an_empty_budget_is_not_submitted(pm):
    draft = budget_start(project=f.ProjectFactory(), user=pm)
    before = state()

    with pytest.raises(ValidationError) as error:
        budget_submit(budget=draft, user=pm, version=1)

    assert error.value.code == "empty"
    assert state() == before


def test_from_the_plan_to_the_baseline_with_an_executive_step_above_the_threshold(project, pm, executive, design):
    settings = StudioSettings.load()
    settings.budget_approval_threshold = D("5000.00")
    settings.save()
    draft = budget_start(project=project, user=pm)
    budget_line_add(budget=draft, user=pm, version=1, kind="expense", amount=D("2500"))

    budget = budget_submit(budget=draft, user=pm, version=2)

    # 2,705.00 + 2,500.00 = 5,205.00 > 5,000.00: the executive's step stays; the PM's own is skipped.
    assert (budget.status, budget.version) == ("submitted", 3)
    approval = Approval.objects.get()
    assert approval.amount == D("5205.00")
    assert [step["role"] for step in approval.steps] == ["pm", "executive"]
    assert approval.current_step == 1 and approval.status == "pending"

    approval_decide(approval=approval, user=executive, outcome="approve")

    budget.refresh_from_db()
    assert budget.status == "approved" and budget.approved_at is not None
    with pytest.raises(ValidationError):
        budget_start(project=project, user=pm)


def test_the_threshold_in_force_at_submission_decides_the_steps(pm):
    settings = StudioSettings.load()
    settings.budget_approval_threshold = D("50000.00")
    settings.save()
    first = f.BudgetLineFactory(budget__status="draft", amount=D("6000.00")).budget
    budget_submit(budget=first, user=pm, version=1)
    settings.budget_approval_threshold = D("5000.00")
    settings.save()
    second = f.BudgetLineFactory(budget__status="draft", amount=D("6000.00")).budget
    budget_submit(budget=second, user=pm, version=1)

    # 6,000.00 is under 50,000.00 (the PM's own step skipped: approved at once) but over 5,000.00.
    assert Budget.objects.get(pk=first.pk).status == "approved"
    assert Budget.objects.get(pk=second.pk).status == "submitted"
    assert Approval.objects.get(object_id=str(second.pk)).current["role"] == "executive"


def test_a_budget_sent_back_is_a_draft_again(project, pm, executive):
    StudioSettings.objects.filter(pk=1).update(budget_approval_threshold=D("1000.00"))
    draft = budget_start(project=project, user=pm)
    budget = budget_submit(budget=draft, user=pm, version=1)
    approval = Approval.objects.get()

    approval_decide(approval=approval, user=executive, outcome="request_changes", comment="Add a contingency.")

    budget.refresh_from_db()
    assert budget.status == "draft"
    contingency = budget.lines.get(kind="contingency")
    budget_line_change(line=contingency, user=pm, version=budget.version, percent=D("8"))
    assert budget_submit(budget=budget, user=pm, version=budget.version + 1).status == "submitted"
    assert Approval.objects.filter(object_id=str(budget.pk)).count() == 2
