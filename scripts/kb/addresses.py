"""Stage 4 helper: each section's permanent address and QR code, for the print view of a topic page.

The renderer writes a block naming the address (made from ids and site_url, never from a text)
into the page's Markdown; its conversion draws the QR code (an inline SVG by segno: no script, no
request), through the extension kb's hook adds. The page memo keeps the codes with the page.
"""

from __future__ import annotations

import html
import re
from functools import cache
from urllib.parse import urlsplit

import segno
from markdown import Extension
from markdown.postprocessors import Postprocessor
from markupsafe import escape

EXTENSION = "kb.addresses"  # the Markdown extension's name, as mkdocs.yml would list it
QUIET_ZONE = 4  # modules of white around a code: what a scanner needs (ISO/IEC 18004)
QR_MASK = 2  # the mask of every code (see qr_svg)
MARKER = '<div class="kb-print-address" data-kb-address="{}"></div>'
_MARKER = re.compile(r'<div class="kb-print-address" data-kb-address="([^"<>\s]+)"></div>\n?')


def short(url: str) -> str:
    """An address as printed: without its scheme (`guide.example.org/fr/topic/#section`)."""
    parts = urlsplit(url)
    return url[len(parts.scheme) + 3 :] if parts.scheme and url[len(parts.scheme) :].startswith("://") else url


@cache
def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (sized by kb.css, its quiet zone inside). One mask for
    every code: scoring the eight masks to pick one is most of segno's time (5.3 ms a code against
    1.5 ms), and any mask decodes (the tests decode every code of every language)."""
    return segno.make(url, error="m", micro=False, mask=QR_MASK, boost_error=False).svg_inline(
        border=QUIET_ZONE, omitsize=True, svgclass="kb-qr", lineclass=None
    )


def marker(url: str) -> str:
    """The block the renderer writes under a heading, for the conversion to draw (_Draw)."""
    return MARKER.format(escape(url))


def address_block(url: str) -> str:
    """What the print view shows under a heading: the address in short form and its QR code. Out
    of the search index (Material's `data-search-exclude`): the address is not the section's text."""
    return f'<div class="kb-print-address" data-search-exclude>{qr_svg(url)}<span class="kb-print-url">{escape(short(url))}</span></div>\n'


class _Draw(Postprocessor):
    """Each marker that Markdown kept as a raw HTML block, whole, made its address block; only an
    address under site_url (the guide's own), whatever else a block may hold."""

    def __init__(self, md, site_url: str):
        super().__init__(md)
        self.site_url = site_url

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(blocks):
            found = _MARKER.fullmatch(block) if isinstance(block, str) else None
            url = html.unescape(found.group(1)) if found else ""
            if self.site_url and url.startswith(self.site_url):
                blocks[i] = address_block(url)
        return text


class AddressExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"site_url": ["", "the site's public address: only addresses under it are drawn"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.postprocessors.register(_Draw(md, self.getConfig("site_url")), "kb_addresses", 35)  # before raw_html (30) puts blocks back


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name
    return AddressExtension(**kwargs)
