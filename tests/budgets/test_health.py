"""Budget health, plan against actual, the burn chart and hourly invoices as of a day
(DESIGN §3, "Budget health" and "Return on investment"), with hand-computed figures."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets.health import (
    InvoiceReconciliation,
    actual_costs,
    burn_series,
    health_of,
    invoice_reconciliation,
    invoice_reconciliations,
    plan_against_actual,
    validate_invoice_period,
)
from budgets.models import Cost
from schedules.models import Timesheet
from studio import clock
from studio.models import Holiday
from tests import factories
from tests.conftest import studio_noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# Monday 23 November 2026; factories.TODAY is Wednesday 25 November (day(2)).
MON = factories.monday(factories.TODAY)


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def log(talent, project, on, hours, status="approved"):
    """A time entry in `talent`'s timesheet of that week (created with `status`)."""
    sheet, _created = Timesheet.objects.get_or_create(
        talent=talent,
        week_start=factories.monday(on),
        defaults={"status": status, "approved_at": timezone.now() if status == "approved" else None},
    )
    assert sheet.status == status
    return factories.TimeEntryFactory(timesheet=sheet, project=project, date=on, hours=D(hours))


def rate(talent, cost, valid_from):
    factories.RateCardFactory(talent=talent, cost_rate=D(cost), valid_from=valid_from)


def people():
    design, motion = factories.DisciplineFactory(name="Design"), factories.DisciplineFactory(name="Motion")
    s = factories.TalentFactory(discipline=design)
    rate(s, "50.00", day(-365))
    rate(s, "60.00", day(-7))  # from Mon 16 Nov
    t = factories.TalentFactory(discipline=motion)
    rate(t, "55.00", day(-365))
    u = factories.TalentFactory(discipline=design)
    rate(u, "70.00", day(8))  # only from Tue 1 Dec
    # A freelancer under contract from Thu 1 Oct to Thu 31 Dec.
    f = factories.FreelanceTalentFactory(discipline=design, contract_start=day(-53), contract_end=day(38))
    rate(f, "40.00", day(-365))
    return SimpleNamespace(design=design, motion=motion, s=s, t=t, u=u, f=f)


def spending_project(who=None):
    """Project P: fee 20,000; a baseline of 8,250 approved on Mon 2 Nov; change orders;
    two deliverables (100 planned hours); time and costs up to and after Wed 25 Nov."""
    who = who or people()
    p = factories.ProjectFactory(fee=D("20000.00"), planned_start=day(-21), due_date=day(4))
    other = factories.ProjectFactory()

    # Baseline r1, approved at noon on Mon 2 Nov: labour Design 50 h × 60 = 3,000; freelance
    # 20 h × 75 = 1,500; expenses 3,000; subtotal 7,500; contingency 10 % = 750; total 8,250.
    baseline = factories.BudgetFactory(project=p, status="approved", approved_at=studio_noon(day(-21)))
    line = factories.BudgetLineFactory
    line(budget=baseline, kind="labor", discipline=who.design, hours=D("50"), rate=D("60"), amount=None)
    line(budget=baseline, kind="freelance", discipline=who.design, hours=D("20"), rate=D("75"), amount=None)
    line(budget=baseline, kind="expense", amount=D("3000"))
    line(budget=baseline, kind="contingency", amount=None, percent=D("10"))
    # A draft revision is not a baseline.
    draft = factories.BudgetFactory(project=p, revision=2)
    line(budget=draft, kind="expense", amount=D("99999"))

    # CO1 approved Fri 20 Nov: fee +3,000, budget +1,750. CO2 approved Thu 26 Nov: fee +5,000,
    # budget +4,000. CO3 submitted and CO4 rejected: nothing.
    co = factories.ChangeOrderFactory
    co(project=p, status="approved", approved_at=studio_noon(day(-3)), fee_change=D("3000"), budget_change=D("1750"))
    co(project=p, status="approved", approved_at=studio_noon(day(3)), fee_change=D("5000"), budget_change=D("4000"))
    co(project=p, status="submitted", fee_change=D("1000"), budget_change=D("1000"))
    co(project=p, status="rejected", fee_change=D("1000"), budget_change=D("1000"))

    # D1: 60 h planned Mon 2 – Fri 27 Nov (20 working days), 50 % since Mon 16 Nov.
    # D2: 40 h planned Mon 2 – Fri 13 Nov (10 working days), approved Fri 20 Nov.
    d1 = factories.DeliverableFactory(
        project=p, planned_hours=D("60"), planned_start=day(-21), due_date=day(4), status="in_progress"
    )
    factories.DeliverableProgressFactory(deliverable=d1, date=day(-7), percent_complete=50)
    d2 = factories.DeliverableFactory(
        project=p,
        planned_hours=D("40"),
        planned_start=day(-21),
        due_date=day(-10),
        status="approved",
        approved_at=studio_noon(day(-3)),
        percent_complete=100,
    )
    factories.DeliverableProgressFactory(deliverable=d2, date=day(-3), status="approved", percent_complete=100)

    # Labour. S (staff, Design): 50 until Sun 15 Nov, 60 from Mon 16 Nov.
    log(who.s, p, day(-13), "8")  # Tue 10 Nov: 8 × 50 = 400
    log(who.s, p, day(-11), "4")  # Thu 12 Nov: 4 × 50 = 200
    log(who.s, p, day(-7), "8")  # Mon 16 Nov: 8 × 60 = 480
    log(who.s, p, day(-5), "6")  # Wed 18 Nov: 6 × 60 = 360
    log(who.s, p, day(0), "8", status="submitted")  # Mon 23 Nov, not approved: 0
    log(who.s, other, day(-6), "5")  # another project
    log(who.t, p, day(1), "2")  # T (Motion) Tue 24 Nov: 2 × 55 = 110
    log(who.u, p, day(1), "3")  # U has no rate card until 1 Dec: 0, 3 unrated hours
    # F (freelance, 40): Tue 17 and Thu 19 Nov, 8 h each = 640; Mon 23 Nov not approved.
    log(who.f, p, day(-6), "8")
    log(who.f, p, day(-4), "8")
    log(who.f, other, day(-5), "4")  # another project, same week
    log(who.f, p, day(0), "8", status="submitted")

    cost = factories.CostFactory
    cost(project=p, kind="purchase_order", amount=D("1200"), date=day(-34), status="paid")  # Tue 20 Oct
    cost(project=p, kind="freelance_fixed", talent=who.f, amount=D("1000"), date=day(-11), status="paid")
    cost(project=p, kind="freelance_fixed", talent=who.f, amount=D("2000"), date=day(1), status="committed")
    cost(project=p, kind="expense", amount=D("1210"), date=day(-4), status="invoiced")
    cost(project=p, kind="expense", amount=D("500"), date=day(1), status="committed")
    cost(project=p, kind="expense", amount=D("300"), date=day(4), status="invoiced")  # Fri 27 Nov: after d
    invoice = cost(
        project=p,
        kind="freelance_hourly_invoice",
        talent=who.f,
        amount=D("680"),
        date=day(2),
        status="invoiced",
        period_start=day(-7),
        period_end=day(1),
    )
    # A studio holiday on Tue 8 Dec, after the burn window.
    Holiday.objects.get_or_create(date=day(15), defaults={"name": "Studio day"})
    return SimpleNamespace(project=p, other=other, baseline=baseline, invoice=invoice, who=who)


def test_health_as_of_wednesday():
    case = spending_project()
    health = health_of([case.project, case.other], day(2))[case.project.pk]

    assert health.fee == D("20000")
    assert health.fee_changes == D("3000")  # CO1 only: CO2 is approved the day after
    assert health.fee_in_force == D("23000")
    assert health.baseline == case.baseline
    assert health.baseline_total == D("8250")
    assert health.budget_changes == D("1750")
    assert health.bac == D("10000")  # 8,250 + 1,750

    # Labour: S 400 + 200 at 50, 480 + 360 at 60 (the rate changed on Mon 16 Nov); T 110;
    # U 0 (3 unrated hours); F 640 = 2,190. Costs: PO 1,200 + fixed fee 1,000 + expense
    # 1,210 = 3,410 (the committed ones, the one dated Fri 27 Nov and F's hourly invoice do not count).
    assert health.actuals.labour == D("2190")
    assert health.actuals.costs == D("3410")
    assert health.actuals.unrated_hours == D("3")
    assert health.ac == D("5600")

    # EV hours = 60 × 50 % + 40 × 100 % = 70 of 100; EVm = 10,000 × 0.7 = 7,000.
    assert (health.earned.ev, health.earned.bac) == (D("70"), D("100"))
    assert health.ev == D("7000")
    assert health.cv == D("1400")  # 7,000 − 5,600
    assert health.cpi == D("1.25")  # 7,000 / 5,600
    assert health.eac == D("8000")  # 10,000 / 1.25
    assert health.vac == D("2000")  # 10,000 − 8,000
    # (23,000 − 8,000) / 23,000 = 0.652173…
    assert health.margin_at_completion == D("15000") / D("23000")
    assert round(health.margin_at_completion, 4) == D("0.6522")
    assert health.spent_fraction == D("0.56")  # 5,600 / 10,000
    assert health.alert_level is None
    assert health.over_budget is False

    # The 28 days ending Wed 25 Nov run from Thu 29 Oct: all but the PO of Tue 20 Oct,
    # 5,600 − 1,200 = 4,400 over 20 working days (29–30 Oct, 4 weeks of Nov, 23–25 Nov) = 220 a day.
    assert health.spent_last_28_days == D("4400")
    assert health.burn_rate == D("220")
    # 10,000 − 5,600 = 4,400 left = 20 working days at 220: Thu 26 Nov … Thu 24 Dec (Tue 8 Dec is a holiday).
    assert health.run_out_date == day(31)

    other = health_of([case.other], day(2))[case.other.pk]
    # S Tue 17 Nov 5 × 60 = 300; F Wed 18 Nov 4 × 40 = 160. No baseline.
    assert other.ac == D("460")
    assert other.bac is other.ev is other.cpi is other.eac is other.run_out_date is other.alert_level is None


def test_change_orders_count_from_the_day_they_are_approved():
    case = spending_project()
    p = case.project

    thursday = health_of([p], day(3))[p.pk]  # Thu 26 Nov: CO2 approved at noon
    assert thursday.fee_in_force == D("28000")  # 20,000 + 3,000 + 5,000
    assert thursday.bac == D("14000")  # 8,250 + 1,750 + 4,000

    before = health_of([p], day(-4))[p.pk]  # Thu 19 Nov: CO1 approved the day after
    assert (before.fee_changes, before.fee_in_force) == (D("0"), D("20000"))
    assert before.bac == D("8250")

    no_baseline = health_of([p], day(-22))[p.pk]  # Sun 1 Nov: the baseline is approved on Mon 2 Nov
    assert no_baseline.baseline is None
    assert no_baseline.bac is no_baseline.ev is no_baseline.eac is no_baseline.margin_at_completion is None
    assert no_baseline.ac == D("1200")  # the PO of Tue 20 Oct
    assert no_baseline.fee_in_force == D("20000")


def budgeted(total, cost=None, planned_hours=None):
    project = factories.ProjectFactory(fee=D("2000"))
    budget = factories.BudgetFactory(project=project, status="approved", approved_at=studio_noon(day(-21)))
    factories.BudgetLineFactory(budget=budget, amount=D(total))
    if cost:
        factories.CostFactory(project=project, amount=D(cost), date=day(-1), status="invoiced")
    if planned_hours:
        factories.DeliverableFactory(project=project, planned_hours=D(planned_hours))
    return project


def test_alerts_at_80_and_100_percent_of_the_budget():
    near, over, fresh = budgeted("1000", "850"), budgeted("1000", "1000"), budgeted("1000")
    health = health_of([near, over, fresh], day(2))

    assert health[near.pk].spent_fraction == D("0.85")
    assert health[near.pk].alert_level == 80
    assert health[near.pk].over_budget is False
    assert health[over.pk].alert_level == 100
    assert health[over.pk].over_budget is True
    assert health[over.pk].run_out_date is None
    # Nothing spent: CPI undefined, EAC = BACm; no alert, no burn, no run-out date.
    assert health[fresh.pk].cpi is None
    assert health[fresh.pk].eac == D("1000")
    assert health[fresh.pk].vac == D("0")
    assert health[fresh.pk].margin_at_completion == D("0.5")  # (2,000 − 1,000) / 2,000
    assert health[fresh.pk].alert_level is None
    assert (health[fresh.pk].burn_rate, health[fresh.pk].run_out_date) == (D("0"), None)


def test_money_spent_with_nothing_earned_has_no_forecast_yet():
    project = budgeted("1000", "100", planned_hours="10")
    health = health_of([project], day(2))[project.pk]
    assert health.ev == D("0")
    assert health.cpi == D("0")
    assert health.eac is health.vac is health.margin_at_completion is None


def test_actual_costs_alone():
    case = spending_project()
    actuals = actual_costs([case.project.pk], day(2))[case.project.pk]
    assert (actuals.labour, actuals.costs, actuals.total) == (D("2190"), D("3410"), D("5600"))


def test_health_of_projects_given_by_id_reads_them(django_assert_num_queries):
    case = spending_project()
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(7):
        assert health_of([case.project.pk], day(2))[case.project.pk].ac == D("5600")
    assert health_of([], day(2)) == {}


@pytest.mark.parametrize("size", [1, 8])
def test_health_takes_the_same_queries_for_1_or_8_projects(size, django_assert_num_queries):
    who = people()
    projects = [spending_project(who).project for _n in range(size)]
    # Earned hours, baselines, change orders, labour, costs, holidays.
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(6):
        health = health_of(projects, day(2))
    assert {h.ac for h in health.values()} == {D("5600")}
    assert {h.run_out_date for h in health.values()} == {day(31)}


# --- a freelancer's invoice for hourly work --------------------------------------------------


def test_hourly_invoice_is_reconciled_not_added():
    case = spending_project()
    reconciliation = invoice_reconciliation(case.invoice)
    # F's approved hours on P from Mon 16 to Tue 24 Nov: 8 + 8 = 16 (Mon 23 Nov is not
    # approved; the 4 h on another project are not this invoice's) × 40 = 640.
    assert reconciliation == InvoiceReconciliation(
        cost=case.invoice, hours=D("16"), labour_cost=D("640"), invoiced=D("680"), unrated_hours=D("0")
    )
    assert reconciliation.difference == D("40")  # 680 − 640, shown only
    # AC holds the 640 of hours and not the 680 invoiced.
    assert health_of([case.project], day(2))[case.project.pk].ac == D("5600")

    everything = invoice_reconciliations(Cost.objects.filter(project=case.project))
    assert list(everything) == [case.invoice.pk]


def test_an_invoice_period_outside_the_contract_is_refused():
    case = spending_project()
    f = case.who.f
    outside = Cost(
        project=case.project,
        kind="freelance_hourly_invoice",
        talent=f,
        amount=D("100"),
        date=day(2),
        period_start=day(-60),
        period_end=day(-50),  # Mon 24 Sep – Thu 3 Oct; the contract starts 1 Oct
    )
    with pytest.raises(ValidationError) as error:
        invoice_reconciliation(outside)
    assert "period_start" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        validate_invoice_period(talent=f, period_start=day(30), period_end=day(40))  # past 31 Dec
    assert "period_start" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        validate_invoice_period(talent=f, period_start=None, period_end=day(1))
    assert "period_start" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        validate_invoice_period(talent=case.who.s, period_start=day(-7), period_end=day(1))
    assert "talent" in error.value.message_dict
    validate_invoice_period(talent=f, period_start=day(-53), period_end=day(38))


# --- plan against actual ---------------------------------------------------------------------


def test_plan_against_actual_by_category():
    case = spending_project()
    plan = plan_against_actual(case.project, day(2))
    rows = [
        (r.category, r.discipline and r.discipline.name, r.planned, r.actual, r.committed, r.spent) for r in plan.rows
    ]
    assert rows == [
        # Staff labour: S 1,440 and U 0 in Design; T 110 in Motion, which has no line.
        ("labor", "Design", D("3000"), D("1440"), D("0"), D("0")),
        ("labor", "Motion", D("0"), D("110"), D("0"), D("0")),
        # F's hours 640 + the fixed fee paid 1,000; the fixed fee of 2,000 is only committed.
        ("freelance", None, D("1500"), D("1640"), D("2000"), D("1000")),
        # PO 1,200 + expense 1,210; 500 committed.
        ("expense", None, D("3000"), D("2410"), D("500"), D("2410")),
        ("contingency", None, D("750"), None, D("0"), D("0")),
        ("change_orders", None, D("1750"), None, D("0"), D("0")),
    ]
    assert plan.rows[0].remaining == D("1560")
    assert [row.label for row in plan.rows] == [
        "Internal labour: Design",
        "Internal labour: Motion",
        "Freelance",
        "Expense",
        "Contingency",
        "Approved change orders",
    ]
    assert plan.planned_total == D("10000")
    assert plan.actual_total == D("5600")
    assert (plan.committed, plan.spent) == (D("2500"), D("3410"))
    assert plan.unrated_hours == D("3")


def test_plan_against_actual_without_a_baseline():
    case = spending_project()
    plan = plan_against_actual(case.other, day(2))
    assert plan.baseline is None and plan.planned_total is None
    assert plan.actual_total == D("460")


# --- the burn chart ----------------------------------------------------------------------------


def test_burn_series_planned_against_actual():
    case = spending_project()
    points = {point.day: point for point in burn_series(case.project, day(-22), day(3))}
    assert len(points) == 26  # Sun 1 – Thu 26 Nov

    # Sun 1 Nov: no baseline yet; the PO of Tue 20 Oct is spent.
    assert (points[day(-22)].planned, points[day(-22)].actual) == (None, D("1200"))
    # Mon 2 Nov: PV = 60 × 1/20 + 40 × 1/10 = 7 of 100 h; 8,250 × 0.07 = 577.5.
    assert points[day(-21)].planned == D("577.5")
    # Fri 13 Nov: PV = 60 × 10/20 + 40 = 70 h → 8,250 × 0.7 = 5,775; spent 1,200 + 400 + 200 + 1,000 = 2,800.
    assert (points[day(-10)].planned, points[day(-10)].actual) == (D("5775"), D("2800"))
    # Fri 20 Nov: CO1 makes BACm 10,000; PV = 60 × 15/20 + 40 = 85 h → 8,500;
    # spent 2,800 + 480 + 360 + 640 + 1,210 = 5,490.
    assert (points[day(-3)].planned, points[day(-3)].actual) == (D("8500"), D("5490"))
    # Wed 25 Nov: PV = 60 × 18/20 + 40 = 94 h → 9,400; spent 5,490 + 110 = 5,600.
    assert (points[day(2)].planned, points[day(2)].actual) == (D("9400"), D("5600"))
    # Thu 26 Nov, tomorrow: CO2 makes BACm 14,000; PV = 60 × 19/20 + 40 = 97 h → 13,580;
    # nothing actual yet.
    assert (points[day(3)].planned, points[day(3)].actual) == (D("13580"), None)


def test_burn_series_is_bounded():
    project = factories.ProjectFactory()
    with pytest.raises(ValueError):
        burn_series(project, day(0), day(0) + dt.timedelta(days=3652))
    with pytest.raises(ValueError):
        burn_series(project, day(0), day(400))  # 401 days
    with pytest.raises(ValueError):
        burn_series(project, day(0), day(-1))
    assert len(burn_series(project, day(0), day(399))) == 400


def test_burn_series_takes_a_fixed_number_of_queries(django_assert_num_queries):
    case = spending_project()
    # Baselines, change orders, deliverables, holidays, labour by day, costs by day.
    clock.studio_zone()  # read once and cached, as on any page
    with django_assert_num_queries(6):
        burn_series(case.project, day(-60), day(30))
