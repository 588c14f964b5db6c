import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0004_salesline_fewer_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recommendation",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recommendations",
                to="crm.customer",
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="item",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="crm.catalogitem",
            ),
        ),
    ]
