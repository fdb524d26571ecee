"""The platform's own audit chain ("-") exists from the start, like every tenant's chain
(created with the tenant), so the first platform record only appends."""

from django.db import migrations


def create(apps, schema_editor):
    head = apps.get_model("platform", "AuditChainHead")
    head.objects.get_or_create(chain="-", defaults={"tenant": None})


class Migration(migrations.Migration):
    dependencies = [("platform", "0003_tenant_mayor")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
