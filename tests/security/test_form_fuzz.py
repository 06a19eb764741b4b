"""Bad input on the main pages' forms: never a 500, never a hang, never half a write.

Every text field of the booking dialog, the request form, the brief editor, a timesheet
cell and week, the time-off request, the project form and a budget line is posted, one at
a time, a 100,000-character string, a NUL byte and a script; every date field the ends of
the calendar, a day that does not exist and garbage; every number field negative, zero,
past 32 and 64 bits, 1e308, NaN and Infinity. Each post either saves, and then the text
is shown escaped on the object's page, or is refused with a message and leaves every row
as it was. The work of each post is counted in queries (a hang would be caught by the
guard below, which is no measurement: an answer takes milliseconds).
"""

import datetime as dt
import difflib
import signal
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from approvals.models import Approval
from briefs.diff import MAX_DIFF_WORK, diff_text
from briefs.models import SECTIONS, Brief, BriefVersion, Request, RequestItem
from budgets.models import Budget, BudgetLine
from projects.models import Project
from schedules.models import Booking, TimeEntry, TimeOff, Timesheet
from studio.models import AuditEvent, Notification
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
TEXTS = {"100k": "lorem ipsum " * 8_333 + "dolor", "nul": "before\x00after", "script": SCRIPT}
DATES = {"year-1": "0001-01-01", "year-9999": "9999-12-31", "feb-30": "2026-02-30", "garbage": "soon-ish"}
NUMBERS = {"-1": "-1", "0": "0", "2^31": str(2**31), "2^63": str(2**63), "1e308": "1e308", "NaN": "NaN",
           "Infinity": "Infinity"}
PAYLOADS = {"text": TEXTS, "date": DATES, "number": NUMBERS}
# Far more than any of these forms needs (they use 10 to 40): a loop over rows or days would pass it.
MOST_QUERIES = 120
HANG_SECONDS = 20


@dataclass
class Form:
    """One form of a page as a user posts it: a valid post, and what a save changes."""

    url: str
    data: dict
    state: Callable[[], tuple]  # what a save changes and a refusal must leave as it was
    shown_at: Callable[[], str] | None = None  # the saved object's page
    shown: tuple[str, ...] = ()  # the text fields that page shows
    headers: dict = field(default_factory=dict)
    # A field whose bad value is no form's business: the address it names does not exist.
    not_found: tuple[str, ...] = ()
    # A field that names what to show rather than what to save: a bad value shows this week.
    falls_back: tuple[str, ...] = ()


def counts(*models) -> tuple:
    return tuple(model.objects.count() for model in models)


def trail() -> tuple:
    """What any write leaves besides its own rows: the audit log, approvals, notifications."""
    return counts(AuditEvent, Approval, Notification)


# --- the forms ----------------------------------------------------------------------------


def booking_form(request) -> tuple:
    pm, creative = request.getfixturevalue("pm"), request.getfixturevalue("creative")
    project = f.ProjectFactory(pm=pm)
    data = {"talent": creative.talent.pk, "project": project.pk, "start_date": "2026-12-03",
            "end_date": "2026-12-04", "hours_per_day": "6", "status": "tentative", "note": "Key visual",
            "override_reason": ""}
    return pm, Form(
        reverse("schedules:booking-new"), data,
        state=lambda: counts(Booking) + trail(),
        shown_at=lambda: reverse("schedules:booking-edit", args=[Booking.objects.latest("pk").pk]), shown=("note",),
    )


def booking_edit_form(request) -> tuple:
    pm, creative = request.getfixturevalue("pm"), request.getfixturevalue("creative")
    booking = f.BookingFactory(talent=creative.talent, project=f.ProjectFactory(pm=pm))
    data = {"talent": creative.talent.pk, "project": booking.project_id, "start_date": "2026-12-03",
            "end_date": "2026-12-04", "hours_per_day": "6", "note": "Key visual", "override_reason": "",
            "version": booking.version}
    return pm, Form(
        reverse("schedules:booking-edit", args=[booking.pk]), data,
        state=lambda: (Booking.objects.get(pk=booking.pk).version, *counts(Booking), *trail()),
        shown_at=lambda: reverse("schedules:booking-edit", args=[booking.pk]), shown=("note",),
    )


def budget_line_edit_form(request) -> tuple:
    pm = request.getfixturevalue("pm")
    budget = f.BudgetFactory(project__pm=pm)
    line = f.BudgetLineFactory(budget=budget, kind="expense", amount=D("100"), hours=None, rate=None)
    data = {"version": budget.version, "kind": "expense", "description": "Courier", "amount": "120"}
    return pm, Form(
        reverse("budgets:budget-line-edit", args=[line.pk]), data,
        state=lambda: (Budget.objects.get(pk=budget.pk).version, *counts(BudgetLine), *trail()),
        shown_at=lambda: reverse("budgets:project-budget", args=[budget.project_id]), shown=("description",),
    )


def request_form(request) -> tuple:
    manager, brand = request.getfixturevalue("brand_manager"), request.getfixturevalue("brand")
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, hours_per_unit=D("5"))
    data = {"title": "Winter launch", "brand": brand.pk, "objectives": "Sell the winter range.",
            "deadline": "2027-01-08", "budget": "15000.00",
            "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 1, "items-MAX_NUM_FORMS": 50,
            "items-0-deliverable_type": kind.pk, "items-0-quantity": 2}
    return manager, Form(
        reverse("briefs:request-create"), data,
        state=lambda: counts(Request, RequestItem) + trail(),
        shown_at=lambda: reverse("briefs:request-detail", args=[Request.objects.latest("pk").pk]),
        shown=("title", "objectives"),
    )


def brief_form(request) -> tuple:
    pm, brand = request.getfixturevalue("pm"), request.getfixturevalue("brand")
    brief = f.BriefFactory(project__brand=brand, project__pm=pm)
    data = {"title": brief.title, "version": brief.version, "background": "Winter.", "objectives": "Sell.",
            "tone": "Warm.", "deadline": "2027-01-08"}
    return pm, Form(
        reverse("briefs:brief-edit", args=[brief.pk]), data,
        state=lambda: (Brief.objects.get(pk=brief.pk).version, *counts(BriefVersion), *trail()),
        shown_at=lambda: reverse("briefs:brief-detail", args=[brief.pk]),
        shown=("title", "background", "objectives", "tone"),
    )


def timesheet_cell_form(request) -> tuple:
    creative = request.getfixturevalue("creative")
    project = f.ProjectFactory()
    f.BookingFactory(talent=creative.talent, project=project)
    name = f"h-{project.pk}-0-{dt.date(2026, 11, 24).isoformat()}"
    return creative, Form(
        reverse("schedules:timesheet-cell", args=[creative.talent.pk]), {"cell": name, name: "2"},
        state=lambda: counts(Timesheet, TimeEntry) + trail(),
        headers={"HX-Request": "true"},
        not_found=("cell",),
    )


def timesheet_week_form(request) -> tuple:
    creative = request.getfixturevalue("creative")
    project = f.ProjectFactory()
    f.BookingFactory(talent=creative.talent, project=project)
    name = f"h-{project.pk}-0-{dt.date(2026, 11, 24).isoformat()}"
    return creative, Form(
        reverse("schedules:timesheet-save", args=[creative.talent.pk]), {"week": "2026-11-23", name: "3"},
        state=lambda: counts(Timesheet, TimeEntry) + trail(),
        falls_back=("week",),
    )


def time_off_form(request) -> tuple:
    creative = request.getfixturevalue("creative")
    data = {"start_date": "2026-12-07", "end_date": "2026-12-08", "hours_per_day": "3", "reason": "Dentist"}
    return creative, Form(
        reverse("schedules:time-off-request"), data,
        state=lambda: counts(TimeOff) + trail(),
        shown_at=lambda: reverse("schedules:time-off-list"), shown=("reason",),
    )


def project_data(pm, brand) -> dict:
    return {"name": "Launch", "brand": brand.pk, "pm": pm.pk, "planned_start": "2026-11-30",
            "due_date": "2026-12-18", "fee": "100", "description": "Winter range."}


PROJECT_FIELDS = {"name": "text", "description": "text", "planned_start": "date", "due_date": "date", "fee": "number"}


def project_create_form(request) -> tuple:
    pm, brand = request.getfixturevalue("pm"), request.getfixturevalue("brand")
    return pm, Form(
        reverse("projects:project-create"), project_data(pm, brand) | {"status": "planned"},
        state=lambda: counts(Project) + trail(),
        shown_at=lambda: reverse("projects:project-detail", args=[Project.objects.latest("pk").pk]),
        shown=("name", "description"),
    )


def project_edit_form(request) -> tuple:
    pm, brand = request.getfixturevalue("pm"), request.getfixturevalue("brand")
    project = f.ProjectFactory(pm=pm, brand=brand)
    return pm, Form(
        reverse("projects:project-edit", args=[project.pk]), project_data(pm, brand) | {"version": project.version},
        state=lambda: (Project.objects.get(pk=project.pk).version, *counts(Project), *trail()),
        shown_at=lambda: reverse("projects:project-detail", args=[project.pk]), shown=("name", "description"),
    )


def budget_line_form(request) -> tuple:
    pm = request.getfixturevalue("pm")
    budget = f.BudgetFactory(project__pm=pm)
    data = {"version": budget.version, "kind": "freelance", "description": "Retoucher", "hours": "20",
            "rate": "95.25", "amount": "", "percent": ""}
    return pm, Form(
        reverse("budgets:budget-line-add", args=[budget.pk]), data,
        state=lambda: (Budget.objects.get(pk=budget.pk).version, *counts(BudgetLine), *trail()),
        shown_at=lambda: reverse("budgets:project-budget", args=[budget.project_id]), shown=("description",),
    )


FORMS = {
    "booking": booking_form,
    "booking-edit": booking_edit_form,
    "request": request_form,
    "brief": brief_form,
    "timesheet-cell": timesheet_cell_form,
    "timesheet-week": timesheet_week_form,
    "time-off": time_off_form,
    "project-create": project_create_form,
    "project-edit": project_edit_form,
    "budget-line": budget_line_form,
    "budget-line-edit": budget_line_edit_form,
}

# Which fields of each form take which payloads, for parametrisation at collection time.
FIELDS = {
    "booking": {"note": "text", "override_reason": "text", "start_date": "date", "end_date": "date",
                "hold_expires_on": "date", "hours_per_day": "number"},
    "booking-edit": {"note": "text", "end_date": "date", "hours_per_day": "number", "version": "number"},
    "request": {"title": "text", "objectives": "text", "deadline": "date", "budget": "number",
                "items-0-quantity": "number"},
    "brief": {"title": "text", "background": "text", "objectives": "text", "tone": "text", "deadline": "date",
              "version": "number"},
    "timesheet-cell": {"cell-hours": "number", "cell": "date"},
    "timesheet-week": {"cell-hours": "number", "week": "date"},
    "time-off": {"reason": "text", "start_date": "date", "end_date": "date", "hours_per_day": "number"},
    "project-create": PROJECT_FIELDS,
    "project-edit": PROJECT_FIELDS | {"version": "number"},
    "budget-line": {"description": "text", "hours": "number", "rate": "number", "amount": "number",
                    "percent": "number", "version": "number"},
    "budget-line-edit": {"description": "text", "amount": "number", "version": "number"},
}
CASES = [
    pytest.param(form, name, payload, id=f"{form}-{name}-{label}")
    for form, fields in FIELDS.items()
    for name, kind in fields.items()
    for label, payload in PAYLOADS[kind].items()
]


def fuzzed(form: Form, name: str, payload: str) -> dict:
    """The valid post with one field's value replaced; a timesheet cell's hours are posted
    under the cell's name ("cell-hours"), its day is part of that name ("cell")."""
    data = dict(form.data)
    cell = next((key for key in data if key.startswith("h-")), None)
    if name == "cell-hours":
        data[cell] = payload
    elif name == "cell":
        fuzzed_cell = cell.rsplit("-", 3)[0] + "-" + payload
        data = {"cell": fuzzed_cell, fuzzed_cell: "2"}
    else:
        data[name] = payload
    if name == "hours_per_day" and "reason" in data:
        data.pop("full_day", None)  # part days, so the hours count
    return data


class Hung(Exception):
    pass


@contextmanager
def hang_guard():
    """Fails a post that has not answered after HANG_SECONDS instead of waiting for ever."""

    def hung(signum, frame):
        raise Hung(f"no answer after {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused_with_a_message(response) -> bool:
    if response.status_code == 302:
        # Back to the page it came from, with the reason as the page's message.
        return any(message.level >= messages.WARNING for message in messages.get_messages(response.wsgi_request))
    html = response.content.decode()
    return response.status_code in (200, 400, 409, 422) and (
        'class="errorlist' in html or 'role="alert"' in html or response.status_code >= 400
    )


@pytest.mark.parametrize("form_name", FORMS)
def test_each_form_saves_its_valid_post(client, request, form_name):
    # The fuzzing below changes one value of this post at a time: it must be a save to begin with.
    user, form = FORMS[form_name](request)
    client.force_login(user)
    before = form.state()
    response = client.post(form.url, form.data, headers=form.headers)
    assert response.status_code in (200, 302)
    assert form.state() != before


@pytest.mark.parametrize(("form_name", "name", "payload"), CASES)
def test_bad_input_is_refused_or_saved_never_a_500(client, request, form_name, name, payload):
    user, form = FORMS[form_name](request)
    client.force_login(user)
    before = form.state()

    with hang_guard(), CaptureQueriesContext(connection) as queries:
        response = client.post(form.url, fuzzed(form, name, payload), headers=form.headers)

    assert response.status_code < 500
    assert len(queries) <= MOST_QUERIES, f"{len(queries)} queries"
    if form.state() == before:
        # Refused: said so, next to the field or on the page, and nothing written.
        if name in form.not_found:
            assert response.status_code == 404
        else:
            assert refused_with_a_message(response), (response.status_code, response.content.decode()[:2000])
        return
    # Saved: never a day that does not exist or lies outside the plan window, never a NUL byte,
    # and a script kept as text is shown escaped on the object's page.
    assert payload not in DATES.values() or name in form.falls_back, f"{payload} was saved"
    assert payload != TEXTS["nul"], "a NUL byte was saved"
    if payload == SCRIPT and name in form.shown:
        page = client.get(form.shown_at())
        assert page.status_code == 200
        html = page.content.decode()
        assert SCRIPT not in html
        assert ESCAPED_SCRIPT in html


# --- the brief diff of two long versions ----------------------------------------------------

LONG = "lorem ipsum " * 8_333  # 100,000 characters, the same two words over and over


@pytest.fixture
def compared(monkeypatch):
    """The pairs each diff the page makes compares (a SequenceMatcher's two sides)."""
    pairs = []

    class Counted(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            pairs.append(len(a) * len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Counted)
    return pairs


def test_the_diff_of_two_versions_with_100k_sections_counts_its_work(client, pm, brand, compared):
    brief = f.BriefFactory(project__brand=brand, project__pm=pm, status="approved", current_version_number=2)
    first = {name: LONG for name in SECTIONS}
    second = first | {
        "background": LONG + "Sell oats. " + LONG,  # an edit inside a long section
        "objectives": "lorem x " * 12_500,  # every other word changed
        "tone": "lorem ipsum\n" * 8_333,  # the same words, by lines
        "audience": SCRIPT + LONG,
    }
    first["background"] = LONG + "Sell porridge. " + LONG
    f.BriefVersionFactory(brief=brief, number=1, content=first)
    f.BriefVersionFactory(brief=brief, number=2, content=second)
    client.force_login(pm)

    with hang_guard(), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("briefs:brief-diff", args=[brief.pk]), {"a": 1, "b": 2})

    assert response.status_code == 200
    assert len(queries) <= 30
    # Each section compares at most MAX_DIFF_WORK pairs of words or lines, where a word diff of
    # the whole would compare 33,332² ≈ 1.1 billion (and walk them many times over).
    assert len(compared) <= 3 * len(SECTIONS)
    assert sum(compared) <= MAX_DIFF_WORK * len(SECTIONS)
    html = response.content.decode()
    assert "Sell <del>porridge.</del><ins>oats.</ins>" in html  # still read word by word
    assert SCRIPT not in html and ESCAPED_SCRIPT in html


@pytest.mark.parametrize(
    ("old", "new", "marked"),
    [
        ("Win the winter.", "Win the whole winter.", "Win the <ins>whole </ins>winter."),
        (LONG + "A & B " + LONG, LONG + "A & C " + LONG, "A &amp; <del>B</del><ins>C</ins> lorem"),
        ("x " * 60_000, "y\n" * 60_000, "<del>" + "x " * 60_000 + "</del><ins>" + "y\n" * 60_000 + "</ins>"),
    ],
    ids=["short", "long-with-a-small-edit", "long-rewritten"],
)
def test_a_long_rewrite_is_shown_replaced_whole_and_a_small_edit_word_by_word(old, new, marked):
    assert marked in diff_text(old, new)


# --- the same values through the API ------------------------------------------------------


def api_booking(request) -> tuple:
    pm, creative = request.getfixturevalue("pm"), request.getfixturevalue("creative")
    project = f.ProjectFactory(pm=pm)
    data = {"talent": creative.talent.pk, "project": project.pk, "start_date": "2026-12-03",
            "end_date": "2026-12-04", "hours_per_day": "6", "status": "tentative", "note": "Key visual"}
    return pm, "/api/bookings/", data, lambda: counts(Booking) + trail()


def api_request(request) -> tuple:
    manager, brand = request.getfixturevalue("brand_manager"), request.getfixturevalue("brand")
    kind = f.DeliverableTypeFactory(name="Key visual")
    data = {"title": "Spring teaser", "brand": brand.pk, "objectives": "Tease the spring range.",
            "deadline": "2027-03-01", "budget": "8000.00", "items": [{"deliverable_type": kind.pk, "quantity": 4}]}
    return manager, "/api/requests/", data, lambda: counts(Request, RequestItem) + trail()


def api_time_off(request) -> tuple:
    creative = request.getfixturevalue("creative")
    data = {"start_date": "2026-12-07", "end_date": "2026-12-08", "full_day": False, "hours_per_day": "3",
            "reason": "Dentist"}
    return creative, "/api/time-off/", data, lambda: counts(TimeOff) + trail()


def api_time_entry(request) -> tuple:
    creative = request.getfixturevalue("creative")
    project = f.ProjectFactory()
    f.BookingFactory(talent=creative.talent, project=project)
    data = {"project": project.pk, "date": "2026-11-24", "hours": "2", "note": "Layouts"}
    return creative, "/api/time-entries/", data, lambda: counts(Timesheet, TimeEntry) + trail()


def api_budget_line(request) -> tuple:
    pm = request.getfixturevalue("pm")
    budget = f.BudgetFactory(project__pm=pm)
    data = {"budget": budget.pk, "version": budget.version, "kind": "freelance", "description": "Retoucher",
            "hours": "20", "rate": "95.25"}
    return pm, "/api/budget-lines/", data, lambda: (Budget.objects.get(pk=budget.pk).version, *counts(BudgetLine))


API = {"booking": api_booking, "request": api_request, "time-off": api_time_off, "time-entry": api_time_entry,
       "budget-line": api_budget_line}
API_FIELDS = {
    "booking": {"note": "text", "start_date": "date", "hours_per_day": "number"},
    "request": {"title": "text", "objectives": "text", "deadline": "date", "budget": "number", "quantity": "number"},
    "time-off": {"reason": "text", "end_date": "date", "hours_per_day": "number"},
    "time-entry": {"note": "text", "date": "date", "hours": "number"},
    "budget-line": {"description": "text", "hours": "number", "rate": "number", "version": "number"},
}
API_CASES = [
    pytest.param(endpoint, name, payload, id=f"{endpoint}-{name}-{label}")
    for endpoint, fields in API_FIELDS.items()
    for name, kind in fields.items()
    for label, payload in PAYLOADS[kind].items()
]


@pytest.mark.parametrize("endpoint", API)
def test_each_endpoint_saves_its_valid_post(request, endpoint):
    user, url, data, state = API[endpoint](request)
    client = APIClient()
    client.force_login(user)
    before = state()
    response = client.post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert state() != before


@pytest.mark.parametrize(("endpoint", "name", "payload"), API_CASES)
def test_the_api_answers_bad_input_with_a_400_on_the_field_or_saves(request, endpoint, name, payload):
    user, url, data, state = API[endpoint](request)
    client = APIClient()
    client.force_login(user)
    if name == "quantity":
        data["items"][0]["quantity"] = payload
    else:
        data[name] = payload
    before = state()

    with hang_guard(), CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, format="json")

    assert response.status_code < 500
    assert len(queries) <= MOST_QUERIES, f"{len(queries)} queries"
    if response.status_code == 201:
        assert payload != TEXTS["nul"], "a NUL byte was saved"
        assert state() != before
    else:
        assert response.status_code in (400, 409), response.content
        assert response.json(), "a refusal names what it refused"
        assert state() == before


# --- one set of maxima --------------------------------------------------------------------


def test_forms_serializers_and_services_check_the_studios_own_maxima():
    from briefs.services import requests as intake
    from budgets.forms import BudgetLineForm
    from budgets.services import budgets, change_orders, costs
    from projects.api import common
    from projects.forms import DeliverableForm
    from projects.services import plan
    from schedules.services import timesheets
    from studio import limits

    assert plan.MAX_QUANTITY is intake.MAX_QUANTITY is limits.MAX_QUANTITY
    assert DeliverableForm.base_fields["quantity"].max_value == limits.MAX_QUANTITY
    assert plan.MAX_HOURS is limits.MAX_PLANNED_HOURS
    assert budgets.MAX_HOURS is change_orders.MAX_HOURS is limits.MAX_BUDGET_HOURS
    assert BudgetLineForm.base_fields["hours"].max_value == limits.MAX_BUDGET_HOURS
    assert costs.LIMIT is change_orders.LIMIT is limits.MAX_AMOUNT
    assert timesheets.DAY_LIMIT is limits.HOURS_PER_DAY
    assert common.MAX_VERSION is limits.MAX_VERSION


# A sum of money a studio could mean (at most limits.MAX_AMOUNT) against one a column still holds.
PAST_THE_MAXIMUM = "1000000000.00"


@pytest.mark.parametrize(("form_name", "name"), [
    ("request", "budget"), ("project-create", "fee"), ("project-edit", "fee"), ("budget-line", "amount"),
])
def test_a_sum_past_the_studios_maximum_is_refused_next_to_the_field(client, request, form_name, name):
    user, form = FORMS[form_name](request)
    client.force_login(user)
    before = form.state()
    data = fuzzed(form, name, PAST_THE_MAXIMUM)
    if name == "amount":
        data.update(hours="", rate="")

    response = client.post(form.url, data, headers=form.headers)

    assert form.state() == before
    assert "Ensure this value is less than or equal to 999999999.99" in response.content.decode()


@pytest.mark.parametrize(("endpoint", "name"), [("request", "budget"), ("budget-line", "amount")])
def test_the_api_refuses_a_sum_past_the_studios_maximum_on_the_field(request, endpoint, name):
    user, url, data, state = API[endpoint](request)
    client = APIClient()
    client.force_login(user)
    data = {key: value for key, value in data.items() if key not in ("hours", "rate")} | {name: PAST_THE_MAXIMUM}
    before = state()

    response = client.post(url, data, format="json")

    assert response.status_code == 400
    assert name in response.json()
    assert state() == before


def test_a_projects_fee_past_the_studios_maximum_is_refused_by_the_api(pm, brand):
    client = APIClient()
    client.force_login(pm)
    data = project_data(pm, brand) | {"code": "FEE-MAX", "fee": PAST_THE_MAXIMUM}

    response = client.post("/api/projects/", data, format="json")

    assert response.status_code == 400
    assert "fee" in response.json()
