"""Pro includes a custom dashboard domain (issue 6: "Pro and above"), unless an operator edited it out."""

from django.db import migrations


def add(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for plan in Plan.objects.filter(code="pro").exclude(features__contains=["custom_domain"]):
        plan.features = [*plan.features, "custom_domain"]
        plan.save(update_fields=["features"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_default_plans")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
