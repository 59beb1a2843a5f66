"""XLIFF and PO exchange: `kb export` and `kb import`, for Poedit, OmegaT, memoQ, Trados, Weblate.

A unit is one string of one language, its content key as id and context
(`loyalty-levels:loyal-customers.title`). A missing string (absent or `!todo`) is
`needs-translation`; a `!draft`, and one whose source changed since it was confirmed, are
`needs-review-translation` (PO: fuzzy; a stale one with the source it was made from, PO
`#| msgid`, XLIFF an alt-trans); anything else is `translated` and, in XLIFF, `approved="yes"`
(what translate-toolkit, Weblate and Virtaal read as final). Comments above a key in the source
language's file reach the translator as notes. translate-toolkit writes both formats (Weblate is
built on it); kb/exchange/incoming.py reads them back, strictly, for the language asked for.

`kb import` writes each translation where the YAML parser says it is (yaml_edit.splice): every
other byte of the file stays, and no source text changes. A unit marked done is recorded as
confirmed when the source it was made from is today's, else written but left STALE (the import
prints the word diff); any other is written `!draft`, gettext's rule for a fuzzy entry: readers
see the source until a reviewer runs `kb confirm <lang> KEY`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from translate.storage import po, xliff

from ..anchors import numbering
from ..checks import placeholders, run_checks, term_finder
from ..confirmed import load_confirmed, recorded, state_path
from ..files import staged, write_together
from ..findings import Finding
from ..load import Map, load_bytes
from ..markdown_safe import one_line
from ..model import language_prefix
from ..project import Project, load_project
from . import sync
from .drafts import drafts
from .incoming import XLIFF_NS, Incoming, read
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
    reference: str = ""  # `translations/<source>/<file>.yaml:<line>`: where the source text is

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


WHAT = {  # what each kind of field is, for the translator
    "title": "a heading",
    "body": "text (Markdown: keep its links, emphasis and lists)",
    "example": "an example",
    "term": "a glossary term",
    "definition": "a glossary term's definition",
    "text": "text",
    "summary": "the page's summary (its description in search engines)",
}


def _context(project: Project, lang: str, cf, unit, field_name: str, source, find_terms) -> tuple[list[str], str]:
    """The notes that tell a translator where a string is and what it is, and its reference
    (`translations/<source>/<file>.yaml:<line>`)."""
    notes = []
    if cf.name in project.content.pages:
        number = numbering(project.content).get(unit.id)
        address = f"{language_prefix(lang, project.default_lang)}{cf.name}/" + (f"#{unit.id}" if unit.id != cf.name else "")
        notes.append(f"Page: {address}" + (f" (section {number})" if number and unit.id != cf.name else ""))
        what = "the page's title" if field_name == "title" and unit.id == cf.name else WHAT.get(field_name, field_name)
    else:
        notes.append("Interface: shown on every page, or on the status, 404 or trainers' page")
        what = {"labels": "a label (a button, link or column): keep it as short as the source", "languages": "a language's name"}.get(
            unit.id, f"a sentence of the interface ({unit.id}.{field_name})"
        )
    heading = project.texts.get(cf.source_lang, {}).get(cf.name, {}).get(unit.id, {}).get("title")
    if field_name != "title" and heading:
        what += f", under the heading “{one_line(str(heading))}”"
    notes.append(f"String: {what}; source language: {cf.source_lang}")
    if names := placeholders(str(source)):
        notes.append(f"Keep {', '.join(dict.fromkeys(names))} exactly as it is: the site fills it in")
    terms = [forms for _, forms in find_terms(str(source), cf.source_lang) if forms.get(lang)]
    if terms:
        notes.append("Glossary: " + "; ".join(f"{forms[cf.source_lang]} = {forms[lang]}" for forms in terms))
    return notes, f"translations/{cf.source_lang}/{cf.name}.yaml:{getattr(source, 'line', 1)}"


def units(project: Project, report, lang: str) -> list[Unit]:
    """Every string `lang` translates, in content order (files whose source it is are left out)."""
    stale = {(f.file, f.key) for f in report.findings if f.code == "STALE" and f.lang == lang}
    confirmed, _ = load_confirmed(project.root, lang)
    find_terms = term_finder(project)
    found = []
    for name, cf in project.content.files.items():
        if cf.source_lang == lang:
            continue
        source_path = project.root / "translations" / cf.source_lang / f"{name}.yaml"
        source_text = source_path.read_text(encoding="utf-8-sig") if source_path.is_file() else ""
        drafted = drafts(project, lang, name)
        for uid, unit in cf.units.items():
            for field_name in unit.fields:
                source = project.texts.get(cf.source_lang, {}).get(name, {}).get(uid, {}).get(field_name)
                if source is None:
                    continue  # nothing to translate from yet
                key = f"{uid}.{field_name}"
                target = project.texts.get(lang, {}).get(name, {}).get(uid, {}).get(field_name)
                rel = f"translations/{lang}/{name}.yaml"
                if target is None and key in drafted:
                    target, state, previous = drafted[key], NEEDS_REVIEW, None
                elif target is None:
                    state, previous = NEEDS_TRANSLATION, None
                elif (rel, key) in stale:
                    state, previous = NEEDS_REVIEW, confirmed.get(name, {}).get(key)
                else:
                    state, previous = TRANSLATED, None
                notes = _comments_above(source_text, getattr(source, "line", 0)) if source_text else []
                context, reference = _context(project, lang, cf, unit, field_name, source, find_terms)
                found.append(Unit(name, key, str(source), str(target or ""), state, previous, notes + context, reference))
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
        if u.reference:
            unit.addlocation(u.reference)
        if placeholders(u.source):  # Poedit, Weblate and msgfmt --check-format check them too
            unit.settypecomment("python-brace-format")
        if u.state == NEEDS_REVIEW:
            unit.markfuzzy(True)
            if u.previous:
                unit.prev_source = u.previous
    return bytes(store)


class _Unit12(xliff.xliffunit):
    namespace = XLIFF_NS


class _Xliff12(xliff.xlifffile):
    """translate-toolkit's XLIFF store, as XLIFF 1.2 (the version Poedit, OmegaT and memoQ read)."""

    UnitClass = _Unit12
    namespace = XLIFF_NS
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def _xliff(project: Project, lang: str, chosen: list[Unit]) -> bytes:
    store = _Xliff12(sourcelanguage=project.default_lang, targetlanguage=lang)
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
        if u.state != TRANSLATED:  # translate-toolkit approves every unit with a target: a final one only
            unit.xmlelement.attrib.pop("approved", None)
        # translate-toolkit's xliff2po and po2xliff carry a location context (as `#:`) where they lose the id.
        unit.createcontextgroup("x-kb-key", [("sourcefile", u.context)], purpose="location")
        for note in u.notes + ([f"Source text: {u.reference}"] if u.reference else []):
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
    outdated: list[tuple[Incoming, str]]  # translated from another source text than today's (given): they stay STALE
    drafts: list[str]  # contexts written as `!draft` (fuzzy, needs review)
    held: list[Incoming]  # drafts not written: the string has a final translation, which readers keep seeing
    record: bytes | None  # the new translations/.confirmed/<lang>.yaml
    ignored: int  # obsolete PO entries
    targets: list[str] = field(default_factory=list)  # every translation the file holds

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
    drafted: dict[str, set[str]] = {}
    done, made_from, outdated, held = [], [], [], []
    kept = {name: drafts(project, lang, name) for name in {by_context[u.context][0] for u in got.units}}
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
        draft = kept[name].get(key)
        if not u.done and current is not None and key not in kept[name] and str(current) != u.target:
            held.append(u)  # a draft never takes a final translation's place: readers would lose it
            continue
        # A draft comes in as one; a final text the file leaves as it is stays final (a stale one stays STALE).
        changed = (current is None or str(current) != u.target) and (u.done or draft != u.target)
        if changed:
            per_file.setdefault(name, {})[key] = u.target
            if not u.done:
                drafted.setdefault(name, set()).add(key)
        if not u.done:
            continue  # never recorded as confirmed: a reviewer does that (kb confirm)
        if source is None or str(source) != u.source:
            outdated.append((u, str(source or "")))
            if changed:  # made from that text: STALE until someone checks it against today's
                made_from.append((name, key, u.source))
        else:
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
        texts[rel] = (old, splice(base, data, changes, rel, "\r\n" if raw and b"\r\n" in raw else "\n", frozenset(drafted.get(name, ()))))
        written[rel] = list(changes)
    before, _ = load_confirmed(project.root, lang)
    confirmed = [key for name, key, source in done if before.get(name, {}).get(key) != source]
    record = recorded(project.root, lang, done + made_from) if done or made_from else None
    drafts_written = [f"{name}:{key}" for name, keys in drafted.items() for key in sorted(keys)]
    targets = [u.target for u in got.units]
    return ImportPlan(lang, texts, written, confirmed, outdated, drafts_written, held, record, got.ignored, targets)


def apply_import(project: Project, plan: ImportPlan, strict: bool = False, warned: bool = False) -> list[Finding]:
    """Check the whole project with the import in a copy of it, every language (a change in one
    file can break another language's), then write every file of it or none. The caller holds
    the project's lock (files.changing). Returns the text warnings `kb check` prints for the
    language. `strict`: a warning in a string the import writes (as CI fails one in a changed
    string), or `warned` (the caller's own), writes nothing."""
    with staged(project.root, ["content", "translations", "mkdocs.yml"]) as copy:
        for path, data in plan.files(copy).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)  # the copy keeps links as links: never written through
            path.write_bytes(data)
        findings = run_checks(load_project(copy)).findings
    problems = [f for f in findings if f.is_error]
    if problems:
        raise ExchangeError("the imported translations have errors", problems)
    warnings = [f for f in findings if f.lang == plan.lang and not f.is_progress]
    written = {(rel, key) for rel, keys in plan.written.items() for key in keys}
    failing = [f for f in warnings if (f.file, f.key) in written] if strict else []
    if failing:
        raise ExchangeError(f"--strict: the imported {plan.lang} strings have warnings", failing)
    if strict and warned:
        raise ExchangeError(f"--strict: the file reads as another language than {plan.lang}")
    write_together(project.root, plan.files(project.root), "import")
    return warnings
