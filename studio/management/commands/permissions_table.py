"""Print who may do what, as `docs/permissions.md` holds it."""

from django.core.management.base import BaseCommand

from studio.permissions import table_markdown


class Command(BaseCommand):
    help = "Print the role × object × action table (python manage.py permissions_table > docs/permissions.md)."

    def handle(self, *args, **options):
        self.stdout.write(table_markdown(), ending="")
