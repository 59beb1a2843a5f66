"""The sidebar, written once per language: every page lists every page, so writing each list again
on each page made a build grow with the square of the guide.

overrides/partials/nav.html asks `kb_sidebar(nav, base_url, page)` for the sidebar as parts:
runs of links, each written once per language and way to the root (`..`, `../..`) as Material's
nav-item macro writes a page that is not the current one, and the entries Material's macro still
writes: the current page (it carries the table of contents) and each section (the Tools group:
a few pages, written each time). A sidebar with anything else in it (icons, a status, an
encrypted page) is left to Material's macros entirely.

With `fill` on (the hook's build), the template writes each run of links as a placeholder: a
comment no text can forge (it holds a secret made for the process) and as many line ends as the
run has. What the page's own hooks read (its audit, its digest, its classes) is then the page
without the sidebar it shares with every other page, and line numbers are those of the page
written: `fill_in()` puts the links in, in one join, as the page is written. That leaves a
page's cost growing with the sidebar only by the copying of its bytes.

A sidebar of more than INLINE_LINKS pages is written once per language as a file of its own,
`sidebar.js` at the language's root (`script()`), and each page holds, where each run of links
goes, a deferred `<script>` that writes that run there once the page is read (the content is
shown first; Material's script sets the page up after it): the same markup, the same
addresses, and no page grows with the guide (at 300 times the content a page was 440 KB, nearly
all sidebar; the site 2.7 GB). Every page of the language loads the same file. Without script a
reader has the current page with its table of contents and the tools; the home page lists every
page. The file is audited as the pages are (audit.audit_site reads its links as a fragment).
"""

from __future__ import annotations

import json
import os
import secrets
import string
import weakref
from dataclasses import dataclass, field
from itertools import accumulate

from markupsafe import Markup

# Material's markup for a page that is not the current one, without the indentation between its
# tags (a flex box ignores it, and the text it trimmed is the same): the links are most of every
# page's bytes, and of what a build writes (at 300 times the content, 440 KB of each page).
LINK = '<li class="md-nav__item"><a href="{base_url}/{url}" class="md-nav__link"><span class="md-ellipsis">{title}</span></a></li>\n'
INLINE_LINKS = 100  # a sidebar with more page links than this is written once per language (sidebar.js)
INLINE_ENV = "KB_SIDEBAR_INLINE"  # another limit (tests: 0, every sidebar in sidebar.js)
SCRIPT_NAME = "sidebar.js"
# LINK's text around its three fields, for the script to put each link together as LINK does.
PIECES = [literal for literal, _, _, _ in string.Formatter().parse(LINK)]
assert [name for _, name, _, _ in string.Formatter().parse(LINK) if name] == ["base_url", "url", "title"]
# The script: each <script> of a page's sidebar names its way to the root and the run of links
# it stands for (positions in the sidebar, from-to), and is replaced by those links.
CODE = """/* kb: this language's sidebar links, written once for every page (kb/site/sidebar.py). */
(function (links, pieces) {
  var here = document.currentScript, span = here.getAttribute("data-kb-links").split("-");
  var base = here.getAttribute("data-kb-base"), html = "";
  for (var i = +span[0]; i < +span[1]; i++) {
    if (links[i]) html += pieces[0] + base + pieces[1] + links[i][0] + pieces[2] + links[i][1] + pieces[3];
  }
  here.insertAdjacentHTML("beforebegin", html);
  here.remove();
})(
"""
DATA_SEPARATOR, END = ",\n", ");\n"


@dataclass
class Part:
    """A run of links written once per language (`html`), or an entry Material's macro writes
    (`item`, at `index` counted from 1 as Jinja's loop.index): the current page with its table of
    contents, or a section (its few pages, each time)."""

    html: Markup | None = None
    item: object = None
    index: int = 0
    src: str = ""  # a run of links sidebar.js writes: its address from the page,
    base: str = ""  # the way to the root its links are made with,
    span: tuple[int, int] = (0, 0)  # and the run's positions (from, to)


@dataclass
class Sidebar:
    """What nav.html writes, in order."""

    parts: list[Part] = field(default_factory=list)
    plain: bool = True  # False: the template writes every item itself


@dataclass
class _Run:
    """Consecutive plain pages of the sidebar (`start` to `end`, not included), their links
    joined once; or, with `end` None, the section at `start`."""

    start: int
    end: int | None = None
    html: Markup = Markup("")


@dataclass
class _Links:
    links: list[str | None]  # None: a section, written by Material's macro
    where: dict[str, int]  # page url -> its position
    runs: list[_Run]
    root: str = ""  # the way to the root the links are made with
    lines: list[int] = field(init=False)  # line ends in the links before each position

    def __post_init__(self) -> None:
        self.lines = list(accumulate(((link or "").count("\n") for link in self.links), initial=0))

    def lines_in(self, start: int, end: int) -> int:
        return self.lines[end] - self.lines[start]


def is_plain(item) -> bool:
    meta = getattr(item, "meta", None) or {}
    return bool(
        item.is_page and not getattr(item, "typeset", None) and not (meta.get("icon") or meta.get("subtitle") or meta.get("status"))
    )


def _can_cache(item) -> bool:
    """A plain page (its link is written here) or a section (Material's macro writes it)."""
    return (is_plain(item) or item.is_section) and not getattr(item, "encrypted", False)


def inline_links() -> int:
    return int(os.environ.get(INLINE_ENV) or INLINE_LINKS)


def written_apart(nav) -> bool:
    """Is this sidebar written once, in sidebar.js, rather than on every page?"""
    return sum(1 for item in nav.items if is_plain(item)) > inline_links() and all(_can_cache(item) for item in nav.items)


def _data(value) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))  # ASCII: read the same in any encoding


def script(nav) -> str:
    """sidebar.js: the code, then each link's address and title by position (null for a section,
    which each page writes), then LINK's pieces."""
    links = [[item.url, str(item.title)] if is_plain(item) else None for item in nav.items]
    return CODE + _data(links) + DATA_SEPARATOR + _data(PIECES) + END


def links_of_script(text: str) -> list | None:
    """The links a sidebar.js holds, or None if it is not the script kb writes (other code, other
    pieces, data that is not a list of address and title)."""
    if not (text.startswith(CODE) and text.endswith(END)):
        return None
    links_text, _, pieces_text = text[len(CODE) : -len(END)].rpartition(DATA_SEPARATOR)
    try:
        links, pieces = json.loads(links_text), json.loads(pieces_text)
    except ValueError:
        return None
    shaped = isinstance(links, list) and all(
        link is None or (isinstance(link, list) and len(link) == 2 and all(isinstance(v, str) for v in link)) for link in links
    )
    return links if shaped and pieces == PIECES else None


def links_html(links: list, base_url: str) -> str:
    """What sidebar.js writes for these links on a page at `base_url` from the root."""
    return "".join(LINK.format(base_url=base_url, url=link[0], title=link[1]) for link in links if link)


def _runs(links: list[str | None]) -> list[_Run]:
    runs: list[_Run] = []
    for i, link in enumerate(links):
        if link is None:
            runs.append(_Run(i))
        elif runs and runs[-1].end == i:
            runs[-1].end = i + 1
        else:
            runs.append(_Run(i, i + 1))
    for run in runs:
        if run.end is not None:
            run.html = Markup("".join(links[run.start : run.end]))
    return runs


class SidebarCache:
    """The links of one language's sidebar for each way to the root (kept per nav object, which
    each language build makes anew)."""

    def __init__(self, audit=None):
        self._links: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.audit = audit  # called once with the links of each (nav, base_url)
        self.fill = False  # write placeholders, for fill_in() to replace (the hook's build)
        self.script = ""  # sidebar.js of the language being built, from its root ("" : none written)
        self._secret = secrets.token_hex(16)
        # The page being written: each placeholder, the links it stands for, and their items (from, to).
        self.pending: list[tuple[str, list, tuple[int, int]]] = []

    def _links_for(self, nav, base_url: str) -> _Links | None:
        """This language's links for this way to the root, made (and audited) once; None when the
        sidebar holds what Material's macros must write."""
        items = nav.items
        if nav not in self._links:  # once per language: can this sidebar be written this way?
            self._links[nav] = {} if all(_can_cache(item) for item in items) else None
        per_base = self._links[nav]
        if per_base is None:
            return None
        if base_url not in per_base:
            root = base_url.rstrip("/")  # `..`, or on a 404 page site_url's path (`/`, `/guide/`)
            links = [LINK.format(base_url=root, url=item.url, title=item.title) if is_plain(item) else None for item in items]
            per_base[base_url] = _Links(links, {item.url: i for i, item in enumerate(items) if is_plain(item)}, _runs(links), root)
            if self.audit is not None:
                self.audit("".join(link for link in links if link))
        return per_base[base_url]

    def __call__(self, nav, base_url: str, page) -> Sidebar:
        items = nav.items
        cached = self._links_for(nav, base_url)
        if cached is None:
            return Sidebar(plain=False)
        current = cached.where.get(getattr(page, "url", None))
        sidebar = Sidebar()
        for run in cached.runs:  # a few runs: per page, only the one holding it is split again
            if run.end is None:
                sidebar.parts.append(Part(item=items[run.start], index=run.start + 1))
            elif current is not None and run.start <= current < run.end and items[current].active:
                self._links_part(sidebar, cached, run.start, current)
                sidebar.parts.append(Part(item=items[current], index=current + 1))
                self._links_part(sidebar, cached, current + 1, run.end)
            else:
                self._links_part(sidebar, cached, run.start, run.end, run.html)
        return sidebar

    def _links_part(self, sidebar: Sidebar, cached: _Links, start: int, end: int, joined: Markup | None = None) -> None:
        """The links from `start` to `end`: themselves, or with `fill` a placeholder for them."""
        if start == end:
            return
        if self.script:  # this build writes the sidebar in sidebar.js (the hook's on_env)
            sidebar.parts.append(Part(src=f"{cached.root}/{self.script}", base=cached.root, span=(start, end)))
            return
        if not self.fill:
            sidebar.parts.append(Part(html=joined if joined is not None else Markup("".join(cached.links[start:end]))))
            return
        placeholder = f"<!--kb-links {self._secret} {len(self.pending)}-->" + "\n" * cached.lines_in(start, end)
        self.pending.append((placeholder, [joined] if joined is not None else cached.links[start:end], (start, end)))
        sidebar.parts.append(Part(html=Markup(placeholder)))

    def replay(self, nav, base_url: str, spans: list[tuple[int, int]]) -> None:
        """What writing a page's sidebar with these placeholders left for fill_in(), without writing
        it: a page whose template output is reused (kb/site/reuse.py) gets this language's links."""
        cached = self._links_for(nav, base_url) if spans else None
        if cached is None:
            return
        whole = {(run.start, run.end): run.html for run in cached.runs if run.end is not None}
        for start, end in spans:
            self._links_part(Sidebar(), cached, start, end, whole.get((start, end)))

    def key(self) -> str:
        """What a reused template output depends on: its placeholders hold this process's secret,
        and whether its links are written by sidebar.js depends on the limit."""
        return f"{self._secret} {inline_links()}"

    def unmarked(self, html: str) -> str:
        """The page with its placeholders as every process writes them (without the secret): what
        its audit reads, and what the cache knows it by."""
        return html.replace(self._secret, "") if self.pending else html

    def fill_in(self, html: str) -> str:
        """The page with the links its placeholders stand for (the sidebars it was given)."""
        pieces, rest = [], html
        for placeholder, links, _ in self.pending:
            head, found, tail = rest.partition(placeholder)
            if found:
                pieces += [head, *links]
                rest = tail
        self.pending = []
        return "".join([*pieces, rest]) if pieces else html
