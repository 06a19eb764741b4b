"""The notification bell, the list, opening and marking read, the delivery setting,
and the header's Approvals item with its badge slot."""

import datetime as dt
import json
from types import ModuleType

import pytest
from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path
from django.utils import timezone

from studio import urls as studio_urls
from studio.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/studio/notifications/"
COUNT = "/studio/notifications/count/"
READ_ALL = "/studio/notifications/read-all/"
SETTINGS = "/studio/notifications/settings/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def open_url(notification):
    return f"/studio/notifications/{notification.pk}/"


def read_url(notification):
    return f"/studio/notifications/{notification.pk}/read/"


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def ana(db):
    return f.UserFactory(role="creative", username="ana")


@pytest.fixture
def ben(db):
    return f.UserFactory(role="creative", username="ben")


def unread_ids(user):
    return set(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("pk", flat=True))


# --- the bell -------------------------------------------------------------------


def test_every_page_has_the_bell_loading_its_count(client, ana):
    client.force_login(ana)

    html = client.get(SETTINGS).content.decode()

    assert f'href="{LIST}" class="bell"' in html
    assert f'hx-get="{COUNT}"' in html
    assert 'hx-trigger="load, notificationsChanged from:body, every 60s"' in html


def test_bell_counts_only_my_unread_notifications(client, ana, ben):
    f.NotificationFactory.create_batch(3, recipient=ana)
    f.NotificationFactory(recipient=ana, read_at=hours_ago(1))
    f.NotificationFactory.create_batch(5, recipient=ben)
    client.force_login(ana)

    response = client.get(COUNT, **HTMX)

    assert response.status_code == 200
    assert '<span class="badge badge-count" aria-hidden="true">3</span>' in response.content.decode()
    assert "3 unread" in response.content.decode()


def test_bell_is_empty_with_nothing_unread(client, ana, ben):
    f.NotificationFactory(recipient=ana, read_at=hours_ago(1))
    f.NotificationFactory(recipient=ben)
    client.force_login(ana)

    response = client.get(COUNT, **HTMX)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_bell_caps_a_long_count(client, ana):
    f.NotificationFactory.create_batch(100, recipient=ana)
    client.force_login(ana)

    assert ">99+</span>" in client.get(COUNT, **HTMX).content.decode()


def test_bell_tells_a_signed_out_tab_to_stop_polling(client):
    response = client.get(COUNT, **HTMX)

    # htmx stops an "every 60s" trigger on 286 instead of swapping in the login page.
    assert response.status_code == 286
    assert response.content == b""


def test_bell_count_is_never_cached(client, ana):
    client.force_login(ana)

    assert "no-store" in client.get(COUNT, **HTMX)["Cache-Control"]


# --- the list ---------------------------------------------------------------------


def test_list_shows_my_notifications_newest_first_with_unread_marked(client, ana, ben):
    old = f.NotificationFactory(recipient=ana, subject="Old and read", created_at=hours_ago(5), read_at=hours_ago(4))
    new = f.NotificationFactory(recipient=ana, subject="New brief to read", created_at=hours_ago(1))
    f.NotificationFactory(recipient=ben, subject="Ben's own business")
    client.force_login(ana)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page_obj"]] == [new.pk, old.pk]
    html = response.content.decode()
    assert "Ben&#x27;s own business" not in html and "Ben's own business" not in html
    assert f'id="notification-{new.pk}" class="notification unread"' in html
    assert f'id="notification-{old.pk}" class="notification"' in html
    assert f'href="{open_url(new)}"' in html
    assert f'hx-post="{read_url(new)}"' in html
    assert f'hx-post="{read_url(old)}"' not in html


def test_list_is_paginated(client, ana):
    for hour in range(30):
        f.NotificationFactory(recipient=ana, subject=f"Notification {hour}", created_at=hours_ago(hour))
    client.force_login(ana)

    first = client.get(LIST).context["page_obj"]
    second = client.get(LIST, {"page": 2}).context["page_obj"]

    # settings.PAGE_SIZE is 25: 25 on the first page, the 5 oldest on the second.
    assert [n.subject for n in first] == [f"Notification {hour}" for hour in range(25)]
    assert [n.subject for n in second] == [f"Notification {hour}" for hour in range(25, 30)]


def test_list_filters_unread_only(client, ana):
    unread = f.NotificationFactory(recipient=ana)
    f.NotificationFactory(recipient=ana, read_at=hours_ago(1))
    client.force_login(ana)

    response = client.get(LIST, {"unread": "1"}, **HTMX)

    assert [n.pk for n in response.context["page_obj"]] == [unread.pk]
    # An HTMX request gets the results fragment only.
    assert b"<html" not in response.content
    assert b'id="notification-results"' in response.content


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow_with_the_rows(client, ana, size, django_assert_num_queries):
    for hour in range(size):
        f.NotificationFactory(recipient=ana, created_at=hours_ago(hour))
    client.force_login(ana)

    # session, user, studio settings (layout), count, page
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == min(size, 25)


def test_list_needs_a_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- marking read ---------------------------------------------------------------


def test_mark_read_with_htmx_updates_the_row_and_tells_the_bell(client, ana):
    notification = f.NotificationFactory(recipient=ana)
    other = f.NotificationFactory(recipient=ana)
    client.force_login(ana)

    response = client.post(read_url(notification), **HTMX)

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"notificationsChanged": {}}
    html = response.content.decode()
    assert f'id="notification-{notification.pk}" class="notification"' in html
    assert "Mark read" not in html
    assert unread_ids(ana) == {other.pk}


def test_mark_read_without_htmx_goes_back_to_the_list(client, ana):
    notification = f.NotificationFactory(recipient=ana)
    client.force_login(ana)

    response = client.post(read_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert unread_ids(ana) == set()


def test_marking_read_twice_keeps_the_first_time(client, ana):
    first_read = hours_ago(2)
    notification = f.NotificationFactory(recipient=ana, read_at=first_read)
    client.force_login(ana)

    client.post(read_url(notification), **HTMX)

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_mark_read_is_a_post(client, ana):
    notification = f.NotificationFactory(recipient=ana)
    client.force_login(ana)

    assert client.get(read_url(notification)).status_code == 405
    assert unread_ids(ana) == {notification.pk}


def test_mark_all_read_clears_only_my_notifications(client, ana, ben):
    f.NotificationFactory.create_batch(3, recipient=ana)
    bens = f.NotificationFactory(recipient=ben)
    client.force_login(ana)

    response = client.post(READ_ALL, **HTMX)

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"notificationsChanged": {}}
    assert b'id="notification-results"' in response.content
    assert b"Mark read" not in response.content
    assert unread_ids(ana) == set()
    assert unread_ids(ben) == {bens.pk}


def test_mark_all_read_without_htmx_confirms_on_the_list(client, ana):
    f.NotificationFactory.create_batch(2, recipient=ana)
    client.force_login(ana)

    response = client.post(READ_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "All notifications are marked read." in response.content.decode()
    assert unread_ids(ana) == set()


# --- opening ----------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_notifications_page(client, ana):
    notification = f.NotificationFactory(recipient=ana, url="/projects/42/?tab=brief#section")
    client.force_login(ana)

    response = client.get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/projects/42/?tab=brief#section"
    assert unread_ids(ana) == set()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "projects/42/",
        "http://testserver/projects/42/",
    ],
)
def test_opening_never_redirects_off_site(client, ana, url):
    notification = f.NotificationFactory(recipient=ana, url=url)
    client.force_login(ana)

    response = client.get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert unread_ids(ana) == set()


def test_another_users_notification_does_not_exist_for_me(client, ana, ben):
    bens = f.NotificationFactory(recipient=ben, url="/projects/1/")
    client.force_login(ana)

    assert client.get(open_url(bens)).status_code == 404
    assert client.post(read_url(bens), **HTMX).status_code == 404
    assert unread_ids(ben) == {bens.pk}


# --- delivery setting -------------------------------------------------------------


def test_settings_page_shows_my_current_choice(client, ana):
    ana.notification_delivery = "digest"
    ana.save()
    client.force_login(ana)

    html = client.get(SETTINGS).content.decode()

    assert 'value="digest" required id="id_notification_delivery_1" checked' in html


def test_choosing_the_daily_digest_saves_it(client, ana):
    client.force_login(ana)

    response = client.post(SETTINGS, {"notification_delivery": "digest"}, follow=True)

    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Your notification settings are saved." in response.content.decode()
    ana.refresh_from_db()
    assert ana.notification_delivery == "digest"


def test_an_unknown_choice_is_a_field_error_and_nothing_changes(client, ana):
    client.force_login(ana)

    response = client.post(SETTINGS, {"notification_delivery": "weekly"})

    assert response.status_code == 200
    assert response.context["form"].errors["notification_delivery"] == [
        "Select a valid choice. weekly is not one of the available choices."
    ]
    ana.refresh_from_db()
    assert ana.notification_delivery == "immediate"


def test_settings_warn_a_user_without_an_email_address(client):
    user = f.UserFactory(email="")
    client.force_login(user)

    assert "no email can reach you" in client.get(SETTINGS).content.decode()


# --- the Approvals item in the header -------------------------------------------------


def _urlconf(*approval_routes):
    """The site's URLs with the approvals app routing only `approval_routes`."""

    def page(request):
        return HttpResponse("")

    patterns = [p for p in studio_urls.urlpatterns if getattr(p, "namespace", None) != "approvals"]
    routes = [path(route, page, name=name) for route, name in approval_routes]
    urlconf = ModuleType("approvals_test_urls")
    urlconf.urlpatterns = [*patterns, path("approvals/", include((routes, "approvals")))]
    return urlconf


@pytest.fixture
def approvals_routed(settings):
    settings.ROOT_URLCONF = _urlconf(("", "inbox"), ("count/", "inbox-count"))


BADGE_SLOT = '<span class="nav-badge" hx-get="/approvals/count/" hx-trigger="load, approvalChanged from:body"></span>'


@pytest.mark.parametrize("role", ["pm", "executive", "brand_manager", "creative", "freelancer"])
def test_approvals_item_with_its_badge_for_each_deciding_role(client, approvals_routed, role):
    client.force_login(f.UserFactory(role=role))

    html = client.get(SETTINGS).content.decode()

    assert f'<a href="/approvals/">Approvals {BADGE_SLOT}</a>' in html


def test_admin_has_no_approvals_item(client, approvals_routed):
    client.force_login(f.UserFactory(role="admin", is_staff=True))

    html = client.get(SETTINGS).content.decode()

    assert 'href="/approvals/"' not in html
    assert "approvals/count" not in html


def test_a_menu_item_whose_page_is_not_routed_fails_loudly_rather_than_vanishing(client, settings, pm):
    # The inbox is routed, its count badge is not.
    settings.ROOT_URLCONF = _urlconf(("", "inbox"))
    client.force_login(pm)

    with pytest.raises(NoReverseMatch):
        client.get(SETTINGS)
