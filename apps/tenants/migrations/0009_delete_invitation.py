# Invitations moved to apps.accounts (its 0001 takes over the table): only the model state goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0008_name_single_line"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Invitation")]),
    ]
