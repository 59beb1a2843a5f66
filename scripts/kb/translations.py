"""Stage 2, load translations: translations/<lang>/<file>.yaml checked against the ids in content/."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .findings import Finding, did_you_mean, shown
from .load import Draft, Map, Other, Seq, Sources, Str, Todo, load_bytes, read_source
from .model import Content, _describe

# A text longer than this is refused before any check looks at it: no input can make the checker,
# the renderer or the theme slow. The longest section text today is under 1,000 characters.
MAX_CHARS = 10_000

# texts[lang][content file name][unit id][field] -> text
Texts = dict[str, dict[str, dict[str, dict[str, Str]]]]


def load_translations(
    sources: Sources,
    content: Content,
    languages: list[str],
    skip: set[str] = frozenset(),
    orphans: bool = True,
) -> tuple[Texts, list[Finding]]:
    """Load every language's files (those project.list_sources listed); report orphans (unless
    not `orphans`), wrong types, blanks and missing text. Files of `skip` (content files with
    errors) are not checked until their content file is fixed."""
    texts: Texts = {}
    findings: list[Finding] = []
    for extra in sources.folders if orphans else []:
        if extra not in languages:
            message = f"`{extra}` is not a language in mkdocs.yml{did_you_mean(extra, languages)}"
            findings.append(Finding(f"translations/{extra}", 1, 1, "ORPHAN", message))
    for lang in languages:
        texts[lang] = {}
        for rel in sources.files if orphans else []:
            name = rel.removeprefix(f"translations/{lang}/")
            stem = name.removesuffix(".yaml")
            if name != rel and stem not in content.files and stem not in skip:
                message = f"no content/{name} defines this file{did_you_mean(stem, content.files)}"
                findings.append(Finding(rel, 1, 1, "ORPHAN", message, lang))
        for name, cf in content.files.items():
            if name in skip:
                texts[lang][name] = {}
                continue
            rel = f"translations/{lang}/{name}.yaml"
            data, found = None, []
            if rel in sources.files:
                raw, found = read_source(rel, sources.files[rel])
                if raw is not None:
                    data, found = load_bytes(raw, rel)
            findings += [replace(f, lang=lang) for f in [*found, *getattr(data, "notes", ())]]
            file_texts, found = _check_file(rel, lang, cf.units, data, syntax_ok=not found, load_errors=any(f.is_error for f in found))
            texts[lang][name] = file_texts
            findings += found
    return texts, findings


def _sentence(key: str) -> str | None:
    """A "key" with spaces in it is text: a line indented less than the text above it ends that
    text, and YAML reads the line as a new key (up to its `:`)."""
    if " " not in key.strip():
        return None
    return "this line is indented less than the text above it, so the text ended there and this line became a key; indent it like the lines above"


def _not_an_id(uid: str, rel: str, units, written: list[str]) -> str:
    """An unknown id, with the content id it stands for: a close spelling, else (ids are never
    translated) the one id missing from the file where it stands, as a translated id would."""
    message = f"`{shown(uid)}` is not an id in content/{Path(rel).name}"
    if hint := did_you_mean(uid, units):
        return message + hint
    order, at = list(units), written.index(uid)
    low = max((order.index(k) for k in written[:at] if k in units), default=-1)
    high = min((order.index(k) for k in written[at + 1 :] if k in units), default=len(order))
    gap = [k for k in order[low + 1 : high] if k not in written]
    return message + "; ids are never translated" + (f" (did you mean `{gap[0]}`?)" if len(gap) == 1 else "")


def _check_file(rel: str, lang: str, units, data, syntax_ok: bool, load_errors: bool = False) -> tuple[dict, list[Finding]]:
    findings: list[Finding] = []
    result: dict[str, dict[str, Str]] = {}

    def add(at, code, message, key=""):
        line, column = at if isinstance(at, tuple) else (getattr(at, "line", 1), getattr(at, "column", 1))
        findings.append(Finding(rel, line, column, code, message, lang, key))

    if data is not None and not isinstance(data, Map):
        add((1, 1), "TYPE", "the file must be a mapping of ids to their texts")
        data = None
    if data is None and not syntax_ok:
        return result, findings  # the syntax error says it all; no MISSING flood on top
    data = data or Map()
    broken: set[str] = set()  # values the loader already reported (a refused tag or alias)
    for uid, fields in data.items():
        where = data.keys_at[uid]
        if uid not in units:
            add(where, "ORPHAN", _sentence(uid) or _not_an_id(uid, rel, units, list(data)), uid)
            continue
        if not isinstance(fields, Map):
            message = f"`{uid}` must hold its fields ({', '.join(units[uid].fields)}), not {_describe(fields)}"
            add(fields if fields is not None else where, "TYPE", message, uid)
            continue
        result[uid] = {}
        for name, value in fields.items():
            key = f"{uid}.{name}"
            if value is None:
                broken.add(key)
            elif name not in units[uid].fields:
                unknown = f"`{uid}` has no field `{shown(name)}`{did_you_mean(name, units[uid].fields)}; its fields: {', '.join(units[uid].fields)}"
                add(fields.keys_at[name], "ORPHAN", _sentence(name) or unknown, key)
            elif isinstance(value, Todo):
                add(value, "MISSING", 'still to translate: replace `!todo "…"` with the translation', key)
            elif isinstance(value, Draft) and len(value.raw) > MAX_CHARS:
                add(value, "TOO-LONG", f"{len(value.raw):,} characters; one text holds at most {MAX_CHARS:,} (split it into sections)", key)
            elif isinstance(value, Draft):  # gettext's rule for a fuzzy entry: never shown, the source is
                add(value, "DRAFT", f"a draft, not shown to readers (they see the source): review it, then `kb confirm {lang} {key}`", key)
            elif not isinstance(value, Str):
                add(value if value is not None else fields.keys_at[name], "TYPE", _type_message(value), key)
            elif len(value) > MAX_CHARS:
                add(value, "TOO-LONG", f"{len(value):,} characters; one text holds at most {MAX_CHARS:,} (split it into sections)", key)
            elif not value.strip():
                add(value, "EMPTY", "the text is blank; write the translation or delete the key", key)
            else:
                result[uid][name] = value
    if load_errors or any(f.is_error for f in findings):
        return result, findings  # one problem at a time: what is missing is reported once the file is right
    for uid, unit in units.items():
        for name in unit.fields:
            if name not in result.get(uid, {}) and f"{uid}.{name}" not in broken and not any(f.key == f"{uid}.{name}" for f in findings):
                at = data.keys_at.get(uid, (1, 1))
                add(at, "MISSING", "no text in this language yet", f"{uid}.{name}")
    return result, findings


def _type_message(value) -> str:
    if isinstance(value, Other):
        if value.tag.endswith(":int") and ":" in value.raw:
            hint = f'`{value.raw}` is read as a number of minutes; put it in quotes: "{value.raw}"'
        elif value.tag.endswith(":null"):
            return "expected text, found nothing (null); write the text or delete the key"
        else:
            hint = f'`{value.raw}` is read as {value.kind}; put it in quotes: "{value.raw}"'
        return f"expected text: {hint}"
    if isinstance(value, (Map, Seq)):
        return f"expected text, found {_describe(value)}; write one piece of text (use `|` for several lines)"
    return "expected text"


# The pairs every check and `kb confirm` work on


@dataclass
class StringPair:
    """One translated string and what it is checked against."""

    lang: str
    file: str
    path: str
    key: str
    text: Str
    source_lang: str
    source: str | None
