"""Drafts: translations kept as `!draft "text"` (a vendor's fuzzy or needs-review unit), read for
`kb export` and made final by `kb confirm <lang> KEY`, as text edits of their files (yaml_edit)."""

from __future__ import annotations

from pathlib import Path

from ..load import Draft, load_bytes, read_plain, read_plain_text, translated_fields
from ..project import Project
from .yaml_edit import splice


def drafts(project: Project, lang: str, name: str) -> dict[str, str]:
    """`uid.field` -> text of each `!draft` in translations/<lang>/<name>.yaml."""
    rel = f"translations/{lang}/{name}.yaml"
    if rel not in project.files:
        return {}
    data, findings = load_bytes(read_plain_text(project.files[rel]).encode("utf-8"), rel)
    return {} if findings else {key: value.raw for key, value in translated_fields(data) if isinstance(value, Draft)}


def finalised(project: Project, lang: str, keys: list[str]) -> tuple[dict[Path, bytes], list[tuple[str, str, str]]]:
    """The files with each named `!draft` made a plain value, and the (file, key, source text) to
    record as confirmed for them (a key that names no draft is left out)."""
    files, sources = {}, []
    for name, cf in project.content.files.items():
        found = {key: text for key, text in drafts(project, lang, name).items() if key in (keys or ()) or f"{name}:{key}" in (keys or ())}
        if not found or cf.source_lang == lang:
            continue
        rel = f"translations/{lang}/{name}.yaml"
        raw = read_plain(project.files[rel])
        old = raw.decode("utf-8-sig").replace("\r\n", "\n")
        data, _ = load_bytes(old.encode("utf-8"), rel)
        new = splice(old, data, found, rel, "\r\n" if b"\r\n" in raw else "\n")
        files[project.root / rel] = new.encode("utf-8")
        for key in found:
            uid, field = key.split(".", 1)
            source = project.texts.get(cf.source_lang, {}).get(name, {}).get(uid, {}).get(field)
            if source is not None:
                sources.append((name, key, str(source)))
    return files, sources
