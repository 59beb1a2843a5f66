"""`kb sync <lang>`: add every missing key to a language's files, without touching anything else.

A new key is written in content order, as `field: !todo "the source text"`: the source text is
there for context, and the `!todo` tag marks it as still to translate (`kb check` reports it as
MISSING and the site shows the source text until it is translated). Existing text, comments,
blank lines and key order are kept byte for byte: new lines are inserted into the file's text at
positions taken from the YAML parser, never by re-dumping the YAML.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from ..confirmed import recorded, state_path
from ..findings import Finding
from ..load import Map, load_bytes, read_plain, read_plain_text
from ..model import ContentFile
from ..project import Project
from ..schema import modeline
from .yaml_edit import fold, reads_back, width_of

INDENT = "  "


@dataclass
class FilePlan:
    """What sync would do to one file: its path, old text and new text."""

    path: Path
    rel: str
    old: str | None
    new: str
    added: list[str]

    def diff(self) -> str:
        old = (self.old or "").splitlines(keepends=True)
        label = self.rel if self.old is not None else "/dev/null"
        return "".join(difflib.unified_diff(old, self.new.splitlines(keepends=True), label, self.rel))


WIDTH = 100  # as the files are wrapped, for a new file


def _todo(text: str | None, field: str, width: int = WIDTH) -> str:
    """`!todo "the source text"` on the key's line when it fits (a JSON string is a valid YAML
    double-quoted scalar), else a folded block wrapped like the files' texts; read back first."""
    quoted = "!todo " + json.dumps(text or "", ensure_ascii=False)
    # Paragraphs (`\n\n`) stay in the one quoted line sync has always written for them.
    if len(INDENT) + len(field) + 2 + len(quoted) <= width or not text or text != text.strip() or "  " in text or "\n\n" in text:
        return quoted
    block = "!todo >-\n" + fold(text, INDENT * 2, width).rstrip("\n")
    return block if reads_back(block, text, todo=True) else quoted


def _source_text(project: Project, cf: ContentFile, uid: str, field: str) -> str | None:
    for lang in dict.fromkeys([cf.source_lang, project.default_lang, *project.languages]):
        text = project.texts.get(lang, {}).get(cf.name, {}).get(uid, {}).get(field)
        if text is not None:
            return str(text)
    return None


def _new_text(project: Project, cf: ContentFile, uid: str, field: str, width: int, given: dict[str, str]) -> str:
    """What a missing key gets: the text given for it (written as it is, a JSON string being a
    valid YAML double-quoted scalar), else `!todo` with its source text."""
    key = f"{uid}.{field}"
    if key in given:
        return json.dumps(given[key], ensure_ascii=False)
    return _todo(_source_text(project, cf, uid, field), field, width)


def _last_line(lines: list[str], end: tuple[int, int]) -> int:
    """The 0-based index of the last line of a value that ends at `end` (libyaml's end mark)."""
    line, column = end
    last = line if column > 0 else line - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    return last


def plan_file(project: Project, cf: ContentFile, lang: str, given: dict[str, str] | None = None) -> FilePlan | None:
    """The new text of translations/<lang>/<file>.yaml with every missing key; None if complete.
    `given`: texts already known for some of them ("uid.field" -> text), written as translated."""
    given = given or {}
    rel = f"translations/{lang}/{cf.name}.yaml"
    path = Path(project.files.get(rel, project.root / rel))  # a file, if any, is one project.list_sources looked at
    old = read_plain_text(path) if rel in project.files else None
    data, findings = load_bytes(old.encode("utf-8"), rel) if old is not None else (None, [])
    if findings:
        raise SyncError(findings)
    data = data if isinstance(data, Map) else Map()
    lines = (old or "").splitlines(keepends=True)
    width = width_of(old) if old else WIDTH  # new text is wrapped like the file's
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    inserts: dict[int, list[str]] = {}  # insert before this 0-based line index
    added: list[str] = []
    previous_end: int | None = None  # after which line the next missing id goes
    first_key = min((at[0] - 1 for at in data.keys_at.values()), default=len(lines))
    for uid, unit in cf.units.items():
        fields = data.get(uid) if isinstance(data.get(uid), Map) else None
        if uid not in data:
            block = [f"{uid}:\n"] + [f"{INDENT}{f}: {_new_text(project, cf, uid, f, width, given)}\n" for f in unit.fields]
            at = previous_end + 1 if previous_end is not None else first_key
            inserts.setdefault(at, []).extend(block)
            added += [f"{uid}.{f}" for f in unit.fields]
            continue
        uid_line = data.keys_at[uid][0] - 1
        after = uid_line
        if fields is not None:
            for field in unit.fields:
                if field in fields:
                    after = max(after, _last_line(lines, fields.ends_at[field]))
                    continue
                inserts.setdefault(after + 1, []).append(f"{INDENT}{field}: {_new_text(project, cf, uid, field, width, given)}\n")
                added.append(f"{uid}.{field}")
        previous_end = max(_last_line(lines, data.ends_at[uid]), uid_line)
    if not added:
        return None
    if old is None:
        header = [modeline(rel, project) + "\n", f"# {lang}: text for content/{cf.name}.yaml\n"]
        return FilePlan(path, rel, None, "".join(header + inserts.get(0, [])), added)
    out: list[str] = []
    for index in range(len(lines) + 1):
        out += inserts.get(index, [])
        if index < len(lines):
            out.append(lines[index])
    return FilePlan(path, rel, old, "".join(out), added)


class SyncError(Exception):
    """A file does not parse; sync never edits a file it cannot read."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(map(str, findings)))
        self.findings = findings


def plan(project: Project, lang: str, given: dict[str, dict[str, str]] | None = None) -> list[FilePlan]:
    """Every file's plan; `given[file]` holds texts already known for missing keys (plan_file)."""
    plans = []
    for cf in project.content.files.values():
        if cf.units and (p := plan_file(project, cf, lang, (given or {}).get(cf.name))) is not None:
            plans.append(p)
    return plans


def sources(project: Project, lang: str, plans: list[FilePlan]) -> list[tuple[str, str, str]]:
    """The source text each new `!todo` shows, to record as the one its translation is made from:
    a translation written in its place is then up to date, until that source changes (STALE)."""
    found = []
    for p in plans:
        cf = project.content.files[Path(p.rel).stem]
        if cf.source_lang == lang:
            continue
        for key in p.added:
            uid, field = key.split(".", 1)
            source = project.texts.get(cf.source_lang, {}).get(cf.name, {}).get(uid, {}).get(field)
            if source is not None:
                found.append((cf.name, key, str(source)))
    return found


def changes(project: Project, lang: str, plans: list[FilePlan]) -> dict[Path, bytes]:
    """Every file the plans change, and the record of the sources their `!todo`s show: written
    together (files.write_together), so an interrupted sync leaves all of it or none."""
    files = {}
    for p in plans:
        crlf = p.old is not None and b"\r\n" in read_plain(p.path)  # a CRLF file stays CRLF
        files[p.path] = (p.new.replace("\n", "\r\n") if crlf else p.new).encode("utf-8")
    if found := sources(project, lang, plans):
        files[state_path(project.root, lang)] = recorded(project.root, lang, found)
    return files
