"""Remote copies: ship backups to a second location with rsync (a directory, or ``host:path``
over ssh), then prove the copy by reading it back: every file's SHA-256 against the manifest
(a local destination is read directly; a remote one with ``sha256sum`` over ssh)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

from kyodo.ops.backup.take import Backup, sha256_of
from kyodo.platform.errors import ValidationFailed

NO_RSYNC = "rsync がありません（scripts/system-deps.sh）"
COPY_FAILED = "{name} を {dest} へ送れませんでした: {reason}"
MISMATCH = "{dest} の {file} が元と一致しません（送り直してください）"


def _ssh() -> str:
    found = shutil.which("ssh")
    if not found:
        raise ValidationFailed("ssh がありません（openssh-client）", field="ship")
    return found


def _remote(dest: str) -> tuple[str, str] | None:
    host, sep, path = dest.partition(":")
    return (host, path) if sep and "/" not in host else None


def ship(backup: Backup, dest: str) -> Path | str:
    """Copy ``backup`` (its folder) under ``dest`` and verify every file there."""
    rsync = shutil.which("rsync")
    if not rsync:
        raise ValidationFailed(NO_RSYNC, field="ship")
    remote = _remote(dest)
    if remote is None:
        Path(dest).mkdir(parents=True, exist_ok=True)
    target = f"{dest.rstrip('/')}/{backup.path.name}"
    # Into a hidden name, renamed once complete: a broken transfer never looks like a backup.
    partial = f"{dest.rstrip('/')}/.{backup.path.name}.partial"
    done = subprocess.run(
        [rsync, "-a", "--delete", f"{backup.path}/", f"{partial}/"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise ValidationFailed(
            COPY_FAILED.format(name=backup.path.name, dest=dest, reason=done.stderr.strip()),
            field="ship",
        )
    sums = _sums(partial, remote, [*backup.manifest["files"], "manifest.json"])
    for name, expected in backup.manifest["files"].items():
        if sums.get(name) != expected["sha256"]:
            raise ValidationFailed(MISMATCH.format(dest=dest, file=name), field="ship")
    if sums.get("manifest.json") != sha256_of(backup.path / "manifest.json"):
        raise ValidationFailed(MISMATCH.format(dest=dest, file="manifest.json"), field="ship")
    if remote is None:
        shutil.rmtree(target, ignore_errors=True)
        Path(partial).rename(target)
        return Path(target)
    host, path = remote
    folder = f"{path.rstrip('/')}/{backup.path.name}"
    hidden = f"{path.rstrip('/')}/.{backup.path.name}.partial"
    subprocess.run(
        [
            _ssh(),
            host,
            f"rm -rf {shlex.quote(folder)} && mv {shlex.quote(hidden)} {shlex.quote(folder)}",
        ],
        check=True,
    )
    return target


def _sums(folder: str, remote: tuple[str, str] | None, names: list[str]) -> dict[str, str]:
    if remote is None:
        return {n: sha256_of(Path(folder) / n) for n in names if (Path(folder) / n).is_file()}
    host, _path = remote
    path = folder.partition(":")[2]
    quoted = " ".join(shlex.quote(f"{path}/{n}") for n in names)
    out = subprocess.run(
        [_ssh(), host, f"sha256sum {quoted}"], capture_output=True, text=True, check=False
    )
    return {Path(line.split()[1]).name: line.split()[0] for line in out.stdout.splitlines()}
