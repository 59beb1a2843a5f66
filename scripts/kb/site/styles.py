"""What a page's first view loads, made smaller: one stylesheet, `assets/kb.css`, holding the
theme's rules that this site uses and then kb's own, without comments; kb's script without its
comments.

Material's main stylesheet styles every feature Material has: content tabs, task lists, code
highlighting, diagrams, annotations, blog posts, a dozen kinds of admonition with their icons
(22 KB gzipped, a third of a topic page's first view). The build keeps a rule when every class
its selector names is used: written in a page of this build (the classes of every page the
build wrote, gathered as it writes them), or a word of the theme's main script or kb's, which add
classes as the reader uses the page (`md-search-result__item`, `md-tooltip--active`). A class
inside `:not()`, `:is()` or any other function is not judged: such a selector is kept, as are
element, id and attribute selectors, and every at-rule but the media and support queries they
sit in.

kb.css is not named by its content: it changes with the pages that use it, and hosts send it
with `no-cache`, as they do kb.js and the pages (deploy/nginx.conf).
"""

from __future__ import annotations

import re
from pathlib import Path

import rjsmin
import tinycss2

from ..cache import Memo, digest, file_digest

WORD = re.compile(r"[A-Za-z_][\w-]*")
PREFIX = re.compile(r"([A-Za-z_][\w-]*-)\$\{")  # `md-source__fact--${name}` in a script
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
THEME_STYLESHEET = re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css")
THEME_SCRIPT = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")


def classes_in(html: str) -> set[str]:
    """The classes a page writes, and the words of its inline scripts (which may add some)."""
    found = {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    for script in INLINE_SCRIPT.findall(html):
        found.update(WORD.findall(script))
    return found


def theme_file(theme_dirs: list[str], pattern: re.Pattern) -> tuple[Path, str]:
    """The theme's file that its base template names (Material's fingerprinted stylesheet or
    script): where it is, and its path in the site."""
    for folder in theme_dirs:
        base = Path(folder) / "base.html"
        found = pattern.search(base.read_text(encoding="utf-8")) if base.is_file() else None
        if found:
            return Path(folder) / found.group(), found.group()
    raise FileNotFoundError(f"no {pattern.pattern} in the theme's base.html")


def _classes(tokens) -> list[str]:
    """The classes a selector names at its own level (`.a > .b:hover`), not inside functions."""
    named, dot = [], False
    for token in tokens:
        if dot and token.type == "ident":
            named.append(token.value)
        dot = token.type == "literal" and token.value == "."
    return named


def _selectors(prelude) -> list[list]:
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


class Used:
    """The classes a site uses: names, and the prefixes of names its scripts make (`md-x--${t}`)."""

    def __init__(self, names: set[str], prefixes: tuple[str, ...] = ()):
        self.names, self.prefixes = names, prefixes

    def __contains__(self, name: str) -> bool:
        return name in self.names or name.startswith(self.prefixes)


def _kept(rules, used: Used) -> str:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if all(c in used for c in _classes(s))]
            if selectors:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
                out.append(f"{prelude}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            inner = _kept(tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            out.append(rule.serialize())
    return "".join(out)


def purge(css: str, used: Used) -> str:
    """`css` without the selectors that name a class outside `used` (and rules left with none)."""
    return _kept(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)


def minify_css(css: str) -> str:
    """The same rules without comments and the blank space between them."""
    return tinycss2.serialize(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def minify_js(script: str) -> str:
    return rjsmin.jsmin(script)


def stylesheet(root: Path | None, theme_dirs: list[str], docs_dir: str, own: str, classes: set[str]) -> str:
    """kb.css as the site serves it: the theme's rules that `classes` (and the scripts) use, then
    `own` (kb.css's rules, in docs_dir). Made once for the same input, then kept in the cache (kb/cache.py)."""
    css = theme_file(theme_dirs, THEME_STYLESHEET)[0].read_bytes()
    scripts = [theme_file(theme_dirs, THEME_SCRIPT)[0].read_bytes()] + [p.read_bytes() for p in sorted(Path(docs_dir).rglob("*.js"))]
    memo = Memo(root, "stylesheet")
    key = digest(file_digest(css, *scripts, own.encode("utf-8")), *sorted(classes))

    def make() -> str:
        text = "\n".join(s.decode("utf-8") for s in scripts)
        used = Used(classes | set(WORD.findall(text)), tuple(sorted(set(PREFIX.findall(text)))))
        return purge(css.decode("utf-8"), used) + minify_css(own)

    text = memo.get(key, make)
    memo.save()
    return text
