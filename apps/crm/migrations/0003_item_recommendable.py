from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("crm", "0002_orders_backfill")]

    operations = [
        migrations.AddField(
            model_name="catalogitem",
            name="recommendable",
            field=models.BooleanField(default=True, db_default=True, verbose_name="may be recommended"),
        ),
    ]
