"""Stage 3, check: the characters no text may hold, and what a language's name may hold.

A text that shows something other than what it holds is refused: direction overrides and isolates
show it in another order than it is stored (and than it reads in a diff or a review), TAG
characters are ASCII no one sees, fillers look like nothing, and line or paragraph separators
break a line where no one sees a break (Markdown then splits a heading and loses its id).

A language's name is printed on every page by the theme's switcher, from mkdocs.yml: it is
checked where it is typed (`kb add-language`) and where it is read (`kb check`), and it may hold
letters, digits, spaces and a few punctuation marks only.
"""

from __future__ import annotations

import re
import unicodedata

# Data
HIDDEN = re.compile(
    "["
    "\u202a-\u202e\u2066-\u2069\u061c"  # bidi embeddings, overrides and isolates; the Arabic letter mark
    "\U000e0000-\U000e007f"  # TAG characters
    "\u3164\u115f\u1160\uffa0\u2800\u00ad\u034f\u180e"  # fillers and blanks
    "\u2028\u2029\u0085"  # line and paragraph separators, next line
    "]"
)
# Marks a right-to-left text may need around neutral punctuation: a warning, not an error.
DIRECTION_MARK = re.compile("[\u200e\u200f]")
_UNNAMED = {0x85: "NEXT LINE"}

NAME_MAX = 60
NAME_PUNCTUATION = " -'’ʼ().,/"
NAME_ALLOWED = (
    f"a language's name may hold letters, digits, spaces and {' '.join(NAME_PUNCTUATION.strip())} only, "
    f"at most {NAME_MAX} characters (e.g. `Deutsch`, `Tiếng Việt`, `中文 (繁體)`)"
)


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its Unicode name."""
    point = ord(char)
    tag = "a TAG character" if 0xE0000 <= point <= 0xE007F else "a control character"
    return f"U+{point:04X} {unicodedata.name(char, _UNNAMED.get(point, tag))}"


def where_in(text: str, index: int) -> str:
    """Where a character is in a text, for a message: its place and the words before it."""
    before = text[max(0, index - 20) : index].rsplit("\n", 1)[-1].translate({ord(c): " " for c in "\u2028\u2029\x85"})
    return f"character {index + 1} of the text" + (f", after `{before.strip()}`" if before.strip() else "")


def hidden_character(text: str) -> str | None:
    """A message naming the first character no text may hold, and where it is; None if there is none."""
    m = HIDDEN.search(text) if not text.isascii() else None
    if m is None:
        return None
    return f"{describe(m.group())} ({where_in(text, m.start())}) shows nothing or changes what the text around it shows; delete it"


def language_name_problem(name: str) -> str | None:
    """Why a language's name cannot be printed on every page as it is; None if it can."""
    if not name.strip():
        return "the name is empty"
    for char in name:
        if HIDDEN.match(char) or not (unicodedata.category(char)[0] in "LMN" or char in NAME_PUNCTUATION):
            seen = char.isprintable() and not char.isspace() and not HIDDEN.match(char)
            shown = ("`` ` ``" if char == "`" else f"`{char}`") if seen else describe(char)
            return f"the name holds {shown}"
    if len(name) > NAME_MAX:
        return f"the name has {len(name)} characters"
    return None
