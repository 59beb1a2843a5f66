"""Editing YAML translation files as text: a value is replaced where the parser says it is, written
the way the file writes its others (plain, or a folded block wrapped at the file's width), and read
back before it is kept; every other byte of the file stays as it was. Used by kb sync, kb import
and kb add-language."""

from __future__ import annotations

import json

from ..findings import Finding
from ..load import Draft, Map, Str, Todo, load_bytes


class ExchangeError(ValueError):
    """A file that cannot be imported (format, language, unknown keys, or findings)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


def width_of(text: str, least: int = 60, default: int = 100) -> int:
    """How wide the file's folded lines are: its longest line of a block, when its texts are long
    enough to have been wrapped (else `default`)."""
    lengths = [len(line.rstrip("\r")) for line in text.split("\n") if line.startswith("    ") and not line.lstrip().startswith("#")]
    widest = max(lengths, default=0)
    return widest if widest >= least else default


def reads_back(value: str, text: str, todo: bool = False) -> bool:
    """Does `k: <value>` read back as exactly `text` (with `todo`: as `!todo` holding it)?"""
    loaded, findings = load_bytes(f"k: {value}\n".encode(), "check")
    got = loaded.get("k") if not findings and isinstance(loaded, Map) else None
    return isinstance(got, Todo) and got.raw == text if todo else type(got) is Str and got == text


def fold(text: str, pad: str, width: int) -> str:
    """The lines of a folded block scalar holding `text`, each starting with `pad`, wrapped at
    `width`; a paragraph break is a blank line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            if current and len(pad) + len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines += [current, ""]
    return "".join(f"{pad}{line}\n" if line else "\n" for line in lines[:-1])


def scalar(text: str, indent: int, key: str, width: int) -> str:
    """`text` as the value after `key: `, written the way the files are: plain when it fits on the
    key's line and reads back the same, else a folded block wrapped at `width`, else (spaces at the
    ends, or a break folding cannot keep) a double-quoted string. Always followed by a newline."""
    pad = " " * (indent + 2)
    if "\n" not in text and indent + len(key) + 2 + len(text) <= width and reads_back(text, text):
        return f"{text}\n"
    block = ">-\n" + fold(text, pad, width)
    if reads_back(block, text):
        return block
    return json.dumps(text, ensure_ascii=False) + "\n"


def splice(old: str, data: Map, changes: dict[str, str], file: str, newline: str = "\n", drafts: frozenset[str] = frozenset()) -> str:
    """The text of a translation file with the values of `changes` (`uid.field` -> text) replaced
    where they are; every key is there (kb sync added the missing ones). `newline`: the file's.
    The keys of `drafts` are written `!draft <text>`, the others as plain values."""
    lines = old.replace("\r\n", "\n").split("\n")
    width = width_of(old)
    edits = []
    for key, text in changes.items():
        uid, field_name = key.split(".", 1)
        fields = data[uid]
        value = fields[field_name]
        line, column = value.line - 1, value.column - 1
        key_line, key_column = fields.keys_at[field_name]
        end_line, end_column = fields.ends_at[field_name]
        new = scalar(text, key_column - 1, field_name, width)
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
