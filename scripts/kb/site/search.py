"""Stage 6, search: split the built index per language and cut the text of every script into words.

Material's search worker builds a Lunr index from `search/search_index.json`. static-i18n
writes one index for every language; readers must only find their own language, so each
language gets its own file at its own root (`search/…` for the default, `fr/search/…`), and
`overrides/main.html` points each page at its language's file. The index language `kb<code>`
makes the worker load `lunr.kb<code>.min.js` (overrides/), which normalises terms.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

import material
import yaml
from icu4py.breakers import WordBreaker

from ..files import replaced, write_atomically
from ..model import language_prefix, locale

if TYPE_CHECKING:  # PyThaiNLP is imported where Thai is cut: its package imports its whole toolkit (0.06 s)
    from pythainlp.util import Trie

INDEX = Path("search") / "search_index.json"
OFFLINE_INDEX = Path("search") / "search_index.js"  # what Material loads from file:// (offline plugin)
WORDS = "search_words.js"  # a language's suffixes and stop words, for kb-marks.js
LUNR_DIR = Path("assets") / "javascripts" / "lunr" / "min"
ASSETS = Path(__file__).parent.parent / "assets"
LANGUAGE_SUPPORT = ASSETS / "lunr.kb.js"
STOP_LIST = re.compile(r'generateStopWordFilter\("([^"]*)"')  # the list in a lunr-languages script
WORD_BREAK = "\u200b"  # invisible in result snippets; the worker splits on it
JOINER = "\u2060"  # between the parts of a Thai compound, invisible too: one word, found by each part
# Words are split at spaces, hyphens, word breaks and punctuation (so `l’engagement` is found by
# `engagement`, and a highlight ends at the word, not after its comma).
# A dot between two digits is part of a section number: `2.3` is one word, found first in its section.
SEPARATOR = r"(?:[\s\-\u200b,;:!?()\[\]«»\"“”'’‘…/]|\.(?!\d)|(?<!\d)\.)+"
THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
_HEAD = 6  # letters of a word that thai_dictionary_for looks for in a text
COMPOUND_MIN = 8  # shorter dictionary words (ลูกค้า, ชัดเจน) are single words, not compounds
# An index's JSON as Material writes it (default=str), without escapes.
index_json = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), default=str)


def _in_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def thai_dictionary_for(texts) -> Trie:
    """The words of PyThaiNLP's dictionary that can be found in `texts`, in PyThaiNLP's Trie: those
    whose first six letters (or the whole of a shorter word) are in one of their Thai runs. newmm
    looks a word up only where the text has it, so the cuts are the whole dictionary's
    (tests/test_search_index.py compares them): for the guide's Thai, 3,000 of 62,000 words, whose
    Trie takes milliseconds where the whole one takes a second. The texts are read once, one at a
    time, and only the pieces of them that begin a word are kept."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    heads = {word.strip()[:_HEAD] for word in thai_words()}
    found: set[str] = set()
    for text in texts:
        for run in THAI_RUN.findall(text):
            found.update(piece for k in range(1, _HEAD + 1) for i in range(len(run) - k + 1) if (piece := run[i : i + k]) in heads)
    return Trie(word for word in thai_words() if word.strip()[:_HEAD] in found)


def _split_compound(token: str, trie: Trie) -> list[str]:
    """PyThaiNLP keeps compounds ("ลูกค้าประจำ") whole; their parts, so that each is found too
    (the index writes them joined by JOINER: lunr.kb.js indexes the whole and each part)."""
    from pythainlp.tokenize import word_tokenize

    if len(token) < COMPOUND_MIN or token not in trie:
        return [token]
    trie.remove(token)
    try:
        parts = word_tokenize(token, custom_dict=trie, engine="newmm", keep_whitespace=False)
    finally:
        trie.add(token)
    return parts if len(parts) > 1 and all(p in trie for p in parts) else [token]


def segment_thai(text: str, dictionary: Trie | None = None) -> str:
    """Put a word break between the Thai words of `text`; other text is left as it is. The
    dictionary is PyThaiNLP's words that the text can hold (thai_dictionary_for), or `dictionary`."""
    from pythainlp.tokenize import word_tokenize

    trie = dictionary if dictionary is not None else thai_dictionary_for([text])

    def words(run: re.Match) -> str:
        tokens = word_tokenize(run.group(), custom_dict=trie, engine="newmm", keep_whitespace=False)
        return WORD_BREAK.join(JOINER.join(_split_compound(token, trie)) for token in tokens)

    return THAI_RUN.sub(words, text)


def segment(text: str, lang: str, thai: Trie | None = None) -> str:
    """Put a word break between the words of `text` that nothing separates: Thai with PyThaiNLP
    (segment_thai, on the dictionary `thai`), every other script by ICU (the word segmentation
    browsers use in `Intl.Segmenter`): Lao, Khmer, Burmese, Chinese and Japanese by its
    dictionaries, whatever the language of the page (`lang` only tailors ICU's rules). Words with
    spaces or punctuation between them are left as they are."""
    if text.isascii():  # ICU cuts no run of ASCII letters and digits
        return text
    out, last = [], 0
    for start, _ in WordBreaker(text, lang).segments():
        if start and _in_word(text[start - 1]) and _in_word(text[start]) and not THAI_RUN.match(text, start - 1, start + 1):
            out += [text[last:start], WORD_BREAK]
            last = start
    out.append(text[last:])
    cut = "".join(out)
    return segment_thai(cut, thai) if THAI_RUN.search(cut) else cut


def language_of(location: str, languages: list[str], default_lang: str) -> str:
    first = location.split("/", 1)[0]  # a language's pages are under its locale (`pt-BR/`)
    lang = first.lower()
    return lang if lang in languages and lang != default_lang and first == locale(lang) else default_lang


def index_path(site_dir: Path, lang: str, default_lang: str) -> Path:
    return site_dir / language_prefix(lang, default_lang) / INDEX


def split_search_index(site_dir: Path, languages: list[str], default_lang: str, offline: bool = False) -> dict[str, Path]:
    """Rewrite the combined index into one index per language, with each language's worker script;
    `offline` also writes each index as a script, for file://. Returns the index files written."""
    combined = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    written = {}
    for lang in languages:
        docs = [doc for doc in combined["docs"] if language_of(doc["location"], languages, default_lang) == lang]
        written[lang] = write_language_index(site_dir, lang, default_lang, combined["config"], lambda docs=docs: docs, offline)
    return written


def write_language_index(
    site_dir: Path,
    lang: str,
    default_lang: str,
    config: dict,
    docs: Callable[[], Iterable[dict]],
    offline: bool = False,
    check: Callable[[dict], object] | None = None,
) -> Path:
    """One language's index at its own root, and its worker script, written entry by entry: the
    entries are `docs()` (read first for the Thai words its texts can hold, if any), cut into
    words (`segment`), and each is given to `check` (the output
    audit) as it is written. No more than one entry is held at once (at 300 times the content,
    the whole index as text and as bytes was 40 MB)."""
    texts = lambda: (t for doc in docs() for t in (doc["title"], doc["text"]))  # noqa: E731
    thai = thai_dictionary_for(texts()) if any(THAI_RUN.search(t) for t in texts()) else None
    config = {**config, "lang": [f"kb{lang}"], "separator": SEPARATOR, "pipeline": ["trimmer", "stopWordFilter", "stemmer"]}
    path = index_path(site_dir, lang, default_lang)
    # {"config":…,"docs":[…]}, entry by entry.
    head = index_json({"config": config, "docs": []})[: -len("]}")]
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(replaced(target)) for target in (path, path.with_suffix(".js"))[: 2 if offline else 1]]
        if offline:
            files[1].write(b"var __index = ")

        def write(data: str) -> None:
            for file in files:
                file.write(data.encode("utf-8"))

        write(head)
        for n, doc in enumerate(docs()):
            doc = dict(doc)
            doc["title"], doc["text"] = segment(doc["title"], lang, thai), segment(doc["text"], lang, thai)
            if check is not None:
                check(doc)
            write(("," if n else "") + index_json(doc))
        write("]}")
    write_atomically(site_dir / language_support_path(lang), language_support(lang))
    write_atomically(path.parent / WORDS, f"window.__kbSearchWords = {json.dumps(search_words(lang))}\n")
    return path


def language_support_path(lang: str) -> Path:
    """Where a language's worker script is, under the site (beside Lunr's, not under its prefix)."""
    return LUNR_DIR / f"lunr.kb{lang}.min.js"


# Comments on lines of their own in lunr.kb.js: left out of what readers download (40 % of it, gzipped).
COMMENT_LINES = re.compile(r"^[ \t]*(?:/\*.*?\*/|//[^\n]*)[ \t]*\n", re.S | re.M)


def language_support(lang: str) -> str:
    """The worker's script for one language: the shared normaliser, registered for `lang` with its words."""
    code = COMMENT_LINES.sub("", LANGUAGE_SUPPORT.read_text(encoding="utf-8"))
    return code + f"\nlunr.kb.register({json.dumps(lang)}, {index_json(search_words(lang))})\n"


@cache
def search_words(lang: str) -> dict[str, list[str]]:
    """A language's suffixes and stop words (assets/search_words.yaml), for the worker and the page's marking:
    the stop words are that file's, stopwords.yaml's and those of lunr-languages' script for the
    language that Material ships, if any."""
    own = (yaml.safe_load((ASSETS / "search_words.yaml").read_text(encoding="utf-8")) or {}).get(lang, {})
    common = (yaml.safe_load((ASSETS / "stopwords.yaml").read_text(encoding="utf-8")) or {}).get(lang, [])
    lunr = Path(material.__file__).parent / "templates" / LUNR_DIR / f"lunr.{lang}.min.js"
    listed = match.group(1).split() if lunr.is_file() and (match := STOP_LIST.search(lunr.read_text(encoding="utf-8"))) else []
    stop = {unicodedata.normalize("NFC", w).lower() for w in [*own.get("stop_words", []), *common, *listed]}
    return {"suffixes": list(own.get("suffixes", [])), "stop": sorted(stop)}


def search_folder(lang: str, default_lang: str) -> str:
    """A language's search folder, from the site root (`search/`, `fr/search/`): its index, the
    index as a script (offline) and the page's words for marking (WORDS) are there."""
    return index_path(Path(), lang, default_lang).parent.as_posix() + "/"
