"""The notifications API: each user's own notifications, read one or all, for every role."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from studio.models import Notification
from studio.services import access_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/notifications/"
READ_ALL = "/api/notifications/read-all/"
ROLES = ["pm", "executive", "creative", "freelancer", "brand_manager", "admin"]


def read_url(notification):
    return f"/api/notifications/{notification.pk}/read/"


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def unread_ids(user):
    return set(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("pk", flat=True))


@pytest.fixture
def stranger(db):
    """Someone else, with notifications of their own that nobody else may touch."""
    user = f.UserFactory(role="pm")
    f.NotificationFactory.create_batch(2, recipient=user, subject="Not yours")
    return user


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_only_their_own_notifications_newest_first(role, stranger):
    user = f.UserFactory(role=role)
    older = f.NotificationFactory(recipient=user, subject="Older", created_at=hours_ago(3), read_at=hours_ago(2))
    newer = f.NotificationFactory(recipient=user, subject="Newer", url="/briefs/1/", created_at=hours_ago(1))

    response = api(user).get(NOTIFICATIONS)

    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [row["id"] for row in response.data["results"]] == [newer.pk, older.pk]
    first = response.data["results"][0]
    assert first["subject"] == "Newer"
    assert first["url"] == "/briefs/1/"
    assert first["read"] is False and first["read_at"] is None
    assert response.data["results"][1]["read"] is True


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_their_own_but_not_someone_elses(role, stranger):
    user = f.UserFactory(role=role)
    mine = f.NotificationFactory(recipient=user)
    theirs = Notification.objects.filter(recipient=stranger).first()

    ok = api(user).post(read_url(mine))
    missing = api(user).post(read_url(theirs))

    assert ok.status_code == 200
    assert ok.data["id"] == mine.pk and ok.data["read"] is True
    assert missing.status_code == 404
    assert unread_ids(user) == set()
    assert theirs.pk in unread_ids(stranger)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_marks_all_their_own_read(role, stranger):
    user = f.UserFactory(role=role)
    f.NotificationFactory.create_batch(3, recipient=user)
    f.NotificationFactory(recipient=user, read_at=hours_ago(1))

    response = api(user).post(READ_ALL)

    assert response.status_code == 200
    assert response.data == {"marked_read": 3}
    assert unread_ids(user) == set()
    assert len(unread_ids(stranger)) == 2


def test_another_users_notification_is_not_found(stranger):
    user = f.UserFactory()
    theirs = Notification.objects.filter(recipient=stranger).first()

    assert api(user).get(f"{NOTIFICATIONS}{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    "value, expected", [("1", {"unread"}), ("true", {"unread"}), ("0", {"read"}), ("", {"unread", "read"})]
)
def test_unread_filter(value, expected):
    user = f.UserFactory()
    f.NotificationFactory(recipient=user, subject="unread")
    f.NotificationFactory(recipient=user, subject="read", read_at=hours_ago(1))

    response = api(user).get(NOTIFICATIONS, {"unread": value})

    assert {row["subject"] for row in response.data["results"]} == expected


def test_an_unread_that_is_neither_yes_nor_no_is_a_400():
    response = api(f.UserFactory()).get(NOTIFICATIONS, {"unread": "maybe"})

    assert (response.status_code, response.json()) == (400, {"unread": ["Enter true or false."]})


def test_list_is_paginated():
    user = f.UserFactory()
    for hour in range(55):
        f.NotificationFactory(recipient=user, subject=f"n{hour}", created_at=hours_ago(hour))

    first = api(user).get(NOTIFICATIONS).data
    second = api(user).get(NOTIFICATIONS, {"page": 2}).data

    # REST_FRAMEWORK PAGE_SIZE is 50.
    assert first["count"] == 55
    assert [row["subject"] for row in first["results"]] == [f"n{hour}" for hour in range(50)]
    assert [row["subject"] for row in second["results"]] == [f"n{hour}" for hour in range(50, 55)]


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow_with_the_rows(size, django_assert_num_queries):
    user = f.UserFactory()
    f.NotificationFactory.create_batch(size, recipient=user)
    client = api(user)

    # count, page
    with django_assert_num_queries(2):
        response = client.get(NOTIFICATIONS)
    assert len(response.data["results"]) == size


def test_reading_is_a_post():
    user = f.UserFactory()
    notification = f.NotificationFactory(recipient=user)

    assert api(user).get(read_url(notification)).status_code == 405
    assert api(user).get(READ_ALL).status_code == 405
    assert unread_ids(user) == {notification.pk}


def test_anonymous_gets_nothing(stranger):
    notification = Notification.objects.filter(recipient=stranger).first()

    assert api().get(NOTIFICATIONS).status_code == 401
    assert api().post(read_url(notification)).status_code == 401
    assert api().post(READ_ALL).status_code == 401
    assert len(unread_ids(stranger)) == 2


def test_token_authentication_reads_and_marks():
    user = f.UserFactory()
    notification = f.NotificationFactory(recipient=user)
    client = APIClient()
    _token, key = access_token_create(user=user, name="Inbox", expires_in=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get(NOTIFICATIONS).data["count"] == 1
    assert client.post(read_url(notification)).status_code == 200
    assert unread_ids(user) == set()
