"""Stage 3, check: compare every translation with its source text, string by string."""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import characters, markdown_safe
from .confirmed import Confirmed, load_confirmed
from .findings import Finding, did_you_mean, shown
from .project import Project, string_pairs
from .translations import StringPair, Texts

# Data: what each script looks like. Vietnamese-only letters: breve, horn, đ, and vowels with
# tone marks that French and Frisian never use.
THAI = re.compile(r"[\u0E00-\u0E7F]")
_VI_ONLY = "ăắằẳẵặđơớờởỡợưứừửữựạảãẹẻẽịỉĩọỏõụủũỵỷỹỳấầẩẫậếềểễệốồổỗộ"
_VI_SHARED = "àáâèéêìíòóôùúý"
# Both cases spelt out: a class without re.I is several times faster on every character.
VIETNAMESE_ONLY = re.compile(f"[{_VI_ONLY}{_VI_ONLY.upper()}]")
# Any letter with a Vietnamese diacritic, including those French shares (à, é, ô).
VIETNAMESE_LETTER = re.compile(f"[{_VI_ONLY}{_VI_ONLY.upper()}{_VI_SHARED}{_VI_SHARED.upper()}]")
COMBINING_MARK = re.compile(r"[\u0300-\u036f]")
LETTER = re.compile(r"[^\W\d_]")
MIN_LETTERS_FOR_SCRIPT = 12
# At least that many letters from the start, anchored: one linear pass that stops at the 12th letter.
ENOUGH_LETTERS = re.compile(r"[\W\d_]*+(?:[^\W\d_][\W\d_]*+){" + str(MIN_LETTERS_FOR_SCRIPT) + "}")
MIN_CHARS_FOR_LENGTH = 20
ZERO_WIDTH = re.compile(r"[\u200B-\u200D\u2060\uFEFF]")
CONTROL = re.compile(r"[\u0000-\u0008\u000B-\u001F\u007F-\u0084\u0086-\u009F]")  # U+0085 breaks a line: characters.HIDDEN
# Every pattern here runs in linear time, even on a megabyte of one character (no nested or
# overlapping repeats): bad input must never hang the checker.
GLUED_SENTENCE = re.compile(r"(?<!\w)(\w{2,}+[.!?])([A-ZÀ-ỸĐ]\w*+)")
GLUED_HINT = re.compile(r"[.!?][A-ZÀ-ỸĐ]")  # what every glued sentence contains: a cheap first test
# French typography: a no-break space before : ; ? ! and inside « », U+00A0 or the narrow U+202F,
# one kind throughout a file (the kind a file uses most is the file's; a text with the other is warned).
NO_BREAK_BEFORE_PUNCTUATION = ("fr",)  # the languages whose typography has this rule
FRENCH_HIGH_PUNCT = re.compile(r"(?<![\u00A0\u202F:;?!])( ?)([:;?!])(?=\s|$|»|\))")
NO_BREAK_AT_PUNCTUATION = re.compile(r"[\u00A0\u202F](?=[:;?!»])|(?<=«)[\u00A0\u202F]")
NO_BREAK_NAMES = {"\u00a0": "U+00A0 (no-break space)", "\u202f": "U+202F (narrow no-break space)"}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # \d is any Unicode decimal digit: Thai ๕, Khmer ៥, Arabic-Indic ٥…
# Markdown features whose use must match between source and translation, each with what every
# use of it contains (a text without that has none: no need to run the pattern).
MARKUP_FEATURES = {
    "links": ("](", re.compile(r"\]\(")),
    "strong emphasis": ("*", re.compile(r"\*\*[^*]+\*\*")),
    "emphasis": ("*", re.compile(r"(?<![*\w])\*[^*\s][^*]*+\*(?![*\w])")),
    "inline code": ("`", re.compile(r"`[^`]+`")),
    # A single newline is a soft wrap in Markdown; only blank lines (paragraphs) carry structure.
    "paragraph breaks": ("\n", re.compile(r"\n[ \t]*\n\s*+")),
    "hard line breaks": ("\\\n", re.compile(r"\\\n")),
    "list items": (None, re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])\s", re.M)),  # any line may open one
}
LINK_TARGET = markdown_safe.LINK_TARGET
# Anything a browser could take for the start of a tag, a comment or a declaration, closed with
# `>` or not: `<img src=x onerror=… x=` (no `>`) still becomes an element where a template prints it.
RAW_HTML = re.compile(r"<(?:/?[a-zA-Z]|[!?])")
RAW_HTML_SHOWN = 40  # characters of the offending tag quoted in a finding


@dataclass
class CheckReport:
    """Every finding, plus what the site shows: stale keys and per-language counts."""

    findings: list[Finding]
    stale: dict[str, set[str]] = field(default_factory=dict)  # lang -> {file/key}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


# Helper functions


# The checks below run on every string of every language: each looks for the characters a
# finding needs (`"<" in text`, C speed) before it runs a regular expression.


# The caches of whole texts are small: a text's checks run one after the other. A source is
# looked at again by every other language's checks, far apart: only its small results are kept
# for them (_numbers, _markup_profile), until the run ends. Copies of every string of a 300x
# guide, kept in these caches, were 250 MB of a first build's memory.
TEXTS_KEPT = 256


@lru_cache(maxsize=TEXTS_KEPT)
def _code(text: str) -> markdown_safe.CodeSpans:
    return markdown_safe.code_spans(str(text))


@lru_cache(maxsize=TEXTS_KEPT)
def _prose(text: str) -> str:
    """The text without its inline code spans (`kb check`), which are the same in every language.
    The spans are those Python-Markdown finds (`\\` before a backtick escapes it, so what follows is
    not code); a text whose code it could read otherwise is refused (_forbidden_markup)."""
    if "`" not in text:
        return str(text)
    out, last = [], 0
    for start, end, _ in _code(text).spans:
        out += [text[last:start], " "]
        last = end
    return "".join(out + [text[last:]])


@lru_cache(maxsize=65536)
def _numbers(text: str) -> tuple[str, ...]:
    """The numbers of a text, each in ASCII digits: every script's digits write the same number."""
    return tuple(sorted(n if n.isascii() else "".join(str(unicodedata.decimal(c, c)) for c in n) for n in NUMBER.findall(text)))


def no_break_spaces(prose: str) -> list[str]:
    """The no-break spaces a text puts before : ; ? ! and inside « », in order."""
    return NO_BREAK_AT_PUNCTUATION.findall(prose) if "\u00a0" in prose or "\u202f" in prose else []


@lru_cache(maxsize=TEXTS_KEPT)
def _fold(text: str, lang: str) -> str:
    """Case-fold; in French and Frisian also ignore accents (é/è, â/ê), which vary with inflection."""
    text = text.casefold()
    if lang in ("vi", "th"):
        return text
    return COMBINING_MARK.sub("", unicodedata.normalize("NFD", text))


def _word_literal(word: str, lang: str) -> str:
    """The part of a word every form of it starts with: Vietnamese words do not inflect;
    French and Frisian words may take a short ending."""
    return word if lang == "vi" or len(word) <= 4 else word[: max(4, len(word) - 2)]


def _word_pattern(word: str, lang: str) -> str:
    return re.escape(_word_literal(word, lang)) + (r"(?!\w)" if lang == "vi" else r"\w*")


@lru_cache(maxsize=4096)
def _phrase_literals(form: str, lang: str) -> tuple[str, ...]:
    """Substrings every use of the form contains: a test much cheaper than the phrase pattern."""
    folded = _fold(form, lang)
    return (folded,) if lang == "th" else tuple(_word_literal(w, lang) for w in re.findall(r"\w+", folded))


@lru_cache(maxsize=4096)
def _phrase(form: str, lang: str) -> re.Pattern:
    """The glossary form as a phrase. Thai has no spaces: a substring."""
    folded = _fold(form, lang)
    if lang == "th":
        return re.compile(re.escape(folded))
    return re.compile(r"(?<!\w)" + r"\W+".join(_word_pattern(w, lang) for w in re.findall(r"\w+", folded)))


@lru_cache(maxsize=4096)
def _each_word(form: str, lang: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(r"(?<!\w)" + _word_pattern(w, lang)) for w in re.findall(r"\w+", _fold(form, lang)))


def _word_match(form: str, text: str, lang: str) -> bool:
    """Is a glossary form used in the source text, as a phrase?"""
    return _phrase(form, lang).search(_fold(text, lang)) is not None


def _words_present(form: str, text: str, lang: str) -> bool:
    """Does a translation use a glossary form? Its words in any order, as sentences rephrase
    ("la fidélité des clients" for "fidélité client"). Thai and Vietnamese: as a phrase."""
    if lang in ("th", "vi"):
        return _word_match(form, text, lang)
    folded = _fold(text, lang)
    return all(p.search(folded) for p in _each_word(form, lang))


# Checks, one per code. Each yields (code, message) for one string.


# Typographic quotes a translator may put around a whole value, thinking they quote it for YAML.
QUOTE_PAIRS = ("“”", "«»", "„“", "”ˮ", "»«", "‘’", "‚‘", "‹›", "「」", "『』")


def _quoted_whole(text: str) -> str | None:
    """`“…”` when `text` is one quotation in typographic quotes from end to end."""
    for opening, closing in QUOTE_PAIRS:
        if len(text) > 2 and text[0] == opening and text[-1] == closing and text.count(opening) == 1:
            return f"{opening}…{closing}"
    return None


def check_unicode(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = str(pair.text)
    if not unicodedata.is_normalized("NFC", text):
        yield "UNICODE", "the text is not in NFC (composed) form; retype the accented letters or run a normaliser"
    if not text.isascii() and (m := ZERO_WIDTH.search(text)):
        yield "UNICODE", f"an invisible character U+{ord(m.group()):04X}; delete it"
    if m := CONTROL.search(text):
        yield "UNICODE", f"a control character U+{ord(m.group()):04X}; delete it"
    if hidden := characters.hidden_character(text):
        yield "CHARACTER", hidden
    if not text.isascii() and (m := characters.DIRECTION_MARK.search(text)):
        yield "UNICODE", f"an invisible direction mark {characters.describe(m.group())}; delete it unless a right-to-left text needs it"
    if "  " in text and "  " in text.replace("\n  ", "\n"):
        yield "UNICODE", "two spaces in a row; use one"
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        yield "UNICODE", "a space at the end of a line; delete it"
    # A quotation in the source too is meant; else they were typed to quote the text for YAML.
    if (quotes := _quoted_whole(text.strip())) and not _quoted_whole(str(pair.source or "").strip()):
        yield (
            "UNICODE",
            f"the whole text is inside {quotes}, which the page shows; to quote in YAML use straight double quotes, or delete them",
        )
    prose = _prose(text)  # inline code is the same in every language: not checked as text
    if pair.lang in NO_BREAK_BEFORE_PUNCTUATION:
        yield from _no_break_space(pair, prose, ctx)
    m = GLUED_SENTENCE.search(prose) if GLUED_HINT.search(prose) else None
    if m and not re.search(r"https?://|\w\.\w+/", prose[max(0, m.start() - 30) : m.end()]):
        yield "UNICODE", f"no space after the sentence end in `{m.group()}`; write `{m.group(1)} {m.group(2)}`"


def _no_break_space(pair: StringPair, prose: str, ctx) -> Iterator[tuple[str, str]]:
    """French: a no-break space before : ; ? !, of the one kind its file uses."""
    used = ctx.no_break_space(pair.lang, pair.file) if ctx else None  # (the file's kind, how many times), or None
    if any(c in prose for c in ":;?!") and (m := FRENCH_HIGH_PUNCT.search(prose)):
        kind = f"{NO_BREAK_NAMES[used[0]]}, as the rest of this file does" if used else "U+00A0 or U+202F (one kind throughout the file)"
        yield "UNICODE", f"French puts a no-break space before `{m.group(2)}`; type {kind}, instead of `{m.group()}`"
    if used and (other := next((c for c in no_break_spaces(prose) if c != used[0]), None)):
        yield (
            "UNICODE",
            f"this file puts {NO_BREAK_NAMES[used[0]]} before : ; ? ! and inside « » ({used[1]} time{'s' if used[1] > 1 else ''}), this text "
            f"{NO_BREAK_NAMES[other]}: use one kind throughout the file",
        )


def check_script(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = _prose(str(pair.text))
    if pair.lang != "th" and THAI.search(text):
        yield "SCRIPT", f"Thai text in the {pair.lang} file; it belongs in translations/th/"
    if pair.lang not in ("vi",) and VIETNAMESE_ONLY.search(text):
        yield (
            "SCRIPT",
            f"Vietnamese letters in the {pair.lang} file (`{VIETNAMESE_ONLY.search(text).group()}`); is this pasted from translations/vi/?",
        )
    if ENOUGH_LETTERS.match(text):
        if pair.lang == "th" and not THAI.search(text):
            yield "SCRIPT", "no Thai letters in the Thai file; translate the text"
        if pair.lang == "vi" and not VIETNAMESE_LETTER.search(text):
            yield "SCRIPT", "no Vietnamese letters in the Vietnamese file; is the text untranslated or missing its diacritics?"


def check_markup(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    text = str(pair.text)
    if _too_complex(text):  # TOO-COMPLEX says it; the rest would only be noise
        return
    forbidden = list(_forbidden_markup(text))
    if forbidden:  # the comparison with the source would only repeat it
        yield from (("MARKUP", message) for message in forbidden)
        return
    if pair.source is None:
        return
    theirs, ours = _markup_profile(pair.source), _markup_profile(pair.text)
    for name, their_count, our_count in zip(MARKUP_FEATURES, theirs[0], ours[0], strict=True):
        if their_count != our_count:
            yield "MARKUP", f"number of {name} does not match the source ({our_count} vs {their_count})"
    if theirs[1] != ours[1]:
        yield "MARKUP", f"link targets differ from the source: {list(ours[1])} vs {list(theirs[1])}"


_BLOCK_STARTS = frozenset(" \t#>!?-*_+0123456789")
_LIST_ITEMS = re.compile(r"[ \t]*(?:(?:[-*+]|\d+\.)[ \t]+)*")
_UNDERLINE = re.compile(r" {0,3}[=-]+[ \t]*")  # one `=` or `-` is enough for Python-Markdown
_QUOTE = re.compile(r" {0,3}>")
_ADMONITION = re.compile(r" {0,3}(?:!!!|\?\?\?)")
_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]")
# A table's second row: cells of `:`, `-` and spaces only, even empty ones (`|` under `|` is a table).
_TABLE_RULE = re.compile(r"[|:\- \t]*\|[|:\- \t]*")
_DEFINITION = re.compile(r" {0,3}:[ \t]")  # the definition may be empty
BLOCKS = (
    "headings (`## …`) are not allowed inside a text: a page's headings are its titles",
    "a line of `===` or `---` under a line makes it a heading; headings are not allowed inside a text",
    "tables are not allowed inside a text",
    "definition lists (a line, then `:   …`) are not allowed inside a text",
    "quotes (a line starting with `>`) are not allowed inside a text; write `>` after a space or a word",
    "admonitions (`!!!`, `???`) are not allowed inside a text",
    "a line of `---`, `***` or `___` draws a rule; rules are not allowed inside a text",
    "a paragraph indented by 4 spaces is a code block; indent list items by 2 and other lines not at all",
)


def _blocks(prose: str, text: str) -> Iterator[str]:
    """Block structures a text must not have, line by line: each is named once."""
    found = set()
    previous, raw_previous, in_list = "", "", False
    raw_lines = text.split("\n") if prose.count("\n") == text.count("\n") else prose.split("\n")
    for line, raw in zip(prose.split("\n"), raw_lines, strict=True):
        body = line[_LIST_ITEMS.match(line).end() :]  # an item's text is read as blocks too: `- # x` is a heading
        if body.startswith("#"):  # Python-Markdown needs no space after it
            found.add(0)
        elif previous.strip() and _UNDERLINE.fullmatch(line):  # before a rule, as Python-Markdown reads it
            found.add(1)
        elif _RULE.fullmatch(line) or _RULE.fullmatch(body):
            found.add(6)
        elif "|" in line and "|" in raw_previous and _TABLE_RULE.fullmatch(line):  # a `|` in code counts too
            found.add(2)
        elif previous.strip() and _DEFINITION.match(line):
            found.add(3)
        elif _QUOTE.match(body):
            found.add(4)
        elif _ADMONITION.match(body):
            found.add(5)
        elif not previous.strip() and line.startswith(("    ", "\t", " \t", "  \t", "   \t")) and not in_list:
            found.add(7)
        if line.strip():  # a list goes on through its blank lines, to the first line it does not indent
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and line[:1] in " \t")
        previous, raw_previous = line, raw
    yield from (BLOCKS[i] for i in sorted(found))


def _forbidden_markup(text: str) -> Iterator[str]:
    if "`" in text and not _code_on_one_line(str(text)):
        yield (
            "inline code must open and close on one line with as many backticks (`code` or ``code``); "
            "close the code, or delete the lone backtick"
        )
        prose = str(text)  # where the code is depends on the paragraphs: all of it is read as text
    else:
        prose = _prose(text)
    if "\n" in prose or prose[:1] in _BLOCK_STARTS:  # one line opens a block only with these
        yield from _blocks(prose, str(text))
    if "<" in prose and (m := RAW_HTML.search(prose)):
        tag = prose[m.start() : m.start() + RAW_HTML_SHOWN].split("\n")[0]
        tag = tag[: tag.index(">") + 1] if ">" in tag else tag + ("…" if len(tag) == RAW_HTML_SHOWN else "")
        yield f"raw HTML `{tag}` is not allowed; use Markdown or plain text (a `<` that is not a tag needs a space after it)"
    if "{" in prose and "}" in prose and _attribute_list(str(text)):
        yield "`{…}` right after `*`, `_`, `` ` ``, `)` or `]`, or at the start of a line, sets HTML attributes; put a space before `{`"
    if markdown_safe.TOC_MARKER in prose:
        yield f"`{markdown_safe.TOC_MARKER}` becomes a table of contents; put it in inline code"
    if "]:" in prose and markdown_safe.REFERENCE_DEFINITION.search(prose):
        yield "reference-style link definitions (`[name]: target`) are not allowed; write `[text](target)`"
    if "![" in prose:
        yield "images (`![…](…)`) are not allowed in text"
    for target, after in markdown_safe.LINK.findall(prose) if "](" in prose else ():
        if not markdown_safe.SAFE_LINK.match(target):
            yield f"the link target `{shown(target)}` is not allowed; use http(s), mailto or a page of this guide (`topic.md#id`)"
        elif after:
            yield f"the link target `{shown(target)}` goes on after a space; a link target has no spaces (a title goes in quotes)"


# Python-Markdown's attr_list reads `{…}` (with a `}` on its line) as attributes of the element
# just before it (`*x*{: onclick=…}`), or of the block when it starts a line.
_ATTRIBUTE_LIST = re.compile(r"(?:^[ \t]*|(?<=[*_`)\]]))\{", re.M)


def _attribute_list(text: str) -> bool:
    """Is there an attribute list in the text, outside its code? (A `{` where one may start, with a `}` after it on its line.)"""
    code = _code(text).spans if "`" in text else ()
    starts, offset = [start for start, _, _ in code], 0
    for line in text.split("\n"):
        last_close = offset + line.rfind("}")
        for m in _ATTRIBUTE_LIST.finditer(line) if last_close >= offset else ():
            at = offset + m.end() - 1
            span = bisect_right(starts, at) - 1
            if at < last_close and (span < 0 or at >= code[span][1]):
                return True
        offset += len(line) + 1
    return False


def _code_on_one_line(text: str) -> bool:
    """Does every backtick run close with a run of its length on its own line? Then Python-Markdown
    finds the same code however the lines fall into paragraphs, list items or quotes: it searches
    each of those blocks apart, and a search that fails or falls back depends on what follows."""
    code = _code(text)
    return code.clean and not any("\n" in text[start:end] for start, end, _ in code.spans)


@lru_cache(maxsize=65536)
def _markup_profile(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """How often each Markdown feature occurs, and the sorted link targets (a source is checked against three translations)."""
    counts = []
    for needs, pattern in MARKUP_FEATURES.values():
        if needs is None and "\n" not in text:
            counts.append(1 if pattern.match(text) else 0)  # one line: only its start can open an item
        elif needs is not None and needs not in text:
            counts.append(0)
        else:
            counts.append(len(pattern.findall(text)))
    return tuple(counts), tuple(sorted(LINK_TARGET.findall(text))) if "](" in text else ()


# Python-Markdown reads each link through the rest of its paragraph, and copies the paragraph
# for every escaped character, entity, emphasis or code it finds, and its lists grow by lines:
# past these counts (tens of times the guide's largest text), a text of 10,000 characters takes
# seconds to render (`[](#` x 2,500: 9 s). Under them, at most 50 ms (`make bench`,
# adversarial_render_worst_ms).
MAX_LINES = 100
MAX_LINKS = 50
LINK_WORK = 100_000  # links x characters: each `[` costs a pass over the text
MAX_MARKUP = 500
MARKUP_CHARACTERS = re.compile(r"[&<>\\`{}|*_\[\]]")


def check_complexity(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if message := _too_complex(str(pair.text)):
        yield "TOO-COMPLEX", message


@lru_cache(maxsize=TEXTS_KEPT)
def _too_complex(text: str) -> str | None:
    """Why Python-Markdown would take too long on the text, if it would."""
    links, most = text.count("["), min(MAX_LINKS, LINK_WORK // max(len(text), 1))
    if links > most and "`" in text and _code_on_one_line(text):  # a `[` in code is no link
        links = _prose(text).count("[")
    if links > most:
        return (
            f"{links} `[` in {len(text):,} characters; Markdown reads each link through the whole text, so at most {most} here "
            "(split the text, or write the brackets as ( ))"
        )
    if (lines := text.count("\n") + 1) > MAX_LINES:
        return f"{lines} lines; a text holds at most {MAX_LINES} (split it into sections)"
    if len(text) > MAX_MARKUP and (marks := len(MARKUP_CHARACTERS.findall(text))) > MAX_MARKUP:
        return (
            f"{marks} of the characters & < > \\ ` {{ }} | * _ [ ]; a text holds at most {MAX_MARKUP}, "
            "each costs Markdown a pass over the text (split it into sections)"
        )
    return None


def check_number(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None:
        return
    ours = list(_numbers(pair.text))
    for number in _numbers(pair.source):
        if number in ours:
            ours.remove(number)
        else:
            yield "NUMBER", f"the source has the number {number}, the translation does not; write it in digits"


PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w-]*\}")  # `{language}`: the site fills it in (render.py)


def placeholders(text: str) -> list[str]:
    """The `{name}` placeholders of a text, outside its inline code, in order."""
    return PLACEHOLDER.findall(_prose(text)) if "{" in text else []


def check_placeholder(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None:
        return
    theirs, ours = placeholders(pair.source), placeholders(str(pair.text))
    for name in sorted(set(theirs)):
        if ours.count(name) < theirs.count(name):
            yield "PLACEHOLDER", f"the source has `{name}`, which the site fills in; keep it exactly as it is (never translated)"
    for name in sorted(set(ours) - set(theirs)):
        known = ", ".join(f"`{t}`" for t in sorted(set(theirs)))
        hint = did_you_mean(name, set(theirs)) or (f" (the source has {known})" if theirs else "; write it without braces")
        yield "PLACEHOLDER", f"`{name}` is not a placeholder of the source{hint}"


def check_same_as_source(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None or str(pair.text).strip() != pair.source.strip():
        return
    if pair.source.strip() in ctx.same_allowed or not LETTER.search(_prose(pair.source)):
        return
    yield (
        "SAME-AS-SOURCE",
        f"identical to the {pair.source_lang} source; translate it (or add it to `same_as_source` in content/site.yaml if it is a name)",
    )


def check_term(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None:
        return
    for term, forms in ctx.source_terms(_prose(pair.source), pair.source_lang):  # code is not prose
        form = forms.get(pair.lang)
        if form and pair.key != f"{term}.title" and not _words_present(form, _prose(str(pair.text)), pair.lang):
            yield "TERM", f"the source uses the term `{forms[pair.source_lang]}`; use the glossary form `{form}`"


def check_length(pair: StringPair, ctx) -> Iterator[tuple[str, str]]:
    if pair.source is None or len(pair.source) < MIN_CHARS_FOR_LENGTH:
        return
    ratio = len(str(pair.text)) / len(pair.source)
    if ratio < 1 / 3 or ratio > 3:
        yield "LENGTH", f"{len(str(pair.text))} characters against {len(pair.source)} in the source; is something missing or added?"


STRING_CHECKS = [
    check_unicode,
    check_script,
    check_complexity,
    check_markup,
    check_placeholder,
    check_number,
    check_same_as_source,
    check_term,
    check_length,
]


# The run


@dataclass
class _Context:
    glossary: dict[str, dict[str, str]]
    same_allowed: set[str]
    texts: Texts = field(default_factory=dict)  # every language's texts: what a rule of a whole file reads
    _terms: dict = field(default_factory=dict)
    _spaces: dict = field(default_factory=dict)

    def no_break_space(self, lang: str, file: str) -> tuple[str, int] | None:
        """The no-break space a file puts before : ; ? ! (the kind it uses most; the first one on a
        tie) and how many times, or None; counted once per file."""
        if (lang, file) not in self._spaces:
            texts = (text for fields in self.texts.get(lang, {}).get(file, {}).values() for text in fields.values())
            kinds = Counter(c for text in texts for c in no_break_spaces(_prose(str(text))))
            self._spaces[lang, file] = kinds.most_common(1)[0] if kinds else None
        return self._spaces[lang, file]

    def source_terms(self, source: str, lang: str) -> list[tuple[str, dict[str, str]]]:
        """The glossary terms a source text uses, each once; computed once per source text.

        Longest term first, and a match is blanked out: "loyal customers" inside
        "potentially loyal customers" counts as the longer term only.
        """
        if lang not in self._terms:
            terms = sorted(((t, f) for t, f in self.glossary.items() if f.get(lang)), key=lambda item: -len(item[1][lang]))
            # A cheap substring test first: each of the term's words (or stems) must occur at all.
            keyed = []
            for term, forms in terms:
                first, *rest = _phrase_literals(forms[lang], lang) or ("",)
                keyed.append((term, forms, _phrase(forms[lang], lang), first, rest))
            self._terms[lang] = (keyed, {})
        keyed, seen = self._terms[lang]
        if source not in seen:
            folded, found = _fold(source, lang), []
            for term, forms, phrase, first, rest in keyed:
                if first in folded and all(literal in folded for literal in rest):
                    folded, n = phrase.subn(" ", folded)
                    if n:
                        found.append((term, forms))
            seen[source] = sorted(found, key=lambda item: item[0])
        return seen[source]


GLOSSARY = "glossary"  # content/glossary.yaml: the terms every language keeps the same
SETTINGS = "site"  # content/site.yaml: texts allowed to stay as their source (same_as_source)


def glossary_forms(project: Project) -> dict[str, dict[str, str]]:
    """term id -> {lang: the term as that language writes it}."""
    forms: dict[str, dict[str, str]] = {}
    for term, name, uid, field_name in _glossary_fields(project):
        for lang in project.languages:
            if text := project.texts[lang].get(name, {}).get(uid, {}).get(field_name):
                forms.setdefault(term.id, {})[lang] = str(text)
    return forms


def term_finder(project: Project):
    """`find(source, lang)`: the glossary terms a source text uses, as check_term finds them, each
    with its forms by language (the notes a vendor's file gives each unit)."""
    ctx = _Context(glossary_forms(project), set())
    return lambda source, lang: ctx.source_terms(_prose(source), lang)


def glossary_files(project: Project) -> set[str]:
    """The content files whose texts (in every language) make the glossary."""
    return {GLOSSARY} | {name for _, name, _, _ in _glossary_fields(project)}


def _glossary_fields(project: Project) -> Iterator[tuple]:
    """Each term, with the file, unit and field its texts are in: its own `term`, or the title of
    the section it names (`ref`) in the file that has that section."""
    glossary = project.content.files.get(GLOSSARY)
    for term in glossary.root.children if glossary and glossary.root else []:
        ref = term.attrs.get("ref")
        if ref and "term" not in term.fields:  # the section is the term: its title
            yield term, project.content.unit_file.get(ref, ""), ref, "title"
        else:
            yield term, GLOSSARY, term.id, "term"


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
            f"the {pair.source_lang} source changed since this was confirmed: {word_diff(recorded, str(pair.source))}; "
            f"update it, then run `kb confirm {pair.lang} {pair.key}`",
        )
    return None


def word_diff(old: str, new: str, context: int = 3, limit: int = 170) -> str:
    """What changed between two texts, word by word: `[-removed-]` and `{+added+}`, with a few
    words around each change and `…` for what did not change."""
    a, b = old.split(), new.split()
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            head = words[:context] if n > 0 else []
            tail = words[-context:] if n < len(opcodes) - 1 else []
            if len(words) <= len(head) + len(tail):
                parts.append(" ".join(words))
            else:
                parts.append(" ".join([*head, "…", *tail]).strip())
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(a[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(b[j1:j2])}+}}")
    diff = " ".join(p for p in parts if p)
    return diff if len(diff) <= limit else diff[: limit - 1].rstrip() + "…"


def _string_findings(pair: StringPair, ctx: _Context) -> list[tuple[str, str]]:
    return [r for check in STRING_CHECKS for r in check(pair, ctx)]


def run_checks(project: Project, langs: list[str] | None = None, confirmed: dict[str, Confirmed] | None = None) -> CheckReport:
    """Load-time findings plus every string check and staleness, for the given languages;
    `confirmed`: languages' records already read (kb/checked.py), the others are read here."""
    langs = langs or project.languages
    site = project.content.files.get(SETTINGS)
    ctx = _Context(glossary_forms(project), set(site.attrs.get("same_as_source", [])) if site else set(), project.texts)
    findings = [f for f in project.findings if not f.lang or f.lang in langs]
    report = CheckReport(findings)
    for lang in langs:
        record, damaged = (confirmed[lang], []) if confirmed and lang in confirmed else load_confirmed(project.root, lang)
        findings += damaged
        report.stale[lang] = set()
        for pair in string_pairs(project, lang):
            found = _string_findings(pair, ctx)
            if stale := check_stale(pair, record):
                found.append(stale)
                report.stale[lang].add(f"{pair.file}/{pair.key}")
            findings += [Finding(pair.path, pair.text.line, pair.text.column, code, message, lang, pair.key) for code, message in found]
    for kept in (_numbers, _markup_profile):  # each source's, for the other languages: not needed after the run
        kept.cache_clear()
    report.findings = sorted(findings)
    return report


@dataclass
class PageStatus:
    """Translation progress of one page in one language."""

    total: int = 0
    translated: int = 0  # what readers see in this language (a draft is not: they see the source)
    stale: int = 0
    missing: int = 0
    draft: int = 0
    needs_work: list[tuple[str, str]] = field(default_factory=list)  # (unit id, code)


# What a section needing work is listed as, the first of its fields' codes in this order.
WORK_ORDER = ("MISSING", "DRAFT", "STALE")


def translation_status(project: Project, report: CheckReport, every_file: bool = False) -> dict[str, dict[str, PageStatus]]:
    """lang -> page -> progress, from the same findings `kb check` prints; `every_file`: the
    files that are no page (site.yaml's interface strings) too, after the pages."""
    by_key = {(f.lang, f.file, f.key): f.code for f in report.findings if f.code in WORK_ORDER}
    status: dict[str, dict[str, PageStatus]] = {}
    names = list(project.content.pages)
    names += [name for name, cf in project.content.files.items() if every_file and name not in names and cf.units]
    for lang in project.languages:
        status[lang] = {}
        for name in names:
            cf = project.content.files[name]
            row = PageStatus()
            for uid, unit in cf.units.items():
                codes = set()
                for field_name in unit.fields:
                    row.total += 1
                    code = by_key.get((lang, f"translations/{lang}/{name}.yaml", f"{uid}.{field_name}"))
                    row.translated += code not in ("MISSING", "DRAFT")
                    row.stale += code == "STALE"
                    row.missing += code == "MISSING"
                    row.draft += code == "DRAFT"
                    if code:
                        codes.add(code)
                if codes:
                    row.needs_work.append((uid, next(c for c in WORK_ORDER if c in codes)))
            status[lang][name] = row
    return status
