"""A sender killed in the middle of a reminder or digest run e-mails nothing twice and
nothing never (issue 15): whatever was sent before the kill is not sent again, whatever
was not is sent by the next run.

The kill is a mail backend that lets N messages through and then raises an exception no
code catches (a `BaseException`, as the process dying would leave nothing to catch), so
the run stops at a known point: inside the transaction that claimed the next e-mail's
rows, before the mail server took it. Then the studio does what it does after a crash:
the beat's safety net and the next digest run, on the same data. One window is left
and pinned below: killed after the mail server took a message and before its claim
committed, that one message goes again (at least once, never lost).

Calendar (worked out by hand): Fri 27 Nov 2026 the briefs go out, at 15:00; Mon 30 Nov,
the working day after, is when the evening reminder run finds them unacknowledged."""

import datetime as dt
import email
import os
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.utils import timezone

from briefs.services.briefs import brief_reminders_send
from schedules.services.timesheets import timesheet_reminders_send
from studio.models import Notification
from studio.services import PENDING_GRACE, notifications_deliver_pending, notifications_send_digests
from studio.tasks import notifications_send_digests_task
from tests import factories as f
from tests.celery_worker import wait_until, worker_process
from tests.conftest import studio_noon

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENT_ON = dt.date(2026, 11, 27)
REMINDED_ON = dt.date(2026, 11, 30)


class Killed(BaseException):
    """The process dying: nothing after it runs and nothing catches it."""


class DyingMailBackend(EmailBackend):
    """The test mail box, until `sends_left` messages have gone; the next send kills the run,
    before the mail server has the message or (`accepted`) just after."""

    sends_left: int | None = None
    accepted = False

    def send_messages(self, messages):
        if DyingMailBackend.sends_left is not None:
            if DyingMailBackend.sends_left < len(messages):
                if DyingMailBackend.accepted:
                    super().send_messages(messages)
                raise Killed
            DyingMailBackend.sends_left -= len(messages)
        return super().send_messages(messages)


@pytest.fixture
def dies_after(settings):
    """`dies_after(n)`: the next run is killed once n e-mails went out; `restart()` after."""
    settings.EMAIL_BACKEND = f"{__name__}.DyingMailBackend"

    class Sender:
        def __call__(self, sends: int, accepted: bool = False):
            DyingMailBackend.sends_left, DyingMailBackend.accepted = sends, accepted

        def restart(self):
            DyingMailBackend.sends_left, DyingMailBackend.accepted = None, False

    yield Sender()
    Sender().restart()


def carries(message, notification) -> bool:
    """Whether `message` is `notification`'s own e-mail (its subject) or a digest listing it."""
    if message.to != [notification.recipient.email]:
        return False
    return message.subject == notification.subject or f"- {notification.subject}" in message.body.splitlines()


def emailed_once_each(notifications, emails=None) -> None:
    """Every notification marked e-mailed, and carried by exactly one of `emails` (the outbox)."""
    emails = mail.outbox if emails is None else emails
    notifications = list(notifications)
    assert notifications and all(n.emailed_at is not None for n in notifications)
    carried = {n.pk: sum(carries(message, n) for message in emails) for n in notifications}
    assert carried == {n.pk: 1 for n in notifications}


def test_a_reminder_run_killed_after_three_emails_emails_the_rest_once(dies_after, move_clock, time_machine):
    # Two briefs out on Friday, unacknowledged by Monday evening: five people reminded,
    # and each brief's PM told who has not read it; everyone wants e-mails at once.
    move_clock(SENT_ON)
    for recipients in (3, 2):
        version = f.BriefVersionFactory()
        for _ in range(recipients):
            f.BriefDistributionFactory(version=version, sent_at=timezone.now() + dt.timedelta(hours=3))
    move_clock(REMINDED_ON)
    dies_after(3)

    with pytest.raises(Killed):
        brief_reminders_send(today=REMINDED_ON)

    # The run had committed its reminders (5 + 2 notes); three e-mails left before the kill,
    # the fourth's claim rolled back with it, the rest were never handed to a worker.
    notes = Notification.objects.select_related("recipient")
    assert notes.count() == 7
    assert len(mail.outbox) == 3
    assert notes.filter(emailed_at__isnull=False).count() == 3

    dies_after.restart()
    assert brief_reminders_send(today=REMINDED_ON) == 0  # the rerun reminds nobody again
    assert notifications_deliver_pending() == 0  # too soon: their own tasks may still run
    time_machine.move_to(timezone.now() + PENDING_GRACE + dt.timedelta(minutes=1), tick=True)
    assert notifications_deliver_pending() == 4  # the beat's safety net
    assert notifications_deliver_pending() == 0

    assert notes.count() == 7
    emailed_once_each(notes.all())
    assert len(mail.outbox) == 7


def test_a_timesheet_reminder_run_killed_after_two_emails_emails_the_rest_once(dies_after, move_clock, time_machine):
    # Four people with no time for the four weeks ended by Monday 30 Nov: one reminder each.
    move_clock(REMINDED_ON)
    people = [f.TalentFactory() for _ in range(4)]
    dies_after(2)

    with pytest.raises(Killed):
        timesheet_reminders_send(today=REMINDED_ON)

    notes = Notification.objects.select_related("recipient")
    assert sorted(notes.values_list("recipient", flat=True)) == sorted(person.user_id for person in people)
    assert len(mail.outbox) == 2

    dies_after.restart()
    assert timesheet_reminders_send(today=REMINDED_ON) == 0  # each week is reminded once
    time_machine.move_to(timezone.now() + PENDING_GRACE + dt.timedelta(minutes=1), tick=True)
    assert notifications_deliver_pending() == 2
    assert notifications_deliver_pending() == 0

    assert notes.count() == 4
    emailed_once_each(notes.all())
    assert len(mail.outbox) == 4


def digest_readers(count=5, notes=3, before=None) -> list:
    """`count` people who read their notifications in a daily digest, each with `notes`
    notifications from the hours before `before` (now), not e-mailed yet."""
    before = before or timezone.now()
    people = [f.UserFactory(notification_delivery="digest") for _ in range(count)]
    for person in people:
        for n in range(notes):
            f.NotificationFactory(
                recipient=person, subject=f"Note {n} for {person.username}",
                created_at=before - dt.timedelta(hours=notes - n),
            )  # fmt: skip
    return people


def test_a_digest_run_killed_after_two_digests_sends_each_digest_once(dies_after, move_clock):
    move_clock(REMINDED_ON)
    people = digest_readers()
    dies_after(2)

    with pytest.raises(Killed):
        notifications_send_digests(day=REMINDED_ON)

    assert [message.to for message in mail.outbox] == [[people[0].email], [people[1].email]]
    assert Notification.objects.filter(emailed_at__isnull=False, recipient__in=people[:2]).count() == 6
    assert not Notification.objects.filter(emailed_at__isnull=False, recipient__in=people[2:]).exists()

    dies_after.restart()
    assert notifications_send_digests(day=REMINDED_ON) == 3
    assert notifications_send_digests(day=REMINDED_ON) == 0

    assert [message.to for message in mail.outbox] == [[person.email] for person in people]
    emailed_once_each(Notification.objects.select_related("recipient"))



def test_killed_between_the_mail_server_taking_a_digest_and_the_claim_committing_that_digest_goes_again(
    dies_after, move_clock
):
    """The one window left: the server has the third digest, the worker dies before its
    claim commits. That digest (only that one) is sent again by the next run: at least
    once, never lost. Marking it sent before sending would lose it instead."""
    move_clock(REMINDED_ON)
    people = digest_readers()
    dies_after(2, accepted=True)

    with pytest.raises(Killed):
        notifications_send_digests(day=REMINDED_ON)
    dies_after.restart()
    assert notifications_send_digests(day=REMINDED_ON) == 3

    assert [message.to[0] for message in mail.outbox] == [
        people[0].email, people[1].email, people[2].email, people[2].email, people[3].email, people[4].email,
    ]  # fmt: skip
    notes = Notification.objects.select_related("recipient")
    emailed_once_each(notes.exclude(recipient=people[2]))
    assert {n.pk: sum(carries(message, n) for message in mail.outbox) for n in notes.filter(recipient=people[2])} == {
        n.pk: 2 for n in notes.filter(recipient=people[2])
    }

# --- a real worker, killed --------------------------------------------------------------------


def written(folder: Path) -> list:
    """The e-mails Django's file backend wrote to `folder`, one a file, oldest first."""
    messages = []
    for path in sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns):
        parsed = email.message_from_bytes(path.read_bytes().rsplit(b"-" * 79, 1)[0])
        body = parsed.get_payload(decode=True).decode(parsed.get_content_charset() or "utf-8")
        messages.append(SimpleNamespace(to=[parsed["To"]], subject=str(parsed["Subject"]), body=body))
    return messages


def open_transactions() -> list[int]:
    """The backends of the test database, ours aside, with a transaction open and idle."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state = 'idle in transaction'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.redis
def test_a_worker_killed_while_sending_the_digests_leaves_the_rest_to_the_next_run(isolated_broker, tmp_path):
    """The worker sends two digests, claims the third person's notifications and is killed
    before the mail server has that one: the two stay sent, the third's claim dies with the
    worker, and the next run sends the three left, once each."""
    # The worker keeps the real clock, this process may run a moved one (CALLSHEET_TEST_TODAY):
    # notifications from a day behind both are due to either.
    people = digest_readers(before=studio_noon(f.TODAY))
    folder = tmp_path / "mail"
    folder.mkdir()
    stalled = Path(f"{folder}.stalled")
    client = redis.Redis.from_url(settings.REDIS_URL)
    result, backends = None, []
    with worker_process(
        isolated_broker, tmp_path / "worker.log", settings_module="tests.stalling_mail",
        CALLSHEET_TEST_MAIL_DIR=str(folder), CALLSHEET_TEST_MAIL_STALL_AFTER="2",
    ) as worker:  # fmt: skip
        try:
            result = notifications_send_digests_task.delay()
            assert wait_until(stalled.exists, 40), "the worker never reached the third digest"
            backends = open_transactions()
            assert len(backends) == 1
            # The third person's notifications are claimed (locked) by the worker's transaction.
            third = Notification.objects.filter(recipient=people[2])
            with transaction.atomic():
                assert third.count() == 3 and not third.select_for_update(skip_locked=True).exists()

            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=10) == -signal.SIGKILL
            # Acknowledged late, the task is still the broker's: it is delivered again once the
            # visibility timeout passes; the nightly run comes round anyway.
            assert any(result.id.encode() in message for message in client.hvals(f"{isolated_broker}:unacked"))
        finally:
            # The killed worker's backend finds its client gone and rolls the claim back.
            if backends and not wait_until(lambda: not open_transactions(), 15):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", backends)
            if result is not None:
                result.forget()

    before = written(folder)
    assert [message.to for message in before] == [[people[0].email], [people[1].email]]
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert set(emailed.values_list("recipient", flat=True)) == {people[0].pk, people[1].pk}

    assert notifications_send_digests() == 3
    # The task delivered again, once the broker gives it out, finds nothing left to send.
    assert notifications_send_digests_task.apply().get() == 0

    assert sorted(message.to[0] for message in before + mail.outbox) == sorted(person.email for person in people)
    emailed_once_each(Notification.objects.select_related("recipient"), before + mail.outbox)
