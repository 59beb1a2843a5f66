"""Stage 6 helper, sanitise what contributors' text became: every page's HTML rendered from
Markdown, and every search entry made from it, keeps only what kb's Markdown writes.

A second line behind the escaper (kb/markdown_safe.py), which reads Markdown with patterns and
can disagree with Python-Markdown (review H2): nh3 (ammonia, on html5ever's HTML5 parser) reads
the HTML as a browser does and writes back only the elements, attributes, classes and address
schemes below. Titles, the site name and the navigation are plain text escaped by markupsafe
(kb/render.py), printed in attributes as well as in text: a sanitiser, which writes quotes in text
as they are, is not the tool there.
"""

from __future__ import annotations

import nh3

# Data: exactly what kb's Markdown writes (kb/render.py, Python-Markdown with mkdocs.yml's
# extensions), found by building the guide and listing every element, attribute and class of
# its pages: each element with its attributes, and `.name` for each class it may carry.
ALLOWED: dict[str, frozenset[str]] = {
    tag: frozenset(names)
    for tag, names in {
        **{f"h{level}": {"id", "lang"} for level in range(1, 7)},
        "p": {"lang", "dir", ".admonition-title", ".kb-notice", ".kb-untranslated", ".kb-outdated"},
        # Admonitions, text in another language; the trainers' page's levels. A section's address
        # and QR code, for print (kb/addresses.py), the code as segno writes it (its case
        # kept: `viewBox`): shapes, and neither an address nor anything that runs.
        "div": {"lang", "dir", ".admonition", ".example", ".info", ".quote", ".kb-fallback", ".kb-print-address", "data-search-exclude"},
        "span": {"lang", "dir", ".kb-number", ".kb-level-0", ".kb-level-1", ".kb-level-2", ".kb-print-url"},
        "svg": {"viewBox", ".kb-qr"},
        "path": {"d", "stroke"},
        "code": {"lang"},
        "a": {"href", "title", "id", "hreflang", "lang", ".headerlink", ".kb-alias", ".kb-term", ".kb-address"},
        "button": {"type", "title", "aria-label", "data-clipboard-text", ".kb-copy-link"},  # "copy link"
        "progress": {"value", "max", ".kb-translated", ".kb-stale", ".kb-missing", ".kb-draft"},  # the status page's bars
        **dict.fromkeys(["em", "strong", "br", "hr", "pre", "ul", "ol", "li", "dl", "dt", "dd"], set()),
        **dict.fromkeys(["table", "thead", "tbody", "tr", "th", "td"], set()),
    }.items()
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative addresses (the guide's own pages)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED),
    attributes={tag: {name for name in names if not name.startswith(".")} for tag, names in ALLOWED.items()},
    allowed_classes={tag: {name[1:] for name in names if name.startswith(".")} for tag, names in ALLOWED.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # kb's links carry no rel, and no link opens a new window
    strip_comments=True,
)


def clean(html: str) -> str:
    """The HTML with only what kb's Markdown writes. Character references come back as the
    characters they stand for (`&para;` as ¶, `&#45;` as -), which a browser shows the same."""
    # html5ever writes a no-break space as `&nbsp;`; as the character, a search entry's text
    # stays the words it was (the index is text), and the page the bytes it was.
    return _CLEANER.clean(html).replace("&nbsp;", "\xa0")


def clean_entries(entries: list[dict]) -> None:
    """Material's search entries, whose title and text the search results show as HTML."""
    for entry in entries:
        for key in ("title", "text"):
            if entry.get(key):
                entry[key] = clean(entry[key])
