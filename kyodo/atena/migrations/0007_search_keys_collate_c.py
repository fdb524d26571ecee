"""Search keys in the "C" collation, indexed plainly: one btree (tenant_id, key, atena_no)
then answers both ``LIKE 'key%'`` and ``ORDER BY key, atena_no … LIMIT n`` by a range scan
that stops at the limit. (A text_pattern_ops index serves LIKE but not the ORDER BY, so the
search sorted every match of a common name.) The keys are folded kana and kanji compared by
code point; no linguistic collation is wanted. PostgreSQL only."""

from django.db import migrations

COLUMNS = ("search_kana", "search_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS atena_person_{column}_prefix")
        schema_editor.execute(
            f'ALTER TABLE atena_person ALTER COLUMN {column} TYPE text COLLATE "C"'
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS atena_person_{column}_order "
            f"ON atena_person (tenant_id, {column}, atena_no)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS atena_person_{column}_order")
        schema_editor.execute(f"ALTER TABLE atena_person ALTER COLUMN {column} TYPE text")


class Migration(migrations.Migration):
    dependencies = [("atena", "0006_search_prefix_indexes")]
    operations = [migrations.RunPython(create, drop)]
