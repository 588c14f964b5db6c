import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0006_consent_event"),
    ]

    operations = [
        migrations.AlterField(
            model_name="salesline",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sales_lines",
                to="crm.customer",
            ),
        ),
        migrations.AlterField(
            model_name="salesline",
            name="item",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sales_lines",
                to="crm.catalogitem",
            ),
        ),
    ]
