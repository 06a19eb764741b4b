"""Access-aware reads for bookings and time (DESIGN §1): a person's own rows,
or everything for production managers and executives."""

from django.db import models


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
