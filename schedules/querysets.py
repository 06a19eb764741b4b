"""Access-aware reads for bookings and time (DESIGN §1): who sees which rows is the
permission table's (`studio.permissions`); each queryset says which rows are a
person's own."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from studio.models import Holiday
from studio.permissions import RestrictedQuerySet, Scope


class OwnRowsQuerySet(RestrictedQuerySet):
    """Rows of a person (`talent`): their own are those of their talent profile."""

    def scope_own(self, user):
        return self.filter(talent__user=user)

    def holds(self, scope, user, obj):
        if scope == Scope.OWN and type(obj).talent.is_cached(obj):
            return obj.talent.user_id == user.pk
        return None


class BookingQuerySet(OwnRowsQuerySet):
    permission_object = "booking"

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
        from .models import TimeOff  # the models module imports this one

        day_off = TimeOff.objects.filter(
            talent=OuterRef("talent"), status="approved", full_day=True,
            start_date__lte=day, end_date__gte=day,
        )
        return (
            self.overlapping(day, day)
            .filter(lands)
            .exclude(Exists(day_off))
            .exclude(Exists(Holiday.objects.filter(date=day)))
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
        from .models import TimeOff  # the models module imports this one

        days_off = list(
            TimeOff.objects.approved()
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
    permission_object = "time_off"

    def approved(self):
        return self.filter(status="approved")

    def overlapping(self, start, end):
        return self.filter(start_date__lte=end, end_date__gte=start)


class TimesheetQuerySet(OwnRowsQuerySet):
    permission_object = "timesheet"


class TimeEntryQuerySet(OwnRowsQuerySet):
    permission_object = "timesheet"

    def approved(self):
        return self.filter(timesheet__status="approved")
