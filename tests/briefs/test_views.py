"""Request list and detail: each brand sees its own requests; the studio sees all."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LIST_URL = reverse("briefs:request-list")


def get(client, user, url=LIST_URL, **kwargs):
    if user is not None:
        client.force_login(user)
    return client.get(url, **kwargs)


def detail_url(brand_request):
    return reverse("briefs:request-detail", args=[brand_request.pk])


@pytest.fixture
def own_request(brand):
    return f.RequestFactory(brand=brand, title="Winter launch")


@pytest.fixture
def other_request(other_brand):
    return f.RequestFactory(brand=other_brand, title="Rival relaunch")


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("brand_manager", 200), ("outsider", 200),
     ("creative", 403), ("freelancer", 403), ("anonymous", 302)],
)
def test_request_list_is_for_brand_managers_and_the_studio(client, request, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    assert get(client, user).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("pm", 200), ("executive", 200), ("admin_user", 200), ("brand_manager", 200), ("outsider", 404),
     ("creative", 404), ("freelancer", 404), ("anonymous", 302)],
)
def test_request_detail_answers_only_those_who_may_see_it(
    client, request, own_request, role, status
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    assert get(client, user, detail_url(own_request)).status_code == status


@pytest.mark.parametrize("url", [LIST_URL, reverse("briefs:request-detail", args=[1])])
def test_anonymous_visitor_is_sent_to_login(client, url):
    response = get(client, None, url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_brand_manager_sees_own_brands_request_and_not_another_brands(
    client, brand_manager, own_request, other_request
):
    content = get(client, brand_manager).content.decode()
    assert "Winter launch" in content
    assert "Rival relaunch" not in content


def test_outsider_sees_none_of_the_brands_requests(client, outsider, own_request):
    response = get(client, outsider)
    assert list(response.context["page_obj"]) == []
    assert "Winter launch" not in response.content.decode()


def test_pm_sees_every_brands_requests(client, pm, own_request, other_request):
    content = get(client, pm).content.decode()
    assert "Winter launch" in content and "Rival relaunch" in content


def test_row_shows_brand_deadline_budget_status_and_wanted_deliverables(
    client, brand_manager, brand
):
    wanted = f.RequestFactory(
        brand=brand, title="Holiday push", deadline=dt.date(2027, 1, 8), budget=Decimal("12500.00"),
        status="info_requested",
    )
    f.RequestItemFactory(request=wanted, deliverable_type__name="Key visual", quantity=2)
    f.RequestItemFactory(request=wanted, deliverable_type__name="Banner set", quantity=1)

    content = get(client, brand_manager).content.decode()

    assert brand.name in content
    assert "8 Jan 2027" in content
    assert "12,500.00" in content
    assert "Information requested" in content
    assert "2 × Key visual, 1 × Banner set" in content


def test_newest_request_comes_first(client, pm, brand):
    now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    f.RequestFactory(brand=brand, title="Older ask", created_at=now - dt.timedelta(days=2))
    f.RequestFactory(brand=brand, title="Newer ask", created_at=now)
    titles = [r.title for r in get(client, pm).context["page_obj"]]
    assert titles == ["Newer ask", "Older ask"]


def test_filters_by_status(client, pm, brand):
    f.RequestFactory(brand=brand, title="Still open", status="submitted")
    f.RequestFactory(
        brand=brand, title="Turned down", status="declined", decline_reason="No capacity."
    )
    titles = [r.title for r in get(client, pm, data={"status": "declined"}).context["page_obj"]]
    assert titles == ["Turned down"]


def test_filters_by_brand(client, pm, own_request, other_request, other_brand):
    titles = [r.title for r in get(client, pm, data={"brand": other_brand.pk}).context["page_obj"]]
    assert titles == ["Rival relaunch"]


def test_brand_choices_hold_only_brands_the_user_may_see(
    client, brand_manager, brand, other_brand, own_request, other_request
):
    response = get(client, brand_manager)
    choices = set(response.context["filters"].form.fields["brand"].queryset)
    assert choices == {brand}
    assert other_brand.name not in response.content.decode()


def test_another_brand_in_the_filter_is_refused_not_shown(
    client, brand_manager, other_brand, own_request, other_request
):
    response = get(client, brand_manager, data={"brand": other_brand.pk})
    assert "Rival relaunch" not in response.content.decode()
    assert response.context["filters"].form.errors["brand"]


def test_list_is_paginated_by_25(client, pm, brand):
    for _ in range(26):
        f.RequestFactory(brand=brand)
    first = get(client, pm)
    assert len(first.context["page_obj"]) == 25
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(get(client, pm, data={"page": 2}).context["page_obj"]) == 1


def test_htmx_filter_request_gets_just_the_table_fragment(
    client, pm, own_request, other_request, brand
):
    response = get(client, pm, data={"brand": brand.pk}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="request-table">')
    assert "<html" not in content and "<form" not in content
    assert "Winter launch" in content and "Rival relaunch" not in content
    assert "HX-Request" in response["Vary"]


def test_full_page_holds_the_filter_form_that_swaps_the_table(client, pm):
    content = get(client, pm).content.decode()
    assert "<html" in content
    assert 'hx-target="#request-table"' in content and 'hx-push-url="true"' in content
    assert 'id="request-table"' in content


@pytest.mark.parametrize("size", [2, 30])
def test_request_list_runs_a_fixed_number_of_queries(
    client, pm, brand, size, django_assert_num_queries
):
    for _ in range(size):
        f.RequestItemFactory(request=f.RequestFactory(brand=brand))
    client.force_login(pm)
    # session, user, count, page of requests with brands, their items with types,
    # brand choices of the filter, studio settings for the page; the feasibility verdicts'
    # types with their standard hours and holidays (these types have no standard hours).
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["page_obj"]) == min(size, 25)


def test_detail_shows_items_status_and_budget(client, brand_manager, own_request):
    f.RequestItemFactory(
        request=own_request, deliverable_type__name="Thirty-second cut", quantity=3
    )
    content = get(client, brand_manager, detail_url(own_request)).content.decode()
    assert "Winter launch" in content
    assert "Thirty-second cut" in content
    assert "Submitted" in content
    assert "15,000.00" in content


def test_detail_of_declined_request_shows_the_reason(client, brand_manager, brand):
    declined = f.RequestFactory(
        brand=brand, status="declined", decline_reason="The deadline cannot be met."
    )
    content = get(client, brand_manager, detail_url(declined)).content.decode()
    assert "The deadline cannot be met." in content


def test_detail_of_accepted_request_links_its_project(client, brand_manager, brand):
    project = f.ProjectFactory(brand=brand, code="WL-2026", name="Winter launch film")
    accepted = f.RequestFactory(brand=brand, status="accepted", project=project)
    content = get(client, brand_manager, detail_url(accepted)).content.decode()
    assert "WL-2026" in content and "Winter launch film" in content


def test_detail_runs_a_fixed_number_of_queries(client, pm, own_request, django_assert_num_queries):
    for _ in range(3):
        f.RequestItemFactory(request=own_request)
    client.force_login(pm)
    # session, user, the request with brand, project and submitter, its items with types, settings.
    with django_assert_num_queries(9):
        get(client, None, detail_url(own_request))
