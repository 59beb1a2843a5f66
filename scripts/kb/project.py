"""Stage 2, load the whole project: find the root, read languages, content and translations."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cache import file_digest
from .findings import Finding, KbError
from .model import Content, link_content, load_content_file
from .translations import Texts, load_translations

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
    digests: dict[str, bytes] = field(default_factory=dict)  # file of content/ or translations/ -> digest of its bytes

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


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring MkDocs-specific tags such as !ENV."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_languages(root: Path) -> tuple[list[str], str]:
    """The languages come from one place: the i18n plugin's list in mkdocs.yml (default first)."""
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            langs = plugin["i18n"].get("languages") or []
            codes = [lang["locale"] for lang in langs]
            default = next((lang["locale"] for lang in langs if lang.get("default")), codes[0])
            return [default] + [c for c in codes if c != default], default
    raise ValueError(f"{CONFIG_FILE} has no i18n plugin with languages")


def read_markdown_extensions(root: Path) -> tuple[list[str], dict]:
    """mkdocs.yml's markdown_extensions as Python-Markdown takes them: names, and configs by name."""
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    names, configs = [], {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        configs.update({name: options} if options else {})
    return names, configs


def language_prefix(lang: str, default_lang: str) -> str:
    """Where a language's pages are under the site: `fr/`; the default language's at the root."""
    return "" if lang == default_lang else f"{lang}/"


SOURCE_DIRS = ("content", "translations")
CONFIRMED_DIR = ".confirmed"  # translations/.confirmed/: written by `kb confirm`


def _ignored(name: str) -> bool:
    """Hidden files and editors' backups (`.care.yaml.swp`, `care.yaml~`) are never read."""
    return name.startswith(".") or name.endswith("~")


def _refusal(entry: Path | os.DirEntry, want_dir: bool) -> str | None:
    """Why an entry under content/ or translations/ is refused, or None. A symbolic link could
    bring any file of the machine into an error message, a CI log or the site: never followed."""
    if entry.is_symlink():
        return "a symbolic link; put the file itself here (links are never followed)"
    if want_dir:
        return None if entry.is_dir() else "not a folder; translations/ holds one folder per language"
    if entry.is_dir():
        return "a folder; only .yaml files belong here"
    if not entry.is_file():
        return "not a plain file; only .yaml files belong here"
    stem, suffix = os.path.splitext(entry.name)
    if suffix != ".yaml":
        return f"not a .yaml file; rename it `{stem}.yaml` or move it out"
    return None


def _entries(folder: Path | str) -> list[os.DirEntry]:
    """A folder's entries by name (os.scandir knows each one's kind without a stat per file)."""
    with os.scandir(folder) as found:
        return sorted(found, key=lambda entry: entry.name)


def scan_sources(root: Path) -> list[Finding]:
    """Everything under content/ and translations/ must be a plain .yaml file (translations/:
    in one folder per language). Nothing else is read; each exception is one FILE error."""
    findings = []

    def refuse(entry: Path | os.DirEntry, want_dir: bool = False) -> bool:
        why = _refusal(entry, want_dir)
        if why:
            findings.append(Finding(relpath(root, entry), 1, 1, "FILE", why))
        return why is not None

    for top in SOURCE_DIRS:
        folder = root / top
        if not folder.exists() and not folder.is_symlink() or refuse(folder, want_dir=True):
            continue
        for entry in _entries(folder):
            if top == "translations" and entry.name == CONFIRMED_DIR:
                if not refuse(entry, want_dir=True):
                    findings += _scan_files(root, Path(entry.path))
            elif _ignored(entry.name):
                continue
            elif top == "content":
                refuse(entry)
            elif not refuse(entry, want_dir=True):
                findings += _scan_files(root, Path(entry.path))
    return findings


def _scan_files(root: Path, folder: Path) -> list[Finding]:
    found = []
    for entry in _entries(folder):
        if not _ignored(entry.name) and (why := _refusal(entry, want_dir=False)):
            found.append(Finding(relpath(root, entry), 1, 1, "FILE", why))
    return found


def content_paths(root: Path) -> list[Path]:
    """Every YAML file the build reads (translations/.confirmed/ included), in a stable order."""
    return [Path(path) for _, path in source_files(root)]


def source_files(root: Path) -> list[tuple[str, str]]:
    """content/*.yaml and translations/*/*.yaml: each one's path from the root, and its path."""
    found = []
    for top, depth in (("content", 0), ("translations", 1)):
        folders = [(top, str(root / top))]
        for _ in range(depth):
            folders = [(f"{rel}/{e.name}", e.path) for rel, folder in folders for e in _listed(folder) if e.is_dir()]
        found += [(f"{rel}/{e.name}", e.path) for rel, folder in folders for e in _listed(folder) if e.name.endswith(".yaml")]
    return found


def _listed(folder: Path | str) -> list[os.DirEntry]:
    try:
        return _entries(folder)
    except OSError:  # not there, or not a folder
        return []


PUBLISHED_FILE = "published.yaml"  # content/published.yaml: kept by `kb publish` (anchors.py)


@contextmanager
def _no_cycle_collection():
    """Loading makes a few hundred thousand small objects and no reference cycles: the cyclic
    garbage collector would only walk them again and again (about a seventh of a large load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_project(root: Path, only: set[str] | None = None) -> Project:
    """Load and check content/ and translations/. Never raises on bad input: see `.findings`.

    `only`: just these content files and their translations, for a check of a few changed files
    (kb/checked.py). What concerns the whole project (its sources' kinds, orphans, links
    between files, published anchors) is then not looked at."""
    with _no_cycle_collection():
        return _load_project(root, only)


def _load_project(root: Path, only: set[str] | None = None) -> Project:
    languages, default_lang = read_languages(root)
    findings: list[Finding] = scan_sources(root) if only is None else []
    if findings:  # nothing is read until every source is a plain file
        return Project(root, languages, default_lang, Content({}, [], {}, {}), {lang: {} for lang in languages}, findings)
    files = {}
    content_dir = root / "content"
    paths = [p for p in sorted(content_dir.glob("*.yaml")) if p.name != PUBLISHED_FILE] if content_dir.is_dir() else []
    if only is not None:
        paths = [p for p in paths if p.stem in only]
    elif not paths:
        findings.append(Finding("content", 1, 1, "SCHEMA", "content/ has no YAML files"))
    broken: set[str] = set()  # content files with errors: what depends on them is not checked yet
    digests: dict[str, bytes] = {}
    for path in paths:
        rel = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        digests[rel] = file_digest(raw)
        cf, found = load_content_file(path, rel, languages, default_lang, raw)
        findings += found
        if any(f.is_error for f in found):
            broken.add(path.stem)
        if cf is not None:
            files[cf.name] = cf
    content, found = link_content(files, whole=only is None)
    # One problem at a time: a broken content file would make every reference to it, and its
    # translations, look wrong too. Those are checked once it is fixed.
    findings += [f for f in found if not broken or f.code == "DUPLICATE-ID"]
    if not any(f.is_error for f in found) and not broken and only is None:
        from .anchors import check_published

        findings += check_published(root, content)
    texts, found = load_translations(root, content, languages, skip=broken, digests=digests, orphans=only is None)
    findings += found
    return Project(root, languages, default_lang, content, texts, sorted(findings), digests)


def load_valid_project(root: Path) -> Project:
    """Load the project, raising KbError if any finding is an error."""
    project = load_project(root)
    if project.errors:
        raise KbError(project.errors)
    return project


def relpath(root: Path, path: Path | os.DirEntry) -> str:
    return Path(os.path.relpath(path, root)).as_posix()
