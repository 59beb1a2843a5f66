"""Work on a page that an earlier build already did, kept in .cache/kb/ by content hash.

A page whose Markdown, address and surroundings (every page's address, the Markdown settings)
are as before gets the HTML, table of contents and anchors it had: Python-Markdown is not run
again. Material's search entries of a page are kept by the page's HTML, and the output audit's
verdict on a page by its bytes and the allowlist. A render that logged a warning is never kept,
so a strict build still stops on it. Each build keeps what it used, per language.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..cache import Memo, digest

PACKAGES = ("mkdocs", "markdown", "mkdocs-material", "mkdocs-static-i18n")


def _versions() -> bytes:
    return repr([version(name) for name in PACKAGES]).encode()


def _toc_data(links) -> list:
    return [(link.title, link.id, link.level, _toc_data(link.children)) for link in links]


def _toc(data) -> TableOfContents:
    def links(items):
        made = []
        for title, uid, level, children in items:
            link = AnchorLink(title, uid, level)
            link.children = links(children)
            made.append(link)
        return made

    return TableOfContents(links(data))


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
        self.pages = Memo(root, f"pages-{lang}", salt=salt)
        self.search = Memo(root, f"search-{lang}", salt=salt)
        self.audits = Memo(root, f"audit-{lang}", salt=salt)
        self.classes = Memo(root, f"classes-{lang}", salt=salt)
        self.layout: bytes | None = None

    def key(self, page: Page, files) -> bytes:
        if self.layout is None:  # every file's address: where the page's links lead
            self.layout = digest(*sorted(f"{f.src_uri} {f.url}" for f in files))
        return digest(page.markdown, page.file.src_uri, page.file.url, self.layout)

    def render(self, page: Page, config, files) -> None:
        """Page.render, or what it made last time for the same input."""
        key = self.key(page, files)
        if key in self.pages.old:
            content, toc, title, anchors, links = self.pages.get(key, None)
            page.content, page.toc, page._title_from_render = content, _toc(toc), title
            page.present_anchor_ids = set(anchors)
            page.links_to_anchors = {files.get_file_from_path(src): dict(to) for src, to in links.items()} if links is not None else None
            return
        watch = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(watch)
        try:
            Page.render(page, config, files)
        finally:
            logger.removeHandler(watch)
        if watch.count == 0:
            links = page.links_to_anchors
            links = {f.src_uri: dict(to) for f, to in links.items()} if links is not None else None
            self.pages.get(
                key, lambda: (page.content, _toc_data(page.toc), page._title_from_render, sorted(page.present_anchor_ids or ()), links)
            )

    def search_entries(self, index, page, make) -> None:
        """Material's SearchIndex.add_entry_from_context (`make`), or the entries it made for this HTML."""
        key = digest(page.content, page.url, str(page.title), repr(_toc_data(page.toc)), repr(sorted((page.meta or {}).items(), key=str)))
        before = len(index.entries)
        if key in self.search.old:
            index.entries.extend(dict(e) for e in self.search.get(key, None))
            return
        make(index, page)
        self.search.get(key, lambda: [dict(e) for e in index.entries[before:]])

    def written(self, html: str, allowed_key: bytes, audit, find) -> tuple[list, list[str]]:
        """What the build needs of a page it writes: its audit (run, or known clean for these bytes
        and this allowlist) and the classes it writes (`find`, kb/site/styles.py). The page is
        hashed once for both."""
        page = digest(html)
        key = digest(page, allowed_key)
        if key in self.audits.old:
            self.audits.get(key, None)
            problems = []
        else:
            problems = audit(html)
            if not problems:
                self.audits.get(key, lambda: True)
        return problems, self.classes.get(page, lambda: sorted(find(html)))

    def save(self) -> None:
        for memo in (self.pages, self.search, self.audits, self.classes):
            memo.save()


class CachedPage(Page):
    """A page whose render goes through the build's Reuse (set on it by the hook)."""

    reuse: Reuse

    def render(self, config, files) -> None:
        self.reuse.render(self, config, files)


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

    index.__class__ = Kept
