"""Bulk printing into numbered PDF files: a plan first, a manifest of finished files, resume.

Every unit that prints a 年度's notices in bulk (郵便番号 order, N per file) does the same
thing, so it is done here once. The first run writes ``plan.json`` (which keys go into which
file, in the printer's order) so a resumed run prints exactly the same set even if the data
changed meanwhile; ``manifest.json`` lists each finished file with its count and SHA-256. Each
file is written under a temporary name and renamed when complete, so a killed run leaves no
half file under a final name; a resumed run re-checks the finished files and starts at the
first one missing or damaged. Pure: the unit supplies the plan, the rendering and the audit.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

PLAN = "plan.json"
MANIFEST = "manifest.json"

Plan = dict[str, Any]  # {"fiscal_year", "total", "files": [{"name", <key>: [...]}], …}


class PrintPlanError(ValueError):
    """The output folder holds another print: a reason in Japanese, for the caller to report."""


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def split_into_files(keys: list[Any], per_file: int, key: str) -> list[dict[str, Any]]:
    return [
        {"name": f"{i // per_file + 1:05d}.pdf", key: keys[i : i + per_file]}
        for i in range(0, len(keys), per_file)
    ]


def _intact(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def print_in_files(
    out: Path,
    *,
    fiscal_year: int,
    key: str,
    make_plan: Callable[[], Plan],
    render_file: Callable[[list[Any]], bytes],
    printed_file: Callable[[dict[str, Any]], None],
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Print (or finish printing) the plan's files into ``out``; returns the manifest.
    ``key`` names the list of keys in each plan entry (e.g. ``"atena_nos"``); ``printed_file``
    runs after each file is in place (the unit's audit record)."""
    out.mkdir(parents=True, exist_ok=True)
    plan_path, manifest_path = out / PLAN, out / MANIFEST
    if plan_path.exists() and not resume:
        raise PrintPlanError(
            f"{out} には印刷中または印刷済みの計画があります。--resume で再開してください"
        )
    if resume and plan_path.exists():
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        if plan["fiscal_year"] != fiscal_year:
            raise PrintPlanError(f"{out} は {plan['fiscal_year']}年度の印刷です")
    else:
        plan = make_plan()
        write_json(plan_path, plan)
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest_path.exists()
        else {"fiscal_year": fiscal_year, "files": [], "complete": False}
    )
    manifest["files"] = [f for f in manifest["files"] if _intact(out / f["name"], f["sha256"])]
    done = {f["name"] for f in manifest["files"]}
    printed = sum(f["count"] for f in manifest["files"])
    for entry in plan["files"]:
        if entry["name"] in done:
            continue
        keys = entry[key]
        pdf = render_file(keys)
        target = out / entry["name"]
        tmp = target.with_suffix(".part")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
        manifest["files"].append(
            {
                "name": entry["name"],
                "count": len(keys),
                "first": keys[0],
                "last": keys[-1],
                "sha256": hashlib.sha256(pdf).hexdigest(),
            }
        )
        write_json(manifest_path, manifest)
        printed_file(entry)
        printed += len(keys)
        if progress is not None:
            progress(printed, plan["total"])
    manifest["complete"] = True
    manifest["total"] = plan["total"]
    write_json(manifest_path, manifest)
    return manifest
