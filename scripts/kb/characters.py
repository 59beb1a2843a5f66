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
from pathlib import Path

import yaml

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


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it: the same nodes and marks, faster


def language_name_problems(config: Path) -> list[tuple[int, int, str]]:
    """Each name in mkdocs.yml's i18n `languages:` that a language's name may not be: its line,
    column and what is wrong (a CHARACTER finding of mkdocs.yml, made by `kb check`)."""
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=_LOADER)  # nodes only: no tag is run
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # MkDocs says what is wrong with the file itself
    findings = []
    for entry in _i18n_languages(node):
        values = {key.value: value for key, value in entry.value if isinstance(key, yaml.ScalarNode)}
        name, locale = values.get("name"), values.get("locale")
        if isinstance(name, yaml.ScalarNode) and (problem := language_name_problem(name.value)):
            code = locale.value if isinstance(locale, yaml.ScalarNode) else "?"
            mark = name.start_mark
            findings.append((mark.line + 1, mark.column + 1, f"the name of `{code}`: {problem}; {NAME_ALLOWED}"))
    return findings


def _i18n_languages(node) -> list[yaml.MappingNode]:
    """The entries of the i18n plugin's `languages:` in mkdocs.yml's node tree."""
    plugins = _value(node, "plugins")
    for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        languages = _value(_value(plugin, "i18n"), "languages")
        if isinstance(languages, yaml.SequenceNode):
            return [entry for entry in languages.value if isinstance(entry, yaml.MappingNode)]
    return []


def _value(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
