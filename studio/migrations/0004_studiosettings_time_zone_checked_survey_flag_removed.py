from django.db import migrations, models

import studio.models


class Migration(migrations.Migration):

    dependencies = [
        ("studio", "0003_brand_code_prefix"),
    ]

    operations = [
        # Nothing sends surveys on a deliverable's approval yet: a switch that does nothing goes.
        migrations.RemoveField(model_name="studiosettings", name="survey_on_deliverable_approval"),
        migrations.AlterField(
            model_name="studiosettings",
            name="time_zone",
            field=models.CharField(
                default="Europe/London", max_length=64, validators=[studio.models.time_zone_validator]
            ),
        ),
    ]
