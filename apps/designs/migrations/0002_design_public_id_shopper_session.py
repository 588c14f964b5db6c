"""Designs get an unguessable public id (shown to shoppers) and the widget session that made them.

Existing rows get their own id before the column becomes unique.
"""

from django.db import migrations, models

import apps.designs.models


def _fill_public_ids(apps, schema_editor):
    Design = apps.get_model("designs", "Design")
    for design in Design.objects.filter(public_id__isnull=True).only("pk"):
        Design.objects.filter(pk=design.pk).update(public_id=apps_designs_public_id())


def apps_designs_public_id() -> str:
    return apps.designs.models.public_id_new()


class Migration(migrations.Migration):
    dependencies = [("designs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="design",
            name="public_id",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.AddField(
            model_name="design",
            name="shopper_session",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(_fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="design",
            name="public_id",
            field=models.CharField(
                default=apps.designs.models.public_id_new, editable=False, max_length=40, unique=True
            ),
        ),
    ]
