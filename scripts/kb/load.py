"""Stage 1, load: YAML files into plain values that remember their line and column."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .characters import describe
from .findings import Finding, shown

# libyaml where PyYAML has it: the same nodes and marks, several times faster (the sources, mkdocs.yml).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Data: the only tags a file may carry. Anything else (e.g. !!python/object) is refused, never built.
TODO_TAG = "!todo"  # `kb sync` marks a text still to translate: `title: !todo "the source text"`
DRAFT_TAG = "!draft"  # a translation not reviewed yet (a vendor's fuzzy entry): `title: !draft "the text"`
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {
    _STR: "text",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value (null)",
    "tag:yaml.org,2002:timestamp": "a date",
    TODO_TAG: "a `!todo` placeholder",
    DRAFT_TAG: "a `!draft` translation",
}


class Str(str):
    """A string from YAML, with the position of its value (in slots: a dictionary of two
    attributes took 300 bytes more than most of the strings, 40 MB of a project 300 times the guide)."""

    __slots__ = ("column", "line")
    line: int
    column: int


class Map(dict):
    """A mapping from YAML; `keys_at` gives each key's position. A file's top mapping holds in
    `notes` the warnings found while reading it (findings are errors: whoever reads a file
    refuses one with findings; a warning never stops a reader)."""

    line: int = 0
    column: int = 0
    notes: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys_at: dict[str, tuple[int, int]] = {}
        self.ends_at: dict[str, tuple[int, int]] = {}  # where each value ends (0-based line, column)


class Seq(list):
    """A list from YAML, with its position."""

    line: int = 0
    column: int = 0


class Other:
    """A scalar that is not text (a boolean, number, date, null): kept to report it."""

    def __init__(self, raw: str, tag: str, line: int, column: int):
        self.raw, self.tag, self.line, self.column = raw, tag, line, column

    @property
    def kind(self) -> str:
        return _SCALAR_TAGS.get(self.tag, f"a value tagged {self.tag}")

    def __repr__(self) -> str:
        return f"Other({self.raw!r}, {self.kind})"


class Todo(Other):
    """A `!todo "source text"` placeholder: the text is still to be translated."""


class Draft(Other):
    """A `!draft "text"` translation: kept, never shown to readers until `kb confirm` makes it final."""


# Plain values YAML 1.1 reads as something other than text, with no tag written.
_IMPLICIT = {"tag:yaml.org,2002:value": "=", "tag:yaml.org,2002:merge": "<<"}


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _at(obj, node):
    obj.line, obj.column = node.start_mark.line + 1, node.start_mark.column + 1
    return obj


class _AliasFound(Exception):
    def __init__(self, node):
        self.node = node


class _Converter:
    """Turns a composed node tree into Str/Map/Seq/Other, collecting findings on the way."""

    def __init__(self, file: str, text: str = ""):
        self.file = file
        self.text = text
        self.comments = " #" in text  # looked for once: a file's scalars are many (a record holds thousands)
        self.lines: list[str] | None = None  # split when first needed
        self.findings: list[Finding] = []
        self.notes: list[Finding] = []  # warnings (load_bytes puts them on the top mapping)
        self.seen: set[int] = set()
        self.path: list[str] = []  # the keys down to the value being converted

    def lost_comment(self, node) -> None:
        """A plain (unquoted) text followed by ` #` on its line: YAML reads the rest as a
        comment, and the text is silently cut there."""
        end = node.end_mark
        if self.lines is None:
            self.lines = self.text.split("\n")
        line = self.lines[end.line] if end.line < len(self.lines) else ""
        rest = line[end.column :]
        if rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t"):
            at = end.column + len(rest) - len(rest.lstrip(" \t"))
            message = "` #` starts a comment in YAML: the text after it is lost; put the whole text in double quotes"
            self.findings.append(Finding(self.file, end.line + 1, at + 1, "SYNTAX", message))

    def kept_comment(self, node) -> None:
        """` #` inside a block (`>-`, `|-`): no comment there, the page shows it as text."""
        if self.lines is None:
            self.lines = self.text.split("\n")
        for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            line = self.lines[index]
            outside = (m for m in re.finditer(r"(?:^[ \t]*|[ \t])(#)(?=[ \t]|$)", line) if line[: m.start(1)].count("`") % 2 == 0)
            if found := next(outside, None):  # a `#` in inline code is an example, meant as text
                message = "` #` inside a block is text, not a comment: the page shows it; delete it (a comment goes on a line of its own, above the key)"
                key = ".".join(self.path[-2:])  # a translation's `uid.field`
                self.notes.append(Finding(self.file, index + 1, found.start(1) + 1, "COMMENT", message, key=key))

    def report(self, node, code: str, message: str) -> None:
        m = node.start_mark
        self.findings.append(Finding(self.file, m.line + 1, m.column + 1, code, message))

    def convert(self, node):
        # Called for every value of every file: the common cases (text, mapping) come first.
        if id(node) in self.seen:  # an alias: refused outright (and never expanded: no alias bombs)
            raise _AliasFound(node)
        self.seen.add(id(node))
        kind, tag = type(node), node.tag
        if kind is yaml.ScalarNode and tag == _STR:
            text, mark = Str(node.value), node.start_mark
            text.line, text.column = mark.line + 1, mark.column + 1
            if self.comments and " " in node.value:  # plain text (not an id): ` #` after it is a comment
                if not node.style:
                    self.lost_comment(node)
                elif node.style in "|>" and "#" in node.value:
                    self.kept_comment(node)
            return text
        if kind is yaml.MappingNode:
            return self.mapping(node)
        if kind is yaml.SequenceNode:
            if tag != _SEQ:
                self.report(node, "TYPE", f"the tag `{_short(tag)}` is not allowed; remove it")
                return None
            return _at(Seq(self.convert(n) for n in node.value), node)
        if tag not in _SCALAR_TAGS:
            if _IMPLICIT.get(tag) == node.value and not node.style:  # no tag written: YAML 1.1 gives `=` and `<<` one
                self.report(node, "TYPE", f'`{node.value}` alone is not text in YAML; put it in double quotes: "{node.value}"')
            else:
                self.report(node, "TYPE", f"the tag `{_short(tag)}` is not allowed; remove it")
            return None
        return _at({TODO_TAG: Todo, DRAFT_TAG: Draft}.get(tag, Other)(node.value, tag, 0, 0), node)

    def mapping(self, node):
        if node.tag != _MAP:
            self.report(node, "TYPE", f"the tag `{_short(node.tag)}` is not allowed; remove it")
            return None
        result = _at(Map(), node)
        keys_at, ends_at, convert = result.keys_at, result.ends_at, self.convert
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                self.report(key_node, "TYPE", "a key must be a plain name, not a list or mapping")
                continue
            key, mark = key_node.value, key_node.start_mark
            if key in result:
                first = keys_at[key][0]
                self.report(key_node, "DUPLICATE-KEY", f"`{key}` is already defined on line {first}; remove one of them")
                continue
            keys_at[key] = (mark.line + 1, mark.column + 1)
            end = value_node.end_mark
            ends_at[key] = (end.line, end.column)
            self.path.append(key)
            result[key] = convert(value_node)
            self.path.pop()
        return result


def _syntax_finding(file: str, text: str, err: yaml.YAMLError) -> Finding:
    if isinstance(err, yaml.reader.ReaderError):
        # libyaml counts bytes of the UTF-8 text; the finding counts characters.
        before = text.encode("utf-8")[: err.position].decode("utf-8", "ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return Finding(file, line, column, "SYNTAX", f"character U+{err.character:04X} is not allowed in YAML; delete it")
    mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None) or ""
    lines = text.split("\n")
    error_line = mark.line if mark else len(lines) - 1
    # An unclosed quote is noticed lines later, where the parser gives up: point where it opened.
    unclosed = _unclosed_quote(lines, error_line)
    if unclosed is not None:
        line, column, quote = unclosed
        # An apostrophe that opens a value (Frisian `'t`) reads as a quote: closing it would drop it.
        fix = "put the whole text in double quotes, or write an apostrophe as ’" if quote == "'" else f"add the closing {quote}"
        return Finding(file, line, column, "SYNTAX", f"the quote {quote} opened here is never closed; {fix}")
    if context_mark is not None and "flow" in context and (mark is None or mark.line > context_mark.line):
        mark = context_mark  # an unclosed [ or {: point where it opened
        problem = f"this {'list' if 'sequence' in context else 'mapping'} is never closed"
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    for index in ([context_mark.line] if context_mark is not None else []) + ([mark.line] if mark else []):
        closed = _CLOSED_EARLY.match(lines[index]) if index < len(lines) else None
        if closed:  # 'L'art': the apostrophe closed the quotes
            message = "an apostrophe inside single quotes ends the text; put the text in double quotes, or write the apostrophe as ’"
            return Finding(file, index + 1, closed.end(1), "SYNTAX", message)
    explained = _explained(lines, problem, context, mark, context_mark)
    if explained is not None:
        return Finding(file, *explained)
    if "\t" in line_text[: mark.column + 1 if mark else 0]:
        return Finding(file, mark.line + 1, line_text.index("\t") + 1, "SYNTAX", "a tab character; YAML indents with spaces only")
    if "mapping values are not allowed" in problem:
        problem = "a `: ` inside unquoted text; put the whole text in double quotes"
    elif "could not find expected ':'" in problem:
        problem = (
            "this line is neither `key: text` nor part of the text above it; a text over several lines "
            "needs `>-` after its key (or quotes), and a key needs a `:` after it"
        )
        mark = context_mark or mark  # that line, where the scan for a key began, not the next one
    elif "expected key" in problem or "expected <block end>" in problem:
        problem = "this line is indented differently from the lines above it; align it with its siblings"
    elif context and context_mark is not None and "never closed" not in problem:
        problem = f"{problem} ({context} on line {context_mark.line + 1})"
    return Finding(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "SYNTAX", problem)


# `key: value` at a line's start: the key, and where the value starts.
_KEY_VALUE = re.compile(r"""^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#'"][^:#]*?):[ \t]+(?P<value>\S.*)$""")
_AFTER_QUOTES = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*(?=[^\s#])""")
_STARTS = {
    "&": "it marks an anchor",
    "*": "it marks an alias",
    "`": "it is reserved",
    "@": "it is reserved",
    "%": "it starts a directive",
    "-": "it starts a list item",
    "?": "it starts a key",
    "[": "it starts a list",
    "{": "it starts a mapping",
}


def _quoted_fix(key: str, value: str) -> str:
    """`; write `key: "value"`` when that line is short enough to show, else nothing."""
    fixed = f"{key}: {json.dumps(value.rstrip(), ensure_ascii=False)}"
    return f": `{fixed}`" if len(fixed) <= 80 else ""


def _explained(lines: list[str], problem: str, context: str, mark, context_mark) -> tuple[int, int, str, str] | None:
    """What a translator's common slips mean, at the place to fix them: a key without its `:`,
    text after a closing quote, a value starting with a character YAML reserves, text on the
    line of `>-`. (line, column, code, message), or None."""
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    if "mapping values are not allowed" in problem and re.fullmatch(r"\s*[^\s:#'\"]+", line[: mark.column]):
        above = next((i for i in range(mark.line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
        indent = len(line) - len(line.lstrip())
        if above is not None and ": " not in lines[above] and not lines[above].rstrip().endswith(":"):
            text = lines[above]
            if len(text) - len(text.lstrip()) <= indent:
                word, _, rest = text.strip().partition(" ")
                at = len(text) - len(text.lstrip()) + len(word) + 1
                fixed = f"{word}: {rest.strip()}" if rest.strip() else f"{word}:"
                return above + 1, at, "SYNTAX", f"`{shown(word, 40)}` has no `:` after it; write `{shown(fixed, 80)}`"
    if "could not find expected ':'" in problem and context_mark is not None and context_mark.line < len(lines):
        word = lines[context_mark.line].strip()  # an id or field alone on its line: its `:` forgotten
        if re.fullmatch(r"[\w-]+", word) and context_mark.column == len(lines[context_mark.line]) - len(lines[context_mark.line].lstrip()):
            at = context_mark.column + len(word) + 1
            return context_mark.line + 1, at, "SYNTAX", f"`{shown(word, 40)}` has no `:` after it; write `{shown(word, 40)}:`"
    found = _KEY_VALUE.match(line)
    if found is None or mark.column < found.start("value"):
        return None
    key, value, start = found["key"], found["value"], found.start("value")
    if "block scalar" in context and (head := re.match(r"[|>][-+0-9]*[ \t]+", value)):
        where = start + head.end()
        message = f"text after `{head.group().strip()}` on its line: a block's text starts on the next line, indented; move it there"
        return mark.line + 1, where + 1, "SYNTAX", message
    closed = _AFTER_QUOTES.match(value)
    if closed and mark.column >= start + closed.end():
        quote = closed.group(1)[0]
        message = (
            f'text after the closing {quote}: quotes must hold the whole text; put it all in double quotes, with \\" for a quote inside'
        )
        return mark.line + 1, start + closed.end() + 1, "SYNTAX", message + _quoted_fix(key, value)
    char = value[0]
    if char in _STARTS and (char not in "[{" or "expected key" in problem):  # `[a] b`: a list, then text
        name = "a backquote" if char == "`" else f"`{char} `" if char in "-?" else f"`{char}`"  # `-5` is text
        message = f"a text cannot start with {name} in YAML ({_STARTS[char]}); put the whole text in double quotes"
        return mark.line + 1, start + 1, "SYNTAX", message + _quoted_fix(key, value)
    return None


_UNSEEN_BREAK = re.compile("[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _unseen_break(file: str, text: str, err: yaml.YAMLError) -> Finding | None:
    """U+2028, U+2029 and U+0085 end a line for YAML, and for no editor: a syntax error just
    after one (within three of YAML's lines) is reported as that character, where it is."""
    mark = getattr(err, "problem_mark", None)
    if mark is None or text.isascii():
        return None
    found = list(_UNSEEN_BREAK.finditer(text, 0, mark.index))
    if not found or len(_YAML_BREAK.findall(text, found[-1].start(), mark.index)) > 3:
        return None
    at, found = found[-1].start(), found[-1]
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    message = f"{describe(found.group())} ends the line here for YAML, though nothing shows it; delete it (or type a space)"
    return Finding(file, text.count("\n", 0, at) + 1, column, "SYNTAX", message)


# `key: 'L'art…`: a single-quoted value whose quote closes right before more text.
_CLOSED_EARLY = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+('(?:[^'\n]|'')*?')[^\s#'\n]""")
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(lines: list[str], upto: int) -> tuple[int, int, str] | None:
    """The last line up to the error whose value opens a quote and does not close it."""
    for index in range(min(upto, len(lines) - 1), -1, -1):
        m = _QUOTED_VALUE.match(lines[index])
        if not m:
            continue
        quote, rest = m.groups()
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return index + 1, m.start(1) + 1, quote
    return None


def decode(file: str, data: bytes) -> tuple[str | None, list[Finding]]:
    """Decode UTF-8 (a BOM is accepted); anything else is a SYNTAX finding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return None, [Finding(file, 1, 1, "SYNTAX", "the file is UTF-16, not UTF-8; save it as UTF-8")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [Finding(file, line, column, "SYNTAX", f"byte 0x{data[err.start]:02X} is not UTF-8; save the file as UTF-8")]


def load_yaml(path: Path, file: str) -> tuple[object, list[Finding]]:
    """Load one YAML file. Returns (value or None, findings); never raises on bad input."""
    return load_bytes(read_plain(path), file)


LINK = "a symbolic link; put the file itself here (links are never followed)"


def read_plain(path: Path | str) -> bytes:
    """A plain file's bytes. The second guard after project.list_sources: a file swapped for a
    link, a FIFO or a device since it was listed is never followed and never waited on (OSError)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a plain file", str(path))
        return handle.read()


def read_plain_text(path: Path | str) -> str:
    """read_plain, as Path.read_text(encoding="utf-8-sig") reads it (universal newlines)."""
    return read_plain(path).decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def read_source(rel: str, path: Path) -> tuple[bytes | None, list[Finding]]:
    """A listed file's bytes, or the FILE error of one that changed kind since it was listed."""
    try:
        return read_plain(path), []
    except OSError as err:
        why = LINK if err.errno == errno.ELOOP else f"not read ({err.strerror}); only plain .yaml files belong here"
        return None, [Finding(rel, 1, 1, "FILE", why)]


MAX_DEPTH = 64  # our files nest 5 deep; the composer (C) and the converter below recurse per level
# What can open a level: a flow bracket anywhere, or block indentation and `- `/`? ` at a line start.
_LINE_LEAD = re.compile(r"^[ \t?-]*", re.M)


def _too_deep(file: str, text: str) -> Finding | None:
    """The first node nested deeper than MAX_DEPTH, found with the event stream (no recursion).
    Each level needs a bracket or a column of indentation: most files are ruled out by counting."""
    brackets = text.count("[") + text.count("{")
    if brackets + max(map(len, _LINE_LEAD.findall(text)), default=0) <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    return Finding(file, m.line + 1, m.column + 1, "SYNTAX", f"nested more than {MAX_DEPTH} levels deep; flatten it")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # compose reports the syntax error, with a better message
    return None


def load_bytes(data: bytes, file: str) -> tuple[object, list[Finding]]:
    """Load the bytes of a YAML file, reported as `file`."""
    text, findings = decode(file, data)
    if text is None:
        return None, findings
    deep = _too_deep(file, text)
    if deep is not None:
        return None, [deep]
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        return None, [_unseen_break(file, text, err) or _syntax_finding(file, text, err)]
    if node is None:
        return None, []
    converter = _Converter(file, text)
    try:
        value = converter.convert(node)
    except _AliasFound as alias:
        m = alias.node.start_mark
        message = "anchors and aliases (`&name`, `*name`) are not allowed; write the text out in full"
        return None, [Finding(file, m.line + 1, m.column + 1, "SYNTAX", message)]
    if converter.notes and isinstance(value, Map):
        value.notes = tuple(converter.notes)
    return value, converter.findings


def translated_fields(data) -> Iterator[tuple[str, object]]:
    """(`uid.field`, value) for each value of a loaded translation file (nothing unless it is a mapping of mappings)."""
    for uid, fields in data.items() if isinstance(data, Map) else ():
        for name, value in fields.items() if isinstance(fields, Map) else ():
            yield f"{uid}.{name}", value


ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # always with fullmatch: `$` would accept a final newline


@dataclass
class Sources:
    """What content/ and translations/ hold, each entry looked at without following it: the plain
    .yaml files a reader may open, translations/' folders, and a FILE finding for anything else.
    Every reader lists its files here, so none opens a file that was not looked at."""

    files: dict[str, str] = field(default_factory=dict)  # path from the root -> path (a str: at 7,000 files a Path costs), sorted
    folders: list[str] = field(default_factory=list)  # the folders of translations/ (.confirmed aside)
    findings: list[Finding] = field(default_factory=list)
