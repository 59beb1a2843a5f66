"""Work on a page that an earlier build already did, kept in the cache (kb/cache.py) by content hash.

A page whose Markdown, address and surroundings (every page's address, the Markdown settings)
are as before gets the HTML, table of contents and anchors it had: Python-Markdown is not run
again. A long generated page (the home, trainers' and status pages grow with the guide) is kept
part by part, cut before each of its headings, and a long table or list in runs of rows: an edit renders
again only the parts it changed.
Material's search entries of a page are kept by the page's HTML, and the output audit's
verdict on a page by its bytes and the allowlist. In the live preview, a page's template output
is kept by everything the theme's templates read: an edit writes again through the templates only the pages it changed. A render that logged a warning is never kept,
so a strict build still stops on it. Each build keeps what it used, per language.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import zlib
from dataclasses import dataclass
from importlib.metadata import version

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..cache import Shelf, digest
from ..files import installed
from ..render import PageRenderer, reads_the_same
from ..search import index_json
from . import sanitise
from .parallel import WORKER_ENV

PACKAGES = ("mkdocs", "markdown", "mkdocs-material", "mkdocs-static-i18n")
# Template outputs are kept in the live preview only (kb/site/preview.py turns it on): there a
# save rebuilds a language every few seconds; a build's pages with their template outputs would
# double what a worker holds at 300 times the content (make bench's peak memory).
TEMPLATES = {"kept": False}
_RUN = os.urandom(16)  # template outputs are reused within one run of the preview only
# What the template context holds that no page's template output depends on: the build's time
# (Material's page templates do not print it), the list of every page (they do not read it), and
# what the key takes apart (the page, the navigation, the settings).
_NOT_READ = frozenset(["build_date_utc", "pages", "page", "nav", "config"])
_OWN_KEYS = frozenset(["site_dir", "nav", "plugins", "theme", "extra"])  # build-specific, or read apart


def _versions() -> bytes:
    return repr([version(name) for name in PACKAGES]).encode()


def _toc_data(links) -> list:
    return [(link.title, link.id, link.level, _toc_data(link.children)) for link in links]


def _flat(data) -> list:
    """_toc_data's headings in the page's order, each as (title, id, level)."""
    return [item for title, uid, level, children in data for item in [(title, uid, level), *_flat(children)]]


LONG = 20_000  # characters of Markdown: a generated page longer than this is kept part by part
# Where a generated page is cut: before a heading of level 2 to 6 with its id, at the top level
# (after a blank line, not indented). The renderer writes every block after such a heading, up to
# the next one, as the heading's own (kb/render.py): no block spans two parts.
_PART = re.compile(r"\n\n(?=#{2,6} [^\n]*\{#[a-z0-9-]+[^\n]*\}(?:\n|$))")
_HEADING = re.compile(r"^#{1,6} [^\n]*", re.M)
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)


ROWS = 50  # rows of a long table, or items of a long definition list, rendered (and kept) together
_SEPARATOR = re.compile(r"\|(?: *:?-+:? *\|)+ *")
_ITEM = re.compile(r"[^\s:|<][^\n]*\n: {3}\S")  # a term on one line, then its definition
# How Python-Markdown writes each: how it starts, where its rows or items start, how it ends.
_WRAPS = {"table": ("<table>", "<tbody>\n", "\n</tbody>\n</table>"), "dl": ("<dl>\n", "<dl>\n", "\n</dl>")}


@dataclass(frozen=True)
class Part:
    """Markdown rendered on its own. A run of a long table's rows is written with the table's
    header, a run of a definition list's items alone; `head`/`tail` False: its HTML loses the
    table's or list's start/end, which the run before/after has."""

    markdown: str
    head: bool = True
    tail: bool = True
    kind: str = "table"


def parts(markdown: str) -> list[Part]:
    """The parts of a generated page; a page with a code fence or a heading with no explicit id
    (whose id the toc extension makes unique across the whole page) is one part."""
    if _FENCE.search(markdown) or any("{#" not in m.group() for m in _HEADING.finditer(markdown)):
        return [Part(markdown)]
    return [part for piece in _PART.split(markdown) for part in _runs(piece)]


def _runs(piece: str) -> list[Part]:
    """A part cut before and after each table of more than ROWS rows and each definition list of
    more than ROWS items, and those in runs of ROWS. Python-Markdown writes a table's rows, and a
    list's items (each a term, its definition and the indented blocks that go on with it), one
    by one: no row or item changes another, so the runs' HTML joined is the whole's. A part with
    a block of raw HTML (which may hold either) is not cut."""
    blocks = piece.split("\n\n")
    if any(block.startswith("<") for block in blocks):
        return [Part(piece)]
    found: list[Part] = []
    text: list[str] = []

    def runs(head: str, rows: list[str], kind: str, joiner: str) -> None:
        if text:
            found.append(Part("\n\n".join(text)))
            text.clear()
        for start in range(0, len(rows), ROWS):
            run = joiner.join(rows[start : start + ROWS])
            found.append(Part(head + run, head=start == 0, tail=start + ROWS >= len(rows), kind=kind))

    i = 0
    while i < len(blocks):
        lines = blocks[i].split("\n")
        if len(lines) > 2 + ROWS and _SEPARATOR.fullmatch(lines[1]) and all(line.startswith("|") for line in lines):
            runs("\n".join(lines[:2]) + "\n", lines[2:], "table", "\n")
            i += 1
            continue
        items, j = [], i
        while j < len(blocks) and _ITEM.match(blocks[j]):
            k = j + 1
            while k < len(blocks) and blocks[k].startswith("    "):
                k += 1
            items.append("\n\n".join(blocks[j:k]))
            j = k
        if len(items) > ROWS:
            runs("", items, "dl", "\n\n")
        else:
            text.extend(blocks[i : max(j, i + 1)])
        i = max(j, i + 1)
    if text:
        found.append(Part("\n\n".join(text)))
    return found


def _joined(html: str, part: Part) -> str | None:
    """A run's HTML as it is in the whole table or list; None if it is not one as Python-Markdown writes it."""
    if part.head and part.tail:
        return html
    begins, head, tail = _WRAPS[part.kind]
    if not (html.startswith(begins) and head in html and html.endswith(tail)):
        return None
    if not part.head:
        html = html[html.index(head) + len(head) :]
    return html if part.tail else html[: -len(tail)]


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


class Reuse:
    """The memos of one language's build, and the files' layout they are keyed by."""

    def __init__(self, root, lang: str, config):
        salt = _versions() + digest(
            repr(config["markdown_extensions"]), repr(config["mdx_configs"]), repr(config.validation), repr(config.use_directory_urls)
        )
        self.shelf = Shelf(root, f"build-{lang}", ("markdown", "pages", "search", "audits", "templates"), salt=salt)
        self.markdowns, self.pages, self.search, self.audits, self.templates = self.shelf.tables.values()
        self.content: bytes | None = None  # content/ and the languages: what every page's Markdown depends on
        self.held: list[bytes] | None = [] if WORKER_ENV in os.environ else None  # search entries (search_entries)
        self.keep_templates = TEMPLATES["kept"]
        self.layout: bytes | None = None
        self.shared: bytes | None = None  # what every page's template output depends on (this build's)

    def markdown(self, project, lang: str, name: str, report) -> str:
        """The Markdown of page `name` (kb/render.py), or what it was in an earlier build when
        content/ and the languages are as they were and every text and state the page read then
        reads the same now (the renderer lists them: a title edit renders again the pages that
        show that title, not the rest)."""
        if self.content is None:
            files = sorted((rel, d) for rel, d in project.digests.items() if rel.startswith("content/"))
            self.content = digest(repr(project.languages), project.default_lang, repr(files))
        key = digest(self.content, lang, name)
        kept = self.markdowns.find(key)
        if kept is not None and reads_the_same(project, lang, report, kept[1]):
            return kept[0]
        reads: list = []
        renderer = PageRenderer(project, lang, report, reads)
        markdown = renderer.render(name)
        if renderer.tracked:
            self.markdowns.put(key, (markdown, reads))
        return markdown

    def surroundings(self, page: Page, files) -> bytes:
        """What a page's render depends on besides its Markdown: its address and every file's."""
        if self.layout is None:  # every file's address: where the page's links lead
            self.layout = digest(*sorted(f"{f.src_uri} {f.url}" for f in files))
        return digest(page.file.src_uri, page.file.url, self.layout)

    def render(self, page: Page, config, files, generated: bool = False) -> None:
        """Page.render, or what it made last time for the same input; a long `generated` page part by part."""
        pieces = parts(page.markdown) if generated and len(page.markdown) > LONG else [Part(page.markdown)]
        around = self.surroundings(page, files)
        made = [self._rendered(page, piece.markdown, around, config, files) for piece in pieces]
        # Each part sanitised whole (a run of rows with its table), as it is rendered, never as kept.
        joined = [_joined(sanitise.clean(m[0]), piece) for m, piece in zip(made, pieces, strict=True)]
        if None in joined:  # a run that is not a table's rows: the page rendered whole
            made = [self._rendered(page, page.markdown, around, config, files)]
            joined = [sanitise.clean(made[0][0])]
        page.content = page.sanitised = "\n".join(joined)
        page.parts = joined if len(joined) > 1 else []  # each audited once (kb/site/audit.py audit_page)
        # The headings of every part nested together, as the toc extension nests a whole page's.
        page.toc = get_toc(nest_toc_tokens([{"name": title, "id": uid, "level": level} for m in made for title, uid, level in m[1]]))
        page._title_from_render = made[0][2]
        page.present_anchor_ids = {uid for m in made for uid in m[3]}
        found = [m[4] for m in made if m[4] is not None]
        page.links_to_anchors = {} if found else None
        for links in found:
            for src, to in links.items():
                page.links_to_anchors.setdefault(files.get_file_from_path(src), {}).update(to)

    def _rendered(self, page: Page, markdown: str, around: bytes, config, files) -> tuple:
        """(HTML, headings in order, title, anchors, links to other pages' anchors) of the page,
        or of one part of it: Page.render's, or what it made last time."""
        key = digest(markdown, around)
        if (kept := self.pages.find(key)) is not None:
            return kept
        shadow = copy.copy(page)  # the page as Page.render sees it, with this Markdown
        shadow.markdown = markdown
        watch = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(watch)
        try:
            Page.render(shadow, config, files)
        finally:
            logger.removeHandler(watch)
        links = shadow.links_to_anchors
        links = {f.src_uri: dict(to) for f, to in links.items()} if links is not None else None
        headings = _flat(_toc_data(shadow.toc))
        made = (shadow.content, headings, shadow._title_from_render, sorted(shadow.present_anchor_ids or ()), links)
        if watch.count == 0:
            self.pages.get(key, lambda: made)
        return made

    def search_entries(self, index, page, make) -> None:
        """Material's SearchIndex.add_entry_from_context (`make`), or the entries it made for this
        HTML. A parallel build's worker, which writes its index itself, holds them compressed
        until then (`entries`): at 300 times the content, 20 MB of text per language otherwise."""
        key = digest(page.content, page.url, str(page.title), repr(_toc_data(page.toc)), repr(sorted((page.meta or {}).items(), key=str)))
        before = len(index.entries)
        if (kept := self.search.find(key)) is not None:
            index.entries.extend(dict(e) for e in kept)
        else:
            make(index, page)
            self.search.put(key, [dict(e) for e in index.entries[before:]])
        sanitise.clean_entries(index.entries[before:])
        if self.held is not None:
            made = index_json(index.entries[before:])
            del index.entries[before:]
            self.held.append(zlib.compress(made.encode("utf-8"), 1))

    def entries(self):
        """The search entries a worker holds, one page's at a time, in the order they were made."""
        for held in self.held or ():
            yield from json.loads(zlib.decompress(held))

    def written(self, html: str, allowed_key: bytes, audit) -> list:
        """The audit of a page the build writes: run, or known clean for these bytes and this allowlist."""
        key = digest(digest(html), allowed_key)
        if self.audits.find(key) is not None:
            return []
        problems = audit(html)
        if not problems:
            self.audits.put(key, True)
        return problems

    def template_output(self, context, render) -> str:
        """`render(context)` (main.html), or what it wrote for the same inputs in an earlier build
        of this preview."""
        page = context.get("page")
        if page is None:
            return render(context)
        if self.shared is None:
            self.shared = digest(_RUN, _themes(context["config"].theme), repr(_nav_data(context["nav"])))
        key = digest(self.shared, page.content, page.url, page.file.src_uri, _page_state(page, context))
        if (kept := self.templates.find(key)) is not None:
            return kept
        html = render(context)
        self.templates.put(key, html)
        return html

    def known_clean(self, check, *inputs: str | bytes) -> bool:
        """`check()` (is a part of a page, or a search entry, clean?), or its verdict on the same inputs."""
        return self.audits.get(digest(*inputs), check)

    def save(self) -> None:
        self.shelf.save()


def _page_state(page, context) -> str:
    """What the theme's templates read of a page and of the settings as it is written (plugins
    set some per page: static-i18n the language switcher's links in `extra`)."""
    config = context["config"]
    near = [(str(p.title), p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    ancestors = [(str(a.title), getattr(a, "url", None)) for a in page.ancestors]
    rest = {k: v for k, v in context.items() if k not in _NOT_READ}
    settings = {k: v for k, v in config.items() if k not in _OWN_KEYS}
    extra = config.extra
    own = {k: v for k, v in vars(extra).items() if not k.startswith("_") and k not in ("data", "config_file_path")}
    return repr(
        (
            str(page.title),
            page.canonical_url,
            page.edit_url,
            page.is_homepage,
            _toc_data(page.toc),
            sorted((page.meta or {}).items(), key=str),
            near,
            ancestors,
            sorted(rest.items(), key=str),
            sorted(settings.items(), key=str),
            list(config.plugins),
            sorted(dict(extra).items(), key=str),
            sorted(own.items(), key=str),
        )
    )


def _themes(theme) -> bytes:
    """The theme's settings and templates: the installed ones by their versions (in every memo's
    salt), the project's own (overrides/) by their bytes."""
    settings = repr((theme.name, theme.dirs, sorted(theme.static_templates), sorted(theme.items(), key=str)))
    own = []
    for folder in theme.dirs:
        if not installed(folder):
            for top, _, names in sorted(os.walk(folder)):
                for name in sorted(names):
                    path = os.path.join(top, name)
                    with open(path, "rb") as handle:
                        own += [path, handle.read()]
    return digest(settings, *own)


def _nav_data(nav) -> list:
    """The navigation as the templates write it on every page (the sidebar): each entry's address
    and title, what Material writes beside a title (icon, subtitle, status), and a section's entries."""

    def items(entries) -> list:
        return [
            (
                getattr(item, "url", None),
                str(item.title),
                [(getattr(item, "meta", None) or {}).get(key) for key in ("icon", "subtitle", "status")],
                items(item.children or []) if item.is_section else None,
            )
            for item in entries
        ]

    return [getattr(nav.homepage, "url", None), items(nav.items)]


class CachedPage(Page):
    """A page whose render goes through the build's Reuse (set on it by the hook)."""

    reuse: Reuse
    generated = False  # written by kb's renderer (kb/render.py), which may be cut in parts
    parts: tuple[str, ...] | list[str] = ()  # its content as rendered in parts (Reuse.render)
    sanitised: str | None = None  # its content as Reuse.render sanitised it (kb/site/sanitise.py)

    def render(self, config, files) -> None:
        self.reuse.render(self, config, files, self.generated)


def reuse_search_entries(plugin, reuse: Reuse) -> None:
    """Make the search plugin's index take each page's entries through `reuse`."""
    index = getattr(plugin, "search_index", None)
    if index is None or not hasattr(index, "entries"):
        return
    base = type(index)
    make = base.add_entry_from_context

    class Kept(base):
        def add_entry_from_context(self, page):
            reuse.search_entries(self, page, make)

        def generate_search_index(self, prev):
            # A parallel build's worker writes its language's index itself, from these entries
            # (kb.mkdocs_hook._language_index): what Material would write is never read.
            return "{}" if WORKER_ENV in os.environ else super().generate_search_index(prev)

    index.__class__ = Kept
