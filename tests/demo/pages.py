"""The key pages of the demo studio and the queries each runs for a demo login, the same at
any size of studio: pinned at scale 1 and 2 on every run (`test_pages_at_scale.py`) and at
scale 10 by `make test-scale`.

Each page is read once before it is counted (the session, the studio's time zone)."""

from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ChangeOrder
from studio.models import User

# Breakdowns: the fixed-number tests of each page (tests/schedules/test_resource_views.py,
# test_team_schedule.py, test_talent_status.py, tests/metrics/test_home.py, tests/budgets/).
PINNED = {
    "pm": {
        "home": 28, "home, every PM's": 31, "forecast": 7, "team schedule": 18, "talent directory": 9,
        "talent status": 8, "budget tab": 6, "plan against actual": 22, "costs": 10, "change order": 5,
        "budgets page": 18, "portfolio": 10, "project metrics": 7, "trends": 10, "people": 11, "audit log": 6,
    },
    "exec": {
        "home": 31, "budget tab": 6, "plan against actual": 22, "costs": 8, "change order": 5, "budgets page": 18,
        "portfolio": 10, "project metrics": 7, "trends": 10, "people": 11, "audit log": 6,
    },
}


class KeptCache(LocMemCache):
    """A cache of its own whose entries do not expire: what a page's first read cached (the
    studio's time zone) is still cached when the second read is counted, however long the
    seeding took, and no other test's write to the shared Redis can evict it."""

    def get_backend_timeout(self, timeout=None):
        return None


KEPT_CACHE = {"default": {"BACKEND": "tests.demo.pages.KeptCache", "LOCATION": "pages-at-scale"}}


def _count(client: Client, url: str, htmx: bool = False, **params):
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(url, params, headers=headers).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response


def _money(client: Client) -> dict[str, int]:
    """The money pages of the showcase (the project whose change order is approved)."""
    order = ChangeOrder.objects.filter(status="approved").select_related("project").order_by("pk").first()
    project = order.project.pk
    pages = {
        "budget tab": (f"/budgets/projects/{project}/", False),
        "plan against actual": (f"/budgets/projects/{project}/actuals/", True),
        "costs": (f"/budgets/projects/{project}/costs/", True),
        "change order": (f"/budgets/change-orders/{order.pk}/", False),
        "budgets page": ("/budgets/", False),
    }
    return {name: _count(client, url, htmx)[0] for name, (url, htmx) in pages.items()}


def _metrics(client: Client) -> dict[str, int]:
    """The portfolio, the showcase's metrics tab, the trends and the people page."""
    counts = {}
    counts["portfolio"], portfolio = _count(client, reverse("portfolio:portfolio"))
    rows = list(portfolio.context["page_obj"])
    assert len(rows) >= 5 and any(row.schedule.status != "grey" for row in rows)
    counts["project metrics"], tab = _count(client, reverse("portfolio:project-metrics", args=[rows[0].project.pk]))
    assert tab.context["tab"].has_figures
    counts["trends"], trends = _count(client, reverse("portfolio:trends"))
    assert any(chart.has_values for section in trends.context["trends"].sections for chart in section.charts)
    counts["people"], people = _count(client, reverse("portfolio:people"))
    assert len(people.context["page_obj"]) >= 10
    return counts


def _audit_log(client: Client) -> dict[str, int]:
    """The audit log: the demo's history, written by the services as it was played."""
    count, audit = _count(client, reverse("studio:audit-list"))
    assert audit.context["page_obj"].paginator.count >= 100
    assert all(event.source == "system" for event in audit.context["page_obj"])  # the seed command wrote it
    return {"audit log": count}


def _pm_pages(client: Client) -> dict[str, int]:
    counts = {}
    counts["home"], home = _count(client, reverse("metrics:dashboard"))
    conflicts = next(s for s in home.context["home"].sections if s.key == "conflicts")
    assert conflicts.count >= 1  # the showcase's dependency in conflict
    counts["home, every PM's"], _ = _count(client, reverse("metrics:dashboard"), scope="all")
    counts["forecast"], forecast = _count(client, reverse("schedules:forecast"))
    assert len(forecast.context["forecast"].rows) >= 3
    counts["team schedule"], team = _count(client, reverse("schedules:team-schedule"))
    assert sum(len(group.rows) for group in team.context["groups"]) >= 30
    counts["talent directory"], directory = _count(client, "/studio/talent/")
    ids = ",".join(str(talent.pk) for talent in directory.context["page_obj"])
    assert len(directory.context["page_obj"]) >= 10
    counts["talent status"], _ = _count(client, reverse("schedules:talent-status"), ids=ids)
    return counts | _money(client) | _metrics(client) | _audit_log(client)


def queries_of_pages(username: str) -> dict[str, int]:
    """{page: queries} for the demo login `username` (`pm` or `exec`)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    if username == "pm":
        return _pm_pages(client)
    counts, _ = _count(client, reverse("metrics:dashboard"))
    return {"home": counts} | _money(client) | _metrics(client) | _audit_log(client)
