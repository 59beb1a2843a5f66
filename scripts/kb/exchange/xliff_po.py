"""XLIFF and PO exchange: `kb export` and `kb import`, for Poedit, OmegaT, memoQ, Trados, Weblate.

A unit is one string of one language: the source text (in the topic's source language), the
translation, its state, and the content key as id and context (`loyalty-levels:loyal-customers.title`).
States: a missing string (absent or `!todo`) is `needs-translation`; one whose source changed since
it was confirmed is `needs-review-translation`, with the source it was made from kept (PO: fuzzy
and `#| msgid`; XLIFF: an alt-trans); anything else is `translated`. Comments above a key in the
source language's file reach the translator as notes. translate-toolkit writes both formats (it
is what Weblate is built on); kb/exchange/incoming.py reads them back, strictly, for the language asked for.

`kb import` writes each translation back into translations/<lang>/ as text, at the place the YAML
parser gives: every other byte of the file stays as it was (comments, order, quoting, line ends).
A new value is written like the file's others (plain, or a folded block wrapped at the file's
width) and read back before it is kept. No import changes a source text. The whole import is
checked with the same checks as the files, every language, in a copy of the project, before
anything is written, and then written all or nothing (files.write_together). A translation marked
done (PO: not fuzzy; XLIFF: translated, final or signed-off) is recorded as confirmed against its
source, when the source it was made from (msgid, <source>) is today's; one made from another
source is written but recorded as made from that one, so it stays STALE.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import run_checks
from ..confirmed import load_confirmed, recorded, state_path
from ..files import staged, write_together
from ..load import Map, load_bytes
from ..project import Project, load_project
from . import sync
from .incoming import Incoming, read
from .yaml_edit import ExchangeError, splice

FORMATS = {"po": ".po", "xliff": ".xlf"}
NEEDS_TRANSLATION, NEEDS_REVIEW, TRANSLATED = "needs-translation", "needs-review-translation", "translated"
ONLY = {"missing": NEEDS_TRANSLATION, "stale": NEEDS_REVIEW}


@dataclass
class Unit:
    file: str  # the content file (`loyalty-levels`)
    key: str  # `uid.field`
    source: str
    target: str
    state: str
    previous: str | None = None  # the source the target was confirmed against (STALE)
    notes: list[str] = field(default_factory=list)

    @property
    def context(self) -> str:
        return f"{self.file}:{self.key}"


def _comments_above(text: str, line: int) -> list[str]:
    """The comment lines right above 1-based `line` (a translator's or author's note)."""
    lines = text.splitlines()
    notes, at = [], line - 2
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip()) if 0 < line <= len(lines) else 0
    while at >= 0 and lines[at].strip().startswith("#") and len(lines[at]) - len(lines[at].lstrip()) == indent:
        notes.insert(0, lines[at].strip().lstrip("#").strip())
        at -= 1
    return [n for n in notes if n and not n.startswith("yaml-language-server:")]


def units(project: Project, report, lang: str) -> list[Unit]:
    """Every string `lang` translates, in content order (files whose source it is are left out)."""
    stale = {(f.file, f.key) for f in report.findings if f.code == "STALE" and f.lang == lang}
    confirmed, _ = load_confirmed(project.root, lang)
    found = []
    for name, cf in project.content.files.items():
        if cf.source_lang == lang:
            continue
        source_path = project.root / "translations" / cf.source_lang / f"{name}.yaml"
        source_text = source_path.read_text(encoding="utf-8-sig") if source_path.is_file() else ""
        for uid, unit in cf.units.items():
            for field_name in unit.fields:
                source = project.texts.get(cf.source_lang, {}).get(name, {}).get(uid, {}).get(field_name)
                if source is None:
                    continue  # nothing to translate from yet
                key = f"{uid}.{field_name}"
                target = project.texts.get(lang, {}).get(name, {}).get(uid, {}).get(field_name)
                rel = f"translations/{lang}/{name}.yaml"
                if target is None:
                    state, previous = NEEDS_TRANSLATION, None
                elif (rel, key) in stale:
                    state, previous = NEEDS_REVIEW, confirmed.get(name, {}).get(key)
                else:
                    state, previous = TRANSLATED, None
                notes = _comments_above(source_text, getattr(source, "line", 0)) if source_text else []
                found.append(Unit(name, key, str(source), str(target or ""), state, previous, notes))
    return found


def export(project: Project, report, lang: str, fmt: str, only: set[str] | None = None) -> bytes:
    """One file holding `lang`'s units (`only`: those in these states)."""
    chosen = [u for u in units(project, report, lang) if not only or u.state in only]
    if fmt == "po":
        return _po(project, lang, chosen)
    return _xliff(project, lang, chosen)


def last_change(project: Project) -> str:
    """When the sources last changed (their latest modification time), as a PO header's date:
    two exports of the same sources are the same bytes; msgfmt --check wants the dates there."""
    latest = max((os.stat(path).st_mtime for path in project.files.values()), default=0)
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(latest))


def _po(project: Project, lang: str, chosen: list[Unit]) -> bytes:
    from translate.storage import po

    store = po.pofile()
    store.updateheader(
        add=True,
        Language=lang,
        Content_Type="text/plain; charset=UTF-8",
        Project_Id_Version="kb",
        Language_Team=lang,
        Last_Translator="",
        POT_Creation_Date=last_change(project),
        PO_Revision_Date=last_change(project),
    )
    store.header().markfuzzy(False)
    for u in chosen:
        unit = store.addsourceunit(u.source)
        unit.setcontext(u.context)
        unit.target = u.target if u.state != NEEDS_TRANSLATION else ""
        for note in u.notes:
            unit.addnote(note, origin="developer")
        if u.state == NEEDS_REVIEW:
            unit.markfuzzy(True)
            if u.previous:
                unit.prev_source = u.previous
    return bytes(store)


def _xliff_store():
    """translate-toolkit's XLIFF store, as XLIFF 1.2 (the version Poedit, OmegaT and memoQ read)."""
    from translate.storage import xliff

    namespace = "urn:oasis:names:tc:xliff:document:1.2"

    class Unit12(xliff.xliffunit):
        pass

    Unit12.namespace = namespace

    class Xliff12(xliff.xlifffile):
        UnitClass = Unit12
        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")

    Xliff12.namespace = namespace

    return Xliff12


def _xliff(project: Project, lang: str, chosen: list[Unit]) -> bytes:
    store = _xliff_store()(sourcelanguage=project.default_lang, targetlanguage=lang)
    for u in chosen:
        # One <file> per translation file, named as it is in translations/; its source language is the topic's.
        name = f"translations/{lang}/{u.file}.yaml"
        unit = store.addsourceunit(u.source, filename=name, createifmissing=True)
        store.getfilenode(name).set("source-language", project.content.files[u.file].source_lang)
        unit.setid(u.context)
        unit.xmlelement.set("resname", u.context)
        if u.state != NEEDS_TRANSLATION:
            unit.target = u.target
        target = unit.xmlelement.find(unit.namespaced("target"))
        if target is None:
            unit.target = ""
            target = unit.xmlelement.find(unit.namespaced("target"))
        target.set("state", u.state)
        unit.xmlelement.attrib.pop("approved", None)
        for note in u.notes:
            unit.addnote(note, origin="developer")
        if u.state == NEEDS_REVIEW and u.previous:
            unit.addalttrans(u.target, origin="previous-source", sourcetxt=u.previous)
    store.removedefaultfile()
    return bytes(store)


# Import


@dataclass
class ImportPlan:
    lang: str
    texts: dict[str, tuple[str | None, str]]  # rel -> (old text, new text)
    written: dict[str, list[str]]  # rel -> keys whose text changed
    confirmed: list[str]  # keys newly recorded as up to date with their source
    outdated: list[Incoming]  # translated from another source text than today's: they stay STALE
    record: bytes | None  # the new translations/.confirmed/<lang>.yaml
    ignored: int  # obsolete PO entries

    def files(self, root: Path) -> dict[Path, bytes]:
        files = {root / rel: new.encode("utf-8") for rel, (old, new) in self.texts.items() if old != new}
        if self.record is not None:
            files[state_path(root, self.lang)] = self.record
        return files


def is_source(project: Project, name: str, lang: str) -> bool:
    """Is `lang` the source language of content file `name` (no import may change a source text)?"""
    return project.content.files[name].source_lang == lang


def plan_import(project: Project, path: Path, lang: str) -> ImportPlan:
    """What importing `path` into `lang` would write; raises ExchangeError (or BadFile) when the
    file cannot be imported whole."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ExchangeError(f"{path}: cannot read it ({err.strerror})") from None
    got = read(data, path.name, lang)
    by_context = {
        f"{name}:{uid}.{f}": (name, uid, f)
        for name, cf in project.content.files.items()
        for uid, unit in cf.units.items()
        for f in unit.fields
    }
    unknown = [u for u in got.units if u.context not in by_context]
    if unknown:
        first = unknown[0]
        raise ExchangeError(
            f"{path.name}:{first.line}:1: {len(unknown)} units name no string of this guide (first: {first.context}); export again"
        )
    per_file: dict[str, dict[str, str]] = {}
    done, made_from, outdated = [], [], []
    for u in got.units:
        name, uid, field_name = by_context[u.context]
        key = f"{uid}.{field_name}"
        if is_source(project, name, lang):
            raise ExchangeError(
                f"{path.name}:{u.line}:1: {u.context} is a {lang} source text (the source language of content/{name}.yaml): "
                f"an import never changes a source; edit translations/{lang}/{name}.yaml itself"
            )
        if u.original and u.original != f"translations/{lang}/{name}.yaml":
            raise ExchangeError(f'{path.name}:{u.line}:1: {u.context} is not a string of <file original="{u.original}">; export again')
        source_lang = project.content.files[name].source_lang
        source = project.texts.get(source_lang, {}).get(name, {}).get(uid, {}).get(field_name)
        current = project.texts.get(lang, {}).get(name, {}).get(uid, {}).get(field_name)
        changed = current is None or str(current) != u.target
        if changed:
            per_file.setdefault(name, {})[key] = u.target
        if source is None or str(source) != u.source:
            if changed or u.done:
                outdated.append(u)
            if changed:  # made from that text: STALE until someone checks it against today's
                made_from.append((name, key, u.source))
        elif u.done:
            done.append((name, key, str(source)))
    texts, written = {}, {}
    for name, changes in per_file.items():
        rel = f"translations/{lang}/{name}.yaml"
        target = project.root / rel
        raw = target.read_bytes() if target.is_file() else None
        old = raw.decode("utf-8") if raw is not None else None
        filled = sync.plan_file(project, project.content.files[name], lang)  # the missing keys, as `!todo`
        base = filled.new if filled is not None else (old or "").replace("\r\n", "\n")
        data, findings = load_bytes(base.encode("utf-8"), rel)
        if findings or not isinstance(data, Map):
            raise ExchangeError(f"{rel}: fix this file first", findings)
        texts[rel] = (old, splice(base, data, changes, rel, "\r\n" if raw and b"\r\n" in raw else "\n"))
        written[rel] = list(changes)
    before, _ = load_confirmed(project.root, lang)
    confirmed = [key for name, key, source in done if before.get(name, {}).get(key) != source]
    record = recorded(project.root, lang, done + made_from) if done or made_from else None
    return ImportPlan(lang, texts, written, confirmed, outdated, record, got.ignored)


def apply_import(project: Project, plan: ImportPlan) -> list[Path]:
    """Check the whole project with the import in a copy of it, every language (a change in one
    file can break another language's), then write every file of it or none. The caller holds
    the project's lock (files.changing). Returns the files written."""
    with staged(project.root, ["content", "translations", "mkdocs.yml"]) as copy:
        for path, data in plan.files(copy).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)  # the copy keeps links as links: never written through
            path.write_bytes(data)
        problems = [f for f in run_checks(load_project(copy)).findings if f.is_error]
        if problems:
            raise ExchangeError("the imported translations have errors", problems)
    return write_together(project.root, plan.files(project.root), "import")
