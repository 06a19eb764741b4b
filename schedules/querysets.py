"""Access-aware reads for bookings and time (DESIGN §1): a person's own rows,
or everything for production managers and executives."""

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from studio.models import Holiday

HOURS_FIELD = DecimalField(max_digits=7, decimal_places=2)


class OwnRowsQuerySet(models.QuerySet):
    talent_path = "talent__user"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.is_talent:
            return self.filter(**{self.talent_path: user})
        return self.none()


class BookingQuerySet(OwnRowsQuerySet):
    def confirmed(self):
        return self.filter(status="confirmed")

    def tentative(self):
        return self.filter(status="tentative")

    def overlapping(self, start, end):
        return self.filter(start_date__lte=end, end_date__gte=start)

    def landing_on(self, day):
        """Bookings whose hours land on `day` (DESIGN §2, bookings): in range, on a
        working day of the person or a weekend day the booking includes, and not
        on a holiday or a full day of approved time off."""
        lands = Q(talent__working_days__contains=str(day.isoweekday()))
        if day.isoweekday() >= 6:
            lands |= Q(include_weekends=True)
        day_off = apps.get_model("schedules", "TimeOff").objects.filter(
            talent=OuterRef("talent"), status="approved", full_day=True,
            start_date__lte=day, end_date__gte=day,
        )
        return (
            self.overlapping(day, day)
            .filter(lands)
            .exclude(Exists(day_off))
            .exclude(Exists(Holiday.objects.filter(date=day)))
        )

    def load_by_person(self):
        """The people these bookings name, with their hours (`booked_hours`,
        `confirmed_hours`, `tentative_hours`, `is_overbooked` against their
        hours per day) and the bookings themselves as `load_bookings`.
        Meant for one day's bookings, e.g. `.landing_on(day).load_by_person()`."""
        bookings = self.filter(talent__isnull=False)

        def hours(**lookups):
            total = (
                bookings.filter(talent=OuterRef("pk"), **lookups)
                .order_by()
                .values("talent")
                .annotate(total=Sum("hours_per_day"))
                .values("total")
            )
            return Coalesce(
                Subquery(total, output_field=HOURS_FIELD), Value(0), output_field=HOURS_FIELD
            )

        talent = apps.get_model("studio", "Talent")
        return (
            talent.objects.filter(pk__in=bookings.values("talent"))
            .select_related("user", "discipline")
            .annotate(
                booked_hours=hours(),
                confirmed_hours=hours(status="confirmed"),
                tentative_hours=hours(status="tentative"),
            )
            .annotate(
                is_overbooked=Case(
                    When(booked_hours__gt=F("hours_per_day"), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .prefetch_related(
                Prefetch(
                    "bookings",
                    queryset=bookings.select_related("project", "deliverable").order_by(
                        "project__code", "start_date", "pk"
                    ),
                    to_attr="load_bookings",
                )
            )
            .order_by("-is_overbooked", "user__first_name", "user__last_name", "pk")
        )


    def expired_holds(self, today):
        """Tentative holds whose expiry day has passed: released on `today`."""
        return self.tentative().filter(hold_expires_on__lt=today)

    def landing_days(self, talent, start, end, *, extra=()):
        """{day: [bookings]}: `talent`'s bookings here, plus the unsaved or changed
        `extra` ones, on each day from `start` to `end` their hours land (the rule
        of `landing_on`, for one person over a range in two queries)."""
        bookings = [*self.filter(talent=talent).overlapping(start, end), *extra]
        holidays = set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))
        days_off = list(
            apps.get_model("schedules", "TimeOff").objects.approved()
            .filter(talent=talent, full_day=True)
            .overlapping(start, end)
            .values_list("start_date", "end_date")
        )
        landing = {}
        day = start
        while day <= end:
            if day not in holidays and not any(first <= day <= last for first, last in days_off):
                on_day = [
                    booking for booking in bookings
                    if booking.start_date <= day <= booking.end_date
                    and (talent.works_on(day) or (day.isoweekday() >= 6 and booking.include_weekends))
                ]
                if on_day:
                    landing[day] = on_day
            day += dt.timedelta(days=1)
        return landing

    def clashes_for(self, talent, start, end, *, extra=()):
        """{day: [bookings]} on the days from `start` to `end` when `talent`'s bookings
        here (tentative ones too, unless filtered out) land more hours than their
        hours per day plus allowed overtime."""
        limit = talent.hours_per_day + talent.overtime_hours_per_day
        return {
            day: bookings
            for day, bookings in self.landing_days(talent, start, end, extra=extra).items()
            if sum(booking.hours_per_day for booking in bookings) > limit
        }


class TimeOffQuerySet(OwnRowsQuerySet):
    def approved(self):
        return self.filter(status="approved")

    def overlapping(self, start, end):
        return self.filter(start_date__lte=end, end_date__gte=start)


class TimesheetQuerySet(OwnRowsQuerySet):
    pass


class TimeEntryQuerySet(OwnRowsQuerySet):
    def approved(self):
        return self.filter(timesheet__status="approved")
