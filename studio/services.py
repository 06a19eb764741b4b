"""Writes to the studio's cross-cutting records: the audit trail and notifications."""

import datetime as dt
import json
import logging
import smtplib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, Notification, NotificationDelivery, User

logger = logging.getLogger(__name__)

# The on-commit task normally sends within seconds; the safety net leaves it
# this long before stepping in, so the two rarely race (the claim makes a race
# harmless anyway).
PENDING_GRACE = dt.timedelta(minutes=2)
# A notification still unsent after a day stays in-app only: an email that
# late would be noise, and one bad address must not be retried forever.
PENDING_MAX_AGE = dt.timedelta(days=1)
PENDING_BATCH = 500

# Errors of the mail transport that a later attempt may not hit again.
RETRYABLE_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, OSError)


def _json_safe(value):
    # Callers pass model_to_dict()-style dicts holding Decimals and dates;
    # JSONField's default encoder refuses those.
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    obj: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append who did what to `obj`, with its state before and after."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=_json_safe(before),
        after=_json_safe(after),
        reason=reason,
    )


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    subject: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
) -> Notification:
    """Notify `recipient` in the app and, if they chose it, by email once committed."""
    # Imported here: tasks.py imports this module.
    from .tasks import notification_email_task

    delivery = recipient.notification_delivery
    notification = Notification(
        recipient=recipient,
        subject=subject[:200],
        body=body,
        url=url,
        email_skipped=delivery == NotificationDelivery.NONE or not recipient.email,
    )
    if target is not None:
        notification.content_type = ContentType.objects.get_for_model(target)
        notification.object_id = str(target.pk)
    notification.save()

    if delivery == NotificationDelivery.IMMEDIATE and not notification.email_skipped:
        # After commit, so the worker finds the row; robust, so a broker outage
        # does not fail the user's request: the row stays pending and
        # notifications_deliver_pending sends it later.
        transaction.on_commit(lambda: notification_email_task.delay(notification.pk), robust=True)
    # Digest recipients' notifications stay pending for their daily digest.
    return notification


@transaction.atomic
def notification_send_email(*, notification_id: int) -> bool:
    """Email one notification unless it was already sent; True if this call sent it."""
    # The row lock is the claim: a second worker skips the locked row, and once
    # the lock is released it finds the row sent. On SQLite, whose immediate
    # transactions serialise writers, the emailed_at filter does the same.
    notification = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id)
        .awaiting_email()
        .first()
    )
    if notification is None:
        return False
    recipient = notification.recipient
    if not recipient.email or recipient.notification_delivery == NotificationDelivery.NONE:
        notification.email_skipped = True
        notification.save(update_fields=["email_skipped"])
        return False
    # Sent inside the transaction: if the mail server fails, the claim rolls
    # back with it and a retry sends the email.
    send_mail(
        subject=notification.subject,
        message=_email_body(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def _email_body(notification: Notification) -> str:
    parts = [notification.body] if notification.body else []
    if notification.url:
        parts.append(_("Open it in Callsheet: %(url)s") % {"url": _absolute(notification.url)})
    parts.append(
        _("You get these emails because your notification setting is “%(setting)s”.")
        % {"setting": NotificationDelivery.IMMEDIATE.label}
    )
    return "\n\n".join(parts)


def _absolute(url: str) -> str:
    site = getattr(settings, "SITE_URL", "")
    if site and url.startswith("/"):
        return site.rstrip("/") + url
    return url


def notifications_deliver_pending() -> int:
    """Email immediate notifications whose own task never ran; returns how many were sent."""
    # Not one transaction: each email commits on its own, so a failure late in
    # the batch does not undo (and later resend) the ones already out.
    now = timezone.now()
    pending = list(
        Notification.objects.awaiting_email()
        .filter(
            recipient__notification_delivery=NotificationDelivery.IMMEDIATE,
            created_at__lte=now - PENDING_GRACE,
            created_at__gt=now - PENDING_MAX_AGE,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:PENDING_BATCH]
    )
    sent = 0
    for notification_id in pending:
        try:
            sent += notification_send_email(notification_id=notification_id)
        except RETRYABLE_EMAIL_ERRORS:
            # One refused address must not hold back everyone after it; the row
            # stays pending and the next run tries it again.
            logger.warning("Notification %s: email failed", notification_id, exc_info=True)
    return sent
