"""Stage 2, validate and model: content/ files become one Project with ordered, unique ids."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .characters import hidden_character
from .findings import Finding, did_you_mean, shown
from .load import ID_RE, Map, Other, Seq, Str, load_bytes, read_plain

# Data: the shape of every node in content/. Each field: (kind of value, required).
# Kinds: "id", "ids" (list of ids), "texts" (list of plain strings), "lang", "fields" (list of text field names), "str",
# "date" (YYYY-MM-DD as text), "address" (https:// or mailto:, where readers send feedback), "list:<node>" (a list
# of nodes of that shape), or "ids|<node>" (a list of ids and nodes of that shape: site.yaml's pages, a group of them among the others).
NODE_SHAPES: dict[str, dict[str, tuple[str, bool]]] = {
    "site": {
        "pages": ("ids|group", True),
        "strings": ("list:string", True),
        "same_as_source": ("texts", False),
        "feedback": ("address", False),
    },
    "string": {"id": ("id", True), "text": ("fields", True)},
    # Topics shown together in the sidebar under a title (translations/<lang>/site.yaml: `<group>: {title: …}`).
    "group": {"group": ("id", True), "pages": ("ids", True)},
    "topic": {
        "id": ("id", True),
        "source_lang": ("lang", True),
        "sources": ("ids", True),
        "text": ("fields", False),
        "sections": ("list:section", True),
        "aliases": ("ids", False),
    },
    "guide": {"id": ("id", True), "source_lang": ("lang", True), "text": ("fields", False), "sections": ("list:section", True)},
    "section": {
        "id": ("id", True),
        "text": ("fields", False),
        "see_also": ("ids", False),
        "items": ("list:item", False),
        "aliases": ("ids", False),
    },
    "item": {
        "id": ("id", True),
        "text": ("fields", False),
        "see_also": ("ids", False),
        "aliases": ("ids", False),
        "quotes": ("list:quote", False),
    },
    # Text in another language that a unit's inline code quotes (`title: "Habitudes"`): in each
    # language but its own, the code span carries `lang`.
    "quote": {"lang": ("lang", True), "code": ("texts", True)},
    "sources": {"id": ("id", True), "text": ("fields", False), "sources": ("list:source", True)},
    "source": {
        "id": ("id", True),
        "lang": ("lang", True),
        "seed": ("str", True),
        "published": ("date", False),
        "updated": ("date", False),
        "author": ("str", False),
        "title_by": ("str", False),  # `guide`: the article has no title; the one shown was given by this guide
        "text": ("fields", False),
    },
    "glossary": {"id": ("id", True), "text": ("fields", False), "terms": ("list:term", True)},
    "term": {"id": ("id", False), "ref": ("id", False), "refers_to": ("id", False), "text": ("fields", False)},
}
# Data: text fields a node has when content/ does not say.
DEFAULT_TEXT = {
    "topic": ("title", "body"),
    "guide": ("title", "body"),
    "section": ("title", "body"),
    "item": ("title", "body"),
    "sources": ("title", "body"),
    "source": ("title",),
    "glossary": ("title", "body"),
    "term": ("term", "definition"),
    "term-ref": ("definition",),
    "group": ("title",),
}
ADDRESS_SCHEMES = ("https://", "mailto:")  # a link readers follow out of the guide: never `javascript:` or `data:`
ADDRESS_RE = re.compile(r"[^\s\"'<>`\\]+")
# A guide (how to use the site) is laid out like a topic, but is not part of the knowledge:
# no sources, no numbers, not in the trainers' list.
SPECIAL_FILES = {"site": "site", "sources": "sources", "glossary": "glossary", "translators": "guide"}
# Names the site itself uses at its top level or as pages: an id or alias with one of these (or a
# language code) would replace or hide a page (`aliases: [glossary]` would redirect the glossary).
RESERVED_NAMES = {"index", "status", "trainers", "translators", "glossary", "sources", "404", "assets", "search"}
RESERVED_PREFIXES = ("sitemap",)
# Kinds of unit whose id becomes a page or an anchor. Not site strings (neither), nor the roots of
# the special files (their names are those pages).
ADDRESSED_KINDS = {"topic", "section", "item", "source", "term"}
DATE_FORMAT = "YYYY-MM-DD"


def locale(lang: str) -> str:
    """A language's BCP 47 tag in its usual case (`pt-BR`, `zh-Hant`, `sr-Latn`), from its id in
    content/ and translations/ (`pt-br`): what mkdocs.yml, `lang`, hreflang and the theme read."""
    first, *rest = lang.split("-")
    return "-".join([first.lower(), *(part.title() if len(part) == 4 else part.upper() for part in rest)])


def language_prefix(lang: str, default_lang: str) -> str:
    """Where a language's pages are under the site: `fr/`, `pt-BR/` (static-i18n writes each
    language under its locale); the default language's at the root."""
    return "" if lang == default_lang else f"{locale(lang)}/"


@dataclass
class Unit:
    """A node of content/ that carries text: a page, section, item, source, term or string group."""

    id: str
    kind: str
    fields: tuple[str, ...]
    line: int
    column: int
    children: list[Unit] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)


@dataclass
class ContentFile:
    """One file of content/: its kind, source language and units in document order."""

    name: str
    kind: str
    path: str
    source_lang: str
    root: Unit | None
    units: dict[str, Unit]
    attrs: dict = field(default_factory=dict)  # site.yaml only: `pages` (the order), `groups`, `same_as_source`


@dataclass
class Content:
    """Everything content/ says: files, page order and the relations between units."""

    files: dict[str, ContentFile]
    pages: list[str]
    unit_file: dict[str, str]  # unit id -> content file name, for topics' sections and items
    see_also: dict[str, list[str]]
    aliases: dict[str, str] = field(default_factory=dict)  # a former id -> the id it was renamed to
    groups: dict[str, list[str]] = field(default_factory=dict)  # a group id -> its pages, in site order


class _Walker:
    """Checks one content file against NODE_SHAPES and builds its units."""

    def __init__(self, file: str, languages: list[str]):
        self.file = file
        self.languages = languages
        self.findings: list[Finding] = []
        self.units: dict[str, Unit] = {}

    def report(self, at, code: str, message: str) -> None:
        self.findings.append(Finding(self.file, getattr(at, "line", 1) or 1, getattr(at, "column", 1) or 1, code, message))

    def node(self, data, shape: str) -> dict | None:
        """Check `data` against a shape; returns the checked values, or None if unusable."""
        if not isinstance(data, Map):
            self.report(data, "SCHEMA", f"expected a mapping for a {shape}, found {_describe(data)}")
            return None
        spec = NODE_SHAPES[shape]
        values: dict = {"_at": data}
        for key, value in data.items():
            if key not in spec:
                line, column = data.keys_at[key]
                hint = did_you_mean(key, spec) or f"; allowed: {', '.join(spec)}"
                self.findings.append(Finding(self.file, line, column, "SCHEMA", f"unknown field `{shown(key)}` in a {shape}{hint}"))
                continue
            checked = self.value(value, spec[key][0], key)
            if checked is not None:
                values[key] = checked
        for key, (_, required) in spec.items():
            if required and key not in data:
                self.report(data, "SCHEMA", f"the {shape} lacks the required field `{key}`")
        return values

    def value(self, value, kind: str, key: str):
        if kind.startswith(("ids|", "list:")) or kind in ("ids", "fields", "texts"):
            if not isinstance(value, Seq):
                self.report(value, "SCHEMA", f"`{key}` must be a list, found {_describe(value)}")
                return None
            if kind.startswith("ids|"):  # each item an id, or a node (a mapping)
                items = (self.node(item, kind[4:]) if isinstance(item, Map) else self.value(item, "id", key) for item in value)
            elif kind.startswith("list:"):
                items = (self.node(item, kind[5:]) for item in value)
            else:
                items = (self.value(item, "str" if kind == "texts" else "id", key) for item in value)
            return [v for v in items if v is not None]
        if not isinstance(value, Str):
            self.report(value, "TYPE", f"`{key}` must be text, found {_describe(value)}")
            return None
        if kind == "id" and not ID_RE.fullmatch(value):
            message = f"`{shown(value)}` is not a valid id: use lowercase ASCII letters, digits and single hyphens (e.g. `{shown(_kebab(value))}`)"
            self.report(value, "ID", message)
            return None
        if kind == "lang" and value not in self.languages:
            known = f"{did_you_mean(value, self.languages)}; languages: {', '.join(self.languages)}"
            self.report(value, "SCHEMA", f"unknown language `{shown(value)}`{known}")
            return None
        if kind == "address" and (not value.startswith(ADDRESS_SCHEMES) or not ADDRESS_RE.fullmatch(value)):
            # Kept, as a text with markup is: the error stops the build, and the renderer writes only https:// and mailto:.
            self.report(
                value, "MARKUP", f"the address `{shown(value)}` is not allowed; write https://… or mailto:… with no spaces or quotes"
            )
        if kind == "date" and not _is_date(value):
            self.report(value, "SCHEMA", f'`{value}` is not a date; write it as "{DATE_FORMAT}"')
            return None
        if hidden := hidden_character(value):  # an author's name reaches the pages as a text does
            self.report(value, "CHARACTER", hidden)
        return value

    def reserved(self, name: Str, what: str) -> None:
        """An id or alias may not be a name the site uses for its own pages and folders."""
        if name in self.languages:
            why = "a language code (its pages live under that folder)"
        elif name in RESERVED_NAMES or name.startswith(RESERVED_PREFIXES):
            why = "a name the site uses for its own pages and folders"
        else:
            return
        self.report(name, "ID", f"the {what} `{name}` is {why}; choose another, e.g. `{name}-topic`")

    def unit(self, values: dict, kind: str, default_kind: str | None = None) -> Unit | None:
        at = values["_at"]
        uid = values.get("id") or values.get("ref")
        if uid is None:
            return None
        if uid in self.units:
            self.report(uid, "DUPLICATE-ID", f"the id `{uid}` is already used on line {self.units[uid].line}")
            return None
        if kind in ADDRESSED_KINDS and "ref" not in values:  # a `ref` names an id defined elsewhere
            self.reserved(uid, "id")
        for alias in values.get("aliases", []):
            self.reserved(alias, "alias")
        fields = tuple(values.get("text") or DEFAULT_TEXT.get(default_kind or kind, ()))  # a missing `text` is reported
        if "title" not in fields and kind not in ("string", "term", "source"):
            self.report(at, "SCHEMA", "`text` must include `title`")
        unit = Unit(uid, kind, fields, uid.line, uid.column, see_also=list(values.get("see_also", [])))
        unit.attrs = {k: v for k, v in values.items() if k not in ("_at", "id", "text", "see_also", "sections", "items")}
        self.units[uid] = unit
        return unit


def _describe(value) -> str:
    if isinstance(value, Map):
        return "a mapping"
    if isinstance(value, Seq):
        return "a list"
    if isinstance(value, Other):
        return f"{value.kind} (`{shown(value.raw)}`)"
    if value is None:
        return "nothing"
    return f"the text `{shown(value)}`"


def _kebab(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "my-id"


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _build_topic(w: _Walker, values: dict, kind: str = "topic") -> Unit | None:
    root = w.unit(values, kind)
    if root is None:
        return None
    for section in values.get("sections", []):
        s = w.unit(section, "section")
        if s is None:
            continue
        root.children.append(s)
        for item in section.get("items", []):
            i = w.unit(item, "item")
            if i is not None:
                s.children.append(i)
    return root


def _build_list(w: _Walker, values: dict, list_key: str, kind: str) -> Unit | None:
    root = w.unit(values, {"source": "sources", "term": "glossary"}[kind])
    if root is None:
        return None
    for child in values.get(list_key, []):
        default = None
        if kind == "term":
            if ("id" in child) == ("ref" in child):
                w.report(child["_at"], "SCHEMA", "a term has either `id` (a term of its own) or `ref` (a section or item), not both")
                continue
            default = "term-ref" if "ref" in child else "term"
        unit = w.unit(child, kind, default)
        if unit is not None:
            root.children.append(unit)
    return root


def load_content_file(
    path: Path, rel: str, languages: list[str], default_lang: str, raw: bytes | None = None
) -> tuple[ContentFile | None, list[Finding]]:
    """Load and check one file of content/ (`raw`: its bytes, when they are read already)."""
    data, findings = load_bytes(read_plain(path) if raw is None else raw, rel)
    if data is None and not findings:
        findings.append(Finding(rel, 1, 1, "SCHEMA", "the file is empty"))
    if findings:
        return None, findings
    name = path.stem
    kind = SPECIAL_FILES.get(name, "topic")
    w = _Walker(rel, languages)
    values = w.node(data, kind)
    if values is None:
        return None, w.findings
    root = None
    if kind == "site":
        for string in values.get("strings", []):
            w.unit(string, "string")
        groups = _build_groups(w, values.get("pages", []))
    elif kind in ("topic", "guide"):
        root = _build_topic(w, values, kind)
    else:  # sources or glossary: a page listing its children
        root = _build_list(w, values, "sources", "source") if kind == "sources" else _build_list(w, values, "terms", "term")
        if root is not None:
            root.kind = "page"
    if root is not None and root.id != name:
        w.report(values["id"], "ID", f"the id `{root.id}` must match the file name `{name}.yaml`")
    source_lang = values.get("source_lang", default_lang)
    attrs = {}
    if kind == "site":
        pages = [page for entry in values.get("pages", []) for page in (entry.get("pages", []) if isinstance(entry, dict) else [entry])]
        attrs = {"pages": pages, "groups": groups, "same_as_source": values.get("same_as_source", []), "feedback": values.get("feedback")}
    return ContentFile(name, kind, rel, source_lang, root, w.units, attrs), w.findings


def _build_groups(w: _Walker, entries: list) -> dict[str, list[str]]:
    """site.yaml's groups of pages: each a unit of the site file (its title is a site string)."""
    groups = {}
    for entry in entries:
        if not isinstance(entry, dict) or "group" not in entry:
            continue
        if entry.get("pages") == []:
            w.report(entry["_at"], "SCHEMA", f"the group `{entry['group']}` lists no pages; list its topics in `pages`")
        if w.unit({"_at": entry["_at"], "id": entry["group"]}, "group") is not None:
            groups[str(entry["group"])] = [str(page) for page in entry.get("pages", [])]
    return groups


def link_content(files: dict[str, ContentFile], whole: bool = True) -> tuple[Content, list[Finding]]:
    """Check ids across files (unique, pages and relations resolve) and make relations two-way.
    Not `whole`: some of the project's files (kb/checked.py), whose ids are only indexed."""
    findings: list[Finding] = []
    unit_file: dict[str, str] = {}
    for cf in files.values():
        if cf.kind != "topic":
            continue
        for uid, unit in cf.units.items():
            if uid in unit_file:
                other = files[unit_file[uid]].path
                findings.append(Finding(cf.path, unit.line, unit.column, "DUPLICATE-ID", f"the id `{uid}` is already defined in {other}"))
            else:
                unit_file[uid] = cf.name
    aliases: dict[str, str] = {}
    for cf in files.values():
        for uid, unit in cf.units.items() if cf.kind == "topic" else ():
            for alias in unit.attrs.get("aliases", []):
                if alias in unit_file or alias in aliases:
                    owner = alias if alias in unit_file else aliases[alias]
                    message = f"the alias `{alias}` is already used by `{owner}`; an old id can point to one section only"
                    findings.append(Finding(cf.path, alias.line, alias.column, "DUPLICATE-ID", message))
                else:
                    aliases[str(alias)] = uid
    site = files.get("site")
    pages: list[str] = []
    groups = {g: [p for p in listed if p in files] for g, listed in site.attrs["groups"].items()} if site else {}
    if not whole:
        return Content(files, [p for p in site.attrs["pages"] if p in files] if site else [], unit_file, {}, aliases, groups), findings
    if site is None:
        findings.append(Finding("content/site.yaml", 1, 1, "SCHEMA", "content/site.yaml is missing; it lists the pages"))
    else:
        findings += _check_pages(site, files, unit_file)
        pages = list(dict.fromkeys(p for p in site.attrs["pages"] if p in files))
    sources = files.get("sources")
    source_ids = set(sources.units) - {"sources"} if sources else set()
    see_also: dict[str, list[str]] = {}
    for cf in files.values():
        for unit in cf.units.values():
            findings += _check_refs(cf, unit, unit_file, source_ids, see_also)
    see_also = {k: sorted(set(v), key=v.index) for k, v in see_also.items()}
    return Content(files, pages, unit_file, see_also, aliases, groups), findings


def _check_pages(site: ContentFile, files: dict[str, ContentFile], unit_file: dict[str, str]) -> list[Finding]:
    findings = []
    listed = site.attrs["pages"]
    for group in site.attrs["groups"]:  # a group's title is a site string: its id is unique across content
        owner = files[group].path if group in files else files[unit_file[group]].path if group in unit_file else None
        if owner:
            at = site.units[group]
            findings.append(Finding(site.path, at.line, at.column, "DUPLICATE-ID", f"the group id `{group}` is already used in {owner}"))
    seen: set[str] = set()
    for page in listed:
        if page in seen:
            findings.append(Finding(site.path, page.line, page.column, "DUPLICATE-ID", f"the page `{page}` is listed twice; list it once"))
        seen.add(page)
        if page not in files:
            message = f"the page `{shown(page)}` has no file content/{shown(page)}.yaml{did_you_mean(page, files)}"
            findings.append(Finding(site.path, page.line, page.column, "SCHEMA", message))
    for name, cf in files.items():
        if cf.kind != "site" and name not in listed:
            findings.append(Finding(site.path, 1, 1, "SCHEMA", f"content/{name}.yaml is not listed in `pages`; add `{name}`"))
    return findings


def _check_refs(cf, unit, unit_file, source_ids, see_also) -> list[Finding]:
    findings = []

    def bad(at, message):
        findings.append(Finding(cf.path, at.line, at.column, "RELATION", message))

    for target in unit.see_also:
        if target == unit.id:
            bad(target, f"`{unit.id}` cannot refer to itself")
        elif target not in unit_file:
            bad(target, f"`see_also` names `{shown(target)}`, which no topic defines{did_you_mean(target, unit_file)}")
        else:
            see_also.setdefault(unit.id, []).append(str(target))
            see_also.setdefault(str(target), []).append(unit.id)
    for source in unit.attrs.get("sources", []) if unit.kind == "topic" else []:
        if source not in source_ids:
            bad(source, f"unknown source `{shown(source)}`{did_you_mean(source, source_ids)}; sources are listed in content/sources.yaml")
    for key in ("ref", "refers_to"):
        target = unit.attrs.get(key)
        if target is not None and target not in unit_file:
            bad(target, f"`{key}` names `{shown(target)}`, which no topic defines{did_you_mean(target, unit_file)}")
    return findings
