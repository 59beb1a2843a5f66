"""What changed since a commit: the strings whose text warnings fail CI (`kb check --since REV`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .load import load_bytes, read_plain, translated_fields
from .project import list_sources


def _strings(data: bytes, file: str) -> dict[str, str]:
    """`uid.field` -> text of one translation file (nothing if it does not load)."""
    value, _ = load_bytes(data, file) if data else (None, [])
    return {key: str(text) for key, text in translated_fields(value) if isinstance(text, str)}


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True)


def changed_strings(root: Path, rev: str) -> frozenset[tuple[str, str]]:
    """(file, key) of every translation string that is new or different since commit `rev`."""
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise ValueError(f"--since {rev}: no such git commit here (a branch, tag or commit id, e.g. origin/main)")
    changed = set()
    for rel, path in list_sources(root).files.items():
        if not rel.startswith("translations/") or rel.startswith("translations/.confirmed/"):
            continue
        before = _git(root, "show", f"{rev}:./{rel}")
        old = _strings(before.stdout if before.returncode == 0 else b"", rel)
        changed |= {(rel, key) for key, text in _strings(read_plain(path), rel).items() if old.get(key) != text}
    return frozenset(changed)
