"""Stage 3 helper, confirmed sources: the source text each translation was made from, kept by the tools."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .findings import Finding
from .load import Map, Str, load_yaml

STATE_DIR = "translations/.confirmed"
HEADER = (
    "# yaml-language-server: $schema=../../schemas/confirmed.schema.json\n"
    "# Written by `kb confirm`: the source text each translation was confirmed against.\n# Do not edit by hand.\n"
)

# confirmed[file][key] -> the source text the translation in this language was made from
Confirmed = dict[str, dict[str, str]]


def state_path(root: Path, lang: str) -> Path:
    return root / STATE_DIR / f"{lang}.yaml"


def load_confirmed(root: Path, lang: str) -> tuple[Confirmed, list[Finding]]:
    """Read one language's record; a damaged record is reported, never fatal."""
    path = state_path(root, lang)
    if not path.is_file():
        return {}, []
    rel = f"{STATE_DIR}/{lang}.yaml"
    data, findings = load_yaml(path, rel)
    if findings:
        return {}, findings
    result: Confirmed = {}
    for file, keys in (data or Map()).items() if isinstance(data, Map) else []:
        if isinstance(keys, Map):
            result[file] = {k: str(v) for k, v in keys.items() if isinstance(v, Str)}
    return result, []


def write_atomically(path: Path, text: str) -> bool:
    """Replace a file in one step (never half-written); returns False when nothing changed."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def save_confirmed(root: Path, lang: str, confirmed: Confirmed) -> bool:
    data = {str(file): {str(k): str(v) for k, v in sorted(keys.items())} for file, keys in sorted(confirmed.items()) if keys}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)
    return write_atomically(state_path(root, lang), HEADER + body)


def confirm(project, lang: str, keys: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Record the current source text for the named keys (or all) of one language.

    Returns (confirmed keys, keys that have no translation to confirm)."""
    from .checks import string_pairs

    confirmed, _ = load_confirmed(project.root, lang)
    pairs = [p for p in string_pairs(project, lang) if p.source is not None]
    wanted = set(keys) if keys else {p.key for p in pairs}
    done = []
    for pair in pairs:
        if pair.key in wanted:
            confirmed.setdefault(pair.file, {})[pair.key] = str(pair.source)
            done.append(pair.key)
    save_confirmed(project.root, lang, confirmed)
    return done, sorted(wanted - set(done))
