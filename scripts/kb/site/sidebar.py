"""The sidebar, written once per language: every page lists every page, so writing each list again
on each page made a build grow with the square of the guide.

overrides/partials/nav.html asks `kb_sidebar(nav, base_url, page)` for the links before and after
the page being written. Each link is written once per language and way to the root (`..`,
`../..`), as Material's nav-item macro writes a page that is not the current one; the current
page still goes through Material's macro (it carries the table of contents). A sidebar with
anything else in it (sections, icons, a status) is left to Material's macros entirely.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from markupsafe import Markup

LINK = """
        <li class="md-nav__item">
          <a href="{base_url}/{url}" class="md-nav__link">
            <span class="md-ellipsis">
              {title}
            </span>
          </a>
        </li>
      """


@dataclass
class Sidebar:
    """What nav.html writes around the current page's entry."""

    before: Markup = Markup("")
    active: object = None  # the current page's nav item, for Material's macro
    index: int = 0  # its position, counted from 1 as Jinja's loop.index
    after: Markup = Markup("")
    plain: bool = True  # False: the template writes every item itself


@dataclass
class _Links:
    links: list[str]
    where: dict[str, int]  # page url -> its position


def _is_plain(item) -> bool:
    meta = getattr(item, "meta", None) or {}
    return bool(
        item.is_page and not getattr(item, "typeset", None) and not (meta.get("icon") or meta.get("subtitle") or meta.get("status"))
    )


class SidebarCache:
    """The links of one language's sidebar for each way to the root (kept per nav object, which
    each language build makes anew)."""

    def __init__(self, audit=None):
        self._links: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.audit = audit  # called once with the links of each (nav, base_url)
        self.last = Sidebar()  # what the page being written got: its audit skips these links

    def __call__(self, nav, base_url: str, page) -> Sidebar:
        items = nav.items
        if nav not in self._links:  # once per language: can this sidebar be written this way?
            self._links[nav] = {} if all(_is_plain(item) and not getattr(item, "encrypted", False) for item in items) else None
        per_base = self._links[nav]
        if per_base is None:
            return Sidebar(plain=False)
        if base_url not in per_base:
            root = base_url.rstrip("/")  # `..`, or on a 404 page site_url's path (`/`, `/guide/`)
            links = [LINK.format(base_url=root, url=item.url, title=item.title) for item in items]
            per_base[base_url] = _Links(links, {item.url: i for i, item in enumerate(items)})
            if self.audit is not None:
                self.audit("".join(links))
        cached = per_base[base_url]
        i = cached.where.get(getattr(page, "url", None))
        if i is None or not items[i].active:
            self.last = Sidebar(before=Markup("".join(cached.links)))
        else:
            self.last = Sidebar(Markup("".join(cached.links[:i])), items[i], i + 1, Markup("".join(cached.links[i + 1 :])))
        return self.last

    def without_links(self, html: str) -> str:
        """The page as the audit needs to read it: the links it was given (audited once, when they
        were written) replaced by as many line ends, so line numbers stay right."""
        for part in (self.last.before, self.last.after):
            if len(part) > 200:
                html = html.replace(part, "\n" * part.count("\n"))
        return html
