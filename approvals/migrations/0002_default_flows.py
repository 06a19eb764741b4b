from django.db import migrations

from approvals.defaults import DEFAULT_FLOWS, default_flows_create


def create_default_flows(apps, schema_editor):
    default_flows_create(apps)


def remove_default_flows(apps, schema_editor):
    apps.get_model("approvals", "ApprovalFlow").objects.filter(kind__in=DEFAULT_FLOWS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
        ("studio", "0002_studio_settings_row"),
    ]

    operations = [migrations.RunPython(create_default_flows, remove_default_flows)]
