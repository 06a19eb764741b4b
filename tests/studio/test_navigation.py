"""The menu of every role links to routed pages; a URL name that does not reverse fails."""

import pytest
from django.urls import resolve, reverse

pytestmark = pytest.mark.django_db

ROLES = ["pm", "executive", "creative", "freelancer", "brand_manager", "admin_user"]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_item_and_badge_of_every_role_links_to_a_routed_page(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(reverse("studio:notification-list"))

    assert response.status_code == 200
    items = response.context["nav_items"]
    assert items, f"{role} sees no menu"
    html = response.content.decode()
    for item in items:
        resolve(item["url"])
        assert f'href="{item["url"]}"' in html
        if "badge" in item:
            resolve(item["badge"]["url"])
            assert f'hx-get="{item["badge"]["url"]}"' in html


def test_the_approvals_item_carries_its_count_badge(client, pm):
    client.force_login(pm)

    items = client.get(reverse("studio:notification-list")).context["nav_items"]

    approvals = next(item for item in items if item["url"] == reverse("approvals:inbox"))
    assert approvals["badge"] == {"url": reverse("approvals:inbox-count"), "event": "approvalChanged"}


MANAGER_MENU = [
    ("Dashboard", "metrics:dashboard"),
    ("Schedule", "schedules:team-schedule"),
    ("Resources", "schedules:forecast"),
    ("Approvals", "approvals:inbox"),
    ("Requests", "briefs:request-list"),
    ("Briefs", "briefs:brief-list"),
    ("Projects", "projects:project-list"),
    ("Timeline", "projects:portfolio-timeline"),
    ("Metrics", "portfolio:portfolio"),
    ("Budgets", "budgets:studio"),
    ("Talent", "studio:talent-list"),
    ("Audit log", "studio:audit-list"),
]
TALENT_MENU = [
    ("My day", "schedules:my-day"),
    ("Timesheet", "schedules:timesheet-week"),
    ("Approvals", "approvals:inbox"),
    ("Briefs", "briefs:brief-list"),
    ("My projects", "projects:project-list"),
    ("Team", "studio:talent-list"),
]
# Their start page, the requests, leads a brand manager's menu.
BRAND_MENU = [
    ("Requests", "briefs:request-list"),
    ("Approvals", "approvals:inbox"),
    ("Briefs", "briefs:brief-list"),
    ("Projects", "projects:project-list"),
    ("Metrics", "portfolio:portfolio"),
]
ADMIN = ("Admin", "admin:index")  # Django's staff flag: the pm and admin_user fixtures are staff
MENUS = {
    "pm": [*MANAGER_MENU, ADMIN],
    "executive": MANAGER_MENU,
    # The admin role sees what production managers see, and decides nothing; it reads the
    # audit trail in the Django admin, the audit log page is the managers' (audit.view).
    "admin_user": [item for item in MANAGER_MENU if item[0] not in ("Approvals", "Audit log")] + [ADMIN],
    "creative": TALENT_MENU,
    "freelancer": TALENT_MENU,
    "brand_manager": BRAND_MENU,
    "outsider": BRAND_MENU,
}


@pytest.mark.parametrize("role", MENUS)
def test_each_role_sees_its_menu_in_order(client, request, role):
    client.force_login(request.getfixturevalue(role))

    items = client.get(reverse("studio:notification-list")).context["nav_items"]

    assert [(str(item["label"]), item["url"]) for item in items] == [
        (label, reverse(name)) for label, name in MENUS[role]
    ]


def test_a_signed_out_visitor_sees_no_menu(client):
    assert client.get(reverse("login")).context["nav_items"] == []
