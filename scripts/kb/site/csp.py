"""Stage 7, the browser's own defence: every page the build writes carries a Content-Security-Policy
(a `<meta http-equiv>`, first in its head), and nginx sends the same policy as a header
(deploy/nginx.conf). Should every other defence fail, the browser still runs no script the theme
or kb did not write and loads nothing from another host.

Scripts run from the site's own files, and inline only by their sha256 hash. Only the inline
scripts that the theme's templates write (`trusted`: the audit's allowlist, read from trusted
files) are hashed: a script that came from a contributor's text gets no hash, even where the
audit would have missed it. No inline style either: neither the theme nor kb writes a `style`
attribute or element (Material's script sets styles through `element.style`, which a policy
does not govern). `data:` images: Material's icons (copy button, admonitions) are SVG `data:`
addresses in its stylesheet, loaded as images; an image runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

# Data

SCRIPTS = "@SCRIPTS@"  # where a page's hashes go
POLICY = (
    "default-src 'self'; "
    f"script-src 'self'{SCRIPTS}; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "worker-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'none'"
)
HEADER_ONLY = "; frame-ancestors 'none'"  # a browser ignores it in a <meta>
META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
HASH = r"'sha256-[A-Za-z0-9+/]{43}='"
# kb's meta and no other: what the audit lets through (kb/site/audit.py).
META_PATTERN = re.compile(re.escape(META.format(policy=POLICY)).replace(re.escape(SCRIPTS), f"(?P<hashes>(?: {HASH})*)"))
HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
DATA_TYPES = frozenset({"application/json"})  # never run: no hash


# The policy of a page


def policy(hashes: Iterable[str]) -> str:
    """The policy allowing these inline scripts (each `'sha256-…'`), in a stable order."""
    return POLICY.replace(SCRIPTS, "".join(f" {h}" for h in sorted(set(hashes))))


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run on the page, as an HTML5 parser reads it."""
    scripts = []
    for node in LexborHTMLParser(html).css("script"):
        attrs = node.attributes
        if "src" not in attrs and (attrs.get("type") or "").strip().lower() not in DATA_TYPES:
            scripts.append(node.text(deep=True) or "")
    return scripts


def with_policy(html: str, trusted: Callable[[str], bool]) -> str:
    """The page with its policy first in its head: the hashes of its inline scripts that
    `trusted` says the theme writes."""
    head = HEAD.search(html)
    if head is None:
        raise ValueError("a page with no <head> (kb writes none)")
    hashes = [script_hash(text) for text in inline_scripts(html) if trusted(text)]
    return html[: head.end()] + META.format(policy=policy(hashes)) + html[head.end() :]


def allow_script(html: str, text: str) -> str:
    """The page with the inline script `text` allowed too (the live preview's reload poller)."""
    return META_PATTERN.sub(lambda m: META.format(policy=policy([*m.group("hashes").split(), script_hash(text)])), html, count=1)


# The policy of the site (nginx's header)


def page_hashes(html: str) -> list[str] | None:
    """The hashes of a page's policy, or None when its head does not start with kb's."""
    head = HEAD.search(html)
    found = META_PATTERN.match(html, head.end()) if head else None
    return found.group("hashes").split() if found else None


def site_policy(site: Path) -> str:
    """The header for the whole site: every page's inline scripts allowed (the union of their
    hashes), and `frame-ancestors`. ValueError when a page has no policy of kb's."""
    hashes: set[str] = set()
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        found = page_hashes(page.read_text(encoding="utf-8", errors="replace"))
        if found is None:
            raise ValueError(f"{page} has no Content-Security-Policy of kb's: build the site again with this kb")
        hashes.update(found)
    if not pages:
        raise ValueError(f"{site} holds no page: build the site first (make build)")
    return policy(hashes) + HEADER_ONLY
