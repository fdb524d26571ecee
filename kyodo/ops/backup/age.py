"""Encryption of backups with age (Debian's ``age``): to the operators' public keys, so the
machine that takes backups cannot read them back without the identity (kept offline in
production; generated under ``var/`` for a single machine and the tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from kyodo.platform.errors import ValidationFailed

NO_AGE = "age がありません（Debian の age パッケージ：scripts/system-deps.sh）"
NO_IDENTITY = "復号の鍵（KYODO_BACKUP_IDENTITY）がありません: {path}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ValidationFailed(NO_AGE, field=name)
    return found


def identity_file() -> Path:
    """The age identity, generated (owner-only) on first use when none is configured."""
    path = Path(settings.KYODO_BACKUP_IDENTITY)
    if not path.exists():
        if os.environ.get("KYODO_BACKUP_IDENTITY"):
            raise ValidationFailed(NO_IDENTITY.format(path=path), field="KYODO_BACKUP_IDENTITY")
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_tool("age-keygen"), "-o", str(path)], check=True, capture_output=True)
        path.chmod(0o600)
    return path


def recipients() -> list[str]:
    configured = list(settings.KYODO_BACKUP_RECIPIENTS)
    if configured:
        return configured
    public = subprocess.run(
        [_tool("age-keygen"), "-y", str(identity_file())],
        check=True,
        capture_output=True,
        text=True,
    )
    return [public.stdout.strip()]


def encrypt_command() -> list[str]:
    command = [_tool("age"), "--encrypt"]
    for recipient in recipients():
        command += ["-r", recipient]
    return command


def decrypt_command() -> list[str]:
    path = Path(settings.KYODO_BACKUP_IDENTITY)
    if not path.exists():
        raise ValidationFailed(NO_IDENTITY.format(path=path), field="KYODO_BACKUP_IDENTITY")
    return [_tool("age"), "--decrypt", "-i", str(path)]
