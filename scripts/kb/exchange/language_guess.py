"""Does an imported file's text plainly read as another language than its target? The share of
each language's most common words (assets/stopwords.yaml) among the text's words: a warning, never
a proof (the check of a file imported into the wrong folder, a French file into Frisian)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 20  # fewer: too few to tell
MIN_SHARE = 0.10  # another language's common words are at least this share of the text
RATIO = 2  # and at least twice the target language's share


@cache
def stopwords() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(resources.files("kb").joinpath("assets/stopwords.yaml").read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in data.items()}


def other_language(texts: list[str], lang: str, languages: list[str]) -> tuple[str, float, float] | None:
    """(the language the texts read as, its share, `lang`'s share) when it plainly is not `lang`;
    only languages of `languages` with a list are compared."""
    lists = stopwords()
    if lang not in lists:
        return None
    words = [w for text in texts for w in WORD.findall(text.lower())]
    if len(words) < MIN_WORDS:
        return None
    share = {code: sum(w in lists[code] for w in words) / len(words) for code in languages if code in lists}
    best = max(share, key=share.get)
    if best != lang and share[best] >= MIN_SHARE and share[best] >= RATIO * share[lang]:
        return best, share[best], share[lang]
    return None
