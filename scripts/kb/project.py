"""Stage 2, load the whole project: find the root, read languages, content and translations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .anchors import check_published
from .characters import NAME_ALLOWED, language_name_problem
from .findings import Finding
from .load import LINK, SAFE_LOADER, Sources, read_source
from .model import Content, link_content, load_content_file
from .translations import StringPair, Texts, load_translations

CONFIG_FILE = "mkdocs.yml"


@dataclass
class Project:
    """The validated model: languages, content structure and every language's text."""

    root: Path
    languages: list[str]
    default_lang: str
    content: Content
    texts: Texts
    findings: list[Finding] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # every plain .yaml file list_sources found (what sync may edit)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def find_root(start: Path | None = None) -> Path:
    """Walk up from `start` (default: the current directory) to the folder holding mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise FileNotFoundError(f"no {CONFIG_FILE} in {here} or any folder above it; run kb inside the project or pass --root")


class _ConfigLoader(SAFE_LOADER):  # read on every kb command
    """Reads mkdocs.yml, ignoring MkDocs-specific tags such as !ENV."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_languages(root: Path) -> tuple[list[str], str]:
    """The languages come from one place: the i18n plugin's list in mkdocs.yml (default first),
    as ids: the locale in lowercase (`pt-BR` is `pt-br` in content/ and translations/)."""
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            langs = plugin["i18n"].get("languages") or []
            codes = [str(lang["locale"]).lower() for lang in langs]
            default = next((str(lang["locale"]).lower() for lang in langs if lang.get("default")), codes[0])
            return [default] + [c for c in codes if c != default], default
    raise ValueError(f"{CONFIG_FILE} has no i18n plugin with languages")


SOURCE_DIRS = ("content", "translations")
CONFIRMED_DIR = ".confirmed"  # translations/.confirmed/: written by `kb confirm`
IGNORED = ""  # an editor's hidden or backup file (`.care.yaml.swp`, `care.yaml~`): never read, never reported


def _hidden(name: str) -> bool:
    return name.startswith(".") and name != CONFIRMED_DIR or name.endswith("~")


def _refusal(entry: os.DirEntry, want_dir: bool) -> str | None:
    """Why an entry is refused (IGNORED: skipped without a word), or None. A link could bring any
    file of the machine into an error message, a CI log or the site, a FIFO or a device hang the
    reader: the kind is the entry's own (lstat), never its target's."""
    name = entry.name
    if entry.is_symlink():
        return LINK
    if entry.is_dir(follow_symlinks=False):
        if not want_dir:
            return "a folder; only .yaml files belong here"
        return f"a hidden folder: kb never reads one; rename it `{name.lstrip('.')}` or move it out" if _hidden(name) else None
    if not entry.is_file(follow_symlinks=False):
        return "not a plain file (a pipe, device or socket); only .yaml files belong here"
    if name.startswith(".") and name.endswith(".yaml"):
        return f"a hidden file: kb never reads one; rename it `{name.lstrip('.')}` or move it out"
    if _hidden(name):
        return IGNORED
    if want_dir:
        return "not a folder; translations/ holds one folder per language"
    if name.endswith(".yaml"):
        return None
    return f"not a .yaml file; rename it `{os.path.splitext(name)[0]}.yaml` or move it out"


def _entries(folder: Path | str) -> list[os.DirEntry]:
    """A folder's entries by name (os.scandir knows each one's kind without a stat per file)."""
    with os.scandir(folder) as found:
        return sorted(found, key=lambda entry: entry.name)


def list_sources(root: Path, only: str | None = None) -> Sources:
    """Everything under content/ and translations/ must be a plain .yaml file (translations/:
    in one folder per language, or in .confirmed/). Nothing else is read; each exception is one
    FILE error. `only`: translations/ and this one folder of it (what one reader needs)."""
    sources = Sources()

    def accepted(rel: str, entry: os.DirEntry, want_dir: bool) -> bool:
        why = _refusal(entry, want_dir)
        if why:
            sources.findings.append(Finding(rel, 1, 1, "FILE", why))
        return why is None

    def add_files(rel: str, folder: str) -> None:
        for entry in _entries(folder):
            if accepted(f"{rel}/{entry.name}", entry, want_dir=False):
                sources.files[f"{rel}/{entry.name}"] = entry.path

    with os.scandir(root) as found:
        tops = sorted((entry for entry in found if entry.name in SOURCE_DIRS), key=lambda entry: entry.name)
    for top in tops:
        if not accepted(top.name, top, want_dir=True):
            continue
        if top.name == "content":
            if only is None:
                add_files("content", top.path)
            continue
        for entry in _entries(top.path):
            rel = f"translations/{entry.name}"
            if (only is None or entry.name == only) and accepted(rel, entry, want_dir=True):
                if entry.name != CONFIRMED_DIR:
                    sources.folders.append(entry.name)
                add_files(rel, entry.path)
    return sources


def content_paths(root: Path) -> list[Path]:
    """Every YAML file the build reads (translations/.confirmed/ included), in a stable order."""
    return [Path(path) for path in list_sources(root).files.values()]


PUBLISHED_FILE = "published.yaml"  # content/published.yaml: kept by `kb publish` (anchors.py)


def load_project(root: Path, only: set[str] | None = None) -> Project:
    """Load and check content/ and translations/. Never raises on bad input: see `.findings`.

    `only`: just these content files and their translations, for a check of a few changed files
    (kb/checked.py). What concerns the whole project (its sources' kinds, orphans, links
    between files, published anchors) is then not looked at."""
    languages, default_lang = read_languages(root)
    sources = list_sources(root)
    if sources.findings:  # nothing is read until every source is a plain file
        return Project(root, languages, default_lang, Content({}, [], {}, {}), {lang: {} for lang in languages}, sources.findings)
    findings: list[Finding] = []
    files = {}
    paths = {rel: Path(path) for rel, path in sources.files.items() if rel.startswith("content/") and rel != f"content/{PUBLISHED_FILE}"}
    if only is not None:
        paths = {rel: path for rel, path in paths.items() if path.stem in only}
    elif not paths:
        findings.append(Finding("content", 1, 1, "SCHEMA", "content/ has no YAML files"))
    broken: set[str] = set()  # content files with errors: what depends on them is not checked yet
    for rel, path in paths.items():
        raw, found = read_source(rel, path)
        if raw is not None:
            cf, found = load_content_file(path, rel, languages, default_lang, raw)
        findings += found
        if any(f.is_error for f in found):
            broken.add(path.stem)
        if raw is not None and cf is not None:
            files[cf.name] = cf
    content, found = link_content(files, whole=only is None)
    # One problem at a time: a broken content file would make every reference to it, and its
    # translations, look wrong too. Those are checked once it is fixed.
    findings += [f for f in found if not broken or f.code == "DUPLICATE-ID"]
    if not any(f.is_error for f in found) and not broken and only is None:
        findings += check_published(root, content)
    texts, found = load_translations(sources, content, languages, skip=broken, orphans=only is None)
    findings += found
    return Project(root, languages, default_lang, content, texts, sorted(findings), sources.files)


def string_pairs(project: Project, lang: str) -> Iterator[StringPair]:
    """Every translated string of a language, with the source text it is translated from."""
    for name, cf in project.content.files.items():
        source_lang = cf.source_lang
        for uid, fields in project.texts[lang].get(name, {}).items():
            for field_name, text in fields.items():
                source = None
                if lang != source_lang:
                    source = project.texts[source_lang].get(name, {}).get(uid, {}).get(field_name)
                yield StringPair(lang, name, f"translations/{lang}/{name}.yaml", f"{uid}.{field_name}", text, source_lang, source)


def language_name_problems(config: Path) -> list[tuple[int, int, str]]:
    """Each name in mkdocs.yml's i18n `languages:` that a language's name may not be: its line,
    column and what is wrong (a CHARACTER finding of mkdocs.yml, made by `kb check`)."""
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # nodes only: no tag is run
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # MkDocs says what is wrong with the file itself
    findings = []
    for entry in _i18n_languages(node):
        values = {key.value: value for key, value in entry.value if isinstance(key, yaml.ScalarNode)}
        name, locale = values.get("name"), values.get("locale")
        if isinstance(name, yaml.ScalarNode) and (problem := language_name_problem(name.value)):
            code = locale.value if isinstance(locale, yaml.ScalarNode) else "?"
            mark = name.start_mark
            findings.append((mark.line + 1, mark.column + 1, f"the name of `{code}`: {problem}; {NAME_ALLOWED}"))
    return findings


def _i18n_languages(node) -> list[yaml.MappingNode]:
    """The entries of the i18n plugin's `languages:` in mkdocs.yml's node tree."""
    plugins = _value(node, "plugins")
    for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        languages = _value(_value(plugin, "i18n"), "languages")
        if isinstance(languages, yaml.SequenceNode):
            return [entry for entry in languages.value if isinstance(entry, yaml.MappingNode)]
    return []


def _value(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
