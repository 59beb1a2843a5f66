"""Stage 4 helper, make text safe: YAML text becomes Markdown that cannot carry HTML or forge structure."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

# Data: what translators may write in body texts. Links must point to one of these.
SAFE_LINK = re.compile(r"^(https?://|mailto:|#|[a-z0-9][a-z0-9-]*\.md(#[a-z0-9-]+)?$)")
# `](` and the target after it (up to a space, `)` or `]`, so that it never swallows the next `](`):
# linear time, and blind to the link text.
LINK_TARGET = re.compile(r"\]\(\s*([^\s)\]]*)")
# The same, and after spaces the character that follows, if it is not a title's or the end's:
# Python-Markdown then takes it into the address (`x.md\njavascript:…`).
LINK = re.compile(r"\]\(\s*([^\s)\]]*)(\s+[^\s\"'()\]])?")
# `[name]: target` at the start of a line, or of a list item or definition (`- [m]: …`, `1. [m]: …`,
# `: [m]: …`): Python-Markdown reads it as a link definition inside those blocks too.
# Its name may run over lines (`[a\nb]: x`).
REFERENCE_DEFINITION = re.compile(r"^([ \t]*(?:(?:[-*+:]|\d+[.)])[ \t]+)*)\[(?=[^\[\]]*\]:)", re.M)
# The toc extension's marker (its default; mkdocs.yml sets none): an element holding just this
# text becomes a table of contents.
TOC_MARKER = "[TOC]"
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|])")
# Line starts that would open a heading, fence, admonition, quote, table or attribute list.
_ESCAPABLE = "\\`*_{}[]()>#+-.!"  # markdown.Markdown.ESCAPED_CHARS
_BLOCK_OPENER = re.compile(r"^(#|:\s|!!!|\?\?\?|```|~~~|>|\||\{:|[=-]+\s*$|(?:-[ \t]*){3,}$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$)")
_LIST_MARKERS = re.compile(r"(?:(?:[-*+]|\d+\.)[ \t]+)*")  # a list item's text is read as blocks too


# Inline code as Python-Markdown 3 finds it (markdown/inlinepatterns.py: BACKTICK_RE and
# BacktickInlineProcessor.find_code_spans; a test keeps the copy equal to the installed one).
# An even run of backslashes before a backtick is escaped backslashes, and the backtick opens;
# after an odd run it is an escaped backtick. A run of N backticks closes at the next run of
# exactly N, backslashes or not (inside code they are literal); failing that, at the first of
# the longest shorter runs; failing that, the run is text and the search goes on 2N further.
BACKTICK_RE = r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"
_BACKTICK = re.compile(BACKTICK_RE)
_TICKS = re.compile(r"`+")


@dataclass(frozen=True)
class CodeSpans:
    """The inline code of one block of text: (start, end, content) for each span, content as
    shown; `clean` is False when a backtick run found no run of its own length to close it."""

    spans: tuple[tuple[int, int, str], ...]
    clean: bool


def code_spans(text: str) -> CodeSpans:
    """Python-Markdown's code spans in `text`, in linear time (its own search is quadratic)."""
    if "`" not in text:
        return CodeSpans((), True)
    runs = [m.span() for m in _TICKS.finditer(text)]
    starts = [start for start, _ in runs]
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    longest = [-1] * (len(runs) + 1)  # longest[i]: the first of the longest runs from runs[i] on
    for i in range(len(runs) - 1, -1, -1):
        j = longest[i + 1]
        longest[i] = i if j < 0 or runs[i][1] - runs[i][0] >= runs[j][1] - runs[j][0] else j
    spans, clean, pos = [], True, 0
    while m := _BACKTICK.search(text, pos):
        begin = m.end() if m.group(1) else m.start()  # escaped backslashes: the backtick after them opens
        k = bisect_right(starts, begin) - 1
        opened = runs[k][1]
        n = opened - begin  # a search that resumes inside a run opens with the rest of it
        same = by_length.get(n, [])
        after = bisect_right(same, k)
        if after < len(same):
            close_start, close_end = runs[same[after]]
            spans.append((begin, close_end, text[opened:close_start].strip()))
            pos = close_end
            continue
        clean = False
        j = longest[k + 1]
        shorter = runs[j][1] - runs[j][0] if j >= 0 else 0
        if 0 < shorter < n:
            spans.append((begin, runs[j][1], text[begin + shorter : runs[j][0]].strip()))
            pos = runs[j][1]
        else:
            pos = begin + 2 * n
    return CodeSpans(tuple(spans), clean)


def _code(content: str) -> str:
    """Inline code showing `content`: fenced by a run of backticks that it does not hold."""
    held = {len(run) for run in _TICKS.findall(content)}
    fence = "`" * next(n for n in range(1, len(held) + 2) if n not in held)
    pad = " " if not content or content[0] == "`" or content[-1] == "`" else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _outside_code(text: str, escape, code_lang=None) -> str:
    """Apply `escape` to the text between inline code spans (found as Python-Markdown finds
    them); each span is written again so that it is read back as the same code whatever
    surrounds it, with the language `code_lang` gives its content, if any (`{: lang=fr }`)."""
    out, last = [], 0
    for start, end, content in code_spans(text).spans:
        lang = code_lang(content) if code_lang else None
        out += [escape(text[last:start]), _code(content) + (f"{{: lang={lang} }}" if lang else "")]
        last = end
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
    lines, in_list = [], False
    for line in text.strip().split("\n"):
        stripped = line.strip()
        is_list = re.match(r"^([-*+]|\d+[.)])\s", stripped)
        # An indented item nests in the list above it; with no list above, four spaces make code.
        lead = "    " if is_list and line.startswith("  ") and in_list else ""
        if stripped:  # every other line is written unindented: after a blank line, it ends the list
            in_list = bool(is_list) or (in_list and lines[-1] != "")
        line = _outside_code(stripped, _prose, code_lang)
        if _BLOCK_OPENER.match(line):  # a rule of `- - -` before its first dash is taken for an item
            line = _escape_first(line)
        at = _LIST_MARKERS.match(line).end()
        if at and _BLOCK_OPENER.match(line[at:]):
            line = line[:at] + _escape_first(line[at:])
        elif line[at:].startswith("[") and "]" not in line:  # a definition whose name goes on below
            line = line[:at] + "\\" + line[at:]
        lines.append(lead + line)
    return "\n".join(lines)


def _escape_first(line: str) -> str:
    """The line with its first character escaped; Python-Markdown escapes a few characters only,
    `=|~?:` are written as character references."""
    return "\\" + line if line[0] in _ESCAPABLE else f"&#{ord(line[0])};{line[1:]}"


def _prose(part: str) -> str:
    """Text outside code: no HTML, no attribute lists, no code, and only safe links. A backslash
    is shown as written, not read as an escape (it would hide a backtick from the code search)."""
    part = html.escape(part, quote=False).replace("\\", "\\\\").replace("`", "\\`")
    part = part.replace("{", "&#123;").replace("}", "&#125;").replace("|", "&#124;")  # `|`: no table
    return _links(part.replace(TOC_MARKER, "\\" + TOC_MARKER))


def _links(line: str) -> str:
    """A link is `](` followed by its target. Each `](` with a target that is not safe is escaped,
    whatever the link text holds (nested brackets included); images and reference definitions
    are never made."""
    line = REFERENCE_DEFINITION.sub(r"\1\\[", line.replace("![", "\\!["))

    def keep_safe(m: re.Match) -> str:  # a target at the end of the line would go on on the next one
        safe = SAFE_LINK.match(m.group(1)) and not m.group(2) and m.end() < len(line)
        return m.group(0) if safe else "\\]\\(" + m.group(0)[2:]

    return LINK.sub(keep_safe, line)


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
