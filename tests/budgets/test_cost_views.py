"""Costs on the budget tab: the studio reads them, with a freelancer's hourly invoice
reconciled against their approved hours (the difference shown, never added); the
production manager enters them and moves them committed → invoiced → paid, and the
figures follow. Bad input is refused next to its field and nothing is saved."""

import datetime as dt
import re
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Cost
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

HX = {"HTTP_HX_REQUEST": "true"}
MON = f.monday(f.TODAY)  # Monday 23 November 2026; f.TODAY is Wednesday 25 November


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def logged_in(client, user):
    client.force_login(user)
    return client


def costs(project) -> str:
    return reverse("budgets:project-costs", args=[project.pk])


def advance(cost) -> str:
    return reverse("budgets:cost-advance", args=[cost.pk])


def invoiced_freelancer(project, *, invoices=1):
    """Freelancer F (cost rate 40.00, contract Thu 1 Oct – Thu 31 Dec) logs 8 h on Mon 16
    and 2 h on Tue 17 Nov, approved: 10 h × 40.00 = 400.00. `invoices` invoices for Mon
    16 – Fri 20 Nov, the first of 450.00, the others of 1.00."""
    freelancer = f.FreelanceTalentFactory(contract_start=day(-53), contract_end=day(38))
    f.RateCardFactory(talent=freelancer, cost_rate=D("40.00"), valid_from=day(-365))
    sheet = f.TimesheetFactory(talent=freelancer, week_start=day(-7), status="approved", approved_at=timezone.now())
    f.TimeEntryFactory(timesheet=sheet, project=project, date=day(-7), hours=D("8"))
    f.TimeEntryFactory(timesheet=sheet, project=project, date=day(-6), hours=D("2"))
    for n in range(invoices):
        f.CostFactory(
            project=project,
            kind="freelance_hourly_invoice",
            talent=freelancer,
            description=f"Invoice {n}",
            amount=D("450.00") if n == 0 else D("1.00"),
            date=day(-2),
            period_start=day(-7),
            period_end=day(-3),
        )
    return freelancer


@pytest.fixture
def case(brand):
    project = f.ProjectFactory(brand=brand)
    freelancer = invoiced_freelancer(project)
    expense = f.CostFactory(
        project=project,
        description="Location hire",
        supplier="Hall & Co",
        amount=D("1234.50"),
        date=day(-1),
        status="committed",
        reference="PO-77",
    )
    return SimpleNamespace(project=project, freelancer=freelancer, expense=expense)


def saved():
    return list(Cost.objects.order_by("pk").values_list("pk", "kind", "description", "amount", "date", "status"))


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm", "executive", "admin_user"])
def test_the_studio_reads_the_costs_with_hourly_invoices_reconciled(client, case, who, request):
    response = logged_in(client, request.getfixturevalue(who)).get(costs(case.project), **HX)

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    for text in ("Location hire", "Hall &amp; Co", "PO-77", "1,234.50", "Committed", "Invoice 0", "450.00", "Invoiced"):
        assert text in html
    # 10 approved hours × 40.00 = 400.00 against 450.00 invoiced: +50.00, shown, never added.
    assert "Reconciled against 10 approved hours from 16 Nov to 20 Nov 2026" in html
    assert "approved hours × rates EUR 400.00" in html and "invoiced EUR 450.00" in html
    assert '<strong class="reconciliation-difference">+EUR 50.00</strong>' in html
    assert "never added" in html
    assert ("Enter a cost" in html) is (who == "pm")
    assert ("Mark invoiced" in html) is (who == "pm")


def test_the_costs_are_paged(client, brand, pm):
    project = f.ProjectFactory(brand=brand)
    for n in range(30):
        f.CostFactory(project=project, description=f"Cost {n:02d}", date=day(-n))

    client = logged_in(client, pm)
    first = client.get(costs(project), **HX).content.decode()
    second = client.get(costs(project), {"page": 2}, **HX).content.decode()

    assert first.count('<tr id="cost-') == 25 and "Page 1 of 2" in first and f"{costs(project)}?page=2" in first
    assert second.count('<tr id="cost-') == 5 and "Cost 29" in second and "Cost 00" not in second


def test_without_javascript_the_costs_open_in_the_tab(client, case, pm):
    client = logged_in(client, pm)
    assert (
        f'href="{costs(case.project)}"'
        in client.get(reverse("budgets:project-budget", args=[case.project.pk])).content.decode()
    )

    page = client.get(costs(case.project)).content.decode()

    assert "<html" in page and "Location hire" in page and "Enter a cost" in page


def test_the_freelancer_select_lists_freelancers_only(client, case, pm):
    staff = f.TalentFactory()
    html = logged_in(client, pm).get(costs(case.project), **HX).content.decode()

    select = re.search(r'<select name="talent".*?</select>', html, re.DOTALL).group(0)
    assert f'value="{case.freelancer.pk}"' in select and f'value="{staff.pk}"' not in select


# --- entering and moving costs -------------------------------------------------------------


def test_the_production_manager_enters_a_cost_and_the_figures_are_told(client, case, pm):
    response = logged_in(client, pm).post(
        costs(case.project),
        {
            "kind": "purchase_order",
            "description": "Print run",
            "supplier": "Press",
            "amount": "3850.00",
            "date": day(1).isoformat(),
            "reference": "PO-78",
        },
        **HX,
    )

    assert response.status_code == 200
    assert "costChanged" in response.headers["HX-Trigger"]
    html = response.content.decode()
    assert "Cost entered." in html and "Print run" in html and "3,850.00" in html and "<html" not in html
    cost = Cost.objects.get(description="Print run")
    assert (cost.status, cost.amount, cost.date, cost.kind) == ("committed", D("3850.00"), day(1), "purchase_order")


def test_without_javascript_a_cost_is_entered_and_the_costs_shown_again(client, case, pm):
    response = logged_in(client, pm).post(
        costs(case.project), {"kind": "expense", "description": "Taxi", "amount": "42"}
    )

    assert response.status_code == 302 and response.url == costs(case.project)
    assert Cost.objects.get(description="Taxi").date == f.TODAY  # no date: today


def test_a_cost_moves_committed_invoiced_paid_and_the_actual_cost_follows(client, case, pm):
    client = logged_in(client, pm)
    actuals = reverse("budgets:project-actuals", args=[case.project.pk])

    def ac():
        html = client.get(actuals, **HX).content.decode()
        value = re.search(r'data-figure="ac">.*?<dd class="health-value">(.*?)</dd>', html, re.DOTALL).group(1)
        return " ".join(value.split())

    # 10 h × 40.00 = 400.00 (the hourly invoice is reconciled, not added; the expense is committed)
    assert ac() == "EUR 400.00"

    response = client.post(advance(case.expense), {"status": "invoiced"}, **HX)
    assert response.status_code == 200 and "Cost marked invoiced." in response.content.decode()
    assert "costChanged" in response.headers["HX-Trigger"]
    assert ac() == "EUR 1,634.50"  # 400.00 + 1,234.50

    assert "Cost marked paid." in client.post(advance(case.expense), {"status": "paid"}, **HX).content.decode()
    assert Cost.objects.get(pk=case.expense.pk).status == "paid"
    assert ac() == "EUR 1,634.50"


@pytest.mark.parametrize("status", ["committed", "paid-ish", ""])
def test_a_cost_never_moves_back_or_to_nowhere(client, case, pm, status):
    before = saved()
    response = logged_in(client, pm).post(advance(case.expense), {"status": status}, **HX)

    assert response.status_code == 422
    assert "message-error" in response.content.decode()
    assert saved() == before


def test_a_cost_cannot_skip_invoicing(client, case, pm):
    response = logged_in(client, pm).post(advance(case.expense), {"status": "paid"}, **HX)

    assert response.status_code == 422 and "A committed cost cannot become paid." in response.content.decode()
    assert Cost.objects.get(pk=case.expense.pk).status == "committed"


# --- bad input -------------------------------------------------------------------------------

GOOD = {"kind": "expense", "description": "Props", "amount": "10.00"}


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "-1"}, "amount", "greater than or equal to 0"),
        ({"amount": "1000000000000"}, "amount", "less than or equal to"),
        ({"amount": "ten"}, "amount", "Enter a number"),
        ({"date": "0001-01-01"}, "date", "Choose a date from Sat 1 Jan 2000"),
        ({"date": "9999-12-31"}, "date", "Choose a date from Sat 1 Jan 2000"),
        ({"date": "31/02/2026"}, "date", "Enter a valid date"),
        ({"description": "x" * 201}, "description", "at most 200 characters"),
        ({"description": ""}, "description", "This field is required"),
        ({"description": "Nul\x00byte"}, "description", "Null characters"),
        ({"supplier": "Nul\x00byte"}, "supplier", "Null characters"),
        ({"kind": "bribe"}, "kind", "Select a valid choice"),
        ({"kind": "freelance_fixed"}, "talent", "Name the freelancer"),
        ({"talent": "999999"}, "talent", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_saved(client, case, pm, data, field, message):
    before = saved()

    response = logged_in(client, pm).post(costs(case.project), GOOD | data, **HX)

    assert response.status_code == 422
    form = response.context["cost_form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert saved() == before


def test_an_hourly_invoice_outside_the_freelancer_s_contract_is_refused(client, case, pm):
    before = saved()
    data = {
        "kind": "freelance_hourly_invoice",
        "description": "Invoice",
        "amount": "100",
        "talent": case.freelancer.pk,
        "period_start": day(35).isoformat(),
        "period_end": day(45).isoformat(),  # the contract ends Thu 31 Dec
    }

    response = logged_in(client, pm).post(costs(case.project), data, **HX)

    assert response.status_code == 422
    assert "outside" in " ".join(response.context["cost_form"].errors["period_start"])
    assert saved() == before


def test_a_staff_member_cannot_be_named_as_the_freelancer(client, case, pm):
    staff = f.TalentFactory()
    response = logged_in(client, pm).post(
        costs(case.project), {**GOOD, "kind": "freelance_fixed", "talent": staff.pk}, **HX
    )

    assert response.status_code == 422 and "talent" in response.context["cost_form"].errors


def test_a_budget_line_of_another_project_is_refused(client, case, pm):
    other = f.BudgetLineFactory(budget=f.BudgetFactory(status="approved", approved_at=timezone.now()))

    response = logged_in(client, pm).post(costs(case.project), {**GOOD, "budget_line": other.pk}, **HX)

    assert response.status_code == 422 and "budget_line" in response.context["cost_form"].errors


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_closed_or_cancelled_project_takes_no_cost(client, case, pm, status):
    case.project.status = status
    case.project.save()
    before = saved()

    response = logged_in(client, pm).post(costs(case.project), GOOD, **HX)

    assert response.status_code == 422
    assert "closed or cancelled" in response.content.decode()
    assert saved() == before


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, read, write, move",
    [
        ("executive", 200, 403, 403),
        ("admin_user", 200, 403, 403),
        ("brand_manager", 403, 403, 404),
        ("outsider", 404, 404, 404),
        ("creative", 404, 404, 404),
        ("freelancer", 404, 404, 404),
    ],
)
def test_only_production_managers_enter_and_move_costs(client, case, who, read, write, move, request):
    user = request.getfixturevalue(who)
    if who in ("creative", "freelancer"):
        f.BookingFactory(talent=user.talent, project=case.project)
    client = logged_in(client, user)
    before = saved()

    response = client.get(costs(case.project))
    assert response.status_code == read
    assert client.post(costs(case.project), GOOD).status_code == write
    assert client.post(advance(case.expense), {"status": "invoiced"}).status_code == move
    assert saved() == before
    if read != 200:
        for secret in ("1,234.50", "1234.50", "450.00", "400.00", "40.00", "Location hire"):
            assert secret not in response.content.decode()


# --- a fixed number of queries ------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 10])
# Session, user, project, the studio's settings (currency), the count and the page of
# costs, the hourly invoices among them and their approved hours; for the production
# manager the form's freelancers and budget lines.
@pytest.mark.parametrize("who, queries", [("pm", 10), ("executive", 8)])
def test_the_costs_run_a_fixed_number_of_queries(client, brand, who, queries, size, request, django_assert_num_queries):
    project = f.ProjectFactory(brand=brand)
    invoiced_freelancer(project, invoices=size // 2)
    for n in range(size // 2):
        f.CostFactory(project=project, description=f"Cost {n}", supplier="Hall")
    f.BudgetLineFactory(budget=f.BudgetFactory(project=project, status="approved", approved_at=timezone.now()))
    client = logged_in(client, request.getfixturevalue(who))
    client.get(costs(project), **HX)

    with django_assert_num_queries(queries):
        assert client.get(costs(project), **HX).status_code == 200
