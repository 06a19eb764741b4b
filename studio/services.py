"""Writes to the studio's cross-cutting records: the audit trail, notifications, talent,
and API access tokens."""

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
from django.utils.translation import ngettext

from . import clock
from .audit_source import current_source
from .dates import day_text
from .models import AccessToken, AuditEvent, Notification, NotificationDelivery, Talent, User, new_token

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
        source=current_source(),
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


# --- reading in the app ---------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> bool:
    """Mark one notification read; True if this call did (not read already)."""
    # Compare-and-set: two tabs marking the same notification keep the first time.
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


def notifications_mark_all_read(*, recipient: User) -> int:
    """Mark every unread notification of `recipient` read; returns how many."""
    return Notification.objects.filter(recipient=recipient).unread().update(read_at=timezone.now())


# --- the daily digest ------------------------------------------------------------------


def _digest_cutoff(day: dt.date) -> dt.datetime:
    # A digest for a past day (a rerun) stops at that day's end in the studio's
    # time zone; today's takes everything created so far.
    end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.studio_zone())
    return min(timezone.now(), end_of_day)


@transaction.atomic
def notification_digest_send(*, user_id: int, day: dt.date) -> int:
    """Email `user_id` one digest of their notifications not yet emailed, created up to
    the end of `day` (or now); returns how many it listed, 0 if it sent nothing."""
    recipient = User.objects.filter(pk=user_id, notification_delivery=NotificationDelivery.DIGEST).first()
    if recipient is None:
        # They switched to immediate or no email since: not the digest's business.
        return 0
    # Locking the rows is the claim, as in notification_send_email: a second run
    # skips them while this one sends, and finds them emailed once it commits.
    notifications = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipient=recipient, created_at__lte=_digest_cutoff(day))
        .awaiting_email()
        .order_by("created_at", "pk")
    )
    if not notifications:
        return 0
    claimed = Notification.objects.filter(pk__in=[n.pk for n in notifications])
    if not recipient.email:
        claimed.update(email_skipped=True)
        return 0
    # Sent inside the transaction: if the mail server fails, the claim rolls back
    # and the next run sends the digest.
    send_mail(
        subject=ngettext(
            "Your Callsheet digest: %(count)d notification",
            "Your Callsheet digest: %(count)d notifications",
            len(notifications),
        )
        % {"count": len(notifications)},
        message=_digest_body(notifications, day),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient.email],
    )
    claimed.update(emailed_at=timezone.now())
    return len(notifications)


def _digest_body(notifications: list[Notification], day: dt.date) -> str:
    lines = [_("Your notifications up to %(day)s:") % {"day": day_text(day)}, ""]
    for notification in notifications:
        lines.append(f"- {notification.subject}")
        if notification.url:
            lines.append(f"  {_absolute(notification.url)}")
    lines += [
        "",
        _("You get these emails because your notification setting is “%(setting)s”.")
        % {"setting": NotificationDelivery.DIGEST.label},
    ]
    return "\n".join(lines)


def notifications_send_digests(*, day: dt.date | None = None) -> int:
    """Send each digest recipient their daily digest; returns how many emails went out."""
    day = day or clock.today()
    recipients = list(
        User.objects.filter(
            notification_delivery=NotificationDelivery.DIGEST,
            notifications__emailed_at__isnull=True,
            notifications__email_skipped=False,
            notifications__created_at__lte=_digest_cutoff(day),
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for user_id in recipients:
        # One transaction per recipient: a refused address neither holds back
        # the others nor undoes (and later resends) the digests already out.
        try:
            sent += notification_digest_send(user_id=user_id, day=day) > 0
        except RETRYABLE_EMAIL_ERRORS:
            logger.warning("Digest for user %s: email failed", user_id, exc_info=True)
    return sent


# --- talent ------------------------------------------------------------------------------


@transaction.atomic
def talent_ical_token_regenerate(*, talent: Talent, user: User) -> Talent:
    """Give `talent` a new calendar feed token; the old feed URL stops working at once."""
    talent.ical_token = new_token()
    talent.save(update_fields=["ical_token"])
    # The token is a secret: the trail records that it changed, never its value.
    audit_record(actor=user, obj=talent, action="talent.ical_token_regenerated")
    return talent


# --- API access tokens -------------------------------------------------------------------


@transaction.atomic
def access_token_create(
    *, user: User, name: str, read_only: bool = False, expires_in: dt.timedelta | None
) -> tuple[AccessToken, str]:
    """A new API token for `user` and its key, which is never readable again."""
    # The owner's expired tokens go: they can never work again, and scripts that log in
    # on each run would otherwise pile them up.
    user.auth_token_set.filter(expiry__lte=timezone.now()).delete()
    token, key = AccessToken.objects.create(user=user, expiry=expires_in, name=name, read_only=read_only)
    # Like the calendar token: the trail records the token, never its key or digest.
    audit_record(actor=user, obj=token, action="access_token.created", after=_token_state(token))
    return token, key


@transaction.atomic
def access_token_revoke(*, token: AccessToken, user: User) -> None:
    """Delete `token`: the next request that sends it is refused."""
    audit_record(actor=user, obj=token, action="access_token.revoked", before=_token_state(token))
    token.delete()


def _token_state(token: AccessToken) -> dict:
    return {"owner": token.user_id, "name": token.name, "read_only": token.read_only, "expiry": token.expiry}
