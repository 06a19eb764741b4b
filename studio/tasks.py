"""Background jobs of the studio: thin wrappers that take ids and call a service."""

from celery import shared_task

from .services import (
    RETRYABLE_EMAIL_ERRORS,
    notification_send_email,
    notifications_deliver_pending,
    notifications_send_digests,
)


@shared_task(
    autoretry_for=RETRYABLE_EMAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def notification_email_task(notification_id: int) -> bool:
    return notification_send_email(notification_id=notification_id)


@shared_task
def notifications_deliver_pending_task() -> int:
    return notifications_deliver_pending()


@shared_task
def notifications_send_digests_task() -> int:
    return notifications_send_digests()
