"""Trigram indexes for 候補者検索 (partial matches on the search keys), PostgreSQL only."""

from django.db import migrations

INDEXES = {
    "atena_person_search_kana_trgm": "search_kana",
    "atena_person_search_name_trgm": "search_name",
    "atena_person_search_address_trgm": "search_address",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON atena_person USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("atena", "0003_registry_items")]
    operations = [migrations.RunPython(create, drop)]
