"""One money format on every page, message and admin list: "EUR 43,109.28" (issue 14)."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse

from briefs.services.briefs import brief_create_from_request
from budgets.alerts import _notify
from studio.models import Notification, StudioSettings
from studio.money import format_money
from tests import factories as f

MINUS = "\u2212"


@pytest.mark.parametrize(
    "amount, text",
    [
        (D("43109.28"), "EUR 43,109.28"),
        (D("43109.2800000000"), "EUR 43,109.28"),
        (D("1234567.5"), "EUR 1,234,567.50"),
        (D("999.99"), "EUR 999.99"),
        (D("0"), "EUR 0.00"),
        (0, "EUR 0.00"),
        (D("-1200"), f"{MINUS}EUR 1,200.00"),
        (D("-0.004"), "EUR 0.00"),  # rounds to zero: no minus before nothing
        (D("2.005"), "EUR 2.01"),  # half-up to cents, not to even
        (D("2.015"), "EUR 2.02"),
        (D("-2.005"), f"{MINUS}EUR 2.01"),
        (D("2.0049"), "EUR 2.00"),
        (6768, "EUR 6,768.00"),
        (1.1, "EUR 1.10"),  # a float goes through its text, not its binary value
        ("300", "EUR 300.00"),
        (None, "—"),
    ],
)
def test_format_money(amount, text):
    assert format_money(amount, "EUR") == text


def test_format_money_without_a_currency_is_the_number_alone():
    assert format_money(D("43109.28")) == "43,109.28"
    assert format_money(D("-5"), "") == f"{MINUS}5.00"


def test_format_money_leaves_text_that_is_no_number_as_it_is():
    assert format_money("n/a", "EUR") == "n/a"


@pytest.mark.parametrize(
    "source, text",
    [
        ("{{ amount|money:studio_currency }}", "GBP 43,109.28"),
        ("{{ amount|money }}", "43,109.28"),
        ("{{ nothing|money:studio_currency }}", "—"),
        ("{% blocktranslate with a=amount|money:studio_currency %}costs {{ a }}{% endblocktranslate %}",
         "costs GBP 43,109.28"),
    ],
)
def test_money_filter(source, text):
    template = Template("{% load i18n money %}" + source)
    context = Context({"amount": D("43109.28"), "nothing": None, "studio_currency": "GBP"})
    assert template.render(context) == text


# --- pages ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("studio_today")
def test_forecast_shows_the_gap_cost_with_the_currency_and_thousands(client, pm):
    motion = f.DisciplineFactory(name="Motion", freelance_cost_rate=D("84.60"))
    monday = f.TODAY + dt.timedelta(days=7 - f.TODAY.weekday())
    # Two placeholders of 8 h a day for the whole week: 2 × 5 × 8 = 80 h × 84.60 = 6,768.00.
    for _ in range(2):
        f.BookingFactory(talent=None, placeholder_discipline=motion, start_date=monday,
                         end_date=monday + dt.timedelta(days=4), hours_per_day=D("8"), status="tentative")
    client.force_login(pm)

    body = client.get(reverse("schedules:forecast")).content.decode()

    assert "source 80 h · EUR 6,768.00" in body
    assert "6768.00" not in body


@pytest.mark.django_db
def test_admin_budget_list_shows_the_total_as_money(admin_client):
    budget = f.BudgetFactory()
    f.BudgetLineFactory(budget=budget, amount=D("40000.00"))
    f.BudgetLineFactory(budget=budget, amount=D("3109.28"))

    body = admin_client.get(reverse("admin:budgets_budget_changelist")).content.decode()

    assert "EUR 43,109.28" in body
    assert "43109.28" not in body


@pytest.mark.django_db
def test_admin_lists_follow_the_studio_currency(admin_client):
    settings = StudioSettings.load()
    settings.currency = "CHF"
    settings.save()
    f.ProjectFactory(fee=D("125000"))
    f.CostFactory(amount=D("1234.5"))

    projects = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    costs = admin_client.get(reverse("admin:budgets_cost_changelist")).content.decode()

    assert "CHF 125,000.00" in projects
    assert "CHF 1,234.50" in costs


@pytest.mark.django_db
@pytest.mark.usefixtures("studio_today")
def test_project_page_shows_the_fee_in_the_one_format(client, pm):
    project = f.ProjectFactory(pm=pm, fee=D("43109.28"))
    client.force_login(pm)

    body = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()

    assert "EUR 43,109.28" in body


@pytest.mark.django_db
def test_budget_alert_writes_its_amounts_in_the_one_format(pm):
    project = f.ProjectFactory(pm=pm)
    health = SimpleNamespace(alert_level=80, ac=D("11000"), bac=D("12500"), eac=D("-1234.5"),
                             spent_fraction=D("0.88"))

    _notify(project, health, "EUR")

    body = Notification.objects.get(recipient=pm).body
    assert "Actual cost EUR 11,000.00 of a budget at completion of EUR 12,500.00 (88.00 %)." in body
    assert f"Forecast at completion: {MINUS}EUR 1,234.50." in body


@pytest.mark.django_db
def test_a_view_only_admin_page_shows_money_in_the_one_format(client, pm, admin_client):
    project = f.ProjectFactory(fee=D("43109.28"))
    cost = f.CostFactory(amount=D("1234.5"))
    client.force_login(pm)  # a PM views projects and costs in the admin, changes neither

    project_page = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    cost_page = client.get(reverse("admin:budgets_cost_change", args=[cost.pk])).content.decode()
    # Projects are read-only in the admin for everyone; a discipline's rates are typed there.
    discipline = f.DisciplineFactory(freelance_bill_rate=D("43109.28"))
    form = admin_client.get(reverse("admin:studio_discipline_change", args=[discipline.pk])).content.decode()

    assert "EUR 43,109.28" in project_page and "43109.28" not in project_page
    assert "EUR 1,234.50" in cost_page
    assert 'name="freelance_bill_rate" value="43109.28"' in form  # who may change it types a plain number


# --- the admin: totals and rates in the one format, and only for who may see money ------


@pytest.mark.django_db
def test_admin_budget_lines_show_rates_and_totals_as_money(admin_client):
    budget = f.BudgetFactory()
    # 8 h × 5,388.66 = 43,109.28
    f.BudgetLineFactory(budget=budget, kind="freelance", hours=D("8"), rate=D("5388.66"), amount=None)

    lines = admin_client.get(reverse("admin:budgets_budgetline_changelist")).content.decode()
    budgets = admin_client.get(reverse("admin:budgets_budget_changelist")).content.decode()

    assert "EUR 5,388.66" in lines and "EUR 43,109.28" in lines
    assert "EUR 43,109.28" in budgets
    assert "5388.66" not in lines and "43109.28" not in lines + budgets


@pytest.mark.django_db
def test_admin_rate_cards_and_discipline_rates_show_as_money(client, pm):
    f.RateCardFactory(cost_rate=D("1234.50"), bill_rate=D("2469"))
    f.DisciplineFactory(name="Motion", freelance_bill_rate=D("1120.5"), freelance_cost_rate=D("84.6"),
                        standard_cost_rate=D("61"))
    client.force_login(pm)  # a PM manages rate cards and disciplines in the admin

    cards = client.get(reverse("admin:studio_ratecard_changelist")).content.decode()
    disciplines = client.get(reverse("admin:studio_discipline_changelist")).content.decode()

    assert "EUR 1,234.50" in cards and "EUR 2,469.00" in cards
    assert "EUR 1,120.50" in disciplines and "EUR 84.60" in disciplines and "EUR 61.00" in disciplines


MONEY_LISTS = ["budgets_budget", "budgets_budgetline", "budgets_cost", "budgets_changeorder",
               "projects_project", "studio_ratecard", "studio_discipline"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["creative", "freelancer", "brand_manager"])
def test_roles_that_may_not_see_costs_never_see_the_admins_money(client, role):
    budget = f.BudgetFactory(project__fee=D("43109.28"))
    f.BudgetLineFactory(budget=budget, amount=D("43109.28"))
    f.RateCardFactory(cost_rate=D("1234.50"))
    user = f.TalentFactory(user__role=role).user if role != "brand_manager" else f.UserFactory(role=role)
    client.force_login(user)

    for name in MONEY_LISTS:
        response = client.get(reverse(f"admin:{name}_changelist"))
        body = response.content.decode()
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
        assert "43,109.28" not in body and "1,234.50" not in body


@pytest.mark.django_db
@pytest.mark.usefixtures("studio_today")
def test_a_persons_rates_show_as_money_to_the_studio_and_not_to_the_person(client, pm):
    talent = f.TalentFactory()
    f.RateCardFactory(talent=talent, cost_rate=D("1234.50"), bill_rate=D("2469"))
    page = reverse("studio:talent-detail", args=[talent.pk])

    client.force_login(pm)
    studio_view = client.get(page)
    client.force_login(talent.user)
    own_view = client.get(page)

    assert studio_view.status_code == own_view.status_code == 200
    studio_view, own_view = studio_view.content.decode(), own_view.content.decode()

    assert "EUR 1,234.50/h" in studio_view and "EUR 2,469.00/h" in studio_view
    assert "1,234.50" not in own_view and "2,469.00" not in own_view and "1234.5" not in own_view


@pytest.mark.django_db
def test_a_brief_from_a_request_states_the_brands_budget_in_the_one_format():
    project = f.ProjectFactory()
    request = f.RequestFactory(project=project, budget=D("43109.28"))

    brief = brief_create_from_request(request=request, created_by=project.pm)

    assert brief.budget_summary == "EUR 43,109.28 in all, the budget the brand gave with its request."


@pytest.mark.django_db
def test_a_cost_is_named_with_its_amount_in_the_one_format():
    cost = f.CostFactory(project=f.ProjectFactory(code="ACME-001"), description="Studio hire", amount=D("43109.28"))

    assert str(cost) == "ACME-001 Studio hire 43,109.28"
