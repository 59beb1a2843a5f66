"""Stage 3, check: compare every translation with its source text, string by string."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import markdown_safe
from .confirmed import Confirmed, load_confirmed
from .findings import Finding
from .load import Str
from .project import Project

# Data: what each script looks like. Vietnamese-only letters: breve, horn, đ, and vowels with
# tone marks that French and Frisian never use.
THAI = re.compile(r"[\u0E00-\u0E7F]")
VIETNAMESE_ONLY = re.compile(r"[ăắằẳẵặđơớờởỡợưứừửữựạảãẹẻẽịỉĩọỏõụủũỵỷỹỳấầẩẫậếềểễệốồổỗộ]", re.I)
# Any letter with a Vietnamese diacritic, including those French shares (à, é, ô).
VIETNAMESE_LETTER = re.compile(VIETNAMESE_ONLY.pattern[:-1] + r"àáâèéêìíòóôùúý]", re.I)
LETTER = re.compile(r"[^\W\d_]")
MIN_LETTERS_FOR_SCRIPT = 12
MIN_CHARS_FOR_LENGTH = 20
ZERO_WIDTH = re.compile(r"[\u200B-\u200D\u2060\uFEFF]")
CONTROL = re.compile(r"[\u0000-\u0008\u000B-\u001F\u007F-\u009F]")
GLUED_SENTENCE = re.compile(r"(\w{2,}[.!?])(\w*[A-ZÀ-ỸĐ]\w*)")
# French typography: a no-break space (U+00A0 or the narrow U+202F) before : ; ? !
FRENCH_HIGH_PUNCT = re.compile(r"(?<![\u00A0\u202F:;?!])( ?)([:;?!])(?=\s|$|»|\))")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Markdown features whose use must match between source and translation.
MARKUP_FEATURES = {
    "links": re.compile(r"(?<!!)\[[^\]]*\]\([^)]*\)"),
    "strong emphasis": re.compile(r"\*\*[^*]+\*\*"),
    "emphasis": re.compile(r"(?<![*\w])\*[^*\s][^*]*\*(?![*\w])"),
    "inline code": re.compile(r"`[^`]+`"),
    # A single newline is a soft wrap in Markdown; only blank lines (paragraphs) carry structure.
    "paragraph breaks": re.compile(r"\n[ \t]*\n\s*"),
    "hard line breaks": re.compile(r"\\\n"),
    "list items": re.compile(r"^\s*(?:[-*+]|\d+[.)])\s", re.M),
}
LINK_TARGET = re.compile(r"\]\(([^)\s]*)\)")
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|<!--")


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


@dataclass
class CheckReport:
    """Every finding, plus what the site shows: stale keys and per-language counts."""

    findings: list[Finding]
    stale: dict[str, set[str]] = field(default_factory=dict)  # lang -> {file/key}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


# Helper functions


def _letters(text: str) -> int:
    return len(LETTER.findall(text))


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text.translate(THAI_DIGITS)))


def _fold(word: str, lang: str) -> str:
    """Case-fold; in French and Frisian also ignore accents (é/è, â/ê), which vary with inflection."""
    word = word.casefold()
    if lang in ("vi", "th"):
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _words(text: str, lang: str) -> list[str]:
    return [_fold(w, lang) for w in re.findall(r"\w+", text)]


def _same_word(word: str, part: str, lang: str) -> bool:
    """Vietnamese words do not inflect; French and Frisian words may take a short ending."""
    return word == part if lang == "vi" else word.startswith(part[: max(4, len(part) - 2)])


def _word_match(form: str, text: str, lang: str) -> bool:
    """Is a glossary form used in the source text, as a phrase? Thai has no spaces: a substring."""
    if lang == "th":
        return form.casefold() in text.casefold()
    parts, words = _words(form, lang), _words(text, lang)
    n = len(parts)
    return any(all(_same_word(words[i + k], parts[k], lang) for k in range(n)) for i in range(len(words) - n + 1))


def _words_present(form: str, text: str, lang: str) -> bool:
    """Does a translation use a glossary form? Its words in any order, as sentences rephrase
    ("la fidélité des clients" for "fidélité client"). Thai and Vietnamese: as a phrase."""
    if lang in ("th", "vi"):
        return _word_match(form, text, lang)
    words = _words(text, lang)
    return all(any(_same_word(w, part, lang) for w in words) for part in _words(form, lang))


# Checks, one per code. Each yields (code, message) for one string.


def check_unicode(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = str(pair.text)
    if not unicodedata.is_normalized("NFC", text):
        yield "UNICODE", "the text is not in NFC (composed) form; retype the accented letters or run a normaliser"
    if m := ZERO_WIDTH.search(text):
        yield "UNICODE", f"an invisible character U+{ord(m.group()):04X}; delete it"
    if m := CONTROL.search(text):
        yield "UNICODE", f"a control character U+{ord(m.group()):04X}; delete it"
    if "  " in text.replace("\n  ", "\n"):
        yield "UNICODE", "two spaces in a row; use one"
    if re.search(r"[ \t]+$", text, re.M):
        yield "UNICODE", "a space at the end of a line; delete it"
    if pair.lang == "fr" and (m := FRENCH_HIGH_PUNCT.search(text)):
        yield "UNICODE", f"French puts a no-break space before `{m.group(2)}`; type U+202F (or U+00A0) instead of `{m.group()}`"
    m = GLUED_SENTENCE.search(text)
    if m and not re.search(r"https?://|\w\.\w+/", text[max(0, m.start() - 30) : m.end()]):
        yield "UNICODE", f"no space after the sentence end in `{m.group()}`; write `{m.group(1)} {m.group(2)}`"


def check_script(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = str(pair.text)
    if pair.lang != "th" and THAI.search(text):
        yield "SCRIPT", f"Thai text in the {pair.lang} file; it belongs in translations/th/"
    if pair.lang not in ("vi",) and VIETNAMESE_ONLY.search(text):
        yield (
            "SCRIPT",
            f"Vietnamese letters in the {pair.lang} file (`{VIETNAMESE_ONLY.search(text).group()}`); is this pasted from translations/vi/?",
        )
    if _letters(text) >= MIN_LETTERS_FOR_SCRIPT:
        if pair.lang == "th" and not THAI.search(text):
            yield "SCRIPT", "no Thai letters in the Thai file; translate the text"
        if pair.lang == "vi" and not VIETNAMESE_LETTER.search(text):
            yield "SCRIPT", "no Vietnamese letters in the Vietnamese file; is the text untranslated or missing its diacritics?"


def check_markup(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = str(pair.text)
    if RAW_HTML.search(text):
        yield "MARKUP", f"raw HTML `{RAW_HTML.search(text).group()}` is not allowed; use Markdown or plain text"
    for target in LINK_TARGET.findall(text):
        if not markdown_safe.SAFE_LINK.match(target):
            yield "MARKUP", f"the link target `{target}` is not allowed; use http(s), mailto or a page of this guide (`topic.md#id`)"
    if pair.source is None:
        return
    for name, pattern in MARKUP_FEATURES.items():
        theirs, ours = len(pattern.findall(pair.source)), len(pattern.findall(text))
        if theirs != ours:
            yield "MARKUP", f"number of {name} does not match the source ({ours} vs {theirs})"
    if sorted(LINK_TARGET.findall(pair.source)) != sorted(LINK_TARGET.findall(text)):
        yield (
            "MARKUP",
            f"link targets differ from the source: {sorted(LINK_TARGET.findall(text))} vs {sorted(LINK_TARGET.findall(pair.source))}",
        )


def check_number(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None:
        return
    ours = _numbers(str(pair.text))
    for number in _numbers(pair.source):
        if number in ours:
            ours.remove(number)
        else:
            yield "NUMBER", f"the source has the number {number}, the translation does not; write it in digits"


def check_same_as_source(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None or str(pair.text).strip() != pair.source.strip():
        return
    if pair.source.strip() in ctx.same_allowed or _letters(pair.source) == 0:
        return
    yield (
        "SAME-AS-SOURCE",
        f"identical to the {pair.source_lang} source; translate it (or add it to `same_as_source` in content/site.yaml if it is a name)",
    )


def check_term(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None:
        return
    source = pair.source
    # Longest terms first; a match is blanked out so that "loyal customers" inside
    # "potentially loyal customers" is not asked for a second time.
    terms = sorted(ctx.glossary.items(), key=lambda item: -len(item[1].get(pair.source_lang, "")))
    for term, forms in terms:
        source_form, form = forms.get(pair.source_lang), forms.get(pair.lang)
        if not source_form or not _word_match(source_form, source, pair.source_lang):
            continue
        if pair.source_lang in ("vi", "th"):
            source = re.sub(re.escape(source_form), " ", source, flags=re.I)
        if form and pair.key != f"{term}.title" and not _words_present(form, str(pair.text), pair.lang):
            yield "TERM", f"the source uses the term `{source_form}`; use the glossary form `{form}`"


def check_length(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None or len(pair.source) < MIN_CHARS_FOR_LENGTH:
        return
    ratio = len(str(pair.text)) / len(pair.source)
    if ratio < 1 / 3 or ratio > 3:
        yield "LENGTH", f"{len(str(pair.text))} characters against {len(pair.source)} in the source; is something missing or added?"


STRING_CHECKS = [check_unicode, check_script, check_markup, check_number, check_same_as_source, check_term, check_length]


# The run


@dataclass
class _Context:
    glossary: dict[str, dict[str, str]]
    same_allowed: set[str]


def glossary_forms(project: Project) -> dict[str, dict[str, str]]:
    """term id -> {lang: the term as that language writes it}."""
    glossary = project.content.files.get("glossary")
    forms: dict[str, dict[str, str]] = {}
    for term in glossary.root.children if glossary and glossary.root else []:
        ref = term.attrs.get("ref")
        for lang in project.languages:
            if ref:
                text = project.texts[lang].get(project.content.unit_file.get(ref, ""), {}).get(ref, {}).get("title")
            else:
                text = project.texts[lang].get("glossary", {}).get(term.id, {}).get("term")
            if text:
                forms.setdefault(term.id, {})[lang] = str(text)
    return forms


def string_pairs(project: Project, lang: str) -> Iterator[StringPair]:
    for name, cf in project.content.files.items():
        source_lang = cf.source_lang
        for uid, fields in project.texts[lang].get(name, {}).items():
            for field_name, text in fields.items():
                source = None
                if lang != source_lang:
                    source = project.texts[source_lang].get(name, {}).get(uid, {}).get(field_name)
                yield StringPair(lang, name, f"translations/{lang}/{name}.yaml", f"{uid}.{field_name}", text, source_lang, source)


def check_stale(pair: StringPair, confirmed: Confirmed) -> tuple[str, str] | None:
    if pair.source is None:
        return None
    recorded = confirmed.get(pair.file, {}).get(pair.key)
    if recorded is None:
        return (
            "STALE",
            f"no record of the {pair.source_lang} text this was translated from; check it, then run `kb confirm {pair.lang} {pair.key}`",
        )
    if recorded != pair.source:
        return (
            "STALE",
            f"the {pair.source_lang} source changed since this was confirmed: was {recorded!r}, now {pair.source!r}; update it, then run `kb confirm {pair.lang} {pair.key}`",
        )
    return None


def run_checks(project: Project, langs: list[str] | None = None) -> CheckReport:
    """Load-time findings plus every string check and staleness, for the given languages."""
    langs = langs or project.languages
    site = project.content.files.get("site")
    ctx = _Context(glossary_forms(project), set(site.attrs.get("same_as_source", [])) if site else set())
    findings = [f for f in project.findings if not f.lang or f.lang in langs]
    report = CheckReport(findings)
    for lang in langs:
        confirmed, found = load_confirmed(project.root, lang)
        findings += found
        report.stale[lang] = set()
        for pair in string_pairs(project, lang):
            results = [r for check in STRING_CHECKS for r in check(pair, ctx)]
            stale = check_stale(pair, confirmed)
            if stale:
                results.append(stale)
                report.stale[lang].add(f"{pair.file}/{pair.key}")
            for code, message in results:
                findings.append(Finding(pair.path, pair.text.line, pair.text.column, code, message, lang, pair.key))
    report.findings = sorted(findings)
    return report


@dataclass
class PageStatus:
    """Translation progress of one page in one language."""

    total: int = 0
    translated: int = 0
    stale: int = 0
    missing: int = 0
    needs_work: list[tuple[str, str]] = field(default_factory=list)  # (unit id, code)


def translation_status(project: Project, report: CheckReport) -> dict[str, dict[str, PageStatus]]:
    """lang -> page -> progress, from the same findings `kb check` prints."""
    by_key = {(f.lang, f.file, f.key): f.code for f in report.findings if f.code in ("MISSING", "STALE")}
    status: dict[str, dict[str, PageStatus]] = {}
    for lang in project.languages:
        status[lang] = {}
        for name in project.content.pages:
            cf = project.content.files[name]
            row = PageStatus()
            for uid, unit in cf.units.items():
                codes = set()
                for field_name in unit.fields:
                    row.total += 1
                    code = by_key.get((lang, f"translations/{lang}/{name}.yaml", f"{uid}.{field_name}"))
                    row.translated += code != "MISSING"
                    row.stale += code == "STALE"
                    row.missing += code == "MISSING"
                    if code:
                        codes.add(code)
                if codes:
                    row.needs_work.append((uid, "MISSING" if "MISSING" in codes else "STALE"))
            status[lang][name] = row
    return status
