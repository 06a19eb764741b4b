"""Bookings: create, move, confirm, split and release them, and release expired holds
(DESIGN §2, "Rules of the workflow: Bookings").

A confirmed booking may not take a person's confirmed hours on any day above their
hours per day plus allowed overtime; a PM may override with a written reason.
Tentative bookings may overbook. Every write locks the person's talent row before
it reads their confirmed hours, so two confirmations cannot both pass the check on
PostgreSQL; SQLite's immediate transactions serialise writers anyway.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from projects.models import Deliverable, Project
from studio import clock
from studio.dates import day_text
from studio.models import Discipline, Talent, User
from studio.permissions import can, require
from studio.services import audit_record, notification_create
from studio.versions import Conflict, StaleVersion
from studio.workdays import check_plan_dates, full_clean_in_window

from ..hours import hours_text
from ..models import Booking

# What booking_update may change; status moves through booking_confirm only.
EDITABLE_FIELDS = (
    "talent", "placeholder_discipline", "project", "deliverable", "start_date", "end_date",
    "hours_per_day", "hold_expires_on", "include_weekends", "note",
)
AUDITED_FIELDS = (*EDITABLE_FIELDS, "status", "override_reason", "version")

Clashes = dict[dt.date, list[Booking]]


class StaleBooking(StaleVersion):
    """The booking was changed by someone else since the caller read it."""

    def __init__(self, current: Booking):
        super().__init__(current, _("This booking changed since you opened it."))


class BookingClash(Conflict):
    """Confirming would take the person over their hours per day plus overtime."""

    def __init__(self, booking: Booking, clashes: Clashes):
        limit = booking.talent.hours_per_day + booking.talent.overtime_hours_per_day
        today = clock.today()
        days = "; ".join(
            f"{day_text(day, today=today)}: {', '.join(str(other) for other in others) or _('this booking alone')}"
            for day, others in sorted(clashes.items())
        )
        super().__init__(
            _("%(who)s would have more than %(limit)s confirmed hours a day. Clashes on %(days)s.")
            % {"who": booking.talent, "limit": hours_text(limit), "days": days},
            code="clash",
        )
        self.clashes = clashes

    def details(self, view) -> dict:
        """The clashing days, each with the other confirmed bookings landing on it."""
        return {
            "clashes": [
                {"day": day, "bookings": [other.pk for other in others]} for day, others in sorted(self.clashes.items())
            ]
        }



def _snapshot(booking: Booking) -> dict:
    return model_to_dict(booking, fields=AUDITED_FIELDS)


def _lock_talent(*talent_ids: int | None) -> dict[int, Talent]:
    # Lock the people first, in id order so two writers never wait on each other
    # crosswise; the confirmed hours read after this cannot change under us.
    ids = sorted({pk for pk in talent_ids if pk})
    return {talent.pk: talent for talent in Talent.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _lock_booking(booking: Booking, version: int) -> Booking:
    current = (
        Booking.objects.select_for_update(of=("self",)).select_related("talent", "project").get(pk=booking.pk)
    )
    if current.version != version:
        raise StaleBooking(current)
    return current


def _confirmed_clashes(booking: Booking) -> Clashes:
    """The days this booking would go over its person's limit, each with the other
    confirmed bookings landing on it."""
    others = Booking.objects.confirmed().exclude(pk=booking.pk).select_related("talent__user", "project")
    clashes = others.clashes_for(booking.talent, booking.start_date, booking.end_date, extra=[booking])
    return {
        day: [other for other in bookings if other is not booking]
        for day, bookings in clashes.items()
        if any(other is booking for other in bookings)
    }


def _check_capacity(booking: Booking, user: User, override_reason: str) -> str:
    """The override reason to store: empty when the booking fits, the caller's when a
    PM overrides a clash; otherwise the clash is refused."""
    if override_reason and not can(user, "booking.override"):
        raise PermissionDenied(_("Only production managers may confirm over capacity."))
    if booking.status != Booking.Status.CONFIRMED:
        return ""
    clashes = _confirmed_clashes(booking)
    if not clashes:
        return ""
    if not override_reason.strip():
        raise BookingClash(booking, clashes)
    return override_reason.strip()


def _save(booking: Booking, *, user: User, action: str, before: dict | None, override_reason: str) -> Booking:
    # The plan window first: the clash check below walks the booking's days.
    full_clean_in_window(
        booking, exclude=["version", "created_by"],
        start_date=booking.start_date, end_date=booking.end_date, hold_expires_on=booking.hold_expires_on,
    )
    booking.override_reason = _check_capacity(booking, user, override_reason)
    booking.save()
    audit_record(
        actor=user, obj=booking, action=action, before=before, after=_snapshot(booking),
        reason=booking.override_reason,
    )
    return booking


@transaction.atomic
def booking_create(
    *,
    user: User,
    talent: Talent | None = None,
    placeholder_discipline: Discipline | None = None,
    project: Project,
    deliverable: Deliverable | None = None,
    start_date: dt.date,
    end_date: dt.date,
    hours_per_day: Decimal,
    status: str = Booking.Status.TENTATIVE,
    hold_expires_on: dt.date | None = None,
    include_weekends: bool = False,
    note: str = "",
    override_reason: str = "",
) -> Booking:
    """Book a person, or a placeholder of a discipline, on a project."""
    require(user, "booking.book")
    if talent is not None:
        talent = _lock_talent(talent.pk).get(talent.pk, talent)
    booking = Booking(
        talent=talent, placeholder_discipline=placeholder_discipline, project=project, deliverable=deliverable,
        start_date=start_date, end_date=end_date, hours_per_day=hours_per_day, status=status,
        hold_expires_on=hold_expires_on, include_weekends=include_weekends, note=note, created_by=user,
    )
    return _save(booking, user=user, action="booking.create", before=None, override_reason=override_reason)


@transaction.atomic
def booking_update(*, booking: Booking, user: User, version: int, override_reason: str = "", **changes) -> Booking:
    """Move, resize or edit a booking; a confirmed one is checked for clashes again."""
    require(user, "booking.book")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"booking_update cannot change {', '.join(sorted(unknown))}")
    new_talent = changes.get("talent", booking.talent)
    _lock_talent(booking.talent_id, new_talent.pk if new_talent else None)
    booking = _lock_booking(booking, version)
    before = _snapshot(booking)
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.version += 1
    return _save(booking, user=user, action="booking.update", before=before, override_reason=override_reason)


@transaction.atomic
def booking_confirm(*, booking: Booking, user: User, version: int, override_reason: str = "") -> Booking:
    """Confirm a tentative booking, unless it takes its person over capacity."""
    require(user, "booking.book")
    _lock_talent(booking.talent_id)
    booking = _lock_booking(booking, version)
    before = _snapshot(booking)
    booking.status = Booking.Status.CONFIRMED
    booking.hold_expires_on = None
    booking.version += 1
    return _save(booking, user=user, action="booking.confirm", before=before, override_reason=override_reason)


@transaction.atomic
def booking_split(*, booking: Booking, user: User, version: int, on: dt.date) -> tuple[Booking, Booking]:
    """Split a booking in two: the first part ends the day before `on`, the second starts on it."""
    require(user, "booking.book")
    check_plan_dates(clock.today(), on=on)
    _lock_talent(booking.talent_id)
    booking = _lock_booking(booking, version)
    if not booking.start_date < on <= booking.end_date:
        raise ValidationError(
            {"on": _("Split on a day after the booking's first day, up to its last day.")}, code="invalid"
        )
    before = _snapshot(booking)
    second = Booking.objects.get(pk=booking.pk)
    second.pk = None
    second.start_date = on
    second.version = 1
    second.created_by = user
    booking.end_date = on - dt.timedelta(days=1)
    booking.version += 1
    # The same hours land on the same days as before: no capacity check to repeat.
    for part in (booking, second):
        part.full_clean(exclude=["version", "created_by"])
        part.save()
    audit_record(actor=user, obj=booking, action="booking.split", before=before, after=_snapshot(booking))
    audit_record(actor=user, obj=second, action="booking.create", after=_snapshot(second),
                 reason=_("Split from booking #%(pk)s.") % {"pk": booking.pk})
    return booking, second


@transaction.atomic
def booking_release(*, booking: Booking, user: User, version: int) -> None:
    """Delete a booking; its history stays in the audit trail."""
    require(user, "booking.book")
    booking = _lock_booking(booking, version)
    audit_record(actor=user, obj=booking, action="booking.release", before=_snapshot(booking))
    booking.delete()


def _hold_owner(booking: Booking) -> User:
    # The one who held the time hears of it, while they still book; otherwise the project's PM.
    creator = booking.created_by
    if creator is not None and can(creator, "booking.book"):
        return creator
    return booking.project.pm


@transaction.atomic
def bookings_release_expired_holds(*, today: dt.date) -> int:
    """Delete tentative bookings whose hold expired before `today` and tell their PM;
    returns how many. A rerun finds nothing left to release."""
    # Locked rows are the claim: a concurrent run skips them and, once this one
    # commits, finds them gone.
    expired = list(
        Booking.objects.expired_holds(today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("talent__user", "placeholder_discipline", "project__pm", "created_by")
        .order_by("pk")
    )
    for booking in expired:
        audit_record(
            actor=None, obj=booking, action="booking.release", before=_snapshot(booking),
            reason=_("The hold expired on %(day)s.") % {"day": day_text(booking.hold_expires_on)},
        )
        notification_create(
            recipient=_hold_owner(booking),
            subject=_("Hold released: %(booking)s") % {"booking": booking},
            body=_("The tentative booking %(booking)s was held until %(day)s and has been released.")
            % {"booking": booking, "day": day_text(booking.hold_expires_on)},
            target=booking.project,
        )
        booking.delete()
    return len(expired)
