"""Intake pages: the brand manager's request form, the request page with its
history and thread, and the production manager's triage, as each role sees them.

Today is fixed at Wednesday 25 November 2026 (tests.factories.TODAY)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import Approval
from briefs.models import Request
from briefs.services import requests as intake
from projects.models import Project
from studio.models import Attachment
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

TODAY = f.TODAY
CREATE_URL = reverse("briefs:request-create")
LIST_URL = reverse("briefs:request-list")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ROLES = ["pm", "executive", "creative", "freelancer", "brand_manager", "outsider"]


@pytest.fixture
def key_visual(db):
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=f.DisciplineFactory(name="Design"),
                           hours_per_unit=Decimal("6"))
    return kind


@pytest.fixture
def banner_set(db):
    return f.DeliverableTypeFactory(name="Banner set")


def form_data(brand, rows, **overrides):
    data = {
        "title": "Winter launch",
        "brand": brand.pk,
        "objectives": "Sell the winter range to commuters.",
        "deadline": "2027-01-08",
        "budget": "15000.00",
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 1,
        "items-MAX_NUM_FORMS": 50,
    }
    for index, (kind, quantity) in enumerate(rows):
        data[f"items-{index}-deliverable_type"] = kind.pk if kind else ""
        data[f"items-{index}-quantity"] = quantity
    return data | overrides


def post(client, user, data, url=CREATE_URL):
    client.force_login(user)
    return client.post(url, data)


def stored_files():
    root = Path(default_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def submitted(brand_manager, brand, kind, **overrides):
    values = {
        "submitted_by": brand_manager, "brand": brand, "title": "Winter launch",
        "objectives": "Sell the winter range.", "deadline": dt.date(2027, 1, 8),
        "budget": Decimal("15000.00"), "items": [(kind, 2)], "files": [],
    }
    return intake.request_submit(**(values | overrides))


# --- the request form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("brand_manager", 200), ("outsider", 200), ("pm", 403), ("executive", 403), ("admin_user", 403),
     ("creative", 403), ("freelancer", 403)],
)
def test_request_form_is_for_brand_managers_only(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CREATE_URL).status_code == status


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(CREATE_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_form_offers_only_the_users_own_brands(client, brand_manager, brand, other_brand):
    client.force_login(brand_manager)
    response = client.get(CREATE_URL)
    assert list(response.context["form"].fields["brand"].queryset) == [brand]
    assert other_brand.name not in response.content.decode()


def test_form_loads_the_feasibility_fragment_with_its_own_fields(client, brand_manager):
    client.force_login(brand_manager)
    content = client.get(CREATE_URL).content.decode()
    assert f'hx-get="{reverse("schedules:feasibility")}"' in content
    assert 'hx-include="closest form"' in content
    # A changed field, and typing in the deliverable rows or the deadline, refresh the verdict.
    assert 'hx-trigger="load, change from:closest form delay:300ms, input from:#item-rows delay:500ms,' in content
    # The rows the fragment reads, and an empty row for adding more without a reload.
    assert 'name="items-0-deliverable_type"' in content and 'name="items-0-quantity"' in content
    assert 'name="items-__prefix__-deliverable_type"' in content


def test_a_valid_request_is_submitted_with_its_items_and_files(client, brand_manager, brand, key_visual, banner_set):
    data = form_data(brand, [(key_visual, 3), (banner_set, 1)])
    data["attachments"] = [
        SimpleUploadedFile("brief.pdf", b"%PDF-1.7\n" + b"x" * 40, content_type="application/pdf"),
        SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
    ]

    response = post(client, brand_manager, data)

    brand_request = Request.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("briefs:request-detail", args=[brand_request.pk])
    assert (brand_request.title, brand_request.brand, brand_request.submitted_by) == (
        "Winter launch", brand, brand_manager
    )
    assert (brand_request.deadline, brand_request.budget) == (dt.date(2027, 1, 8), Decimal("15000.00"))
    assert sorted((i.deliverable_type.name, i.quantity) for i in brand_request.items.all()) == [
        ("Banner set", 1), ("Key visual", 3)
    ]
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == ["brief.pdf", "logo.png"]
    assert len(stored_files()) == 2
    assert Approval.objects.pending_for(brand_request).kind == "request"


def test_another_brands_id_is_a_field_error_and_nothing_is_saved(
    client, brand_manager, brand, other_brand, key_visual
):
    response = post(client, brand_manager, form_data(other_brand, [(key_visual, 1)]))

    assert response.status_code == 200
    assert response.context["form"].errors["brand"] == ["Choose one of your brands."]
    assert "Choose one of your brands." in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline": "2026-11-25"}, "deadline", "Choose a deadline after today."),
        ({"deadline": "2026-10-01"}, "deadline", "Choose a deadline after today."),
        ({"budget": "-1"}, "budget", "The budget cannot be negative."),
    ],
)
def test_bad_fields_show_their_errors_in_place(client, brand_manager, brand, key_visual, overrides, field, message):
    response = post(client, brand_manager, form_data(brand, [(key_visual, 1)], **overrides))

    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3])
def test_zero_or_negative_quantity_is_a_row_error(client, brand_manager, brand, key_visual, quantity):
    response = post(client, brand_manager, form_data(brand, [(key_visual, quantity)]))

    assert response.context["items"].forms[0].errors["quantity"] == ["Ask for at least 1."]
    assert not Request.objects.exists()


def test_the_same_type_twice_is_an_error_on_the_second_row(client, brand_manager, brand, key_visual):
    response = post(client, brand_manager, form_data(brand, [(key_visual, 1), (key_visual, 2)]))

    rows = response.context["items"].forms
    assert rows[0].errors == {}
    assert rows[1].errors["deliverable_type"] == ["Key visual is listed twice; add up the quantities instead."]
    assert not Request.objects.exists()


def test_a_request_without_deliverables_is_refused(client, brand_manager, brand):
    response = post(client, brand_manager, form_data(brand, []))
    assert response.context["items"].non_form_errors() == ["Ask for at least one deliverable."]
    assert not Request.objects.exists()


def test_a_too_large_file_is_refused_and_nothing_is_stored(client, brand_manager, brand, key_visual, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    data = form_data(brand, [(key_visual, 1)])
    data["attachments"] = [
        SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        SimpleUploadedFile("film.pdf", b"%PDF-" + b"x" * 2048, content_type="application/pdf"),
    ]

    response = post(client, brand_manager, data)

    assert response.context["form"].errors["attachments"] == [
        "“film.pdf” is 2.0\xa0KB; files can be at most 1.0\xa0KB."
    ]
    assert not Request.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_a_refused_file_type_is_refused_and_nothing_is_stored(client, brand_manager, brand, key_visual):
    data = form_data(brand, [(key_visual, 1)])
    data["attachments"] = [SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 8, content_type="application/x-msdownload")]

    response = post(client, brand_manager, data)

    [message] = response.context["form"].errors["attachments"]
    assert message.startswith("“tool.exe” cannot be attached: files of type application/x-msdownload are refused.")
    assert not Request.objects.exists() and stored_files() == []


# --- the request page ------------------------------------------------------------------------


def detail_url(brand_request, action=""):
    name = f"briefs:request-{action}" if action else "briefs:request-detail"
    return reverse(name, args=[brand_request.pk])


@pytest.fixture
def open_request(brand_manager, brand, key_visual):
    brand_request = submitted(brand_manager, brand, key_visual)
    Attachment.objects.create(
        target=brand_request, file="attachments/x/brief.pdf", original_name="brief.pdf",
        mime_type="application/pdf", size=10, uploaded_by=brand_manager,
    )
    return brand_request


def test_pm_sees_triage_forms_carrying_the_version(client, pm, open_request):
    client.force_login(pm)
    response = client.get(detail_url(open_request))
    content = response.content.decode()
    for action in ("accept", "ask-info", "decline"):
        assert f'action="{detail_url(open_request, action)}"' in content
    assert response.context["decline_form"]["version"].value() == 1
    # One set of decisions: the triage decides the approval too, so no second panel of buttons.
    assert reverse("approvals:panel", args=["request", open_request.pk]) not in content


@pytest.mark.parametrize("role", ["executive", "admin_user", "brand_manager"])
def test_others_who_see_the_request_get_no_triage_forms(client, request, role, open_request):
    client.force_login(request.getfixturevalue(role))
    content = client.get(detail_url(open_request)).content.decode()
    assert detail_url(open_request, "accept") not in content


def test_page_lists_attachments_with_download_links(client, brand_manager, open_request):
    client.force_login(brand_manager)
    content = client.get(detail_url(open_request)).content.decode()
    attachment = Attachment.objects.get()
    assert f'href="{reverse("studio:attachment-download", args=[attachment.pk])}"' in content


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 302), ("executive", 403), ("admin_user", 403), ("brand_manager", 403), ("outsider", 404),
     ("creative", 404), ("freelancer", 404), ("anonymous", 302)],
)
@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("accept", "code", ""), ("ask-info", "question", "Which markets?"), ("decline", "reason", "No capacity.")],
)
def test_triage_is_for_production_managers(client, request, open_request, role, status, action, field, value):
    if role == "anonymous":
        response = client.post(detail_url(open_request, action), {field: value, "version": 1})
    else:
        response = post(client, request.getfixturevalue(role), {field: value, "version": 1},
                        url=detail_url(open_request, action))
    assert response.status_code == status
    open_request.refresh_from_db()
    assert (open_request.status == Request.Status.SUBMITTED) == (role != "pm")


def test_accepting_on_the_page_creates_the_project_and_shows_it(client, pm, open_request):
    response = post(client, pm, {"code": "WIN-1", "version": 1}, url=detail_url(open_request, "accept"))

    assert response.status_code == 302
    project = Project.objects.get(code="WIN-1")
    page = client.get(detail_url(open_request)).content.decode()
    assert "WIN-1" in page and reverse("projects:project-detail", args=[project.pk]) in page


def test_decline_without_a_reason_is_a_field_error(client, pm, open_request):
    response = post(client, pm, {"reason": "", "version": 1}, url=detail_url(open_request, "decline"))

    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"] == ["Say why the request is declined."]
    open_request.refresh_from_db()
    assert open_request.status == Request.Status.SUBMITTED


def test_a_stale_triage_is_refused_with_the_current_state_shown(client, pm, open_request):
    intake.request_ask_info(request=open_request, user=f.UserFactory(role="pm"), question="Which markets?")

    response = post(client, pm, {"reason": "No capacity.", "version": 1}, url=detail_url(open_request, "decline"))

    assert response.status_code == 409
    content = response.content.decode()
    assert "This request changed since you opened it." in content
    assert "Information requested" in content and "Which markets?" in content
    # The forms on the page now carry the current version.
    assert response.context["decline_form"]["version"].value() == 2
    open_request.refresh_from_db()
    assert (open_request.status, open_request.decline_reason) == (Request.Status.INFO_REQUESTED, "")


def test_question_and_answer_show_in_the_thread_and_history(client, pm, brand_manager, open_request):
    post(client, pm, {"question": "Which markets?", "version": 1}, url=detail_url(open_request, "ask-info"))

    client.force_login(brand_manager)
    page = client.get(detail_url(open_request))
    assert page.context["answer_form"]["version"].value() == 2
    response = client.post(detail_url(open_request, "answer"), {"answer": "UK and Ireland.", "version": 2})

    assert response.status_code == 302
    content = client.get(detail_url(open_request)).content.decode()
    assert content.index("Which markets?") < content.index("UK and Ireland.")
    labels = [label for _event, label in client.get(detail_url(open_request)).context["history"]]
    assert labels[:1] == ["Submitted"]
    assert {"Information requested", "Answered"} <= {str(label) for label in labels}
    open_request.refresh_from_db()
    assert open_request.status == Request.Status.SUBMITTED


@pytest.mark.parametrize(
    ("role", "status"),
    [("brand_manager", 302), ("pm", 403), ("executive", 403), ("admin_user", 403), ("outsider", 404),
     ("creative", 404), ("freelancer", 404), ("anonymous", 302)],
)
def test_only_the_brands_managers_answer_for_the_brand(client, request, pm, open_request, role, status):
    intake.request_ask_info(request=open_request, user=pm, question="Which markets?")
    data, answer_url = {"answer": "UK only.", "version": 2}, detail_url(open_request, "answer")
    if role == "anonymous":
        response = client.post(answer_url, data)
    else:
        response = post(client, request.getfixturevalue(role), data, url=answer_url)
    assert response.status_code == status
    open_request.refresh_from_db()
    assert (open_request.status == Request.Status.SUBMITTED) == (role == "brand_manager")


# --- the list -----------------------------------------------------------------------------------


def test_new_request_button_is_for_brand_managers(client, brand_manager, pm):
    client.force_login(brand_manager)
    assert CREATE_URL in client.get(LIST_URL).content.decode()
    client.force_login(pm)
    assert CREATE_URL not in client.get(LIST_URL).content.decode()


def test_list_filters_by_title_and_deadline(client, pm, brand):
    f.RequestFactory(brand=brand, title="Winter launch", deadline=dt.date(2027, 1, 8))
    f.RequestFactory(brand=brand, title="Spring teaser", deadline=dt.date(2027, 3, 1))
    f.RequestFactory(brand=brand, title="Winter sale", deadline=dt.date(2027, 2, 20))
    client.force_login(pm)
    response = client.get(LIST_URL, {"q": "winter", "deadline_before": "2027-01-31"})
    assert [r.title for r in response.context["page_obj"]] == ["Winter launch"]


@pytest.mark.parametrize("role", ["brand_manager", "pm"])
@pytest.mark.parametrize("size", [1, 8])
def test_request_list_runs_a_fixed_number_of_queries(client, request, brand, role, size, django_assert_num_queries):
    for _n in range(size):
        wanted = f.RequestFactory(brand=brand)
        f.RequestItemFactory(request=wanted)
        f.RequestItemFactory(request=wanted)
    client.force_login(request.getfixturevalue(role))
    # Session, user, studio settings, count, the page of requests, their items with
    # types, the brand filter's choices; for the feasibility verdicts the types with their
    # standard hours and the holidays (none of these types has standard hours, so no
    # capacity is read): the same at any size.
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize(("role", "queries"), [("brand_manager", 8), ("pm", 9)])
@pytest.mark.parametrize("size", [1, 4])
def test_request_page_runs_a_fixed_number_of_queries(
    client, request, brand, role, queries, size, django_assert_num_queries
):
    brand_request = f.RequestFactory(brand=brand)
    for _n in range(size):
        f.RequestItemFactory(request=brand_request)
        f.CommentFactory(subject=brand_request)
        f.audit(f.UserFactory(), brand_request, action="request.submitted")
        Attachment.objects.create(
            target=brand_request, file="attachments/x/a.pdf", original_name="a.pdf",
            mime_type="application/pdf", size=10, uploaded_by=brand_request.submitted_by,
        )
    client.force_login(request.getfixturevalue(role))
    # Session, user, the request with brand, project and submitter, its items with types,
    # history with actors, studio settings, attachments with uploaders, the thread with
    # authors; for a PM also the accept form's choice of production managers.
    with django_assert_num_queries(queries):
        response = client.get(detail_url(brand_request))
    assert len(response.context["history"]) == size


def test_an_accepted_request_links_to_its_brief_for_those_who_may_read_it(client, pm, brand_manager, brand):
    brand_request = f.RequestFactory(brand=brand, submitted_by=brand_manager)
    f.RequestItemFactory(request=brand_request)
    intake.request_accept(request=brand_request, accepted_by=pm)
    brief = brand_request.briefs.get()
    url = reverse("briefs:request-detail", args=[brand_request.pk])
    brief_url = reverse("briefs:brief-detail", args=[brief.pk])

    client.force_login(pm)
    assert brief_url in client.get(url).content.decode()
    # A draft is the studio's own until it goes to the brand for approval.
    client.force_login(brand_manager)
    assert brief_url not in client.get(url).content.decode()
