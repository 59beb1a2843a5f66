"""Stage 4 helper, make text safe: YAML text becomes Markdown that cannot carry HTML or forge structure."""

from __future__ import annotations

import html
import re

# Data: what translators may write in body texts. Links must point to one of these.
SAFE_LINK = re.compile(r"^(https?://|mailto:|#|[a-z0-9][a-z0-9-]*\.md(#[a-z0-9-]+)?$)")
# `](` and the target after it (up to a space or `)`): linear time, and blind to the link text.
LINK_TARGET = re.compile(r"\]\(\s*([^\s)]*)")
# `[name]: target` at the start of a line, or of a list item or definition (`- [m]: …`, `1. [m]: …`,
# `: [m]: …`): Python-Markdown reads it as a link definition inside those blocks too.
REFERENCE_DEFINITION = re.compile(r"^([ \t]*(?:(?:[-*+:]|\d+[.)])[ \t]+)*)\[(?=[^\[\]\n]*\]:)", re.M)
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")
# Line starts that would open a heading, fence, admonition, quote, table or attribute list.
_BLOCK_OPENER = re.compile(r"^(#|!!!|\?\?\?|```|~~~|>|\||\{:|[=-]{2,}\s*$|\*{3,}\s*$|_{3,}\s*$)")


# Inline code (`kb check`): Markdown shows its content literally, so it is kept as written.
CODE_SPAN = re.compile(r"`[^`\n]+`")  # single backticks: linear time on any input


def _outside_code(text: str, escape, code_lang=None) -> str:
    """Apply `escape` to the text between inline code spans; code spans pass unchanged, each
    with the language `code_lang` gives its content, if any (`{: lang=fr }` after it)."""
    out, last = [], 0
    for m in CODE_SPAN.finditer(text):
        lang = code_lang(m.group(0)[1:-1]) if code_lang else None
        out += [escape(text[last : m.start()]), m.group(0) + (f"{{: lang={lang} }}" if lang else "")]
        last = m.end()
    return "".join(out + [escape(text[last:])])


_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def one_line(text: str) -> str:
    """The text on one line, each run of spaces and line breaks one space. Only these: a no-break
    space (French `:`, `«`) is a character of the text, not a place to break or squash."""
    return _SPACES.sub(" ", text).strip(" ")


def inline(text: str) -> str:
    """Plain text (titles, labels) as Markdown that renders exactly as written; inline code stays code."""
    text = one_line(text)
    return _outside_code(text, lambda part: _INLINE_SPECIALS.sub(r"\\\1", html.escape(part, quote=False)))


def block(text: str, code_lang=None) -> str:
    """Body text: paragraphs, lists, emphasis and safe links; HTML and block syntax are neutralised.
    `code_lang(code)`: the language of what an inline code span quotes (a language code), or None."""
    lines = []
    for line in text.strip().split("\n"):
        stripped = line.strip()
        is_list = re.match(r"^([-*+]|\d+[.)])\s", stripped)
        lead = "    " if is_list and line.startswith("  ") else ""
        if _BLOCK_OPENER.match(stripped) and not stripped.startswith(">"):  # `>` is escaped as &gt; below
            stripped = "\\" + stripped
        lines.append(lead + _outside_code(stripped, _prose, code_lang))
    return "\n".join(lines)


def _prose(part: str) -> str:
    """Text outside code: no HTML, no attribute lists, and only safe links."""
    return _links(html.escape(part, quote=False).replace("{", "&#123;").replace("}", "&#125;"))


def _links(line: str) -> str:
    """A link is `](` followed by its target. Each `](` with a target that is not safe is escaped,
    whatever the link text holds (nested brackets included); images and reference definitions
    are never made."""
    line = REFERENCE_DEFINITION.sub(r"\1\\[", line.replace("![", "\\!["))

    def keep_safe(m: re.Match) -> str:
        return m.group(0) if SAFE_LINK.match(m.group(1)) else "\\]\\(" + m.group(0)[2:]

    return LINK_TARGET.sub(keep_safe, line)


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character


def attribute(text: str) -> str:
    """Text for an attribute value of raw HTML in the Markdown (`title="…"`). Python-Markdown runs
    its inline patterns inside raw HTML too (a `[x](…)` in a title became a link that closed the
    attribute), so every punctuation character is written as a character reference."""
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", one_line(text))


def admonition_title(text: str) -> str:
    """A label in an admonition title, as plain text: Python-Markdown ends the title at the first
    double quote, and runs its inline patterns (raw HTML included) on the rest."""
    return inline(text).replace('"', "”")


def indent(markdown: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in markdown.split("\n"))
