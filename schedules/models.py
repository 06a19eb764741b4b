"""Bookings, time off, and timesheets with their time entries."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Deliverable, Project
from studio.dates import day_text
from studio.limits import HOURS_PER_DAY
from studio.models import Discipline, Talent

from .querysets import BookingQuerySet, TimeEntryQuerySet, TimeOffQuerySet, TimesheetQuerySet

HOURS = {"max_digits": 5, "decimal_places": 2}


class Booking(models.Model):
    """A person, or a placeholder of a discipline, on a project for a date range."""

    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("Tentative")
        CONFIRMED = "confirmed", _("Confirmed")

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    placeholder_discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, null=True, blank=True, related_name="placeholder_bookings",
        help_text=_("For a role still to be staffed: leave the person empty."),
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bookings")
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    hours_per_day = models.DecimalField(**HOURS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TENTATIVE)
    hold_expires_on = models.DateField(
        null=True, blank=True, help_text=_("A tentative hold is released after this day.")
    )
    include_weekends = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    override_reason = models.TextField(blank=True, help_text=_("Why this confirmation may go over capacity."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [
            models.Index(fields=["talent", "start_date", "end_date"]),
            models.Index(fields=["project", "start_date"]),
            models.Index(fields=["status", "hold_expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="booking_end_after_start"),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0) & Q(hours_per_day__lte=24), name="booking_hours_range"
            ),
            models.CheckConstraint(
                condition=(Q(talent__isnull=False) & Q(placeholder_discipline__isnull=True))
                | (Q(talent__isnull=True) & Q(placeholder_discipline__isnull=False)),
                name="booking_person_xor_placeholder",
            ),
            models.CheckConstraint(
                condition=Q(status="tentative") | Q(hold_expires_on__isnull=True),
                name="booking_only_tentative_expires",
            ),
            models.CheckConstraint(
                condition=Q(status="tentative") | Q(talent__isnull=False),
                name="booking_placeholder_not_confirmed",
            ),
        ]

    def __str__(self):
        who = self.talent or f"{self.placeholder_discipline} (to staff)"
        return f"{who} · {self.project.code} {day_text(self.start_date)} – {day_text(self.end_date)}"

    @property
    def is_placeholder(self):
        return self.talent_id is None

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The booking cannot end before it starts.")
        if self.hours_per_day is not None and not (0 < self.hours_per_day <= HOURS_PER_DAY):
            errors["hours_per_day"] = _("Hours per day must be more than 0 and at most 24.")
        if bool(self.talent_id) == bool(self.placeholder_discipline_id):
            errors["talent"] = _("Book a person, or leave the person empty and choose a discipline to staff.")
        if self.status == self.Status.CONFIRMED and self.hold_expires_on:
            errors["hold_expires_on"] = _("Only a tentative booking can carry a hold expiry.")
        if self.status == self.Status.CONFIRMED and not self.talent_id:
            errors["status"] = _("A placeholder cannot be confirmed; staff it first.")
        if self.deliverable_id and self.project_id and self.deliverable.project_id != self.project_id:
            errors["deliverable"] = _("The deliverable belongs to another project.")
        if self.talent_id and self.start_date and self.end_date and self.talent.is_freelance:
            if not (self.talent.under_contract_on(self.start_date) and self.talent.under_contract_on(self.end_date)):
                errors["end_date"] = _("%(who)s is under contract from %(start)s to %(end)s only.") % {
                    "who": self.talent, "start": day_text(self.talent.contract_start),
                    "end": day_text(self.talent.contract_end),
                }
        if errors:
            raise ValidationError(errors)


class TimeOff(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="time_off")
    start_date = models.DateField()
    end_date = models.DateField()
    full_day = models.BooleanField(default=True)
    hours_per_day = models.DecimalField(**HOURS, null=True, blank=True, help_text=_("For part days only."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TimeOffQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["talent", "status", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="timeoff_end_after_start"),
            # `isnull=False` is spelled out: a CHECK passes when it evaluates to NULL,
            # so `hours_per_day > 0` alone would let a part day without hours through.
            models.CheckConstraint(
                condition=(Q(full_day=True) & Q(hours_per_day__isnull=True))
                | (
                    Q(full_day=False) & Q(hours_per_day__isnull=False)
                    & Q(hours_per_day__gt=0) & Q(hours_per_day__lte=24)
                ),
                name="timeoff_full_day_or_hours",
            ),
        ]

    def __str__(self):
        return f"{self.talent} off {day_text(self.start_date)} – {day_text(self.end_date)}"

    def get_absolute_url(self):
        return reverse("schedules:time-off-list")

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Time off cannot end before it starts.")
        if self.full_day and self.hours_per_day is not None:
            errors["hours_per_day"] = _("Leave hours empty for full days off.")
        if not self.full_day and not (self.hours_per_day and 0 < self.hours_per_day <= HOURS_PER_DAY):
            errors["hours_per_day"] = _("Give the hours off per day (more than 0, at most 24).")
        if errors:
            raise ValidationError(errors)


class Timesheet(models.Model):
    """A person's week of time entries, submitted and approved as one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="timesheets")
    week_start = models.DateField(help_text=_("The Monday of the week."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = TimesheetQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "talent"]
        indexes = [models.Index(fields=["status", "week_start"])]
        constraints = [
            models.UniqueConstraint(fields=["talent", "week_start"], name="timesheet_one_per_week"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False), name="timesheet_approved_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.talent}, week of {day_text(self.week_start)}"

    def get_absolute_url(self):
        return timesheet_week_url(self.talent_id, self.week_start)

    def clean(self):
        if self.week_start and self.week_start.isoweekday() != 1:
            raise ValidationError({"week_start": _("A timesheet week starts on a Monday.")})


def timesheet_week_url(talent_id: int, week_start: dt.date) -> str:
    """A person's timesheet week, as they or a production manager see it (whether or not
    its timesheet exists yet)."""
    return f"{reverse('schedules:timesheet-person', args=[talent_id])}?week={week_start.isoformat()}"


class TimeEntry(models.Model):
    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="entries")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="time_entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="time_entries")
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    date = models.DateField()
    hours = models.DecimalField(**HOURS)
    note = models.CharField(max_length=200, blank=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "time entries"
        indexes = [models.Index(fields=["talent", "date"]), models.Index(fields=["project", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="timeentry_hours_range"),
            models.UniqueConstraint(
                fields=["talent", "project", "deliverable", "date"], condition=Q(deliverable__isnull=False),
                name="timeentry_one_per_deliverable_day",
            ),
            models.UniqueConstraint(
                fields=["talent", "project", "date"], condition=Q(deliverable__isnull=True),
                name="timeentry_one_per_project_day",
            ),
        ]

    def __str__(self):
        return f"{self.talent} {day_text(self.date)} {self.hours} h on {self.project.code}"

    def clean(self):
        errors = {}
        if self.hours is not None and not (0 < self.hours <= HOURS_PER_DAY):
            errors["hours"] = _("Hours must be more than 0 and at most 24.")
        if self.timesheet_id and self.date:
            start = self.timesheet.week_start
            if not (0 <= (self.date - start).days < 7):
                errors["date"] = _("The day is outside the timesheet's week.")
            if self.talent_id and self.timesheet.talent_id != self.talent_id:
                errors["talent"] = _("The entry belongs to another person's timesheet.")
        if self.deliverable_id and self.project_id and self.deliverable.project_id != self.project_id:
            errors["deliverable"] = _("The deliverable belongs to another project.")
        if errors:
            raise ValidationError(errors)
