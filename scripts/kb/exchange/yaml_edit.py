"""Editing YAML translation files as text: a value is replaced where the parser says it is, in
the style it had (`|-` keeps its lines as lines, `>-` is wrapped at the width of the file's folded
blocks, plain stays plain while it fits on the key's line), a new value in its neighbours' style,
and read back before it is kept; every other byte of the file stays as it was. Quotes only where
nothing else reads back, and a long quoted text is wrapped, never one line. Used by kb sync,
kb import and kb add-language."""

from __future__ import annotations

import json
import re

import yaml

from ..findings import Finding
from ..load import SAFE_LOADER, TODO_TAG, Draft, Map, Str, Todo, load_bytes


class ExchangeError(ValueError):
    """A file that cannot be imported (format, language, unknown keys, or findings)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


STYLES = {None: "plain", "": "plain", '"': '"', "'": "'", "|": "|", ">": ">"}


def styles_of(text: str) -> tuple[dict[str, str], int | None]:
    """Each `uid.field`'s style as written (plain, `"`, `'`, `|`, `>`, or todo for a `!todo`), and
    the width its folded blocks are wrapped at (the median of their widest lines; None if none
    has two lines)."""
    node = yaml.compose(text, Loader=SAFE_LOADER)
    lines, found, widest = text.split("\n"), {}, []
    for uid, fields in node.value if isinstance(node, yaml.MappingNode) else []:
        for key, value in fields.value if isinstance(fields, yaml.MappingNode) else []:
            style = "todo" if value.tag == TODO_TAG else STYLES.get(getattr(value, "style", None), "plain")
            found[f"{uid.value}.{key.value}"] = style
            body = lines[value.start_mark.line + 1 : value.end_mark.line]  # a block's lines, its last aside
            if style == ">" and len(body) > 1:
                widest.append(max((len(line) for line in body[:-1] if line.strip()), default=0))
    return found, sorted(widest)[len(widest) // 2] if widest else None


def width_of(text: str, least: int = 60, default: int = 100) -> int:
    """How wide kb sync wraps a new `!todo` block: the file's longest indented line, when its
    texts are long enough to have been wrapped (else `default`). kb import wraps at the width of
    the folded blocks alone (styles_of)."""
    lengths = [len(line.rstrip("\r")) for line in text.split("\n") if line.startswith("    ") and not line.lstrip().startswith("#")]
    widest = max(lengths, default=0)
    return widest if widest >= least else default


def folded_width(widest: int | None, least: int = 60, default: int = 100) -> int:
    """The width kb import wraps a folded block at: styles_of's, when it is wide enough to be one."""
    return widest if widest is not None and widest >= least else default


def reads_back(value: str, text: str, todo: bool = False) -> bool:
    """Does `k: <value>` read back as exactly `text` (with `todo`: as `!todo` holding it)?"""
    loaded, findings = load_bytes(f"k: {value}\n".encode(), "check")
    got = loaded.get("k") if not findings and isinstance(loaded, Map) else None
    return isinstance(got, Todo) and got.raw == text if todo else type(got) is Str and got == text


def _wrap(paragraph: str, room: int, between: re.Pattern | None = None, first: int | None = None) -> list[str]:
    """A paragraph's words (split at `between`, else at each space) in lines of at most `room`
    characters (`first` for the first line; a longer word has a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in between.split(paragraph) if between else paragraph.split(" "):
        if current and len(current) + 1 + len(word) > (room if lines or first is None else first):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def fold(text: str, pad: str, width: int) -> str:
    """The lines of a folded block scalar holding `text`, each starting with `pad`, wrapped at
    `width`; each line break of the text is one blank line."""
    first, *rest = text.split("\n")
    lines = _wrap(first, width - len(pad))
    for paragraph in rest:
        lines += [""] + (_wrap(paragraph, width - len(pad)) if paragraph else [])
    return "".join(f"{pad}{line}\n" if line else "\n" for line in lines)


def _literal(text: str, pad: str) -> str:
    return "|-\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in text.split("\n"))


def _double(text: str, pad: str, room: int, width: int) -> str:
    """A double-quoted string, wrapped at `width` when it is longer than `room`: a line break
    between two words of a double-quoted string reads as one space (two spaces are never split)."""
    quoted = json.dumps(text, ensure_ascii=False)
    if len(quoted) <= room:
        return quoted + "\n"
    lines = _wrap(quoted, width - len(pad), re.compile(r"(?<=\S) (?=\S)"), room)
    wrapped = lines[0] + "\n" + "".join(f"{pad}{line}\n" for line in lines[1:])
    return wrapped if reads_back(wrapped.rstrip("\n"), text) else quoted + "\n"


def scalar(text: str, indent: int, key: str, width: int, style: str = "plain", block: str = ">") -> str:
    """`text` as the value after `key: `, in `style` (a block keeps its style; plain stays plain
    when it fits on the key's line; quoted becomes plain where that reads back, else stays quoted
    when it fits) else in `block` (its neighbours' style), else the other block style, else
    double quotes (spaces at the ends: nothing else reads back), wrapped. Ends with a newline."""
    pad = " " * (indent + 2)
    room = width - indent - len(key) - 2
    double, single = json.dumps(text, ensure_ascii=False), "'" + text.replace("'", "''") + "'"
    candidates = {
        "plain": text if "\n" not in text and len(text) <= room else None,
        '"': double if len(double) <= room else None,
        "'": single if "\n" not in text and len(single) <= room else None,
        ">": ">-\n" + fold(text, pad, width),
        "|": _literal(text, pad) if "\n" in text or style == "|" else None,  # one line as a block is folded
    }
    other = "|" if block == ">" else ">"
    order = ["plain", style, block, other] if style in ('"', "'") else [style, block, other]  # quotes only where plain fails
    for choice in dict.fromkeys(order):
        value = candidates.get(choice)
        if value is not None and reads_back(value.rstrip("\n"), text):
            return value if value.endswith("\n") else value + "\n"
    return _double(text, pad, room, width)


def neighbours(styles: dict[str, str], field_name: str) -> tuple[str, str]:
    """The style a new value of `field_name` takes: one line (plain: quotes only when nothing else
    reads back) or the block style, as most of the file's `field_name` values (else its values)
    are written; and the block style the file uses most, for a text that needs a block."""
    written = [s if s in ("|", ">") else "plain" for s in styles.values() if s != "todo"]
    same = [s if s in ("|", ">") else "plain" for key, s in styles.items() if key.split(".", 1)[1] == field_name and s != "todo"]
    blocks = [s for s in (same or written) if s != "plain"] or [s for s in written if s != "plain"] or [">"]
    block = max(dict.fromkeys(blocks), key=blocks.count)
    nearest = same or written or [block]
    return max(dict.fromkeys(nearest), key=nearest.count), block


def splice(old: str, data: Map, changes: dict[str, str], file: str, newline: str = "\n", drafts: frozenset[str] = frozenset()) -> str:
    """The text of a translation file with the values of `changes` (`uid.field` -> text) replaced
    where they are; every key is there (kb sync added the missing ones). `newline`: the file's.
    The keys of `drafts` are written `!draft <text>`, the others as plain values."""
    lines = old.replace("\r\n", "\n").split("\n")
    styles, widest = styles_of("\n".join(lines))
    width = folded_width(widest)
    edits = []
    for key, text in changes.items():
        uid, field_name = key.split(".", 1)
        fields = data[uid]
        value = fields[field_name]
        line, column = value.line - 1, value.column - 1
        key_line, key_column = fields.keys_at[field_name]
        end_line, end_column = fields.ends_at[field_name]
        style, block = neighbours(styles, field_name)
        if styles.get(key, "todo") != "todo":  # a value keeps its style; a new one takes its neighbours'
            style = styles[key]
            block = style if style in ("|", ">") else block
        new = scalar(text, key_column - 1, field_name, width, style, block)
        new = f"!draft {new}" if key in drafts else new
        if end_column == 0:  # a block ends at the start of the next line
            end_line, end_column = end_line - 1, len(lines[end_line - 1])
        while end_line > line and not lines[end_line].strip():  # blank lines after a block stay
            end_line, end_column = end_line - 1, len(lines[end_line - 1])
        edits.append((line, column, end_line, end_column, new.rstrip("\n")))
    for line, column, end_line, end_column, new in sorted(edits, reverse=True):
        lines[line : end_line + 1] = (lines[line][:column] + new + lines[end_line][end_column:]).split("\n")
    result = "\n".join(lines)
    value, findings = load_bytes(result.encode("utf-8"), file)
    if findings or not isinstance(value, Map):
        raise ExchangeError(f"{file}: the import would not read back", findings)
    for key, text in changes.items():
        uid, field_name = key.split(".", 1)
        got = value[uid][field_name]
        if (got.raw if isinstance(got, Draft) else str(got)) != text or isinstance(got, Todo) or isinstance(got, Draft) != (key in drafts):
            raise ExchangeError(f"{file}: {key} would not read back as imported")
    return result.replace("\n", newline) if newline != "\n" else result
