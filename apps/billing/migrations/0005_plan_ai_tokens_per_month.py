"""A monthly quota of AI text tokens (assistant, copilot) per plan: the default plans get theirs
(Starter 200,000, Pro 5,000,000, Enterprise unlimited); plans with other codes stay unlimited and
an operator's edits to other fields are left alone."""

from django.db import migrations, models

# The values as they stand in the code today; a later change to them needs its own migration.
AI_TOKENS_PER_MONTH = {"starter": 200_000, "pro": 5_000_000, "enterprise": None}


def set_quotas(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, tokens in AI_TOKENS_PER_MONTH.items():
        Plan.objects.filter(code=code).update(ai_tokens_per_month=tokens)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_plan_emails_per_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="ai_tokens_per_month",
            field=models.PositiveIntegerField(
                blank=True, help_text="AI text tokens (assistant, copilot) per month; empty: unlimited", null=True
            ),
        ),
        migrations.AlterField(
            model_name="usagealert",
            name="metric",
            field=models.CharField(
                choices=[
                    ("designs", "AI designs this month"),
                    ("emails", "Campaign e-mails this month"),
                    ("ai_tokens", "AI text tokens this month"),
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
                    ("ai_tokens", "AI text tokens this month"),
                    ("brands", "Brands"),
                    ("seats", "Seats"),
                    ("webhook_endpoints", "Webhook endpoints"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(set_quotas, migrations.RunPython.noop),
    ]
