"""Prefix indexes for 候補者検索: a name typed from its start is answered by a range scan of
(tenant_id, key) in key order, however many people share the name. PostgreSQL only (SQLite's
LIKE needs no operator class)."""

from django.db import migrations

INDEXES = {
    "atena_person_search_kana_prefix": "search_kana",
    "atena_person_search_name_prefix": "search_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON atena_person "
            f"(tenant_id, {column} text_pattern_ops, atena_no)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("atena", "0005_juminhyo_code_unique")]
    operations = [migrations.RunPython(create, drop)]
