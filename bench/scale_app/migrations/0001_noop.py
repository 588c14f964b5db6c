from django.db import migrations


class Migration(migrations.Migration):
    """What a deploy's migration costs per schema beyond its own SQL: the runner, the recorder."""

    dependencies = [("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunSQL("SELECT 1", migrations.RunSQL.noop)]
