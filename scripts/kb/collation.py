"""Alphabetical order as each language's dictionaries sort, without a locale on the machine.

Python's `sorted` orders code points: `Đ` after `Z`, `É` after `z`, and Thai words by their leading
vowel. These keys follow each language's rules, the way ICU's root collation and its Vietnamese and
Thai tailorings do, for the letters this guide uses:
- Every language: letters first, ignoring case and accents; then accents; then case.
- Vietnamese: the alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă, â, đ,
  ê, ô, ơ and ư are letters of their own; the five tone marks only break ties.
  Digraphs (ch, gi, kh, ng, nh, ph, qu, th, tr) are sorted letter by letter, as ICU's standard vi
  collation does, not as letters of their own (`vi-u-co-traditional`, some printed dictionaries).
- Thai: a word is sorted by its first consonant, not by a vowel written before it (เ แ โ ใ ไ);
  tone marks and other signs only break ties.
- Frisian: y is filed with i, as Frisian dictionaries do (`klantynset` before `klantloyaliteit`);
  of two words that differ only there, the one with i comes first.
"""

from __future__ import annotations

import unicodedata

# Vietnamese letters made with a mark that is part of the letter (not a tone): their place after
# the plain letter. The tone marks: grave, acute, hook above, tilde, dot below.
_VI_LETTERS = {"a\u0306": "a1", "a\u0302": "a2", "e\u0302": "e1", "o\u0302": "o1", "o\u031b": "o2", "u\u031b": "u1", "đ": "d1"}
_VI_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_THAI_LEADING = set("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ
_THAI_SIGNS = set("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")  # tone marks, mai taikhu, thanthakhat…


def _generic(text: str) -> tuple:
    decomposed = unicodedata.normalize("NFD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return (letters, decomposed.casefold(), text.swapcase())


def _frisian(text: str) -> tuple:
    letters, *rest = _generic(text)
    return (letters.replace("y", "i"), *rest)


def _vietnamese(text: str) -> tuple:
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text).casefold():
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in _VI_TONES), "")
        letter = base + "".join(m for m in marks if m not in _VI_TONES)
        letters.append(_VI_LETTERS.get(letter, _VI_LETTERS.get(base, base) if letter == base else letter) + "0")
        tones.append(_VI_TONES.get(tone, "0"))
    return ("".join(letters), "".join(tones), text.swapcase())


def _thai(text: str) -> tuple:
    chars, i = list(text.casefold()), 0
    while i < len(chars) - 1:  # a vowel written first is sorted after its consonant
        if chars[i] in _THAI_LEADING and chars[i + 1] not in _THAI_LEADING:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 1
        i += 1
    primary = "".join(c for c in chars if c not in _THAI_SIGNS)
    return (primary, "".join(chars), text)


_KEYS = {"vi": _vietnamese, "th": _thai, "fy": _frisian}


def sort_key(lang: str, text: str) -> tuple:
    """The key that sorts `text` in `lang`'s alphabetical order."""
    return _KEYS.get(lang.split("-")[0], _generic)(text)
