"""`kb import`, reading: a translator's PO or XLIFF file, read strictly for one language.

What cannot come back whole is refused with its line, never dropped or changed without a word:
plural forms, inline codes, duplicate or missing contexts, NUL bytes, unknown states, entity
declarations. The language asked for must be the one the file declares everywhere: the PO
`Language:` header, each XLIFF `<file target-language>` and the folder its `original=` names
(an XLIFF file that declares none, as translate-toolkit's po2xliff writes it, is taken as the
language asked for). Each unit says whether it is finished work (`done`): PO not fuzzy; XLIFF
`approved="yes"`, or a state translated, final or signed-off; anything else is a draft.
XML is parsed by lxml with entities, DTDs and the network off; a PO file is decoded with the
charset its header declares, and a byte that is not in it is an error on its line.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_NAMESPACES = (XLIFF_NS, "urn:oasis:names:tc:xliff:document:1.1")  # 1.1: translate-toolkit's po2xliff
# A unit's key, as a location context carries it where an id is lost (xliff2po, then po2xliff).
KEY = re.compile(r"[a-z0-9-]+:[a-z0-9-]+\.[a-z0-9-]+")
# XLIFF 1.2's states; a unit with one of the last three is finished work, recorded as confirmed.
STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation", "needs-review-adaptation"}
STATES |= {"needs-review-l10n", "translated", "final", "signed-off"}
DONE_STATES = {"translated", "final", "signed-off"}
ORIGINAL = re.compile(r"translations/(?P<lang>[^/]+)/(?P<name>[^/]+)\.yaml")


class BadFile(ValueError):
    """A file that cannot be imported; the message starts with `file:line:col:`."""

    def __init__(self, name: str, line: int, column: int, message: str):
        super().__init__(f"{name}:{line}:{column}: {message}")


@dataclass
class Incoming:
    context: str  # `file:uid.field`
    source: str  # the source text the translator saw (msgid, <source>)
    target: str
    done: bool  # marked finished by the translator (else a draft)
    line: int
    original: str | None = None  # XLIFF: the translation file its <file> names


@dataclass
class Read:
    units: list[Incoming]
    ignored: int = 0  # obsolete PO entries


def same_language(declared: str, lang: str) -> bool:
    """`fr_FR`-style and case differences aside, is `declared` the language code `lang`?"""
    return declared.strip().replace("_", "-").lower() == lang.lower()


def _place(data: bytes, offset: int) -> tuple[int, int]:
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


# PO


def _decode_po(data: bytes, name: str) -> str:
    """The file's text, in the charset its header declares (UTF-8 when it declares none)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in data[:4]:
        raise BadFile(name, 1, 1, "the file is UTF-16; save it as UTF-8 (Poedit: Catalogue > Properties > Charset)")
    if (nul := data.find(b"\0")) >= 0:
        raise BadFile(name, *_place(data, nul), "a NUL byte: no text holds one; remove it")
    data = data.removeprefix(b"\xef\xbb\xbf")
    found = re.search(rb"charset=([A-Za-z0-9._:-]+)", data)
    charset = found[1].decode("ascii") if found else "UTF-8"
    where = _place(data, found.start(1)) if found else (1, 1)
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise BadFile(name, *where, f"unknown charset `{charset}`; save the file as UTF-8 and say charset=UTF-8") from None
    if codec.startswith(("utf-16", "utf-32", "utf-7", "idna")):  # UTF-7 would show a reviewer other text than kb reads
        raise BadFile(name, *where, f"the file says charset={charset}; save it as UTF-8")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        message = f"byte 0x{data[err.start]:02x} is not {charset}, the charset the header declares; save the file as UTF-8"
        raise BadFile(name, *_place(data, err.start), message) from None
    except (LookupError, ValueError):  # a codec that is no text encoding (base64, rot13, …)
        raise BadFile(name, *where, f"`{charset}` is not a charset; save the file as UTF-8 and say charset=UTF-8") from None
    if codec != "utf-8" and not text.isascii():
        with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: the charset it declares is the one
            data.decode("utf-8")
            raise BadFile(name, *where, f"the header says charset={charset} but the text is UTF-8; say charset=UTF-8")
    return text


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+(\".*)")


def _string(quoted: str, name: str, line: int, column: int) -> str:
    """A PO string literal's text; escapes other than \\n \\t \\r \\" \\\\ are refused."""
    quoted = quoted.rstrip()
    if len(quoted) < 2 or not quoted.endswith('"'):
        raise BadFile(name, line, column, "a text must be in double quotes, on one line")
    out, at, body = [], 0, quoted[1:-1]
    while at < len(body):
        char = body[at]
        if char == '"':
            raise BadFile(name, line, column + 1 + at, 'a double quote inside a text must be written \\"')
        if char == "\\":
            escape = body[at + 1 : at + 2]
            if escape not in ESCAPES:
                raise BadFile(name, line, column + 1 + at, f"the escape \\{escape} has no place in a text (\\0 would be a NUL); remove it")
            out.append(ESCAPES[escape])
            at += 2
            continue
        out.append(char)
        at += 1
    return "".join(out)


@dataclass
class _Entry:
    line: int
    fields: dict[str, str]
    fuzzy: bool = False


def _po_entries(text: str, name: str) -> tuple[list[_Entry], int]:
    """The entries of a PO file, and how many obsolete (`#~`) entries it holds."""
    entries: list[_Entry] = []
    current: _Entry | None = None
    field = None
    obsolete = 0
    flags: set[str] = set()
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").strip()
        ended = current is not None and any(k.startswith("msgstr") for k in current.fields)
        if not line:
            current, field = None, None
            continue
        if line.startswith("#"):
            if re.match(r"#~\s*msgid\s", line):
                obsolete += 1
            elif line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            if ended:
                current, field = None, None
            continue
        if line.startswith('"'):
            if current is None or field is None:
                raise BadFile(name, number, 1, "a text line belongs to no msgid or msgstr")
            current.fields[field] += _string(line, name, number, raw.index('"') + 1)
            continue
        match = KEYWORD.fullmatch(line)
        if not match:
            raise BadFile(name, number, 1, f"not PO syntax: `{line[:40]}`")
        field = match[1]
        if current is None or (field in ("msgctxt", "msgid") and ended):
            current = _Entry(number, {}, "fuzzy" in flags)
            entries.append(current)
            flags = set()
        if field in current.fields:
            raise BadFile(name, number, 1, f"a second {field} in one entry (a blank line must separate entries)")
        current.fields[field] = _string(match[2], name, number, raw.index('"') + 1)
    return entries, obsolete


def read_po(data: bytes, name: str, lang: str) -> Read:
    text = _decode_po(data, name)
    entries, obsolete = _po_entries(text, name)
    headers = [e for e in entries if e.fields.get("msgid") == "" and "msgctxt" not in e.fields]
    if len(headers) != 1:
        raise BadFile(name, headers[1].line if headers else 1, 1, 'a PO file has one header (msgid ""); this one has ' + str(len(headers)))
    _check_po_language(text, headers[0], entries, name, lang)
    units, seen = [], {}
    for entry in entries:
        if entry is headers[0]:
            continue
        fields, line = entry.fields, entry.line
        if "msgid_plural" in fields or any(k.startswith("msgstr[") for k in fields):
            raise BadFile(
                name, line, 1, "plural forms (msgid_plural, msgstr[n]): each text of the guide has one form; write it as one msgstr"
            )
        if "msgctxt" not in fields:
            raise BadFile(name, line, 1, "an entry without msgctxt: kb cannot tell which text it is; use the file `kb export` wrote")
        if "msgid" not in fields or "msgstr" not in fields:
            raise BadFile(name, line, 1, "an entry needs a msgid and a msgstr")
        context = fields["msgctxt"]
        if context in seen:
            raise BadFile(name, line, 1, f"`{context}` is here twice (first on line {seen[context]}); keep one")
        seen[context] = line
        if fields["msgstr"]:
            units.append(Incoming(context, fields["msgid"], fields["msgstr"], not entry.fuzzy, line))
    return Read(units, obsolete)


def _check_po_language(text: str, header: _Entry, entries: list[_Entry], name: str, lang: str) -> None:
    """The header declares one language, the one asked for."""
    declared = [line.split(":", 1)[1].strip() for line in header.fields.get("msgstr", "").split("\n") if line.startswith("Language:")]
    end = next((e.line for e in entries if e.line > header.line), text.count("\n") + 2)
    lines = text.split("\n")
    at = [n for n in range(header.line, end) if "Language:" in lines[n - 1]] or [header.line]
    at += at[-1:] * len(declared)  # two on one line: that line
    if not declared:
        raise BadFile(name, header.line, 1, f"the header has no `Language:` line; add `Language: {lang}`")
    if len(declared) > 1:
        raise BadFile(name, at[1], 1, f"a second `Language:` line in the header ({', '.join(declared)}); keep one")
    if not same_language(declared[0], lang):
        raise BadFile(name, at[0], 1, f"the header says `Language: {declared[0]}`, but the import is for {lang}")


# XLIFF


def _parse_xml(data: bytes, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line, column = err.position
        reason = re.sub(r", line \d+, column \d+$", "", err.msg or "")
        raise BadFile(name, line or 1, column or 1, f"not valid XLIFF ({reason})") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        at = data.find(b"<!ENTITY")
        raise BadFile(name, *_place(data, max(at, 0)), "not valid XLIFF (the DOCTYPE declares entities; XLIFF needs none)")
    return root


def _text_of(element, name: str, context: str) -> str:
    """The text of a <source> or <target>: plain text only (an inline code would be lost)."""
    tag = element.tag.split("}")[-1]
    for child in element:
        if isinstance(child.tag, str):
            what = f"<{child.tag.split('}')[-1]}>, an inline code,"
        else:
            what = "an entity reference" if "Entity" in type(child).__name__ else "a comment"
        raise BadFile(name, child.sourceline or element.sourceline, 1, f"{context}: {what} inside <{tag}>: only plain text can be imported")
    return element.text or ""


def read_xliff(data: bytes, name: str, lang: str) -> Read:
    root = _parse_xml(data, name)
    ns = f"{{{next((n for n in XLIFF_NAMESPACES if root.tag == f'{{{n}}}xliff'), XLIFF_NS)}}}"
    if root.tag != f"{ns}xliff":
        raise BadFile(name, root.sourceline or 1, 1, f'not XLIFF 1.2 (the root element is <{root.tag}>, not <xliff xmlns="{XLIFF_NS}">)')
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            raise BadFile(
                name, element.sourceline, 1, f"not valid XLIFF (<{element.tag}> is outside every namespace; XLIFF's is {XLIFF_NS})"
            )
    units, seen = [], {}
    for file in root.iter(f"{ns}file"):
        target_lang, original = file.get("target-language"), file.get("original", "")
        if target_lang is not None and not same_language(target_lang, lang):
            raise BadFile(name, file.sourceline, 1, f'<file target-language="{target_lang}">, but the import is for {lang}')
        where = ORIGINAL.fullmatch(original)
        if target_lang is not None and not where or where and where["lang"] != lang:
            raise BadFile(name, file.sourceline, 1, f'<file original="{original}"> is not a file of translations/{lang}/')
        for unit in file.iter(f"{ns}trans-unit"):
            line = unit.sourceline
            if unit.get("restype") == "x-gettext-domain-header":  # po2xliff's copy of the PO header
                continue
            context = unit.get("resname") or _located(unit, ns) or unit.get("id")
            if not context:
                raise BadFile(name, line, 1, "a <trans-unit> without resname or id: kb cannot tell which text it is")
            if context in seen:
                raise BadFile(name, line, 1, f"`{context}` is here twice (first on line {seen[context]}); keep one")
            seen[context] = line
            source, target = unit.find(f"{ns}source"), unit.find(f"{ns}target")
            source_text = _text_of(source, name, context) if source is not None else ""
            text = _text_of(target, name, context) if target is not None else ""
            state = target.get("state") if target is not None else None
            if state is not None and state not in STATES:
                message = f'state="{state}" is not an XLIFF 1.2 state (translated, final, needs-review-translation, …)'
                raise BadFile(name, target.sourceline, 1, message)
            if text:
                done = state in DONE_STATES or unit.get("approved") == "yes"
                units.append(Incoming(context, source_text, text, done, line, original if where else None))
    return Read(units)


def _located(unit, ns: str) -> str | None:
    """The key a location context of the unit names (`<context context-type="sourcefile">care:surveys.title`)."""
    for group in unit.iter(f"{ns}context-group"):
        if group.get("purpose") == "location":
            for context in group.iter(f"{ns}context"):
                if context.get("context-type") == "sourcefile" and KEY.fullmatch((context.text or "").strip()):
                    return context.text.strip()
    return None


def read(data: bytes, name: str, lang: str) -> Read:
    """The units of a PO or XLIFF file (by its name's suffix) for `lang`."""
    if name.endswith(".po"):
        return read_po(data, name, lang)
    if name.endswith((".xlf", ".xliff")):
        return read_xliff(data, name, lang)
    raise BadFile(name, 1, 1, "not a .po, .xlf or .xliff file")
