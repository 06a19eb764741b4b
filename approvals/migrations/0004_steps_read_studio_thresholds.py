from django.db import migrations, models


def flag_threshold_steps(apps, schema_editor):
    # A step that held a copied amount now reads the studio's threshold at each submission.
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    ApprovalStep.objects.filter(min_amount__isnull=False).update(only_above_threshold=True)


def restore_copied_amounts(apps, schema_editor):
    ApprovalStep = apps.get_model("approvals", "ApprovalStep")
    fields = {"budget": "budget_approval_threshold", "change_order": "change_order_approval_threshold"}
    # Only the thresholds: this migration does not pin which of the settings' other columns exist.
    thresholds = apps.get_model("studio", "StudioSettings").objects.filter(pk=1).values(*fields.values()).first()
    if thresholds is None:
        return
    for kind, field in fields.items():
        ApprovalStep.objects.filter(only_above_threshold=True, flow__kind=kind).update(min_amount=thresholds[field])


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0003_decision_skipped_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvalstep",
            name="only_above_threshold",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Only when the amount (budget total, change in total) is above the studio's approval "
                    "threshold for this kind, as the studio settings say at submission."
                ),
            ),
        ),
        migrations.RunPython(flag_threshold_steps, restore_copied_amounts),
        migrations.RemoveField(model_name="approvalstep", name="min_amount"),
    ]
