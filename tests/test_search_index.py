"""The search index as built: one per language, Thai split into words."""

from __future__ import annotations

import json

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from conftest import LANG_PREFIXES as LANG_ROOTS
from conftest import ROOT
from kb.site.search import JOINER, THAI_RUN, WORD_BREAK, segment_thai, thai_dictionary_for


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
