"""Stage 7, audit the output: every HTML page the build writes is parsed, and anything on it that
could run script or load from another host, and that the theme or kb did not write, stops the
build as `file:line: SECURITY message`.

Contributors' text is escaped where it enters the build (render.py, the hook) and sanitised once
rendered (site/sanitise.py); this is the proof on what a browser gets. It reads each page with
an HTML5 parser (Lexbor, through selectolax), which builds the tree a browser builds: the standard
library's `html.parser` reads `<!-->`, `<!--->`, `--!>`, `<![CDATA[`, `<title>`, `<textarea>` and
`<noscript>` otherwise, and hid an `<img onerror>` behind each (review H2). It knows what the
trusted side writes from the trusted files themselves: the scripts under the theme folders and
docs/, and the inline scripts, forms and `http-equiv` tags of the theme's templates (Jinja
expressions in them become slots that cannot leave their quotes).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..model import locale
from . import csp
from .search import INDEX, OFFLINE_INDEX

# Data

# fmt: off
# Never written by the theme, Markdown or kb: each would run or embed something.
FORBIDDEN_TAGS = frozenset([
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "param", "noembed", "animate", "set",
    "animatemotion", "animatetransform", "foreignobject",
])
# What Python-Markdown and its extensions write, kb's renderer (status bars, copy buttons) and
# the SVG of Material's icons.
WRITTEN_TAGS = frozenset([
    "p", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "hr", "br", "a", "span", "div",
    "sup", "sub", "abbr", "details", "summary", "del", "ins", "mark", "kbd", "small", "table", "thead", "tbody", "tfoot", "tr", "th",
    "td", "h1", "h2", "h3", "h4", "h5", "h6", "progress", "button", "svg", "path", "g", "circle", "rect", "line", "polyline",
    "polygon", "ellipse",
])
# Attributes holding an address (srcset and meta refresh are read separately).
URL_ATTRIBUTES = frozenset([
    "href", "src", "action", "formaction", "data", "poster", "cite", "background", "ping", "xlink:href", "manifest", "codebase",
    "longdesc", "usemap", "icon", "lowsrc", "dynsrc",
])
# fmt: on
RUNNING_SCHEMES = ("javascript:", "data:", "vbscript:")
# Addresses a browser fetches on its own, as soon as the page loads.
LOADING_ATTRIBUTES = frozenset(["src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "manifest"])
LOADING_LINKS = frozenset(["stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon", "import"])
DATA_SCRIPT_TYPES = frozenset({"application/json"})  # never run
SCRIPT_ELEMENTS = ("script", "style")  # their body is code: it must be one the templates write
# Start tags that must be the theme's own, to the letter but for its Jinja expressions.
TEMPLATE_TAG = re.compile(r"<(?:form|meta[^>]*http-equiv|[a-zA-Z][\w-]*[^>]*\sstyle=)[^>]*>", re.I)
TEMPLATE_BODY = re.compile(r"<(script|style)(?![^>]*\bsrc=)[^>]*>(.*?)</\1\s*>", re.I | re.S)
JINJA = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# A Jinja value in a template slot: it may not leave its quotes, its tag or its JavaScript string.
SLOT = r"[^\"'<>\\\n]*"
JSON_SLOT = r"(?P<json{}>[^<>]*?)"  # `| tojson`: checked to be JSON after the match
SKIPPED_DIRS = (".icons",)  # thousands of SVG icons: no scripts or forms in them
TAG_NAME = re.compile(r"<([a-zA-Z][\w-]*)")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing on one page that the audit refuses; `needles` find the text it came from."""

    file: str
    line: int
    message: str
    needles: tuple[str, ...] = field(default=(), compare=False)
    origin: str = field(default="", compare=False)

    def format(self) -> str:
        where = f" (from {self.origin})" if self.origin else ""
        return f"{self.file}:{self.line}: SECURITY {self.message}{where}"


@dataclass(frozen=True)
class Allowed:
    """What a page may hold beyond plain markup, all read from trusted files."""

    scripts: frozenset[str]  # paths under site/ of the scripts a page may load
    tags: frozenset[str]  # element names the theme, Markdown and kb write
    templates: tuple[re.Pattern, ...]  # the theme's forms, `http-equiv` and `style=` tags
    bodies: tuple[re.Pattern, ...]  # the theme's inline scripts and styles
    base_path: str = "/"  # site_url's path: `/guide/` when served under a prefix

    def writes_script(self, text: str) -> bool:
        """Is `text` an inline script the theme's templates write (the ones csp.py hashes)?"""
        return _matches(self.bodies, text)


# The allowlist, from trusted files


def allowlist(
    theme_dirs: Iterable[str], docs_dir: str, scripts: Iterable[str], languages, base_path: str, templates: Iterable[str] = ()
) -> Allowed:
    """Everything the trusted side writes: script files of the theme folders and docs/ (by path),
    extra_javascript, each language's offline search index, and the shapes of the theme's tags."""
    paths = {s.split("?")[0].lstrip("/") for s in scripts}
    paths |= {f"{locale(lang)}/{OFFLINE_INDEX.as_posix()}" for lang in languages} | {OFFLINE_INDEX.as_posix()}
    sources = list(templates)
    for folder in [*theme_dirs, docs_dir]:
        base = Path(folder)
        for path in _files(base, (".js", ".html")):
            rel = path.relative_to(base).as_posix()
            if path.suffix == ".js":
                paths.add(rel)
            else:
                sources.append(path.read_text(encoding="utf-8", errors="replace"))
    tags = set(WRITTEN_TAGS)
    tag_patterns, body_patterns = {}, {}
    for text in sources:
        tags.update(name.lower() for name in TAG_NAME.findall(JINJA.sub("", text)))
        for m in TEMPLATE_TAG.finditer(text):
            tag_patterns.setdefault(m.group(), _pattern(m.group()))
        for m in TEMPLATE_BODY.finditer(text):
            if m.group(2).strip() and not JINJA.fullmatch(m.group(2).strip()):
                body_patterns.setdefault(m.group(2), _pattern(m.group(2)))
    return Allowed(
        frozenset(paths), frozenset(tags - FORBIDDEN_TAGS), tuple(tag_patterns.values()), tuple(body_patterns.values()), base_path
    )


def _files(base: Path, suffixes: tuple[str, ...]) -> Iterable[Path]:
    if not base.is_dir():
        return
    for path in sorted(base.iterdir()):
        if path.is_dir() and not path.is_symlink() and path.name not in SKIPPED_DIRS and path.name != "__pycache__":
            yield from _files(path, suffixes)
        elif path.suffix in suffixes and path.is_file():
            yield path


def _pattern(template: str) -> re.Pattern:
    """A template's text as a pattern: its literal parts exactly, each `{{ … }}` a slot."""
    parts, pos, n = [], 0, 0
    for m in JINJA.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        if m.group(1) is not None and "tojson" in m.group(1):
            parts.append(JSON_SLOT.format(n))
            n += 1
        elif m.group(1) is not None:
            parts.append(SLOT)
        # `{% … %}` and comments write nothing of their own
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.S)


def _matches(patterns: tuple[re.Pattern, ...], text: str) -> bool:
    for pattern in patterns:
        m = pattern.fullmatch(text)
        if m and all(_is_json(value) for name, value in m.groupdict().items() if name.startswith("json")):
            return True
    return False


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# The audit


def _scheme(url: str) -> str:
    """The scheme a browser sees: it drops spaces and control characters around and inside it."""
    return re.sub(r"[\x00-\x20]+", "", url).lower()


def _runs(url: str) -> bool:
    return _scheme(url).startswith(RUNNING_SCHEMES)


def _elsewhere(url: str) -> bool:
    """An address on another host (`https://…`, `//…`), which no page may load from."""
    clean = _scheme(url)
    return clean.startswith("//") or bool(re.match(r"[a-z][a-z0-9+.-]*:", clean)) and not clean.startswith(RUNNING_SCHEMES)


class _Auditor:
    """Reads one page as a browser builds it (Lexbor, an HTML5 parser, scripting on): every
    element and attribute of the tree, and the body of every inline script and style. Lexbor
    gives no source lines: the start tag of an element with a problem is found in the text
    (_StartTags), as is that of an element the theme's templates must have written."""

    def __init__(self, rel: str, allowed: Allowed, fragment: bool = False):
        self.rel, self.allowed, self.fragment = rel, allowed, fragment
        self.here = posixpath.dirname(rel)
        self.problems: list[Problem] = []

    def read(self, html: str) -> None:
        self.tags = _StartTags(html)
        # The tree a browser builds of a page (scripting on: `<noscript>` holds text), or of a fragment put into a `<div>` (a search result).
        tree = LexborHTMLParser(html, is_fragment=self.fragment, scripting=True)
        for node in _elements(tree.root) if tree.root is not None else ():
            self.check_element(node, node.tag.lower(), {k.lower(): v or "" for k, v in node.attributes.items()})

    def check_element(self, node, tag: str, values: dict[str, str]) -> None:
        found: list[tuple[str, tuple[str, ...]]] = []  # (message, needles); RAW in a message: the start tag as written
        if tag in FORBIDDEN_TAGS or tag not in self.allowed.tags:
            found.append((f"<{tag}> is not an element the theme, Markdown or kb writes: `{RAW}`", (f"<{tag}",)))
        for name, value in values.items():
            if name.startswith("on"):
                found.append((f"event handler `{name}` on <{tag}>: `{RAW}`", (name, value)))
            elif name in ("srcdoc", "formaction"):
                found.append((f"`{name}` on <{tag}>: `{RAW}`", (name, value)))
            elif name in URL_ATTRIBUTES and _runs(value):
                found.append((f"a `{_scheme(value).split(':')[0]}:` address in `{name}` of <{tag}>: `{RAW}`", (value,)))
            elif name == "srcset" and any(_runs(c.strip().split(" ")[0]) for c in value.split(",")):
                found.append((f"a script address in `srcset` of <{tag}>", (value,)))
        if tag == "meta" and "http-equiv" in values:
            url = values.get("content", "").partition("url=")[2]
            if _runs(url):
                found.append((f"a script address in a refresh: `{RAW}`", (url,)))
        if tag == "link" or not LOADING_ATTRIBUTES.isdisjoint(values):
            found += self.loads(tag, values)
        written = None
        policy = tag == "meta" and values.get("http-equiv", "").strip().lower() == "content-security-policy"
        if policy:  # exactly kb's policy (kb/site/csp.py), first in the head; never one from a text
            written = self.tags.find(tag, values)
            if self.fragment or written is None or not csp.META_PATTERN.fullmatch(written[1]):
                found.append((f"a Content-Security-Policy that is not kb's: `{RAW}`", (f"<{tag}",)))
        elif tag == "form" or (tag == "meta" and "http-equiv" in values) or "style" in values:
            # The start tag as written must be the theme's: one not in the text (the parser made it) is not.
            written = self.tags.find(tag, values)
            if self.fragment or written is None or not _matches(self.allowed.templates, written[1]):
                found.append((f"<{tag}> that the theme does not write: `{RAW}`", (f"<{tag}", values.get("style", ""))))
        if tag == "script" and "src" in values:
            found += self.script(values["src"])
        elif tag in SCRIPT_ELEMENTS:
            found += self.body(tag, node.text(deep=True), values)
        if found:
            written = written or self.tags.find(tag, values)
            line, raw = written or (self.tags.line_of([n for _, needles in found for n in needles]), f"<{tag}>")
            for message, needles in found:
                needles = tuple(n for n in needles if n)
                self.problems.append(Problem(self.rel, line, message.replace(RAW, _short(raw)), needles))

    def loads(self, tag: str, values: dict) -> list:
        loads = [v for k, v in values.items() if k in LOADING_ATTRIBUTES and v]
        if tag == "link" and set(values.get("rel", "").lower().split()) & LOADING_LINKS:
            loads.append(values.get("href", ""))
        return [(f"<{tag}> loads from another host: `{RAW}`", (url,)) for url in loads if tag != "script" and _elsewhere(url)]

    def script(self, src: str) -> list:
        if self.fragment or self.site_path(src) not in self.allowed.scripts:
            return [(f"a script that is not the theme's or kb's: `{RAW}`", (src,))]
        return []

    def body(self, tag: str, text: str, values: dict) -> list:
        if tag == "script" and values.get("type", "").lower() in DATA_SCRIPT_TYPES:
            return [] if _is_json(text) else [("a data script that is not JSON", (text[:40],))]
        if self.fragment or not _matches(self.allowed.bodies, text):
            return [(f"an inline <{tag}> that the theme does not write: `{_short(text)}`", (text.strip()[:40],))]
        return []

    def site_path(self, src: str) -> str | None:
        """The path under site/ that a page's script address names, or None for another host."""
        if _elsewhere(src) or _runs(src):
            return None
        path = urlsplit(src).path
        if path.startswith("/"):
            base = self.allowed.base_path.rstrip("/") + "/"
            if not path.startswith(base):
                return None
            path = path[len(base) :]
        else:
            path = posixpath.join(self.here, path)
        path = posixpath.normpath(path)
        return None if path.startswith("..") else path


RAW = "\0raw\0"  # in a problem's message: the element's start tag, as written


def _elements(root):
    """The elements under `root`, in document order (not text or comments, which run nothing)."""
    for node in root.traverse():
        if node.tag is None or node.tag.startswith("-"):
            continue
        yield node
        if node.tag == "template":  # its content is apart from the tree, and a shadow root's is shown
            for content in node.template_fragments():
                yield from _elements(content)


class _StartTags:
    """Where an element of the tree was written: the first start tag of its name whose attributes
    read as the element's (a tag in a comment or a script is text to the browser, and passed over
    unless it reads the same)."""

    def __init__(self, html: str):
        self.html = html

    def find(self, tag: str, values: dict[str, str]) -> tuple[int, str] | None:
        """(line, start tag as written) of an element, or None for one the parser made."""
        for m in re.finditer(rf"<{re.escape(tag)}(?=[\t\n\f\r />])", self.html, re.I):
            read = _start_tag(self.html, m.end())
            if read is not None and read[1] == values:
                return self.line_at(m.start()), self.html[m.start() : read[0]]
        return None

    def line_at(self, pos: int) -> int:
        return self.html.count("\n", 0, pos) + 1

    def line_of(self, needles: list[str]) -> int:
        """The line of the first needle found in the text, for an element with no start tag of its own."""
        low = self.html.lower()
        return self.line_at(next((i for i in (low.find(n.lower()) for n in needles if n) if i >= 0), 0))


# An attribute in a start tag as the HTML5 tokenizer reads it: a name up to a space, `/`, `>` or
# `=` (an `=` first is part of it), then an optional value, quoted or not.
_ATTRIBUTE = re.compile(r"""[\t\n\f\r /]*(=?[^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"|'[^']*'|[^\t\n\f\r >]*))?""")


def _start_tag(html: str, pos: int) -> tuple[int, dict[str, str]] | None:
    """The end and the attributes of the start tag whose name ends at `pos`; None if it never ends."""
    values: dict[str, str] = {}
    while True:
        m = _ATTRIBUTE.match(html, pos)
        name, value = m.group(1).lower(), m.group(2) or ""
        if not name:
            return (m.end() + 1, values) if html.startswith(">", m.end()) else None
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        values.setdefault(name, html_unescape(value.replace("\r\n", "\n").replace("\r", "\n")))
        pos = m.end()


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_html(rel: str, html: str, allowed: Allowed, fragment: bool = False) -> list[Problem]:
    """Every problem on one page (`rel`: its path under site/). A fragment (search results) may
    hold no script, style, form or refresh at all."""
    auditor = _Auditor(rel, allowed, fragment)
    auditor.read(html)
    return auditor.problems


def audit_search_index(rel: str, text: str, allowed: Allowed) -> list[Problem]:
    """The search index: Material shows each title and text as HTML in the results."""
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    return [problem for doc in data.get("docs", []) for problem in audit_entry(rel, doc, allowed)]


def audit_entry(rel: str, doc: dict, allowed: Allowed) -> list[Problem]:
    """One entry of the search index `rel` (as audit_search_index reads each)."""
    where = f"{rel} ({doc.get('location', '')})"
    problems = [p for key in ("title", "text") for p in audit_html(where, doc.get(key) or "", allowed, fragment=True)]
    if _runs(doc.get("location") or ""):
        problems.append(Problem(where, 1, "a script address as a search result's location", (doc["location"],)))
    return problems


def audit_site(site_dir: Path, allowed: Allowed, skip: Iterable[str] = ()) -> list[Problem]:
    """Every HTML page and search index under site_dir, but those in `skip` (audited already)."""
    skip = set(skip)
    problems = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if rel in skip or not path.is_file():
            continue
        if path.suffix == ".html":
            problems += audit_html(rel, path.read_text(encoding="utf-8", errors="replace"), allowed)
        elif path.name in (INDEX.name, OFFLINE_INDEX.name) and OFFLINE_INDEX.parent.name in path.parts:
            problems += audit_search_index(rel, path.read_text(encoding="utf-8"), allowed)
    return problems


def trace(problems: Iterable[Problem], strings: Iterable[tuple[str, str]]) -> list[Problem]:
    """Name the YAML string each problem's text came from, where one holds all its needles."""
    strings = [(where, str(text).lower()) for where, text in strings]
    traced = []
    for problem in problems:
        needles = [n.lower() for n in problem.needles if len(n) > 1]
        origin = next((where for where, text in strings if needles and all(n in text for n in needles)), "")
        traced.append(replace(problem, origin=origin) if origin else problem)
    return traced
