"""The feasibility verdict where the production manager triages: in the request list (one
batch a page, recomputed as of today) and on the request page (the schedules fragment,
loaded with the request's own deliverables and deadline).

Today is Wednesday 25 November 2026 (tests.factories.TODAY). One designer works 8 h a day;
Design can source 20 freelance hours a week, billed at 95.50 (cost 61.00). A key visual
takes 10 h of design. Deadline Wed 2 December: 5 working days, 40 h free."""

import datetime as dt
from decimal import Decimal as D
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

LIST_URL = reverse("briefs:request-list")
WED = dt.date(2026, 12, 2)


@pytest.fixture
def key_visual():
    design = f.DisciplineFactory(name="Design", freelance_hours_per_week=D("20"), freelance_bill_rate=D("95.50"),
                                 freelance_cost_rate=D("61.00"))
    kind = f.DeliverableTypeFactory(name="Key visual")
    f.StandardHoursFactory(deliverable_type=kind, discipline=design, hours_per_unit=D("10"))
    f.TalentFactory(discipline=design, hours_per_day=D("8"))
    return kind


def wanted(brand, kind, units, deadline=WED, **values):
    brand_request = f.RequestFactory(brand=brand, deadline=deadline, **values)
    f.RequestItemFactory(request=brand_request, deliverable_type=kind, quantity=units)
    return brand_request


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_each_open_requests_verdict(client, pm, brand, key_visual):
    fits = wanted(brand, key_visual, 3, title="Fits")  # 30 h of 40
    freelance = wanted(brand, key_visual, 5, title="Freelance")  # 50 h: 10 h short, within 20 × 5 / 5
    impossible = wanted(brand, key_visual, 9, title="Impossible")  # 90 h: 50 h short
    wanted(brand, key_visual, 1, title="Declined", status="declined", decline_reason="Not this season.")
    client.force_login(pm)

    response = client.get(LIST_URL)

    content = response.content.decode()
    assert 'data-verdict="fits"' in content
    assert "+10 freelance hours" in content
    assert 'data-verdict="impossible"' in content and "Cannot be met" in content
    # A decided request has no verdict: only open ones are asked about.
    assert set(response.context["feasibility_asks"]) == {fits.pk, freelance.pk, impossible.pk}
    assert content.count("data-verdict=") == 3
    # The table swapped in by the filters carries the verdicts too.
    fragment = client.get(LIST_URL, {"q": "Fits"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'data-verdict="fits"' in fragment


def test_the_verdict_is_recomputed_as_of_today(client, pm, brand, key_visual, move_clock):
    wanted(brand, key_visual, 3)
    client.force_login(pm)
    assert 'data-verdict="fits"' in client.get(LIST_URL).content.decode()
    # On Monday 30 November only Tue 1 and Wed 2 are left: 16 h free for 30 h needed, the
    # 14 h gap over the 8 h of freelance the studio can source in two days.
    move_clock(dt.date(2026, 11, 30))
    assert 'data-verdict="impossible"' in client.get(LIST_URL).content.decode()


def test_a_passed_deadline_and_a_request_without_estimates_get_no_verdict(client, pm, brand, key_visual):
    wanted(brand, key_visual, 1, deadline=f.TODAY)
    wanted(brand, f.DeliverableTypeFactory(name="Workshop"), 1)
    client.force_login(pm)
    content = client.get(LIST_URL).content.decode()
    assert 'data-verdict="none"' in content and "No estimate" in content
    assert 'data-verdict="fits"' not in content


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_runs_a_fixed_number_of_queries_however_many_requests(
    client, pm, brand, key_visual, size, django_assert_num_queries
):
    copy = f.DisciplineFactory(name="Copy")
    deck = f.DeliverableTypeFactory(name="Copy deck")
    f.StandardHoursFactory(deliverable_type=deck, discipline=copy, hours_per_unit=D("6"))
    for n in range(size):
        brand_request = wanted(brand, key_visual, 1 + n % 9, deadline=WED + dt.timedelta(days=n))
        f.RequestItemFactory(request=brand_request, deliverable_type=deck, quantity=1)
        f.BookingFactory(talent=f.TalentFactory(discipline=copy), start_date=WED, end_date=WED)
    client.force_login(pm)
    # Session, user, studio settings, count, the page of requests, their items with types,
    # the brand filter's choices (7); for the verdicts: the types and their standard hours
    # (2), holidays (1), capacity, the demand's calendar bounds and demand (3).
    with django_assert_num_queries(13):
        response = client.get(LIST_URL)
    assert response.content.decode().count("data-verdict=") == size


def test_the_list_never_shows_a_price_or_a_cost(client, brand_manager, pm, brand, key_visual):
    wanted(brand, key_visual, 5)
    for user in (brand_manager, pm):
        client.force_login(user)
        content = client.get(LIST_URL).content.decode()
        assert "+10 freelance hours" in content
        # 10 h × 95.50 at the bill rate, × 61.00 at cost: neither is in a list row.
        assert "955" not in content and "610" not in content and "61.00" not in content


# --- the request page -----------------------------------------------------------------------


def detail(client, user, brand_request):
    client.force_login(user)
    return client.get(reverse("briefs:request-detail", args=[brand_request.pk])).content.decode()


def fragment_url(content):
    start = content.index('hx-get="', content.index('id="feasibility"')) + len('hx-get="')
    return content[start:content.index('"', start)].replace("&amp;", "&")


def test_the_request_page_loads_the_verdict_for_its_deliverables_and_deadline(client, pm, brand, key_visual):
    brand_request = wanted(brand, key_visual, 5)
    workshop = f.DeliverableTypeFactory(name="Workshop")
    f.RequestItemFactory(request=brand_request, deliverable_type=workshop, quantity=1)

    url = fragment_url(detail(client, pm, brand_request))

    assert urlsplit(url).path == reverse("schedules:feasibility")
    query = parse_qs(urlsplit(url).query)
    assert query["deadline"] == ["2026-12-02"]
    rows = {(query[f"items-{n}-deliverable_type"][0], query[f"items-{n}-quantity"][0]) for n in range(2)}
    assert rows == {(str(key_visual.pk), "5"), (str(workshop.pk), "1")}
    fragment = client.get(url).content.decode()
    assert 'data-verdict="freelance"' in fragment and "Needs about 10 extra freelance hours" in fragment
    assert "Workshop has no standard hours yet" in fragment


def test_a_decided_request_asks_no_verdict_and_a_passed_deadline_says_so(client, pm, brand, key_visual):
    declined = wanted(brand, key_visual, 1, status="declined", decline_reason="Not this season.")
    assert 'id="feasibility"' not in detail(client, pm, declined)
    late = wanted(brand, key_visual, 1, deadline=f.TODAY)
    content = detail(client, pm, late)
    assert "The deadline has passed" in content
    assert reverse("schedules:feasibility") not in content


def test_who_sees_the_verdict_and_who_sees_money(client, pm, brand_manager, creative, brand, key_visual):
    """Those who see the request see its verdict; the extra freelance hours are priced at
    the bill rate (what the brand would pay) for those who may see prices, brand managers
    of the brand included, and the cost rate reaches nobody."""
    url = fragment_url(detail(client, pm, wanted(brand, key_visual, 5)))
    for user in (pm, brand_manager):
        client.force_login(user)
        fragment = client.get(url).content.decode()
        assert "Needs about 10 extra freelance hours (≈ EUR 955.00)" in fragment
        assert "61.00" not in fragment and "610.00" not in fragment
    client.force_login(creative)
    assert client.get(url).status_code == 403
