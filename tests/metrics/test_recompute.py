"""Recomputing a range of nights from the portfolio: who may, the ranges refused, a run in
process writing the nights, the progress fragment in each of the task's states, and a real
worker through Redis.

The studio's today is Wed 25 Nov 2026; yesterday, the latest night, is Tue 24 Nov."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from metrics import views_recompute
from metrics.models import MetricSnapshot
from tests import factories as f
from tests.celery_worker import wait_until
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

YESTERDAY = TODAY - dt.timedelta(days=1)  # Tue 24 Nov 2026
URL = "/metrics/recompute/"
PROGRESS = "/metrics/recompute/progress/"
TASK_ID = "0b6a3c8e-5f43-4c1e-9d2a-7b1f0e6c4a21"
HTMX = {"HTTP_HX_REQUEST": "true"}


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


@pytest.fixture
def started(monkeypatch):
    """The ranges handed to the task, instead of running it."""
    calls = []

    def delay(first, last):
        calls.append((first, last))
        return SimpleNamespace(id=TASK_ID, state="PENDING", info=None, ready=lambda: False)

    monkeypatch.setattr(views_recompute.metrics_compute_range_task, "delay", delay)
    return calls


def state(monkeypatch, name, info=None):
    """The task's result as the backend would answer it (the view's one lookup, replaced)."""
    monkeypatch.setattr(views_recompute, "task_result",
                        lambda task_id: SimpleNamespace(id=task_id, state=name, info=info))


def polls(html: str) -> bool:
    return 'hx-trigger="every 1s"' in html


# --- who may -----------------------------------------------------------------------------------


def test_urls():
    assert reverse("portfolio:recompute") == URL
    assert reverse("portfolio:recompute-progress") == PROGRESS


def test_pm_sees_the_form_on_the_portfolio(client, pm):
    client.force_login(pm)
    html = client.get("/metrics/").content.decode()
    assert 'id="recompute"' in html and f'action="{URL}"' in html


@pytest.mark.parametrize("who", ["executive", "admin_user", "creative", "freelancer", "brand_manager"])
def test_only_production_managers_may_recompute(client, request, who, started, monkeypatch):
    state(monkeypatch, "SUCCESS")
    client.force_login(request.getfixturevalue(who))
    assert client.post(URL, {"first": "2026-11-23", "last": "2026-11-24"}, **HTMX).status_code == 403
    assert client.get(PROGRESS, {"task": TASK_ID, "nights": 2}, **HTMX).status_code == 403
    assert started == []
    if who != "brand_manager":  # brand managers see no portfolio of the whole studio's form either way
        assert 'id="recompute"' not in client.get("/metrics/").content.decode()


def test_pm_may_recompute(client, pm, started, monkeypatch):
    state(monkeypatch, "PENDING")
    client.force_login(pm)
    assert client.post(URL, {"first": "2026-11-23", "last": "2026-11-24"}, **HTMX).status_code == 200
    assert client.get(PROGRESS, {"task": TASK_ID, "nights": 2}, **HTMX).status_code == 200
    assert started == [("2026-11-23", "2026-11-24")]


def test_anonymous_is_sent_to_log_in(client, started):
    for response in (client.post(URL, {"first": "2026-11-23", "last": "2026-11-24"}),
                     client.get(PROGRESS, {"task": TASK_ID, "nights": 2})):
        assert response.status_code == 302 and response.url.startswith("/login/")
    assert started == []


# --- the range ---------------------------------------------------------------------------------


@pytest.mark.parametrize("first, last, field, message", [
    ("2026-11-24", "2026-11-20", "last", "cannot end before it starts"),
    # 1 Jan 2024 to 26 Sep 2026: 366 (2024) + 365 (2025) + 31+28+31+30+31+30+31+31+26 = 269 → 1,000 nights.
    ("2024-01-01", "2026-09-26", "last", "at most 92 nights"),
    # 24 Aug to 24 Nov: 8 (24–31 Aug) + 30 + 31 + 24 = 93 nights, one too many.
    ("2026-08-24", "2026-11-24", "last", "at most 92 nights"),
    ("0001-01-01", "2026-11-24", "first", "Choose a date from Sat 1 Jan 2000 to Thu 31 Dec 2099"),
    ("2026-11-20", "9999-12-31", "last", "Choose a date from Sat 1 Jan 2000 to Thu 31 Dec 2099"),
    ("2026-11-20", "2026-11-25", "last", "Tue 24 Nov at the latest"),  # today's night is not over
    ("2026-11-2\x00", "2026-11-24", "first", "Enter a valid date"),
    ("last tuesday", "2026-11-24", "first", "Enter a valid date"),
    ("2026-11-20", "2026-02-30", "last", "Enter a valid date"),
])
def test_a_bad_range_is_refused_beside_its_field(client, pm, started, first, last, field, message):
    client.force_login(pm)
    response = client.post(URL, {"first": first, "last": last})
    assert response.status_code == 400
    form = response.context["recompute_form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert f'id="recompute-{field}"' in response.content.decode()
    assert started == []


def test_ninety_two_nights_are_allowed(client, pm, started):
    client.force_login(pm)
    # 25 Aug to 24 Nov: 7 (25–31 Aug) + 30 + 31 + 24 = 92 nights.
    assert client.post(URL, {"first": "2026-08-25", "last": "2026-11-24"}, **HTMX).status_code == 200
    assert started == [("2026-08-25", "2026-11-24")]


def test_htmx_gets_the_errors_as_a_fragment_it_swaps(client, pm, started):
    client.force_login(pm)
    response = client.post(URL, {"first": "2026-11-24", "last": "2026-11-20"}, **HTMX)
    # 422, not 400: base.html's htmx-config swaps 422 answers, so the errors show beside the fields.
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="recompute"') and "cannot end before it starts" in html
    assert started == []


def test_empty_dates_mean_the_last_seven_nights(client, pm, started):
    client.force_login(pm)
    client.post(URL, {"first": "", "last": ""}, **HTMX)
    # Yesterday Tue 24 Nov and the six nights before: Wed 18 Nov to Tue 24 Nov.
    assert started == [("2026-11-18", "2026-11-24")]


# --- a run in process (no broker) --------------------------------------------------------------


def test_a_run_in_process_writes_the_nights_and_says_done(client, pm):
    f.ProjectFactory()
    f.MetricSnapshotFactory(date=nov(24), metric="stale")
    f.MetricSnapshotFactory(date=nov(22), metric="kept")
    client.force_login(pm)
    response = client.post(URL, {"first": "2026-11-23", "last": "2026-11-24"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Done: 2 nights recomputed." in html and not polls(html)
    dates = set(MetricSnapshot.objects.values_list("date", flat=True))
    assert dates == {nov(22), nov(23), nov(24)}
    assert not MetricSnapshot.objects.filter(metric="stale").exists()
    assert MetricSnapshot.objects.filter(metric="kept").count() == 1


def test_without_javascript_the_post_goes_back_to_the_portfolio(client, pm):
    client.force_login(pm)
    response = client.post(URL, {"first": "2026-11-24", "last": "2026-11-24"}, follow=True)
    assert response.redirect_chain == [("/metrics/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Done: 1 night recomputed."]
    assert MetricSnapshot.objects.filter(date=nov(24)).exists()


def test_a_queued_run_without_javascript_says_it_is_running(client, pm, started):
    client.force_login(pm)
    response = client.post(URL, {"first": "2026-11-18", "last": "2026-11-24"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Recomputing 7 nights, Wed 18 Nov to Tue 24 Nov, in the background."]


def test_a_queued_run_answers_a_fragment_that_polls(client, pm, started):
    client.force_login(pm)
    html = client.post(URL, {"first": "2026-11-18", "last": "2026-11-24"}, **HTMX).content.decode()
    assert polls(html)
    assert f'hx-get="{PROGRESS}?task={TASK_ID}&amp;nights=7"' in html
    assert "Waiting to compute 7 nights…" in html


# --- the progress fragment ---------------------------------------------------------------------


def test_pending_keeps_polling(client, pm, monkeypatch):
    state(monkeypatch, "PENDING")
    client.force_login(pm)
    html = client.get(PROGRESS, {"task": TASK_ID, "nights": 7}, **HTMX).content.decode()
    assert polls(html) and "Waiting to compute 7 nights…" in html and "<progress" in html


def test_progress_shows_the_night_and_a_bar(client, pm, monkeypatch):
    state(monkeypatch, "PROGRESS", {"done": 3, "total": 7, "day": "2026-11-20"})
    client.force_login(pm)
    html = client.get(PROGRESS, {"task": TASK_ID, "nights": 7}, **HTMX).content.decode()
    # The third of 18…24 Nov is Fri 20 Nov.
    assert "Computing night 3 of 7 (Fri 20 Nov)…" in html
    assert '<progress value="3" max="7">' in html and polls(html)


def test_success_says_done_and_stops_polling(client, pm, monkeypatch):
    state(monkeypatch, "SUCCESS", 1234)
    client.force_login(pm)
    html = client.get(PROGRESS, {"task": TASK_ID, "nights": 7}, **HTMX).content.decode()
    assert "Done: 7 nights recomputed." in html and not polls(html) and "hx-get" not in html


def test_failure_says_so_and_stops_polling(client, pm, monkeypatch):
    state(monkeypatch, "FAILURE", ValueError("boom"))
    client.force_login(pm)
    html = client.get(PROGRESS, {"task": TASK_ID, "nights": 7}, **HTMX).content.decode()
    assert "The recompute failed." in html and not polls(html)
    assert "boom" not in html  # the exception stays in the worker's log


@pytest.mark.parametrize("query", [
    {"nights": 7},
    {"task": "not-a-task", "nights": 7},
    {"task": "../../etc", "nights": 7},
    {"task": TASK_ID[:-1] + "\x00", "nights": 7},
    {"task": TASK_ID},
    {"task": TASK_ID, "nights": 0},
    {"task": TASK_ID, "nights": 93},
    {"task": TASK_ID, "nights": "seven"},
])
def test_a_bad_poll_is_refused(client, pm, monkeypatch, query):
    monkeypatch.setattr(views_recompute, "task_result", lambda task_id: pytest.fail("looked up"))
    client.force_login(pm)
    assert client.get(PROGRESS, query, **HTMX).status_code == 400


@pytest.mark.parametrize("total", [2, 92])
def test_the_progress_view_runs_the_same_queries_whatever_the_range(client, pm, monkeypatch, total,
                                                                    django_assert_num_queries):
    state(monkeypatch, "PROGRESS", {"done": 1, "total": total, "day": "2026-11-20"})
    client.force_login(pm)
    # The session, the user and the studio settings (context processor); the task's state is in the
    # result backend, not the database.
    with django_assert_num_queries(3):
        response = client.get(PROGRESS, {"task": TASK_ID, "nights": total}, **HTMX)
    assert f"Computing night 1 of {total} (Fri 20 Nov)…" in response.content.decode()


# --- a real worker -----------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_recomputes_two_nights_and_the_fragment_reaches_done(client, pm, celery_worker):
    client.force_login(pm)
    html = client.post(URL, {"first": "2026-11-23", "last": "2026-11-24"}, **HTMX).content.decode()
    poll = re.search(r'hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert poll.startswith(PROGRESS) and polls(html)

    seen = []

    def done():
        seen.append(client.get(poll, **HTMX).content.decode())
        return "Done: 2 nights recomputed." in seen[-1]

    assert wait_until(done, timeout=30), seen[-1]
    assert not polls(seen[-1])
    assert set(MetricSnapshot.objects.values_list("date", flat=True)) == {nov(23), nov(24)}
