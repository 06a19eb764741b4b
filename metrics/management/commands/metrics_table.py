"""Print the catalogue of metrics, as `docs/metrics.md` holds it."""

from django.core.management.base import BaseCommand

from metrics.catalogue import catalogue_markdown


class Command(BaseCommand):
    help = "Print the metrics catalogue (python manage.py metrics_table > docs/metrics.md)."

    def handle(self, *args, **options):
        self.stdout.write(catalogue_markdown(), ending="")
