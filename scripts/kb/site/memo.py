"""Stage 5 helper: the one memo of the build, a page's HTML as Python-Markdown wrote it, by a digest
of everything the conversion reads. A warm build skips converting the pages whose Markdown did
not change (most of a worker's time after the templates).

Only the conversion is skipped. The HTML kept is what Markdown wrote, before any plugin's
on_page_content: every plugin, kb's sanitiser and the output audit still run on every page of
every build, so no security verdict is ever reused. Through MkDocs's documented events: on a hit,
on_page_markdown hands MkDocs an empty page to convert, and on_page_content (first of all) puts
back the HTML with what the conversion told MkDocs of the page (its table of contents, its
anchors, its links to other pages' anchors, which MkDocs checks after every page is converted).

Kept in the user's private cache folder (kb/cache.py), one file per page and language, written in
one step; a full build of a language removes the files it did not use. A page whose conversion
logged anything (a broken link) is never kept, so a warning is given on every build, as without
the memo. A damaged or unreadable file is a miss. KB_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import json
import logging
import marshal
from importlib.metadata import version
from pathlib import Path

from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from ..cache import cache_dir, code_digest, digest, enabled
from ..files import write_bytes_atomically

_FORMAT = 1
_PACKAGES = ("markdown", "mkdocs", "mkdocs-material")  # what converts a page and rewrites its links
_MKDOCS_LOG = logging.getLogger("mkdocs")


class _Counter(logging.Handler):
    """How many warnings MkDocs has logged (its links' checks) while a page was converted."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class PageMemo:
    """The pages of one language's build: hits are read one file at a time, misses written as made."""

    def __init__(self, folder: Path | None, settings: bytes):
        self.folder = folder
        self.settings = settings
        self.links: tuple = (None, b"")  # MkDocs's Files of this build, and the digest of every file's address
        self.used: set[str] = set()  # the entries this build read or wrote
        self.pending: tuple | None = None  # the page being converted: (key, the entry found, warnings before)
        self.warnings = _Counter()
        if folder is not None:
            _MKDOCS_LOG.addHandler(self.warnings)

    @classmethod
    def open(cls, config, lang: str) -> PageMemo:
        folder = cache_dir(Path(config.config_file_path).parent) if enabled() else None
        try:  # Markdown's settings as mkdocs.yml gives them; an extension given as an object is not data: no memo
            settings = json.dumps([config.markdown_extensions, config.mdx_configs, config.use_directory_urls], sort_keys=True)
        except TypeError:
            folder = None
        if folder is not None:
            folder = folder / f"pages-{lang}"
            folder.mkdir(mode=0o700, exist_ok=True)
        return cls(folder, digest(str(_FORMAT), code_digest(), *(version(p) for p in _PACKAGES), settings) if folder else b"")

    def look_up(self, markdown: str, page, files) -> str:
        """The Markdown MkDocs is to convert: none when the page's HTML is kept (put back by settle)."""
        self.pending = None
        if self.folder is None or "title" not in page.meta:  # kb's pages: a title never taken from the HTML
            return markdown
        if self.links[0] is not files:
            addresses = sorted((f.src_uri, f.url, f.inclusion.name) for f in files)
            self.links = (files, digest(json.dumps(addresses)))
        file = page.file
        key = digest(self.settings, self.links[1], file.src_uri, file.dest_uri, file.url, markdown).hex()
        entry = self._read(key, files)
        self.pending = (key, entry, self.warnings.count)
        return "" if entry else markdown

    def settle(self, html: str, page) -> str:
        """The page's HTML: the kept one on a hit (and what MkDocs learnt of the page from it),
        else the one just made, kept if its conversion logged nothing."""
        if self.pending is None:
            return html
        key, entry, warnings = self.pending
        self.pending = None
        if entry:
            self.used.add(key)
            html, toc, anchors, links = entry
            page.toc, page.present_anchor_ids = toc, anchors
            if page.links_to_anchors is not None:  # MkDocs keeps them only when it checks anchors
                page.links_to_anchors = links
            return html
        if self.warnings.count == warnings and _MKDOCS_LOG.isEnabledFor(logging.WARNING):
            self._write(key, html, page)
        return html

    def _read(self, key: str, files) -> tuple | None:
        try:
            header, (html, toc, anchors, links) = marshal.loads((self.folder / key).read_bytes())
            if header != self.settings or not isinstance(html, str):
                return None
            linked: dict = {}
            for src_uri, anchor, original in links:
                linked.setdefault(files.get_file_from_path(src_uri), {})[anchor] = original
            if None in linked:
                return None
            return html, get_toc(_tokens(toc)), set(anchors), linked
        except Exception:  # noqa: BLE001 - missing, unreadable or damaged: made again, never a failure
            return None

    def _write(self, key: str, html: str, page) -> None:
        links = [
            (to.src_uri, anchor, original) for to, found in (page.links_to_anchors or {}).items() for anchor, original in found.items()
        ]
        entry = (html, _items(page.toc), sorted(page.present_anchor_ids or ()), links)
        with contextlib.suppress(OSError):  # a full disk only does the work again next time
            write_bytes_atomically(self.folder / key, marshal.dumps((self.settings, entry)))
            self.used.add(key)

    def prune(self) -> None:
        """After a full build of the language: remove the entries it did not use."""
        if self.folder is None:
            return
        _MKDOCS_LOG.removeHandler(self.warnings)
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


def _items(toc: TableOfContents | list[AnchorLink]) -> list:
    """A table of contents as data: (title, id, level, children) of each heading."""
    return [(item.title, item.id, item.level, _items(item.children)) for item in toc]


def _tokens(items: list) -> list[dict]:
    """The data back as the tokens Markdown's toc extension makes, for MkDocs's get_toc."""
    return [{"name": title, "id": anchor, "level": level, "children": _tokens(children)} for title, anchor, level, children in items]
