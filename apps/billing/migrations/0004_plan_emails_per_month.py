"""A monthly quota of campaign e-mails per plan: the default plans get theirs (Starter 1,000, Pro
50,000, Enterprise unlimited); an operator's edits to other fields are left alone."""

from django.db import migrations, models

# The values as they stand in the code today; a later change to them needs its own migration.
EMAILS_PER_MONTH = {"starter": 1000, "pro": 50000, "enterprise": None}


def set_quotas(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, emails in EMAILS_PER_MONTH.items():
        Plan.objects.filter(code=code).update(emails_per_month=emails)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_pro_custom_domain"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="emails_per_month",
            field=models.PositiveIntegerField(
                blank=True, help_text="Campaign e-mails sent per month; empty: unlimited", null=True
            ),
        ),
        migrations.AlterField(
            model_name="usagealert",
            name="metric",
            field=models.CharField(
                choices=[
                    ("designs", "AI designs this month"),
                    ("emails", "Campaign e-mails this month"),
                    ("brands", "Brands"),
                    ("seats", "Seats"),
                    ("webhook_endpoints", "Webhook endpoints"),
                ],
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="usagecounter",
            name="metric",
            field=models.CharField(
                choices=[
                    ("designs", "AI designs this month"),
                    ("emails", "Campaign e-mails this month"),
                    ("brands", "Brands"),
                    ("seats", "Seats"),
                    ("webhook_endpoints", "Webhook endpoints"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(set_quotas, migrations.RunPython.noop),
    ]
