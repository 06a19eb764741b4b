"""A brand manager rates delivered work in headless Chromium: the project is delivered, the
notification they get opens the survey, one click sends the rating, and the production
manager's list of who answered shows it."""

import pytest
from playwright.sync_api import expect

from metrics.models import SurveyResponse
from tests.factories import BrandFactory, DeliverableFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"), pytest.mark.django_db(transaction=True)]

PASSWORD = "callsheet-demo"


@pytest.fixture
def delivered(studio_today):
    pm = UserFactory(username="pm", role="pm", is_staff=True, password=PASSWORD)
    brand = BrandFactory()
    manager = UserFactory(username="brand", role="brand_manager", password=PASSWORD)
    brand.managers.add(manager)
    project = ProjectFactory(code="OAT-02", name="Spring oats", brand=brand, pm=pm, status="active")
    DeliverableFactory(project=project)
    # Delivered: once the save commits, the survey goes to the brand's managers.
    project.status = "delivered"
    project.save(update_fields=["status"])
    return project


def test_a_brand_manager_rates_delivered_work_from_the_notification(delivered, visitors):
    response = SurveyResponse.objects.get(survey__project=delivered)
    brand = visitors.log_in("brand", PASSWORD)

    brand.goto("/studio/notifications/")
    brand.get_by_role("link", name="How did we do? Rate the work on Spring oats").click()
    expect(brand.get_by_role("heading", name="How did we do?")).to_be_visible()
    brand.get_by_label("4 out of 5").click()

    expect(brand.locator("#survey")).to_contain_text("You rated the work 4 out of 5.")
    response.refresh_from_db()
    assert response.rating == 4 and response.responded_at is not None

    pm = visitors.log_in("pm", PASSWORD)
    pm.goto(f"/projects/{delivered.pk}/")
    pm.get_by_role("link", name="Client ratings").click()
    expect(pm.locator("main")).to_contain_text("1 of 1 answered, average 4")
    expect(pm.locator("main li")).to_contain_text("4 out of 5")
    assert visitors.js_errors == []
