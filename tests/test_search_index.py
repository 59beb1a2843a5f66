"""The search index as built: one per language, every script without spaces split into words."""

from __future__ import annotations

import json

import pytest
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from conftest import LANG_PREFIXES as LANG_ROOTS
from conftest import ROOT
from kb.site.search import JOINER, THAI_RUN, WORD_BREAK, segment, segment_thai, thai_dictionary_for, write_language_index


def test_thai_is_split_into_words_and_compounds_into_their_parts():
    words = segment_thai("ความภักดีของลูกค้าประจำ and Rice").split(WORD_BREAK)
    assert words[:2] == [f"ความ{JOINER}ภักดี", "ของ"] and words[-1] == f"ลูกค้า{JOINER}ประจำ and Rice"
    assert segment_thai("ความภักดีของลูกค้าประจำ and Rice").replace(WORD_BREAK, "").replace(JOINER, "") == "ความภักดีของลูกค้าประจำ and Rice"


def test_the_words_a_build_can_find_cut_its_texts_as_the_whole_dictionary_does():
    """A build segments its texts with the dictionary's words that they can hold (a tenth of them):
    every Thai run of the guide is cut as newmm with PyThaiNLP's whole dictionary cuts it."""
    texts = [path.read_text("utf-8") for path in sorted((ROOT / "translations").rglob("*.yaml"))]
    runs = {m.group() for text in texts for m in THAI_RUN.finditer(text)}
    few, whole = thai_dictionary_for(texts), Trie(thai_words())
    assert len(runs) > 100 and 0 < len(few) < len(whole) / 5
    for run in runs:
        assert word_tokenize(run, custom_dict=few, engine="newmm") == word_tokenize(run, custom_dict=whole, engine="newmm"), run
        assert segment_thai(run, few) == segment_thai(run, whole), run  # and so are compounds' parts
    assert segment_thai("ลูกค้าประจำ", thai_dictionary_for(["ลูกค้าประจำ"])) == f"ลูกค้า{JOINER}ประจำ"  # a compound's parts too


def test_other_scripts_are_left_as_they_are():
    assert segment_thai("cam kết của khách hàng") == "cam kết của khách hàng"


@pytest.mark.parametrize(
    ("lang", "text", "words"),
    [
        ("zh", "客户的忠诚度很重要。", ["客户", "的", "忠诚", "度", "很", "重要。"]),  # Chinese: "customer loyalty matters"
        ("lo", "ຄວາມພໍໃຈຂອງລູກຄ້າ", ["ຄວາມພໍໃຈ", "ຂອງ", "ລູກຄ້າ"]),  # Lao: "the satisfaction of customers"
        ("km", "ការពេញចិត្តរបស់អតិថិជន", ["ការ", "ពេញចិត្ត", "របស់", "អតិថិជន"]),  # Khmer, the same
        ("ja", "顧客のロイヤルティは重要です", ["顧客", "の", "ロイヤルティ", "は", "重要", "です"]),
    ],
)
def test_a_text_without_spaces_is_split_into_words_in_its_index(tmp_path, lang, text, words):
    """Whatever the language's code, its script decides: ICU's dictionaries cut the words."""
    write_language_index(tmp_path, lang, "vi", {}, lambda: [{"location": "page/", "title": text, "text": f"<p>{text}</p>"}])
    (doc,) = json.loads((tmp_path / lang / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert doc["title"].split(WORD_BREAK) == words
    assert doc["text"].removeprefix("<p>").removesuffix("</p>").split(WORD_BREAK) == words


def test_text_with_spaces_between_its_words_is_left_as_it_is():
    for lang, text in [("vi", "cam kết của khách hàng"), ("fr", "l’engagement, la fidélité-2"), ("fy", "befêstiging")]:
        assert segment(text, lang) == text


def test_each_language_has_its_own_index_with_its_own_pages(built_site):
    for lang, root in LANG_ROOTS.items():
        index = json.loads((built_site / root / "search/search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [f"kb{lang}"]
        locations = [doc["location"] for doc in index["docs"]]
        assert any(loc.startswith(f"{root}loyalty-levels/") for loc in locations)
        others = [r for r in LANG_ROOTS.values() if r and r != root]
        assert not [loc for loc in locations if any(loc.startswith(o) for o in others)]
        if lang == "th":
            assert all(WORD_BREAK in doc["text"] for doc in index["docs"] if len(doc["text"]) > 40)


def test_the_pages_that_repeat_every_title_are_left_out_of_search(built_site):
    """The home page sums up every page, the trainers' page lists every heading and the status
    page every page title: searched, they would come before the page a reader is looking for."""
    for root in LANG_ROOTS.values():
        index = json.loads((built_site / root / "search/search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert f"{root}loyalty-levels/" in pages and f"{root}translators/" in pages
        assert not pages & {root, f"{root}trainers/", f"{root}status/"}, pages
