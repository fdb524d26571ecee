"""The generations in a backup folder, and pruning them to the retention."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from kyodo.ops.backup.generations import to_keep
from kyodo.ops.backup.take import MANIFEST, Backup, read_manifest


def generations(root: Path | None = None, *, tenant: str | None = None) -> list[Backup]:
    """Complete backups (those with a manifest; never a ``.partial`` one), oldest first;
    those of one municipality with ``tenant``, of the whole deployment without."""
    folder = Path(root or settings.KYODO_BACKUP_DIR)
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(".") or not (path / MANIFEST).is_file():
            continue
        backup = Backup(path, read_manifest(path))
        if backup.manifest.get("tenant") == tenant:
            found.append(backup)
    return sorted(found, key=lambda b: b.taken_at)


def prune(
    root: Path | None = None,
    *,
    tenant: str | None = None,
    daily: int | None = None,
    weekly: int | None = None,
) -> list[Path]:
    """Delete the generations past the retention (7 daily and 4 weekly by default); return
    what was deleted."""
    found = generations(root, tenant=tenant)
    keep = to_keep(
        [b.taken_at for b in found],
        daily=settings.KYODO_BACKUP_KEEP_DAILY if daily is None else daily,
        weekly=settings.KYODO_BACKUP_KEEP_WEEKLY if weekly is None else weekly,
    )
    removed = []
    for backup in found:
        if backup.taken_at not in keep:
            shutil.rmtree(backup.path)
            removed.append(backup.path)
    return removed
