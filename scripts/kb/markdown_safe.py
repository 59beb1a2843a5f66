"""Stage 4 helper, make text safe: YAML text becomes Markdown that cannot carry HTML or forge structure."""

from __future__ import annotations

import html
import re

# Data: what translators may write in body texts. Links must point to one of these.
SAFE_LINK = re.compile(r"^(https?://|mailto:|#|[a-z0-9][a-z0-9-]*\.md(#[a-z0-9-]+)?$)")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)\)")
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")
# Line starts that would open a heading, fence, admonition, quote, table or attribute list.
_BLOCK_OPENER = re.compile(r"^(#|!!!|\?\?\?|```|~~~|>|\||\{:|[=-]{2,}\s*$|\*{3,}\s*$|_{3,}\s*$)")


def inline(text: str) -> str:
    """Plain text (titles, labels) as Markdown that renders exactly as written."""
    text = " ".join(text.split())
    return _INLINE_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def block(text: str) -> str:
    """Body text: paragraphs, lists, emphasis and safe links; HTML and block syntax are neutralised."""
    text = html.escape(text.strip(), quote=False).replace("{", "&#123;").replace("}", "&#125;")
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        is_list = re.match(r"^([-*+]|\d+[.)])\s", stripped)
        lead = "    " if is_list and line.startswith("  ") else ""
        if _BLOCK_OPENER.match(stripped):
            stripped = "\\" + stripped
        lines.append(lead + _links(stripped))
    return "\n".join(lines)


def _links(line: str) -> str:
    def keep_safe(m: re.Match) -> str:
        bang, label, target = m.groups()
        if bang or not SAFE_LINK.match(target):
            return f"{bang and chr(92) + bang}\\[{label}\\]\\({target}\\)"
        return m.group(0)

    return _LINK.sub(keep_safe, line)


def admonition_title(text: str) -> str:
    """A label in an admonition title: Python-Markdown ends the title at the first double quote."""
    return " ".join(text.replace('"', "”").split())


def indent(markdown: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in markdown.split("\n"))
