"""Stage 3 helper, confirmed sources: the source text each translation was made from, kept by the tools."""

from __future__ import annotations

from pathlib import Path

import yaml

from .files import write_together
from .findings import Finding
from .load import Map, Seq, Str, load_bytes, read_source
from .project import CONFIRMED_DIR, list_sources, string_pairs

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
    rel = f"{STATE_DIR}/{lang}.yaml"
    path = list_sources(root, only=CONFIRMED_DIR).files.get(rel)  # a link, a FIFO, a hidden file: reported there, never read
    if path is None:
        return {}, []
    data, findings = read_source(rel, path)
    if data is None:
        return {}, findings
    return _parse(data, rel)


def _parse(data: bytes, rel: str) -> tuple[Confirmed, list[Finding]]:
    value, findings = load_bytes(data, rel)
    if findings:
        return {}, findings
    result: Confirmed = {}
    if value is not None and not isinstance(value, Map):
        return {}, [_damaged(rel, value, "`<file>:` lines, each holding `<key>: <source text>` lines")]
    for file, keys in (value or Map()).items():
        if keys is None:
            continue
        if not isinstance(keys, Map):
            return {}, [_damaged(rel, keys, f"`<key>: <source text>` lines under `{file}:`")]
        result[str(file)] = {str(k): str(v) for k, v in keys.items() if isinstance(v, Str)}
    return result, []


def _damaged(rel: str, value, expected: str) -> Finding:
    """A record that is not the mapping `kb confirm` writes: said where, never read as "nothing confirmed"."""
    line, column = getattr(value, "line", 1) or 1, getattr(value, "column", 1) or 1
    found = "a list" if isinstance(value, Seq) else "text" if isinstance(value, Str) else "a value"
    return Finding(rel, line, column, "SCHEMA", f"expected {expected}, found {found}; run `kb confirm` again to rewrite it")


def recorded(root: Path, lang: str, sources) -> bytes:
    """The record of `lang` with each (file, key, source text) recorded as the source its
    translation is up to date with: the bytes to write (files.write_together)."""
    confirmed, _ = load_confirmed(root, lang)
    for file, key, source in sources:
        confirmed.setdefault(file, {})[key] = source
    data = {str(file): {str(k): str(v) for k, v in sorted(keys.items())} for file, keys in sorted(confirmed.items()) if keys}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)
    return (HEADER + body).encode("utf-8")


def confirm(project, lang: str, keys: list[str] | None = None, files=None, made_final=()) -> tuple[list[str], list[str]]:
    """Record the current source text for the named keys (or all) of one language. `files`:
    drafts made final (path -> bytes), written with the record; `made_final`: their (file, key,
    source text).

    Returns (confirmed keys, keys that have no translation to confirm)."""
    pairs = [p for p in string_pairs(project, lang) if p.source is not None]
    wanted = set(keys) if keys else {p.key for p in pairs}
    # A key as `kb check` prints it (`uid.field`), or as a PO's msgctxt names it (`file:uid.field`).
    chosen = [(pair.file, pair.key, str(pair.source)) for pair in pairs if pair.key in wanted or f"{pair.file}:{pair.key}" in wanted]
    chosen += list(made_final)
    write_together(project.root, {**(files or {}), state_path(project.root, lang): recorded(project.root, lang, chosen)}, "confirm")
    done = [key for _, key, _ in chosen]
    return done, sorted(wanted - set(done) - {f"{file}:{key}" for file, key, _ in chosen})
