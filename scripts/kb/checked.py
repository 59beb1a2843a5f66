"""`kb check` after an edit, at any size: what the last check found in the files that did not
change, and a check of the files that did.

What a translation file's check finds (its loading, the checks of its strings, their staleness)
depends on the file, on the file of the same name in its source language, on the glossary's
texts in every language, and on what every file depends on: content/, the confirmations, which
files exist, mkdocs.yml's languages and kb's code. The last check's findings are kept in
the cache (kb/cache.py) by file, each with a digest of what it depends on. When what every file depends on
is unchanged, only the translation files whose own digest changed are loaded and checked, with
the content files every check reads (the settings, the glossary); otherwise, or when most
files changed, the whole project is loaded and checked. The findings are the same either way
(tests/test_checked.py compares the two after edits of every kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cache import Memo, digest
from .checks import SETTINGS, glossary_files, run_checks
from .confirmed import STATE_DIR, Confirmed, load_confirmed
from .findings import Finding
from .load import Sources, read_plain
from .project import Project, list_sources, load_project, read_languages

MOST = 0.5  # when more than this share of the files changed, the whole project is checked


@dataclass
class Checked:
    """What `kb check` prints: the findings, and per language how many strings have a text."""

    findings: list[Finding]
    strings: int  # strings every language should have
    translated: dict[str, int]  # lang -> strings with a text


@dataclass
class _Sources:
    """Every file a check reads, by its path from the root: a digest of its bytes."""

    digests: dict[str, bytes]
    shared: bytes  # a digest of what every file's findings depend on

    @classmethod
    def read(cls, listed: Sources, languages: list[str], default_lang: str) -> _Sources:
        digests = {rel: digest(read_plain(path)) for rel, path in listed.files.items()}
        folders = listed.folders
        every = [rel for rel in sorted(digests) if not _translation(rel, languages)]  # content/, confirmations, orphans
        listing = "\n".join([*languages, default_lang, "", *folders, "", *sorted(digests)])
        return cls(digests, digest(listing, *(digests[rel] for rel in every)))

    def key(self, rel: str, source: str, glossary: bytes) -> bytes:
        return digest(self.shared, glossary, self.digests.get(rel), self.digests.get(source))


def _translation(rel: str, languages: list[str]) -> bool:
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == "translations" and parts[1] in languages


def _path(lang: str, name: str) -> str:
    return f"translations/{lang}/{name}.yaml"


def check_project(root: Path, langs: list[str] | None = None, use_cache: bool = True) -> Checked:
    """The findings of `kb check` for `langs` (all by default), from the last check's where it can."""
    languages, default_lang = read_languages(root)
    langs = langs or languages
    memo = Memo(root, "check-files", use=use_cache)
    listed = list_sources(root)
    if not memo.use or listed.findings:  # a source that is not a plain file: never read
        return _whole(root, langs, use_cache, None, None)
    sources = _Sources.read(listed, languages, default_lang)
    last = memo.old.get(sources.shared)
    if last is None or not set(langs) <= set(last["langs"]):
        return _whole(root, langs, use_cache, memo, sources)
    glossary = digest(*(sources.digests.get(_path(lang, name)) for name in last["glossary"] for lang in languages))
    wanted = {_path(lang, name): _path(last["sources"][name], name) for lang in langs for name in last["names"]}
    keys = {rel: sources.key(rel, source, glossary) for rel, source in wanted.items()}
    changed = sorted(rel for rel, key in keys.items() if last["files"].get(rel, (None,))[0] != key)
    if len(changed) > MOST * len(wanted):
        return _whole(root, langs, use_cache, memo, sources)
    files = dict(last["files"])
    if changed:
        names = {rel.split("/")[2][: -len(".yaml")] for rel in changed}
        project = load_project(root, only=names | set(last["glossary"]) | {SETTINGS})
        changed_langs = sorted({rel.split("/")[1] for rel in changed})
        report = run_checks(project, changed_langs, {lang: _confirmed(root, lang, sources) for lang in changed_langs})
        found = _by_file(report.findings, set(changed))
        files |= {rel: (keys[rel], found.get(rel, []), _translated(project, rel)) for rel in changed}
        memo.put(sources.shared, {**last, "files": files})
    findings = [Finding(*f) for f in last["other"] if not f[5] or f[5] in langs]
    findings += [Finding(*f) for rel in wanted for f in files[rel][1]]
    return Checked(sorted(findings), last["strings"], {lang: sum(files[_path(lang, name)][2] for name in last["names"]) for lang in langs})


def _confirmed(root: Path, lang: str, sources: _Sources) -> Confirmed:
    """A language's confirmations, unchanged since the last check (they are part of `shared`):
    kept parsed, by a digest of the record (at 100 times the guide, parsing it was a third of a check)."""
    key = sources.digests.get(f"{STATE_DIR}/{lang}.yaml")
    memo = Memo(root, f"check-confirmed-{lang}")
    if key is not None and key in memo.old:
        return memo.old[key]
    confirmed, findings = load_confirmed(root, lang)  # a damaged record's findings are the last check's `other`
    if key is not None and not findings:
        memo.put(key, confirmed)
    return confirmed


def _whole(root: Path, langs: list[str], use_cache: bool, memo: Memo | None, sources: _Sources | None) -> Checked:
    """Load and check the whole project; keep each translation file's findings for the next check."""
    project = load_project(root)
    findings = run_checks(project, langs).findings
    strings = sum(len(unit.fields) for cf in project.content.files.values() for unit in cf.units.values())
    names = list(project.content.files)
    translated = {lang: sum(_translated(project, _path(lang, name)) for name in names) for lang in langs}
    if memo is not None and sources is not None and project.content.files:
        wanted = {_path(lang, name): _path(project.content.files[name].source_lang, name) for lang in langs for name in names}
        shared_names = sorted(glossary_files(project))
        glossary = digest(*(sources.digests.get(_path(lang, name)) for name in shared_names for lang in project.languages))
        found = _by_file(findings, set(wanted))
        memo.put(
            sources.shared,
            {
                "langs": list(langs),
                "names": [str(name) for name in names],
                "sources": {name: str(cf.source_lang) for name, cf in project.content.files.items()},
                "glossary": [str(name) for name in shared_names],
                "strings": strings,
                "files": {
                    rel: (sources.key(rel, source, glossary), found.get(rel, []), _translated(project, rel))
                    for rel, source in wanted.items()
                },
                "other": [_row(f) for f in findings if f.file not in wanted],
            },
        )
    return Checked(findings, strings, translated)


def _by_file(findings: list[Finding], files: set[str]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for f in findings:
        if f.file in files:
            found.setdefault(f.file, []).append(_row(f))
    return found


def _row(f: Finding) -> tuple:
    """A finding as plain values (marshal keeps no subclass of str)."""
    return (str(f.file), int(f.line), int(f.column), str(f.code), str(f.message), str(f.lang), str(f.key))


def _translated(project: Project, rel: str) -> int:
    _, lang, file = rel.split("/")
    return sum(len(fields) for fields in project.texts.get(lang, {}).get(file[: -len(".yaml")], {}).values())
