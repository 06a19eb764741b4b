"""`manage.py seed_demo`: fill an empty database with the demo studio."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.builder import DatabaseNotEmpty, database_is_empty, demo_studio_seed
from demo.context import planner_statistics_refresh
from demo.metrics import build_metrics
from demo.people import DEMO_PASSWORD
from studio import clock


def not_negative(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = _(
        "Seed an empty database with the demo studio: a login for each role, "
        "six weeks of history and six weeks of plans around today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help=_("Random seed; the same seed gives the same studio."),
        )
        parser.add_argument(
            "--scale",
            type=positive,
            default=1,
            help=_("Multiply talent, projects, bookings and time by this factor."),
        )
        parser.add_argument(
            "--weeks-of-metrics",
            type=not_negative,
            default=52,
            help=_("Nightly metrics for the last week and one night a week for this many weeks before it."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing, successfully, when the database already has users."),
        )

    def handle(self, *args, seed, scale, if_empty, weeks_of_metrics, **options):
        if if_empty and not database_is_empty():
            self.stdout.write(_("The database already has users; the demo studio was not seeded."))
            return
        started = time.monotonic()
        try:
            logins = demo_studio_seed(seed=seed, scale=scale)
        except DatabaseNotEmpty:
            raise CommandError(
                _(
                    "The database already has users. seed_demo only fills an empty database; "
                    "use --if-empty to skip it quietly, or start from a fresh database."
                )
            ) from None
        # The load leaves the planner's statistics behind the tables; as fast as a studio in use.
        planner_statistics_refresh()
        if weeks_of_metrics:
            build_metrics(clock.today(), weeks_of_metrics, self._progress)
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Seeded the demo studio (seed %(seed)s, scale %(scale)s) in %(seconds).1f s.")
                % {"seed": seed, "scale": scale, "seconds": time.monotonic() - started}
            )
        )
        self.stdout.write(_("Demo logins, password: %(password)s") % {"password": DEMO_PASSWORD})
        for login in logins:
            self.stdout.write(f"  {login.username:<11} {login.role:<19} {login.start_page}")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"\r{_('Metrics of past nights')}: {done}/{total}", ending="")
        self.stdout.flush()
